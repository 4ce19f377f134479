"""The review app's commands: adjudication steps on gold, undone and redone as commands.

The first ``apply`` runs the step (``services.adjudication``: accept, reject, accept the
agreed spans, add, edit, delete, mark adjudicated); it writes the step's decision records in
the same transaction and returns the ``Step`` (what changed, and the document after it).
Once committed, ``after`` keeps that step: a backwards ``apply`` is ``adjudication.undo`` of
it and a forwards one again is ``adjudication.redo``, recorded as decisions too.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from annotator.services import adjudication as adjn
from annotator.services.adjudication import Adjudicator, Step


@dataclass(kw_only=True)
class GoldCommand(ABC):
    adj: Adjudicator
    document_id: int
    description: str
    step: Step | None = None  # the step as first applied (kept once committed)

    def apply(self, session: Session, *, backwards: bool = False) -> Step:
        if backwards:
            if self.step is None:
                raise ValueError(f"cannot undo {self.description}: it never ran")
            return adjn.undo(session, self.adj, self.step)
        if self.step is not None:
            return adjn.redo(session, self.adj, self.step)
        return self.first(session)

    @abstractmethod
    def first(self, session: Session) -> Step:
        """Make the step for the first time (each kind of step says how)."""

    def after(self, outcome: Step, *, backwards: bool = False) -> None:
        if self.step is None:
            self.step = outcome
            self.description = outcome.description


@dataclass(kw_only=True)
class AcceptVersion(GoldCommand):
    """Gold becomes ``source``'s version of a group (``expected``: the gold the reviewer saw)."""

    group_key: str
    source: str
    expected: tuple[Any, ...] | None = None

    def first(self, session: Session) -> Step:
        return adjn.accept(
            session,
            self.adj,
            document_id=self.document_id,
            group_key=self.group_key,
            source=self.source,
            expected=self.expected,
        )


@dataclass(kw_only=True)
class RejectGroup(GoldCommand):
    group_key: str
    expected: tuple[Any, ...] | None = None

    def first(self, session: Session) -> Step:
        return adjn.reject(
            session, self.adj, document_id=self.document_id, group_key=self.group_key, expected=self.expected
        )


@dataclass(kw_only=True)
class AcceptAgreed(GoldCommand):
    def first(self, session: Session) -> Step:
        return adjn.accept_all_agreed(session, self.adj, document_id=self.document_id)


@dataclass(kw_only=True)
class AddGold(GoldCommand):
    label: str
    start: int
    end: int

    def first(self, session: Session) -> Step:
        return adjn.add(
            session, self.adj, document_id=self.document_id, label=self.label, start=self.start, end=self.end
        )


@dataclass(kw_only=True)
class EditGold(GoldCommand):
    """New attributes or links (``links``: attribute -> gold span ids) of one gold span."""

    span_id: int
    expected_version: int | None
    attrs: dict[str, Any] | None = None
    links: dict[str, Sequence[int]] | None = field(default=None)

    def first(self, session: Session) -> Step:
        return adjn.edit(
            session,
            self.adj,
            span_id=self.span_id,
            attrs=self.attrs,
            links=self.links,
            expected_version=self.expected_version,
        )


@dataclass(kw_only=True)
class DeleteGold(GoldCommand):
    span_id: int
    expected_version: int | None

    def first(self, session: Session) -> Step:
        return adjn.delete(session, self.adj, span_id=self.span_id, expected_version=self.expected_version)


@dataclass(kw_only=True)
class SetAdjudicated(GoldCommand):
    done: bool

    def first(self, session: Session) -> Step:
        return adjn.set_adjudicated(session, self.adj, document_id=self.document_id, done=self.done)
