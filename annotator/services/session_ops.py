"""What the annotation app asks of the database, one function per user-visible step.

Plain functions over a ``Session`` (no UI): start a session, list the queue, open a
document, apply a batch of span changes (the unit of undo), set a document's status. Each
caller commits once per step, so a step is saved whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from annotator.errors import UserError
from annotator.schemas.labels import LabelSchema
from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.services.annotations import AnnotationError, VersionConflict
from annotator.services.records import OpenedDocument, OpenSuggestion, QueueRow, SessionInfo, SpanData
from annotator.services.screen_rows import queue_row
from annotator.store import screen_sql
from annotator.store.models import Annotator, Document, Span, Status

# A change of one span from ``before`` to ``after``: (None, new) adds, (old, None) deletes.
# A new span not yet stored has ``id == 0``.
SpanChange = tuple[SpanData | None, SpanData | None]


def start_session(session: Session, annotator_name: str, schema: LabelSchema) -> SessionInfo:
    from annotator.store.roles import current_binding

    binding = current_binding(session.connection())
    if binding is not None and not corpus.same_name(binding.annotator, annotator_name.strip()):
        raise UserError(
            f"this database role works as {binding.annotator!r} only, not {annotator_name.strip()!r}: "
            f"drop --as, or connect with {annotator_name.strip()!r}'s own role"
        )
    annotator, created = corpus.ensure_annotator(session, annotator_name)
    schema_row = corpus.register_schema(session, schema)
    last = annotator.last_document_id
    if last is not None and session.get(Document, last) is None:
        last = None
    assert annotator.id is not None and schema_row.id is not None  # stored rows
    return SessionInfo(annotator.id, annotator.name, schema_row.id, last, created)


def queue(session: Session, annotator_id: int) -> list[QueueRow]:
    """The annotator's documents in id order, with their status and span count: the documents
    assigned to them when they have assignments (``annotator assign``), else every document."""
    return [queue_row(row) for row in session.execute(sa.text(screen_sql.QUEUE), {"who": annotator_id})]


def open_document(
    session: Session, *, document_id: int, annotator_id: int, leaving: tuple[int, float] | None = None
) -> OpenedDocument:
    """Load a document with this annotator's spans; remember it as their current document.

    ``leaving`` is ``(document_id, seconds)`` of the document being left: its time is added.
    Opening changes no status: a document becomes ``in_progress`` with its first change
    (``mark_started``).
    """
    if leaving is not None and leaving[1] > 0:
        ann.set_status(session, document_id=leaving[0], annotator_id=annotator_id, add_seconds=leaving[1])
    doc = session.get(Document, document_id)
    if doc is None:
        raise VersionConflict(f"document {document_id} no longer exists")
    annotator = session.get(Annotator, annotator_id)
    assert annotator is not None
    annotator.last_document_id = document_id
    session.add(annotator)
    row = ann.get_status(session, document_id, annotator_id)
    status = str(getattr(row.status, "value", row.status)) if row is not None else Status.TODO.value
    return OpenedDocument(
        document_id,
        doc.uid,
        doc.title,
        doc.text,
        status,
        row.note or "" if row is not None else "",
        ann.spans_for(session, document_id, annotator_id),
    )


def mark_started(session: Session, *, document_id: int, annotator_id: int) -> tuple[str, str] | None:
    """A change to a document still ``todo`` (or never opened) makes it ``in_progress``:
    the new (status, note), or None when the status stays as it was."""
    row = ann.get_status(session, document_id, annotator_id)
    if row is not None and row.status != Status.TODO:
        return None
    row = ann.set_status(session, document_id=document_id, annotator_id=annotator_id, status=Status.IN_PROGRESS)
    return str(getattr(row.status, "value", row.status)), row.note or ""


def add_time(session: Session, *, document_id: int, annotator_id: int, seconds: float) -> None:
    if seconds > 0:
        ann.set_status(session, document_id=document_id, annotator_id=annotator_id, add_seconds=seconds)


def set_document_status(
    session: Session, *, document_id: int, annotator_id: int, status: str, note: str, add_seconds: float = 0.0
) -> tuple[str, str]:
    row = ann.set_status(
        session,
        document_id=document_id,
        annotator_id=annotator_id,
        status=Status(status),
        note=note,
        add_seconds=add_seconds,
    )
    return str(getattr(row.status, "value", row.status)), row.note or ""


def document_status(session: Session, *, document_id: int, annotator_id: int) -> tuple[str, str]:
    row = ann.get_status(session, document_id, annotator_id)
    if row is None:
        return Status.TODO.value, ""
    return str(getattr(row.status, "value", row.status)), row.note or ""


def apply_span_changes(
    session: Session,
    *,
    document_id: int,
    annotator_id: int,
    schema: LabelSchema,
    changes: Sequence[SpanChange],
) -> list[SpanData | None]:
    """Move each span from ``before`` to ``after`` in one transaction; return the stored
    ``after`` states in the same order (new spans with their ids, versions and links).

    Order: add or restore spans, update the rest, set links (so a link may point at a span
    added in the same batch), then delete. Adding a span this annotator already has (same
    label and offsets) is refused, so undo never removes a span it did not add.
    """
    document = session.get(Document, document_id)
    if document is None:
        raise VersionConflict(f"document {document_id} no longer exists")
    _check_owned(
        session, Span, [b.id for b, _ in changes if b is not None], document_id=document_id, annotator_id=annotator_id
    )
    ids: list[int | None] = []
    for before, after in changes:
        if before is None and after is not None:
            if after.annotator_id != annotator_id or after.document_id != document_id:
                raise AnnotationError("a span belongs to this annotator and document")
            if after.id and session.get(Span, after.id) is not None:
                raise VersionConflict(f"span {after.id} exists already")
            span = span_ops.insert_span(
                session,
                document=document,
                annotator_id=annotator_id,
                schema_id=after.schema_id,
                schema=schema,
                label=after.label,
                start=after.start,
                end=after.end,
                attrs=after.attrs,
                origin=after.origin,
                span_id=after.id or None,
            )
            if span is None:  # the unique index said so (also when another session of ours just added it)
                raise AnnotationError(f"{after.start}-{after.end} is already tagged {after.label}")
            ids.append(span.id)
        elif before is not None:
            ids.append(before.id)
        else:
            ids.append(None)
    for before, after in changes:
        if (
            before is not None
            and after is not None
            and (before.label, before.start, before.end, before.attrs)
            != (after.label, after.start, after.end, after.attrs)
        ):
            span_ops.update_span(
                session,
                before.id,
                schema=schema,
                label=after.label,
                start=after.start,
                end=after.end,
                attrs=after.attrs,
            )
    for (before, after), span_id in zip(changes, ids):
        if after is None or span_id is None:
            continue
        old_links = before.links if before is not None and before.label == after.label else {}
        for link in schema.label(after.label).links:
            wanted = tuple(after.links.get(link.name, ()))
            if wanted != tuple(old_links.get(link.name, ())):
                span_ops.set_links(session, span_id, link.name, wanted, schema=schema)
    for before, after in changes:
        if after is None and before is not None:
            span_ops.delete_span(session, before.id)
    session.flush()
    return [
        span_ops.snapshot_span(session, span_id) if after is not None and span_id else None
        for (_, after), span_id in zip(changes, ids)
    ]


def _check_owned(
    session: Session, model: Any, ids: Sequence[int | None], *, document_id: int, annotator_id: int
) -> None:
    """Blind annotation holds for writes too: only this annotator's rows on this document
    may be changed, whatever ids a caller passes (rows already gone are left to the caller)."""
    wanted = [i for i in ids if i]
    if not wanted:
        return
    rows = session.exec(select(model.document_id, model.annotator_id).where(model.id.in_(wanted))).all()
    if any(who != annotator_id or doc != document_id for doc, who in rows):
        raise AnnotationError("that belongs to another annotator or document")


def new_span(*, document_id: int, annotator_id: int, schema_id: int, label: str, start: int, end: int) -> SpanData:
    """A span to add (``id == 0`` until stored)."""
    return SpanData(
        id=0, document_id=document_id, annotator_id=annotator_id, schema_id=schema_id, label=label, start=start, end=end
    )


def without_link(head: SpanData, child_id: int) -> SpanData:
    """``head`` with every link to ``child_id`` removed."""
    links = {a: tuple(c for c in ids if c != child_id) for a, ids in head.links.items()}
    return replace(head, links={a: c for a, c in links.items() if c})


# ---------------------------------------------------------------------------- suggestions


SuggestionData = OpenSuggestion  # an open suggestion as the app shows it


def _suggestion_data(row: Any) -> SuggestionData:
    return SuggestionData(row.id, row.label, row.start, row.end, row.source)


def open_suggestion_data(session: Session, *, document_id: int, annotator_id: int) -> list[SuggestionData]:
    from annotator.services.suggestions import store

    return [_suggestion_data(r) for r in store.open_suggestions(session, document_id, annotator_id)]


def suggestion_inputs(session: Session, *, document_id: int, annotator_id: int) -> tuple[Any, list[SuggestionData]]:
    """What computing this document's suggestions needs, and the open suggestions stored now
    (shown at once, before any computing). Reads only: run it in a read-only session."""
    from annotator.services.suggestions.background import read_inputs

    shown = open_suggestion_data(session, document_id=document_id, annotator_id=annotator_id)
    return read_inputs(session, document_id=document_id, annotator_id=annotator_id), shown


def store_suggestion_batches(
    session: Session, *, document_id: int, annotator_id: int, batches: Sequence[tuple[tuple[int, int], list[Any]]]
) -> tuple[list[SuggestionData], list[int]]:
    """Store windows' suggestions (``background.Batch``: the range, the suggestions) in one
    short bulk write. Returns the open suggestions now in those ranges and the ids removed."""
    from annotator.services.suggestions import store

    if session.get(Document, document_id) is None:
        raise VersionConflict(f"document {document_id} no longer exists")
    rows: list[SuggestionData] = []
    removed: list[int] = []
    for within, found in batches:
        stored = store.store_suggestions(session, document_id, annotator_id, found, within=within)
        rows += stored.open
        removed += stored.removed
    return rows, removed


def decide_suggestions(
    session: Session,
    *,
    document_id: int,
    annotator_id: int,
    schema: LabelSchema,
    schema_id: int,
    action: str,
    suggestion_id: int | None,
    undo_ids: Sequence[int] = (),
) -> tuple[list[int], dict[int, SpanData | None], dict[int, SuggestionData | None]]:
    """Accept (``accept``/``accept_all``) or reject suggestions, or (``undo``) reopen
    ``undo_ids``. Returns the suggestion ids decided, the spans made or removed, and the
    suggestions opened or closed."""
    from annotator.services.suggestions import store
    from annotator.store.models import SuggestionRecord

    _check_owned(
        session, SuggestionRecord, [suggestion_id, *undo_ids], document_id=document_id, annotator_id=annotator_id
    )
    spans: dict[int, SpanData | None] = {}
    suggestions: dict[int, SuggestionData | None] = {}
    if action == "undo":
        for rid in reversed(list(undo_ids)):
            row = session.get(SuggestionRecord, rid)
            if row is None:
                continue
            if row.status == store.ACCEPTED and row.span_id is not None:
                spans[row.span_id] = None
            row = store.reopen(session, rid)
            suggestions[rid] = _suggestion_data(row)
        return list(undo_ids), spans, suggestions
    record: list[int] = []
    if action == "accept":
        assert suggestion_id is not None
        store.accept(session, suggestion_id, schema=schema, schema_id=schema_id, record=record)
    elif action == "accept_all":
        store.accept_all(session, document_id, annotator_id, schema=schema, schema_id=schema_id, record=record)
    elif action == "reject":
        assert suggestion_id is not None
        store.reject(session, suggestion_id)
        record.append(suggestion_id)
    else:
        raise ValueError(action)
    session.flush()
    for rid in record:
        suggestions[rid] = None
        row = session.get(SuggestionRecord, rid)
        if row is not None and row.span_id is not None:
            spans[row.span_id] = span_ops.snapshot_span(session, row.span_id)
    return record, spans, suggestions


def suggestion_states(
    session: Session, ids: Sequence[int]
) -> tuple[dict[int, SpanData | None], dict[int, SuggestionData | None]]:
    """Suggestions ``ids`` as the database holds them now (open ones shown, decided ones not),
    and the spans the accepted ones became: how a retried decision that was already stored is shown."""
    from annotator.store.models import SuggestionRecord

    spans: dict[int, SpanData | None] = {}
    suggestions: dict[int, SuggestionData | None] = {}
    for rid in ids:
        row = session.get(SuggestionRecord, rid)
        suggestions[rid] = _suggestion_data(row) if row is not None and row.status == "open" else None
        if row is not None and row.span_id is not None:
            spans[row.span_id] = span_ops.snapshot_span(session, row.span_id)
    return spans, suggestions
