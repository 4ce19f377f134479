"""Span changes: spans, their attributes and the links between spans.

Every function takes a ``Session`` and leaves committing to the caller, so one user action
(e.g. "tag every occurrence") is one transaction. Every change checks what it is given
against the document text and the label schema, and spans carry a ``version`` for optimistic
concurrency: pass ``expected_version`` and a stale write raises ``VersionConflict`` instead of
overwriting someone else's change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from annotator.schemas.labels import LabelSchema, LinkAttr
from annotator.services.annotations import AnnotationError, VersionConflict, is_sqlite
from annotator.services.records import SpanData
from annotator.store.models import Document, Link, Span, stored_id, utcnow

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert


def check_offsets(text: str, start: int, end: int) -> None:
    if not (isinstance(start, int) and isinstance(end, int)):
        raise AnnotationError("span offsets must be whole numbers")
    if start < 0 or end > len(text):
        raise AnnotationError(f"span {start}-{end} lies outside the text (length {len(text)})")
    if end <= start:
        raise AnnotationError(f"span {start}-{end} is empty or reversed (end must be greater than start)")


def check_label(schema: LabelSchema, label: str) -> None:
    if not schema.has_label(label):
        raise AnnotationError(f"label {label!r} is not in schema {schema.name!r} ({', '.join(schema.label_names)})")


def add_span(
    session: Session,
    *,
    document: Document,
    annotator_id: int,
    schema_id: int,
    schema: LabelSchema,
    label: str,
    start: int,
    end: int,
    attrs: dict[str, Any] | None = None,
    origin: str = "manual",
    span_id: int | None = None,
) -> Span:
    """Add a span, or return the identical one (same label and offsets) this annotator has."""
    span = insert_span(
        session,
        document=document,
        annotator_id=annotator_id,
        schema_id=schema_id,
        schema=schema,
        label=label,
        start=start,
        end=end,
        attrs=attrs,
        origin=origin,
        span_id=span_id,
    )
    if span is not None:
        return span
    existing = session.exec(
        select(Span).where(
            col(Span.document_id) == document.id,
            col(Span.annotator_id) == annotator_id,
            col(Span.label) == label,
            col(Span.start) == start,
            col(Span.end) == end,
        )
    ).first()
    if existing is None:  # the conflict was on the id (a span restored under its old id)
        raise VersionConflict(f"span {span_id} exists already")
    return existing


def insert_span(
    session: Session,
    *,
    document: Document,
    annotator_id: int,
    schema_id: int,
    schema: LabelSchema,
    label: str,
    start: int,
    end: int,
    attrs: dict[str, Any] | None = None,
    origin: str = "manual",
    span_id: int | None = None,
) -> Span | None:
    """Insert a span; ``None`` when this annotator already has it (same label and offsets).

    One statement, ``INSERT ... ON CONFLICT DO NOTHING``: the unique index ``uq_span_position``
    decides, so two sessions of one person adding the same span store it once (a check before
    the insert would let both pass)."""
    check_offsets(document.text, start, end)
    check_label(schema, label)
    clean = _validate_attrs(schema, label, attrs or {})
    now = utcnow()
    values = {
        "document_id": document.id,
        "annotator_id": annotator_id,
        "schema_id": schema_id,
        "label": label,
        "start": start,
        "end": end,
        "attrs": clean,
        "origin": origin,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    if span_id is not None:
        values["id"] = span_id
    insert = dialect_insert(session)(Span).values(**values).on_conflict_do_nothing().returning(Span)
    return session.scalars(insert, execution_options={"populate_existing": True}).first()


def dialect_insert(session: Session) -> Callable[[sa.Table | type[SQLModel]], SqliteInsert | PostgresInsert]:
    """The ``INSERT`` of this session's dialect, which has ``ON CONFLICT DO NOTHING``."""
    if is_sqlite(session):
        from sqlalchemy.dialects import sqlite

        return sqlite.insert
    from sqlalchemy.dialects import postgresql

    return postgresql.insert


def _validate_attrs(schema: LabelSchema, label: str, attrs: dict[str, Any]) -> dict[str, Any]:
    try:
        return schema.validate_attrs(label, attrs)
    except ValueError as exc:
        raise AnnotationError(str(exc)) from None


def _locked_span(session: Session, span_id: int, expected_version: int | None) -> Span:
    span = session.get(Span, span_id, with_for_update=not is_sqlite(session))
    if span is None:
        raise VersionConflict(f"span {span_id} was deleted by another session")
    if expected_version is not None and span.version != expected_version:
        raise VersionConflict(f"span {span_id} was changed by another session", current=SpanData.of(span))
    return span


def update_span(
    session: Session,
    span_id: int,
    *,
    schema: LabelSchema,
    expected_version: int | None = None,
    label: str | None = None,
    start: int | None = None,
    end: int | None = None,
    attrs: dict[str, Any] | None = None,
) -> Span:
    """Change a span's label, offsets or attributes (``attrs`` replaces the whole dict)."""
    span = _locked_span(session, span_id, expected_version)
    new_label = label if label is not None else span.label
    new_start = start if start is not None else span.start
    new_end = end if end is not None else span.end
    if (new_start, new_end) != (span.start, span.end):
        document = session.get(Document, span.document_id)
        assert document is not None
        check_offsets(document.text, new_start, new_end)
    if (new_label, new_start, new_end) != (span.label, span.start, span.end):
        taken = session.exec(
            select(col(Span.id)).where(
                col(Span.document_id) == span.document_id,
                col(Span.annotator_id) == span.annotator_id,
                col(Span.label) == new_label,
                col(Span.start) == new_start,
                col(Span.end) == new_end,
                col(Span.id) != span_id,
            )
        ).first()
        if taken is not None:
            raise AnnotationError(f"{new_start}-{new_end} is already tagged {new_label}")
    if new_label != span.label:
        check_label(schema, new_label)
        # links belong to the old label: its own (as head) and those aimed at it (as target)
        session.exec(sa.delete(Link).where(sa.or_(col(Link.head_id) == span_id, col(Link.child_id) == span_id)))
    new_attrs = _validate_attrs(schema, new_label, attrs if attrs is not None else dict(span.attrs or {}))
    span.label, span.start, span.end, span.attrs = new_label, new_start, new_end, new_attrs
    span.version += 1
    span.updated_at = utcnow()
    session.add(span)
    session.flush()
    return span


def snapshot_span(session: Session, span_id: int) -> SpanData | None:
    span = session.get(Span, span_id)
    if span is None:
        return None
    return SpanData.of(span, _links_from(session, [span_id]).get(span_id, {}))


def delete_span(session: Session, span_id: int, *, expected_version: int | None = None) -> tuple[SpanData, list[Link]]:
    """Delete a span and the links to and from it; return what is needed to restore it."""
    span = _locked_span(session, span_id, expected_version)
    data = SpanData.of(span, _links_from(session, [span_id]).get(span_id, {}))
    incoming = list(session.exec(select(Link).where(col(Link.child_id) == span_id)))
    incoming_copy = [
        Link(
            head_id=link.head_id,
            child_id=link.child_id,
            relation=link.relation,
            attribute=link.attribute,
            annotator_id=link.annotator_id,
        )
        for link in incoming
    ]
    session.exec(sa.delete(Link).where(sa.or_(col(Link.head_id) == span_id, col(Link.child_id) == span_id)))
    session.delete(span)
    session.flush()
    return data, incoming_copy


def restore_span(session: Session, data: SpanData, incoming: Iterable[Link], schema: LabelSchema) -> Span:
    """Put back a deleted span under its old id, with its links (undo of a delete)."""
    document = session.get(Document, data.document_id)
    if document is None:
        raise VersionConflict("the document is gone")
    span = add_span(
        session,
        document=document,
        annotator_id=data.annotator_id,
        schema_id=data.schema_id,
        schema=schema,
        label=data.label,
        start=data.start,
        end=data.end,
        attrs=data.attrs,
        origin=data.origin,
        span_id=data.id,
    )
    for attribute, children in data.links.items():
        set_links(session, stored_id(span), attribute, children, schema=schema)
    for link in incoming:
        if session.get(Span, link.head_id) is not None:
            session.add(
                Link(
                    head_id=link.head_id,
                    child_id=stored_id(span),
                    relation=link.relation,
                    attribute=link.attribute,
                    annotator_id=link.annotator_id,
                )
            )
    session.flush()
    return span


def set_links(
    session: Session, head_id: int, attribute: str, child_ids: Iterable[int], *, schema: LabelSchema
) -> list[int]:
    """Make ``head.attribute`` link to exactly ``child_ids`` (e.g. a QUOTE's speakers)."""
    head = session.get(Span, head_id)
    if head is None:
        raise VersionConflict(f"span {head_id} was deleted by another session")
    spec = schema.label(head.label).attribute(attribute)
    if not isinstance(spec, LinkAttr):
        raise AnnotationError(f"{head.label} has no link attribute {attribute!r}")
    wanted = list(dict.fromkeys(child_ids))
    if len(wanted) > 1 and not spec.many:
        raise AnnotationError(f"{head.label}.{attribute} links to one {spec.target} span only")
    for child_id in wanted:
        child = session.get(Span, child_id)
        if child is None:
            raise VersionConflict(f"span {child_id} was deleted by another session")
        if child.label != spec.target:
            raise AnnotationError(f"{head.label}.{attribute} must link to a {spec.target} span, not {child.label}")
        if child.document_id != head.document_id or child.annotator_id != head.annotator_id:
            raise AnnotationError("links join spans of the same document and annotator")
    session.exec(sa.delete(Link).where(col(Link.head_id) == head_id, col(Link.attribute) == attribute))
    for child_id in wanted:
        session.add(
            Link(
                head_id=head_id,
                child_id=child_id,
                relation=spec.relation_label,
                attribute=attribute,
                annotator_id=head.annotator_id,
            )
        )
    head.version += 1
    head.updated_at = utcnow()
    session.add(head)
    session.flush()
    return wanted


def _links_from(session: Session, head_ids: list[int]) -> dict[int, dict[str, tuple[int, ...]]]:
    out: dict[int, dict[str, list[int]]] = {}
    if not head_ids:
        return {}
    rows = session.exec(
        select(Link)
        .join(Span, col(Span.id) == col(Link.head_id))
        .where(col(Link.head_id).in_(head_ids), col(Link.annotator_id) == col(Span.annotator_id))
        .order_by(col(Link.id))
    )
    for link in rows:
        out.setdefault(link.head_id, {}).setdefault(link.attribute, []).append(link.child_id)
    return {h: {a: tuple(c) for a, c in attrs.items()} for h, attrs in out.items()}
