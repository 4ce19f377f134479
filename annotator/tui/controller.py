"""Non-UI state of an annotation session: the commands a person makes and their undo.

A command is data: a batch of span changes (``SpanEdit``) or a status change
(``StatusEdit``), each with everything needed to apply it forwards and backwards. The
``Controller`` runs commands against the database (from a worker thread: it only touches the
database and the command it is given) and keeps the undo/redo stacks (from the UI thread,
after the database said yes). Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Union

from annotator.schemas.labels import LabelSchema
from annotator.services import session_ops as ops
from annotator.services import write_keys
from annotator.services.annotations import SpanData
from annotator.store.engine import read_scope, session_scope

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass
class SpanEdit:
    """Spans from ``before`` to ``after`` (see ``session_ops.apply_span_changes``)."""

    document_id: int
    changes: list[ops.SpanChange]
    description: str


@dataclass
class StatusEdit:
    document_id: int
    before: tuple[str, str]  # (status, note)
    after: tuple[str, str]
    description: str
    seconds: float = 0.0  # time on the document, added once (forwards, first run)


@dataclass
class SuggestionEdit:
    """Accept one (``y``), accept all (``Y``) or reject (``x``) suggestions; undo reopens them."""

    document_id: int
    action: str  # accept | accept_all | reject
    suggestion_id: int | None
    description: str
    decided: list[int] = field(default_factory=list)


Command = Union[SpanEdit, StatusEdit, SuggestionEdit]


@dataclass
class Outcome:
    """What the database now holds after a command ran (the UI shows exactly this)."""

    document_id: int
    spans: dict[int, SpanData | None] = field(default_factory=dict)
    status: tuple[str, str] | None = None
    suggestions: dict[int, ops.SuggestionData | None] = field(default_factory=dict)
    result: object = None  # what the write's key is stored with (span ids, suggestion ids)
    stored: list[SpanData | None] | None = None  # span edits: the stored after-states, in change order


class Controller:
    def __init__(self, engine: Engine, schema: LabelSchema, info: ops.SessionInfo) -> None:
        self.engine = engine
        self.schema = schema
        self.info = info
        self.undo_stack: list[Command] = []
        self.redo_stack: list[Command] = []
        self._tried: set[str] = set()  # write keys sent at least once: a second run may find its write stored

    # ---------------------------------------------------------- database side (worker thread)

    def read(self, fn: Callable[..., object], **kwargs: object) -> object:
        """Run ``fn(session, **kwargs)`` in its own (write) transaction: ``fn`` may write."""
        with session_scope(self.engine) as session:
            return fn(session, **kwargs)

    def fetch(self, fn: Callable[..., object], **kwargs: object) -> object:
        """Run ``fn(session, **kwargs)``, which only reads, in a read-only transaction: on
        SQLite a deferred one (a snapshot that blocks no writer), never ``BEGIN IMMEDIATE``."""
        with read_scope(self.engine) as session:
            return fn(session, **kwargs)

    def run(self, command: Command, *, backwards: bool = False, key: str | None = None) -> Outcome:
        """Apply ``command`` (or its inverse) in one transaction; return the stored result.

        ``key`` (the same on every retry of this one write) is stored with the write: a retry
        after a lost COMMIT reply finds it and returns what the database holds instead."""
        if key is not None and key in self._tried:
            with session_scope(self.engine) as session:
                done, result = write_keys.stored(session, annotator_id=self.info.annotator_id, key=key)
                if done:
                    return self._already_stored(session, command, backwards, result)
        if key is not None:
            self._tried.add(key)
        with session_scope(self.engine) as session:
            outcome = self._apply(session, command, backwards)
            if key is not None:
                write_keys.record(session, annotator_id=self.info.annotator_id, key=key, result=outcome.result)
        return self._finish(command, backwards, outcome)

    def _apply(self, session, command: Command, backwards: bool) -> Outcome:
        if isinstance(command, SuggestionEdit):
            decided, spans, suggestions = ops.decide_suggestions(
                session,
                document_id=command.document_id,
                annotator_id=self.info.annotator_id,
                schema=self.schema,
                schema_id=self.info.schema_id,
                action="undo" if backwards else command.action,
                suggestion_id=command.suggestion_id,
                undo_ids=command.decided,
            )
            if not backwards:
                command.decided = decided
            return Outcome(command.document_id, spans=spans, suggestions=suggestions, result=list(decided))
        if isinstance(command, StatusEdit):
            status, note = command.before if backwards else command.after
            stored = ops.set_document_status(
                session,
                document_id=command.document_id,
                annotator_id=self.info.annotator_id,
                status=status,
                note=note,
                add_seconds=0.0 if backwards else command.seconds,
            )
            command.seconds = 0.0
            return Outcome(command.document_id, status=stored)
        if backwards:
            pairs = [(after, before) for before, after in command.changes]
        else:
            pairs = list(command.changes)
        stored_states = ops.apply_span_changes(
            session,
            document_id=command.document_id,
            annotator_id=self.info.annotator_id,
            schema=self.schema,
            changes=pairs,
        )
        return Outcome(
            command.document_id, result=[s.id if s is not None else None for s in stored_states], stored=stored_states
        )

    def _already_stored(self, session, command: Command, backwards: bool, result) -> Outcome:
        """The outcome of a write found stored under its key: read back from the database now."""
        if isinstance(command, SuggestionEdit):
            if not backwards:
                command.decided = list(result or [])
            spans, suggestions = ops.suggestion_states(session, result or [])
            return Outcome(command.document_id, spans=spans, suggestions=suggestions)
        if isinstance(command, StatusEdit):
            command.seconds = 0.0
            status = ops.document_status(session, document_id=command.document_id, annotator_id=self.info.annotator_id)
            return Outcome(command.document_id, status=status)
        from annotator.services.annotations import snapshot_span

        ids = list(result or [])
        stored = [snapshot_span(session, i) if i else None for i in ids]
        return self._finish(command, backwards, Outcome(command.document_id, stored=stored))

    def _finish(self, command: Command, backwards: bool, outcome: Outcome) -> Outcome:
        if not isinstance(command, SpanEdit) or outcome.stored is None:
            return outcome
        pairs = [(after, before) for before, after in command.changes] if backwards else list(command.changes)
        stored_states, outcome.stored = outcome.stored, None
        for i, ((old, new), stored) in enumerate(zip(pairs, stored_states)):
            span_id = stored.id if stored is not None else (old.id if old is not None else None)
            if span_id is not None:
                outcome.spans[span_id] = stored
            if not backwards and stored is not None:
                # Remember the stored span (its id above all) so a redo restores the same span.
                command.changes[i] = (command.changes[i][0], stored)
        return outcome

    # ---------------------------------------------------------- UI side (after success)

    def did(self, command: Command) -> None:
        self.undo_stack.append(command)
        self.redo_stack.clear()

    def undid(self, command: Command) -> None:
        if self.undo_stack and self.undo_stack[-1] is command:
            self.undo_stack.pop()
        self.redo_stack.append(command)

    def redid(self, command: Command) -> None:
        if self.redo_stack and self.redo_stack[-1] is command:
            self.redo_stack.pop()
        self.undo_stack.append(command)

    # ---------------------------------------------------------- building commands

    def add_spans(
        self,
        document_id: int,
        label: str,
        ranges: list[tuple[int, int]],
        description: str,
        attrs: dict[str, object] | None = None,
    ) -> SpanEdit:
        """New spans of ``label`` at ``ranges``, each with a copy of ``attrs`` (``a`` copies the
        attributes of the span it tags the other occurrences of; links are not copied)."""
        changes: list[ops.SpanChange] = [
            (
                None,
                replace(
                    ops.new_span(
                        document_id=document_id,
                        annotator_id=self.info.annotator_id,
                        schema_id=self.info.schema_id,
                        label=label,
                        start=start,
                        end=end,
                    ),
                    attrs=dict(attrs or {}),
                ),
            )
            for start, end in ranges
        ]
        return SpanEdit(document_id, changes, description)

    def delete_span(self, span: SpanData, all_spans: dict[int, SpanData]) -> SpanEdit:
        """Delete ``span``; spans that link to it lose that link (and get it back on undo)."""
        changes: list[ops.SpanChange] = []
        for other in all_spans.values():
            if other.id != span.id and any(span.id in ids for ids in other.links.values()):
                changes.append((other, ops.without_link(other, span.id)))
        changes.append((span, None))
        return SpanEdit(span.document_id, changes, f"delete {span.label}")

    def set_attrs(self, span: SpanData, attrs: dict[str, object]) -> SpanEdit:
        return SpanEdit(span.document_id, [(span, replace(span, attrs=dict(attrs)))], f"edit {span.label} attributes")

    def set_links(self, span: SpanData, attribute: str, child_ids: list[int]) -> SpanEdit:
        links = dict(span.links)
        if child_ids:
            links[attribute] = tuple(child_ids)
        else:
            links.pop(attribute, None)
        return SpanEdit(span.document_id, [(span, replace(span, links=links))], f"set {span.label} {attribute}")

    def set_status(
        self, document_id: int, before: tuple[str, str], status: str, note: str, seconds: float = 0.0
    ) -> StatusEdit:
        return StatusEdit(document_id, before, (status, note), f"mark {status}", seconds)
