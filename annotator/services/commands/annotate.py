"""The annotate app's commands: span changes, a document's status, decided suggestions.

Each command holds everything needed to apply it forwards and backwards, and ``who`` makes
it (annotator, schema). ``apply`` runs inside the caller's transaction; ``after`` runs once
that transaction committed (a span edit then remembers the stored spans, so a redo restores
the same ids); ``recover`` reads back the outcome of a write that was found stored under its
write key (its COMMIT reply was lost).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlmodel import Session

from annotator.schemas.labels import LabelSchema
from annotator.services import session_ops as ops
from annotator.services.records import SpanData
from annotator.services.spans import snapshot_span

SpanChange = ops.SpanChange


@dataclass(frozen=True)
class Annotating:
    """Who makes a command, under which schema."""

    annotator_id: int
    schema_id: int
    schema: LabelSchema


@dataclass
class Outcome:
    """What the database now holds after a command ran (the screen shows exactly this)."""

    document_id: int
    spans: dict[int, SpanData | None] = field(default_factory=dict)
    status: tuple[str, str] | None = None
    suggestions: dict[int, ops.SuggestionData | None] = field(default_factory=dict)
    result: Any = None  # what the write's key is stored with (span ids, suggestion ids)
    stored: list[SpanData | None] = field(default_factory=list)  # span edits: after-states, in change order


@dataclass
class SpanEdit:
    """Spans from ``before`` to ``after`` (see ``session_ops.apply_span_changes``)."""

    who: Annotating
    document_id: int
    changes: list[SpanChange]
    description: str
    starts: bool = False  # the document is still todo: this first change makes it in progress

    def _pairs(self, backwards: bool) -> list[SpanChange]:
        return [(after, before) for before, after in self.changes] if backwards else list(self.changes)

    def apply(self, session: Session, *, backwards: bool = False) -> Outcome:
        stored = ops.apply_span_changes(
            session,
            document_id=self.document_id,
            annotator_id=self.who.annotator_id,
            schema=self.who.schema,
            changes=self._pairs(backwards),
        )
        outcome = self._outcome(stored, backwards)
        outcome.status = _started(session, self, backwards)
        return outcome

    def recover(self, session: Session, result: Any, *, backwards: bool = False) -> Outcome:
        return self._outcome([snapshot_span(session, i) if i else None for i in list(result or [])], backwards)

    def _outcome(self, stored: list[SpanData | None], backwards: bool) -> Outcome:
        outcome = Outcome(self.document_id, result=[s.id if s is not None else None for s in stored], stored=stored)
        for (old, _new), now in zip(self._pairs(backwards), stored):
            span_id = now.id if now is not None else (old.id if old is not None else None)
            if span_id is not None:
                outcome.spans[span_id] = now
        return outcome

    def after(self, outcome: Outcome, *, backwards: bool = False) -> None:
        """Committed: remember the stored spans (their ids above all) so a redo restores the same spans."""
        if backwards:
            return
        self.starts = False  # in progress once: undo and redo leave the status as it is
        for i, now in enumerate(outcome.stored):
            if now is not None:
                self.changes[i] = (self.changes[i][0], now)

    def added(self, outcome: Outcome) -> list[SpanData]:
        """The spans this edit made (not those it changed), as stored."""
        new_ids = {after.id for before, after in self.changes if before is None and after is not None}
        return [s for s in outcome.spans.values() if s is not None and s.id in new_ids]


@dataclass
class StatusEdit:
    who: Annotating
    document_id: int
    before: tuple[str, str]  # (status, note)
    after_state: tuple[str, str]
    description: str
    seconds: float = 0.0  # time on the document, added once (forwards, first run)

    def apply(self, session: Session, *, backwards: bool = False) -> Outcome:
        status, note = self.before if backwards else self.after_state
        stored = ops.set_document_status(
            session,
            document_id=self.document_id,
            annotator_id=self.who.annotator_id,
            status=status,
            note=note,
            add_seconds=0.0 if backwards else self.seconds,
        )
        return Outcome(self.document_id, status=stored)

    def recover(self, session: Session, result: Any, *, backwards: bool = False) -> Outcome:
        status = ops.document_status(session, document_id=self.document_id, annotator_id=self.who.annotator_id)
        return Outcome(self.document_id, status=status)

    def after(self, outcome: Outcome, *, backwards: bool = False) -> None:
        self.seconds = 0.0  # the time is added once

    @property
    def finishes(self) -> bool:
        return self.after_state[0] == "done"


@dataclass
class SuggestionEdit:
    """Accept one (``y``), accept all (``Y``) or reject (``x``) suggestions; undo reopens them."""

    who: Annotating
    document_id: int
    action: str  # accept | accept_all | reject
    suggestion_id: int | None
    description: str
    decided: list[int] = field(default_factory=list)
    starts: bool = False  # as ``SpanEdit.starts``

    def apply(self, session: Session, *, backwards: bool = False) -> Outcome:
        decided, spans, suggestions = ops.decide_suggestions(
            session,
            document_id=self.document_id,
            annotator_id=self.who.annotator_id,
            schema=self.who.schema,
            schema_id=self.who.schema_id,
            action="undo" if backwards else self.action,
            suggestion_id=self.suggestion_id,
            undo_ids=self.decided,
        )
        status = _started(session, self, backwards)
        return Outcome(self.document_id, spans=spans, suggestions=suggestions, result=list(decided), status=status)

    def recover(self, session: Session, result: Any, *, backwards: bool = False) -> Outcome:
        spans, suggestions = ops.suggestion_states(session, list(result or []))
        return Outcome(self.document_id, spans=spans, suggestions=suggestions, result=list(result or []))

    def after(self, outcome: Outcome, *, backwards: bool = False) -> None:
        if not backwards:
            self.decided = list(outcome.result or [])
            self.starts = False


def _started(session: Session, command: SpanEdit | SuggestionEdit, backwards: bool) -> tuple[str, str] | None:
    """The first change to a document still todo makes it in progress (opening it does not)."""
    if not command.starts or backwards:
        return None
    return ops.mark_started(session, document_id=command.document_id, annotator_id=command.who.annotator_id)


AnnotateCommand = SpanEdit | StatusEdit | SuggestionEdit


# ---------------------------------------------------------------------------- building commands


def add_spans(
    who: Annotating,
    document_id: int,
    label: str,
    ranges: list[tuple[int, int]],
    description: str,
    attrs: dict[str, object] | None = None,
) -> SpanEdit:
    """New spans of ``label`` at ``ranges``, each with a copy of ``attrs`` (``a`` copies the
    attributes of the span it tags the other occurrences of; links are not copied)."""
    changes: list[SpanChange] = []
    for start, end in ranges:
        span = ops.new_span(
            document_id=document_id,
            annotator_id=who.annotator_id,
            schema_id=who.schema_id,
            label=label,
            start=start,
            end=end,
        )
        changes.append((None, replace(span, attrs=dict(attrs or {}))))
    return SpanEdit(who, document_id, changes, description)


def delete_span(who: Annotating, span: SpanData, all_spans: dict[int, SpanData]) -> SpanEdit:
    """Delete ``span``; spans that link to it lose that link (and get it back on undo)."""
    changes: list[SpanChange] = []
    for other in all_spans.values():
        if other.id != span.id and any(span.id in ids for ids in other.links.values()):
            changes.append((other, ops.without_link(other, span.id)))
    changes.append((span, None))
    return SpanEdit(who, span.document_id, changes, f"delete {span.label}")


def set_attrs(who: Annotating, span: SpanData, attrs: dict[str, object]) -> SpanEdit:
    return SpanEdit(who, span.document_id, [(span, replace(span, attrs=dict(attrs)))], f"edit {span.label} attributes")


def set_links(who: Annotating, span: SpanData, attribute: str, child_ids: list[int]) -> SpanEdit:
    links = dict(span.links)
    if child_ids:
        links[attribute] = tuple(child_ids)
    else:
        links.pop(attribute, None)
    return SpanEdit(who, span.document_id, [(span, replace(span, links=links))], f"set {span.label} {attribute}")


def set_status(
    who: Annotating, document_id: int, before: tuple[str, str], status: str, note: str, seconds: float = 0.0
) -> StatusEdit:
    return StatusEdit(who, document_id, before, (status, note), f"mark {status}", seconds)
