"""Suggestions in the database: compute, store, list, accept, reject, reopen.

Plain functions taking a ``Session``; the caller commits (one user action, one transaction).
Everything is scoped to one annotator: nobody is offered what another annotator tagged.
"""

from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa
from sqlmodel import Session, select

from annotator.schemas.labels import LabelSchema
from annotator.services import annotations as ann
from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.engine import Sources, suggest
from annotator.services.suggestions.propagation import Tagged, tagged_by
from annotator.store.models import Document, Span, SuggestionRecord, utcnow

OPEN, ACCEPTED, REJECTED = "open", "accepted", "rejected"


class SuggestionGone(ann.VersionConflict):
    """The suggestion was removed (recomputed) or decided by another session."""


def decided_keys(session: Session, document_id: int, annotator_id: int, status: str | None = None) -> set[tuple[str, int, int]]:
    query = select(SuggestionRecord.label, SuggestionRecord.start, SuggestionRecord.end).where(
        SuggestionRecord.document_id == document_id,
        SuggestionRecord.annotator_id == annotator_id,
        SuggestionRecord.status != OPEN if status is None else SuggestionRecord.status == status,
    )
    return {tuple(row) for row in session.exec(query)}  # type: ignore[misc]


def compute_for_document(
    session: Session,
    document: Document,
    annotator_id: int | None,
    sources: Sources,
    *,
    tagged: Tagged | None = None,
    propagation: bool = True,
) -> list[Suggestion]:
    """Suggestions for ``annotator_id`` on ``document`` (nothing stored).

    Leaves out what the annotator already tagged (same label, overlapping) or rejected.
    ``tagged`` (from ``propagation.tagged_by``) is read here when not given; pass it when
    computing a whole corpus. ``annotator_id=None`` computes for nobody in particular (no
    propagation, nothing excluded), which is what ``evaluate`` uses.
    """
    existing: list[tuple[str, int, int]] = []
    rejected: set[tuple[str, int, int]] = set()
    if annotator_id is not None:
        existing = [(s.label, s.start, s.end) for s in ann.spans_for(session, document.id, annotator_id)]
        rejected = decided_keys(session, document.id, annotator_id, REJECTED)
        if propagation and tagged is None:
            tagged = tagged_by(session, annotator_id)
    return suggest(document.text, sources, tagged=tagged if propagation else None, existing=existing, rejected=rejected)


def store_suggestions(
    session: Session, document_id: int, annotator_id: int, suggestions: list[Suggestion]
) -> list[SuggestionRecord]:
    """Replace the open suggestions of this annotator on this document with ``suggestions``.

    Decided rows stay; a suggestion equal to a decided one (same label and offsets) is not
    stored again. Links by index become ``{"suggestion": id}``; links to existing spans
    (``link_keys``) become ``{"span": id}``.
    """
    session.exec(
        sa.delete(SuggestionRecord).where(
            SuggestionRecord.document_id == document_id,
            SuggestionRecord.annotator_id == annotator_id,
            SuggestionRecord.status == OPEN,
        )
    )
    decided = decided_keys(session, document_id, annotator_id)
    rows: dict[int, SuggestionRecord] = {}
    for index, s in enumerate(suggestions):
        if s.key in decided:
            continue
        row = SuggestionRecord(
            document_id=document_id, annotator_id=annotator_id, label=s.label, start=s.start, end=s.end,
            attrs=dict(s.attrs), links={}, source=s.source[:100], status=OPEN,
        )
        session.add(row)
        rows[index] = row
    session.flush()
    spans = {(sp.label, sp.start, sp.end): sp.id for sp in ann.spans_for(session, document_id, annotator_id)}
    for index, row in rows.items():
        s = suggestions[index]
        links: dict[str, list[dict[str, int]]] = {}
        for attr, targets in s.links.items():
            for t in targets:
                if t in rows:
                    links.setdefault(attr, []).append({"suggestion": rows[t].id})
                elif suggestions[t].key in spans:
                    links.setdefault(attr, []).append({"span": spans[suggestions[t].key]})
        for attr, keys in s.link_keys.items():
            for key in keys:
                span_id = spans.get(key) or next(
                    (i for (lab, a, b), i in spans.items() if lab == key[0] and a < key[2] and key[1] < b), None
                )
                if span_id is not None:
                    links.setdefault(attr, []).append({"span": span_id})
        if links:
            row.links = links
            session.add(row)
    session.flush()
    return [rows[i] for i in sorted(rows)]


def open_suggestions(session: Session, document_id: int, annotator_id: int) -> list[SuggestionRecord]:
    """This annotator's open suggestions on this document, in text order."""
    return list(
        session.exec(
            select(SuggestionRecord)
            .where(
                SuggestionRecord.document_id == document_id,
                SuggestionRecord.annotator_id == annotator_id,
                SuggestionRecord.status == OPEN,
            )
            .order_by(SuggestionRecord.start, SuggestionRecord.end.desc(), SuggestionRecord.id)
        )
    )


def _get(session: Session, suggestion_id: int) -> SuggestionRecord:
    row = session.get(SuggestionRecord, suggestion_id)
    if row is None:
        raise SuggestionGone(f"suggestion {suggestion_id} is gone (recomputed?)")
    return row


def accept(
    session: Session,
    suggestion_id: int,
    *,
    schema: LabelSchema,
    schema_id: int | None = None,
    cascade: bool = True,
    record: list[int] | None = None,
) -> Span:
    """Turn a suggestion into a real span of its annotator (origin ``suggestion``).

    Its links are set too: to spans it names, to suggestions already accepted, and (with
    ``cascade``) to open suggestions it links to, which are accepted with it (a QUOTE's
    speaker). ``record``, if given, receives the id of every suggestion accepted here, so
    an undo can ``reopen`` each. Accepting an accepted suggestion returns its span.
    """
    row = _get(session, suggestion_id)
    if row.status == ACCEPTED and row.span_id is not None:
        span = session.get(Span, row.span_id)
        if span is not None:
            return span
    if row.status == REJECTED:
        raise SuggestionGone(f"suggestion {suggestion_id} was rejected")
    document = session.get(Document, row.document_id)
    if document is None:
        raise SuggestionGone("the document is gone")
    if schema_id is None:
        from annotator.services.corpus import register_schema

        schema_id = register_schema(session, schema).id
    span = ann.add_span(
        session, document=document, annotator_id=row.annotator_id, schema_id=schema_id, schema=schema,
        label=row.label, start=row.start, end=row.end, attrs=dict(row.attrs or {}), origin="suggestion",
    )
    row.status, row.decided_at, row.span_id = ACCEPTED, utcnow(), span.id
    session.add(row)
    session.flush()
    if record is not None:
        record.append(row.id)
    for attr, targets in (row.links or {}).items():
        children: list[int] = []
        for target in targets:
            if "span" in target:
                child = session.get(Span, target["span"])
                if child is not None and child.annotator_id == row.annotator_id:
                    children.append(child.id)
            elif "suggestion" in target:
                other = session.get(SuggestionRecord, target["suggestion"])
                if other is None:
                    continue
                if other.status == ACCEPTED and other.span_id is not None:
                    children.append(other.span_id)
                elif other.status == OPEN and cascade:
                    children.append(accept(session, other.id, schema=schema, schema_id=schema_id, cascade=False, record=record).id)
        if children:
            current = ann.snapshot_span(session, span.id)
            merged = list(dict.fromkeys([*(current.links.get(attr, ()) if current else ()), *children]))
            ann.set_links(session, span.id, attr, merged, schema=schema)
    return span


def accept_all(
    session: Session, document_id: int, annotator_id: int, *, schema: LabelSchema, schema_id: int | None = None,
    record: list[int] | None = None,
) -> list[Span]:
    """Accept every open suggestion of this annotator on this document (the app's ``Y``)."""
    out = []
    for row in open_suggestions(session, document_id, annotator_id):
        session.refresh(row)
        if row.status == OPEN:
            out.append(accept(session, row.id, schema=schema, schema_id=schema_id, record=record))
    return out


def reject(session: Session, suggestion_id: int) -> SuggestionRecord:
    """Record that the annotator does not want this suggestion; it is not offered again."""
    row = _get(session, suggestion_id)
    if row.status == ACCEPTED:
        raise SuggestionGone(f"suggestion {suggestion_id} was already accepted")
    row.status, row.decided_at = REJECTED, utcnow()
    session.add(row)
    session.flush()
    return row


def reopen(session: Session, suggestion_id: int, *, delete_span: bool = True) -> SuggestionRecord:
    """Undo a decision: the suggestion is open again; an accepted one loses its span."""
    row = _get(session, suggestion_id)
    if row.status == ACCEPTED and row.span_id is not None and delete_span:
        if session.get(Span, row.span_id) is not None:
            ann.delete_span(session, row.span_id)
    row.status, row.decided_at, row.span_id = OPEN, None, None
    session.add(row)
    session.flush()
    return row


def decisions(session: Session, annotator_id: int | None = None) -> dict[str, dict[str, int]]:
    """Counts of open / accepted / rejected suggestions per label (for measuring)."""
    query = select(SuggestionRecord.label, SuggestionRecord.status, sa.func.count()).group_by(
        SuggestionRecord.label, SuggestionRecord.status
    )
    if annotator_id is not None:
        query = query.where(SuggestionRecord.annotator_id == annotator_id)
    out: dict[str, dict[str, int]] = {}
    for label, status, n in session.exec(query):
        out.setdefault(label, {OPEN: 0, ACCEPTED: 0, REJECTED: 0})[status] = n
    return out


def as_suggestions(rows: Iterable[SuggestionRecord]) -> list[Suggestion]:
    """Stored rows as plain records (links dropped), e.g. for evaluation."""
    return [Suggestion(r.label, r.start, r.end, dict(r.attrs or {}), {}, r.source) for r in rows]


