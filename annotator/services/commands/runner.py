"""Run commands and reads against the database, each in its own transaction.

``CommandRunner`` is called from the app's database worker (one step at a time, in order);
it touches only the database and the command it is given. With an ``annotator_id`` it stores
every keyed write with its write key (``services.write_keys``): a retry after a lost COMMIT
reply finds the write stored and reads back its outcome instead of running it twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar, runtime_checkable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from annotator.services import write_keys
from annotator.store.engine import read_scope, session_scope

P = ParamSpec("P")
R = TypeVar("R")
OutcomeT = TypeVar("OutcomeT")


class Command(Protocol[OutcomeT]):
    """A change a person makes: applies itself in the caller's transaction, forwards or
    backwards, and hears once that transaction committed (``after``)."""

    document_id: int
    description: str

    def apply(self, session: Session, *, backwards: bool = False) -> OutcomeT: ...

    def after(self, outcome: OutcomeT, *, backwards: bool = False) -> None: ...


@runtime_checkable
class Recoverable(Protocol):
    """A command whose outcome can be read back from the result stored with its write key."""

    def recover(self, session: Session, result: Any, *, backwards: bool = False) -> Any: ...


class CommandRunner:
    def __init__(self, engine: Engine, *, annotator_id: int | None = None) -> None:
        self.engine = engine
        self.annotator_id = annotator_id  # whose write keys (None: writes are not keyed)
        self._tried: set[str] = set()  # write keys sent at least once: a second run may find its write stored

    def fetch(self, fn: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run ``fn(session, ...)``, which only reads, in a read-only transaction: on SQLite a
        deferred one (a snapshot that blocks no writer), never ``BEGIN IMMEDIATE``."""
        with read_scope(self.engine) as session:
            return fn(session, *args, **kwargs)

    def write(self, fn: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run ``fn(session, ...)``, which writes (and is not undoable), in one write transaction."""
        with session_scope(self.engine) as session:
            return fn(session, *args, **kwargs)

    def run(self, command: Command[OutcomeT], *, backwards: bool = False, key: str | None = None) -> OutcomeT:
        """Apply ``command`` (or its inverse) in one transaction; return the stored outcome.

        ``key`` (the same on every retry of this one write) is stored with the write: a retry
        after a lost COMMIT reply finds it and returns what the database holds instead."""
        who = self.annotator_id
        keyed = key is not None and who is not None and isinstance(command, Recoverable)
        if keyed and who is not None and key is not None:
            if key in self._tried:
                with session_scope(self.engine) as session:
                    done, result = write_keys.stored(session, annotator_id=who, key=key)
                    if done:
                        recovered: OutcomeT = command.recover(session, result, backwards=backwards)  # type: ignore[attr-defined]
                if done:
                    command.after(recovered, backwards=backwards)
                    return recovered
            self._tried.add(key)
        with session_scope(self.engine) as session:
            outcome = command.apply(session, backwards=backwards)
            if keyed and who is not None and key is not None:
                write_keys.record(session, annotator_id=who, key=key, result=getattr(outcome, "result", None))
        command.after(outcome, backwards=backwards)
        return outcome
