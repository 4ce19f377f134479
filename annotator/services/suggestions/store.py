"""Suggestions in the database: compute, store, list, accept, reject, reopen.

Plain functions taking a ``Session``; the caller commits (one user action, one transaction).
Everything is scoped to one annotator: nobody is offered what another annotator tagged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from annotator.schemas.labels import LabelSchema
from annotator.services import annotations as ann
from annotator.services import spans as span_ops
from annotator.services.records import OpenSuggestion
from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.combine import Intervals
from annotator.services.suggestions.engine import Sources, suggest
from annotator.services.suggestions.propagation import Tagged
from annotator.store.models import Document, Span, SuggestionRecord, stored_id, table_of, utcnow

OPEN, ACCEPTED, REJECTED = "open", "accepted", "rejected"
LINK_MARGIN = 4_000  # how far outside a stored range links are looked for (two windows' context)
_EVERYWHERE = 2_000_000_000  # past the end of any document, and (with the margin) within a 32-bit column


class SuggestionGone(ann.VersionConflict):
    """The suggestion was removed (recomputed) or decided by another session."""


def decided_keys(
    session: Session, document_id: int, annotator_id: int, status: str | None = None
) -> set[tuple[str, int, int]]:
    query = select(col(SuggestionRecord.label), col(SuggestionRecord.start), col(SuggestionRecord.end)).where(
        col(SuggestionRecord.document_id) == document_id,
        col(SuggestionRecord.annotator_id) == annotator_id,
        col(SuggestionRecord.status) != OPEN if status is None else col(SuggestionRecord.status) == status,
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
    from annotator.services.suggestions.background import read_inputs

    existing: tuple[tuple[str, int, int], ...] = ()
    rejected: frozenset[tuple[str, int, int]] = frozenset()
    if annotator_id is not None:
        inputs = read_inputs(
            session,
            document_id=stored_id(document),
            annotator_id=annotator_id,
            propagation=propagation and tagged is None,
        )
        if inputs is not None:
            existing, rejected = inputs.existing, inputs.rejected
            tagged = tagged if tagged is not None else inputs.tagged
    return suggest(document.text, sources, tagged=tagged if propagation else None, existing=existing, rejected=rejected)


@dataclass(frozen=True)
class StoredRange:
    """What ``store_suggestions`` left: the open suggestions starting in the range, in text
    order, and the ids of open suggestions it removed (no longer suggested)."""

    open: list[OpenSuggestion]
    removed: list[int]


def store_suggestions(
    session: Session,
    document_id: int,
    annotator_id: int,
    suggestions: list[Suggestion],
    *,
    within: tuple[int, int] | None = None,
) -> StoredRange:
    """Make this annotator's open suggestions starting in ``within`` (default: anywhere in the
    document) exactly ``suggestions``, in a few bulk statements.

    An open suggestion still suggested keeps its row (and id); one no longer suggested is
    removed; the rest are inserted with one multi-row INSERT. Checked against the database
    as it is now, inside this (short) write: a suggestion equal to a decided one, or
    overlapping a span of the same label the annotator has (tagged while it was computed),
    or an open suggestion of the same label outside the range, is not stored. Links by index
    become ``{"suggestion": id}``; links to existing spans (``link_keys``) ``{"span": id}``.
    """
    lo, hi = within if within is not None else (0, _EVERYWHERE)
    chosen = {i: x for i, x in enumerate(suggestions) if lo <= x.start < hi}
    # what the chosen ones link to outside the range (a quote's speaker just before it)
    wanted = {t for x in chosen.values() for targets in x.links.values() for t in targets if 0 <= t < len(suggestions)}
    chosen.update((t, suggestions[t]) for t in wanted if t not in chosen)
    reach_lo = min([lo, *(x.start for x in chosen.values())]) - LINK_MARGIN
    reach_hi = max([hi, *(x.end for x in chosen.values())]) + LINK_MARGIN
    mine = (col(SuggestionRecord.document_id) == document_id, col(SuggestionRecord.annotator_id) == annotator_id)
    nearby = session.execute(
        sa.select(
            col(SuggestionRecord.id),
            col(SuggestionRecord.label),
            col(SuggestionRecord.start),
            col(SuggestionRecord.end),
            col(SuggestionRecord.attrs),
            col(SuggestionRecord.links),
            col(SuggestionRecord.source),
        ).where(
            *mine,
            col(SuggestionRecord.status) == OPEN,
            col(SuggestionRecord.end) > reach_lo,
            col(SuggestionRecord.start) < reach_hi,
        )
    ).all()
    in_range = {(r.label, r.start, r.end): r for r in nearby if lo <= r.start < hi}
    open_outside = {(r.label, r.start, r.end): r for r in nearby if not lo <= r.start < hi}
    outside = _by_label(open_outside)
    # rows outside the range may link to rows inside it: those stay even if not suggested now
    protected = {
        target["suggestion"]
        for r in open_outside.values()
        for targets in (r.links or {}).values()
        for target in targets
        if isinstance(target, dict) and "suggestion" in target
    }
    decided = decided_keys(session, document_id, annotator_id)
    span_rows = session.execute(
        sa.select(col(Span.id), col(Span.label), col(Span.start), col(Span.end))
        .where(
            col(Span.document_id) == document_id,
            col(Span.annotator_id) == annotator_id,
            col(Span.end) > reach_lo,
            col(Span.start) < reach_hi,
        )
        .order_by(col(Span.start), col(Span.end).desc(), col(Span.id))
    ).all()
    spans = {(r.label, r.start, r.end): r.id for r in span_rows}
    tagged = _by_label(spans)

    def blocked(x: Suggestion) -> bool:
        if x.key in decided:
            return True
        lanes = (tagged.get(x.label),) if x.key in open_outside else (tagged.get(x.label), outside.get(x.label))
        return any(lane.overlaps(x.start, x.end) for lane in lanes if lane)

    chosen = {i: x for i, x in chosen.items() if not blocked(x)}
    ids: dict[int, int] = {}
    fresh: list[int] = []
    for i, x in chosen.items():
        row = in_range.get(x.key) or open_outside.get(x.key)
        if row is None:
            fresh.append(i)
        else:
            ids[i] = row.id
    kept_ids = set(ids.values()) | protected
    removed = [r.id for r in in_range.values() if r.id not in kept_ids]
    if removed:
        session.execute(sa.delete(SuggestionRecord).where(col(SuggestionRecord.id).in_(removed)))
    if fresh:
        now = utcnow()
        table = table_of(SuggestionRecord)
        inserted = session.execute(
            sa.insert(table).returning(table.c.id, sort_by_parameter_order=True),
            [
                {
                    "document_id": document_id,
                    "annotator_id": annotator_id,
                    "label": chosen[i].label,
                    "start": chosen[i].start,
                    "end": chosen[i].end,
                    "attrs": dict(chosen[i].attrs),
                    "links": {},
                    "source": chosen[i].source[:100],
                    "status": OPEN,
                    "created_at": now,
                    "decided_at": None,
                    "span_id": None,
                }
                for i in fresh
            ],
        ).all()
        ids.update((i, row.id) for i, row in zip(fresh, inserted))
    updates = []
    for i, x in chosen.items():
        if x.key in open_outside:
            continue  # another range's row: only linked to, left as it is
        links = _stored_links(x, suggestions, ids, spans, tagged)
        row = in_range.get(x.key)
        if row is None and not links:
            continue
        if row is not None and not links and row.attrs == x.attrs and row.source == x.source[:100]:
            continue
        updates.append({"row_id": ids[i], "new_links": links, "new_attrs": dict(x.attrs), "new_source": x.source[:100]})
    if updates:
        table = table_of(SuggestionRecord)
        session.execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("row_id"))
            .values(
                links=sa.bindparam("new_links"), attrs=sa.bindparam("new_attrs"), source=sa.bindparam("new_source")
            ),
            updates,
        )
    stored = sorted(
        (
            OpenSuggestion(ids[i], x.label, x.start, x.end, x.source[:100])
            for i, x in chosen.items()
            if x.key not in open_outside
        ),
        key=lambda r: (r.start, -r.end, r.id),
    )
    return StoredRange(stored, removed)


def _by_label(keys: Iterable[tuple[str, int, int]]) -> dict[str, Intervals]:
    grouped: dict[str, list[tuple[int, int]]] = {}
    for label, start, end in keys:
        grouped.setdefault(label, []).append((start, end))
    return {label: Intervals(ranges) for label, ranges in grouped.items()}


def _stored_links(
    x: Suggestion,
    suggestions: list[Suggestion],
    ids: dict[int, int],
    spans: dict[tuple[str, int, int], int],
    tagged: dict[str, Intervals],
) -> dict[str, list[dict[str, int]]]:
    links: dict[str, list[dict[str, int]]] = {}
    for attr, targets in x.links.items():
        for t in targets:
            if t in ids:
                links.setdefault(attr, []).append({"suggestion": ids[t]})
            elif 0 <= t < len(suggestions) and suggestions[t].key in spans:
                links.setdefault(attr, []).append({"span": spans[suggestions[t].key]})
    for attr, keys in x.link_keys.items():
        for key in keys:
            span_id = spans.get(key)
            if span_id is None and key[0] in tagged and tagged[key[0]].overlaps(key[1], key[2]):
                span_id = next(
                    (i for (lab, a, b), i in spans.items() if lab == key[0] and a < key[2] and key[1] < b), None
                )
            if span_id is not None:
                links.setdefault(attr, []).append({"span": span_id})
    return links


def open_suggestions(session: Session, document_id: int, annotator_id: int) -> list[SuggestionRecord]:
    """This annotator's open suggestions on this document, in text order."""
    return list(
        session.exec(
            select(SuggestionRecord)
            .where(
                col(SuggestionRecord.document_id) == document_id,
                col(SuggestionRecord.annotator_id) == annotator_id,
                col(SuggestionRecord.status) == OPEN,
            )
            .order_by(col(SuggestionRecord.start), col(SuggestionRecord.end).desc(), col(SuggestionRecord.id))
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

        schema_id = stored_id(register_schema(session, schema))
    span = span_ops.add_span(
        session,
        document=document,
        annotator_id=row.annotator_id,
        schema_id=schema_id,
        schema=schema,
        label=row.label,
        start=row.start,
        end=row.end,
        attrs=dict(row.attrs or {}),
        origin="suggestion",
    )
    row.status, row.decided_at, row.span_id = ACCEPTED, utcnow(), span.id
    session.add(row)
    session.flush()
    if record is not None:
        record.append(stored_id(row))
    for attr, targets in (row.links or {}).items():
        children: list[int] = []
        for target in targets:
            if "span" in target:
                child = session.get(Span, target["span"])
                if child is not None and child.annotator_id == row.annotator_id:
                    children.append(stored_id(child))
            elif "suggestion" in target:
                other = session.get(SuggestionRecord, target["suggestion"])
                if other is None:
                    continue
                if other.status == ACCEPTED and other.span_id is not None:
                    children.append(other.span_id)
                elif other.status == OPEN and cascade:
                    children.append(
                        stored_id(
                            accept(
                                session,
                                stored_id(other),
                                schema=schema,
                                schema_id=schema_id,
                                cascade=False,
                                record=record,
                            )
                        )
                    )
        if children:
            current = span_ops.snapshot_span(session, stored_id(span))
            merged = list(dict.fromkeys([*(current.links.get(attr, ()) if current else ()), *children]))
            span_ops.set_links(session, stored_id(span), attr, merged, schema=schema)
    return span


def accept_all(
    session: Session,
    document_id: int,
    annotator_id: int,
    *,
    schema: LabelSchema,
    schema_id: int | None = None,
    record: list[int] | None = None,
) -> list[Span]:
    """Accept every open suggestion of this annotator on this document (the app's ``Y``)."""
    out = []
    for row in open_suggestions(session, document_id, annotator_id):
        session.refresh(row)
        if row.status == OPEN:
            out.append(accept(session, stored_id(row), schema=schema, schema_id=schema_id, record=record))
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
    if (
        row.status == ACCEPTED
        and row.span_id is not None
        and delete_span
        and session.get(Span, row.span_id) is not None
    ):
        span_ops.delete_span(session, row.span_id)
    row.status, row.decided_at, row.span_id = OPEN, None, None
    session.add(row)
    session.flush()
    return row


def decisions(session: Session, annotator_id: int | None = None) -> dict[str, dict[str, int]]:
    """Counts of open / accepted / rejected suggestions per label (for measuring)."""
    query = select(col(SuggestionRecord.label), col(SuggestionRecord.status), sa.func.count()).group_by(
        col(SuggestionRecord.label), col(SuggestionRecord.status)
    )
    if annotator_id is not None:
        query = query.where(col(SuggestionRecord.annotator_id) == annotator_id)
    out: dict[str, dict[str, int]] = {}
    for label, status, n in session.exec(query):
        out.setdefault(label, {OPEN: 0, ACCEPTED: 0, REJECTED: 0})[status] = n
    return out


def as_suggestions(rows: Iterable[SuggestionRecord]) -> list[Suggestion]:
    """Stored rows as plain records (links dropped), e.g. for evaluation."""
    return [Suggestion(r.label, r.start, r.end, dict(r.attrs or {}), {}, r.source) for r in rows]
