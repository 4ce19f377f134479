"""Undo and redo stacks, in the shape of Textual's ``TextArea`` ``EditHistory``; pure data.

A command enters the history only after the database said yes: ``did`` after it ran
forwards for the first time, ``undid`` after its undo, ``redid`` after its redo.
"""

from __future__ import annotations

from enum import Enum
from typing import Generic, TypeVar

C = TypeVar("C")


class Direction(Enum):
    """Which way a command runs: first time, backwards (undo), or forwards again (redo)."""

    DO = "do"
    UNDO = "undo"
    REDO = "redo"

    @property
    def backwards(self) -> bool:
        return self is Direction.UNDO

    def describe(self, description: str) -> str:
        """What the command does when run this way, in words: ``undo tag ACTOR``."""
        return description if self is Direction.DO else f"{self.value} {description}"


class History(Generic[C]):
    """The commands a person made (undo stack) and undid (redo stack), newest last."""

    def __init__(self) -> None:
        self._undo: list[C] = []
        self._redo: list[C] = []

    @property
    def undo_stack(self) -> list[C]:
        return list(self._undo)

    @property
    def redo_stack(self) -> list[C]:
        return list(self._redo)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def next_for(self, direction: Direction) -> C | None:
        """The command an undo (redo) would run now, or None."""
        stack = self._undo if direction is Direction.UNDO else self._redo if direction is Direction.REDO else []
        return stack[-1] if stack else None

    def record(self, command: C, direction: Direction) -> None:
        """``command`` ran ``direction`` and is stored: move it between the stacks."""
        if direction is Direction.DO:
            self.did(command)
        elif direction is Direction.UNDO:
            self.undid(command)
        else:
            self.redid(command)

    def did(self, command: C) -> None:
        self._undo.append(command)
        self._redo.clear()

    def undid(self, command: C) -> None:
        if self._undo and self._undo[-1] is command:
            self._undo.pop()
        self._redo.append(command)

    def redid(self, command: C) -> None:
        if self._redo and self._redo[-1] is command:
            self._redo.pop()
        self._undo.append(command)

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
