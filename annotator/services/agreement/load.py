"""Read what agreement compares from the database, as plain data (read-only).

Which documents: those that at least two of the chosen annotators marked ``done``; with
``all_status``, those that at least two of them have any status or any span on. On a
document, an annotator takes part when they meet that same test; the others count as
missing there, not as having marked nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa
from sqlmodel import Session, col, select

from annotator.errors import UserError
from annotator.schemas.labels import EnumAttr, IntegerAttr, LabelSchema, LinkAttr, TextAttr, load_default_schema
from annotator.services.corpus import GOLD, same_name
from annotator.store.models import Annotator, Document, DocumentStatus, Link, SchemaVersion, Span, Status


@dataclass(frozen=True)
class SpanRec:
    start: int
    end: int
    label: str
    attrs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    # link attribute -> the linked spans as (start, end, text, canonical), e.g. a QUOTE's speakers
    links: dict[str, tuple[tuple[Any, ...], ...]] = field(default_factory=dict, hash=False, compare=False)

    @property
    def tuple(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.label)


@dataclass
class DocData:
    id: int
    uid: str
    title: str
    text: str
    annotators: list[str]  # the chosen annotators taking part, in report order
    spans: dict[str, list[SpanRec]]  # annotator -> spans (only the chosen labels)


@dataclass(frozen=True)
class AttrInfo:
    """How to compare one attribute: kind is enum, integer, text or link."""

    kind: str


def _schemas(session: Session) -> list[LabelSchema]:
    from annotator.services.corpus import read_schema_row

    rows = session.exec(select(SchemaVersion).order_by(col(SchemaVersion.id))).all()
    out = []
    for row in rows:
        assert row.id is not None  # a stored row
        parsed, _problem = read_schema_row(row.id, row.name, row.version, row.body)
        if parsed is not None:  # a stored schema this version cannot read is skipped: its labels still count
            out.append(parsed)
    return out or [load_default_schema()]


def label_catalogue(session: Session) -> tuple[list[str], dict[str, dict[str, AttrInfo]]]:
    """Every label the stored schemas know, in schema order, with its attributes' kinds
    (a newer schema version overrides an older one)."""
    labels: list[str] = []
    attrs: dict[str, dict[str, AttrInfo]] = {}
    kinds = {EnumAttr: "enum", IntegerAttr: "integer", TextAttr: "text", LinkAttr: "link"}
    for schema in _schemas(session):
        for spec in schema.labels:
            if spec.name not in labels:
                labels.append(spec.name)
            attrs[spec.name] = {a.name: AttrInfo(kinds[type(a)]) for a in spec.attributes}
    for (label,) in session.execute(sa.select(col(Span.label)).distinct().order_by(col(Span.label))):
        if label not in labels:
            labels.append(label)
            attrs.setdefault(label, {})
    return labels, attrs


def choose_annotators(session: Session, names: Sequence[str]) -> list[Annotator]:
    """The named annotators (in the order given), or every annotator with work except gold."""
    everyone = list(session.exec(select(Annotator).order_by(Annotator.name)).all())
    if names:
        # names compare without regard to case ("Alice" is "alice"): an exact match first, else the oldest
        exact = {a.name: a for a in everyone}
        folded: dict[str, Annotator] = {}
        for a in sorted(everyone, key=lambda a: a.id or 0):
            folded.setdefault(a.name.casefold(), a)
        by_name = {n: exact.get(n) or folded.get(n.casefold()) for n in names}
        unknown = [n for n, a in by_name.items() if a is None]
        if unknown:
            known = ", ".join(a.name for a in everyone) or "none yet"
            raise UserError(f"no annotator named {', '.join(map(repr, unknown))} (known: {known})", field="annotators")
        chosen = list({id(a): a for a in by_name.values() if a is not None}.values())
    else:
        active = {
            a_id
            for (a_id,) in session.execute(
                sa.union(sa.select(col(Span.annotator_id)), sa.select(col(DocumentStatus.annotator_id)))
            )
        }
        chosen = [a for a in everyone if a.id in active and not same_name(a.name, GOLD)]
    if len(chosen) < 2:
        got = ", ".join(a.name for a in chosen) or "none"
        raise UserError(f"agreement needs at least two annotators (got: {got}); name them with --as A,B")
    return chosen


def participation(session: Session, annotators: Sequence[Annotator], all_status: bool) -> dict[int, set[int]]:
    """document id -> ids of the chosen annotators taking part in it (two or more)."""
    ids = [a.id for a in annotators]
    taking: dict[int, set[int]] = {}
    statuses = sa.select(col(DocumentStatus.document_id), col(DocumentStatus.annotator_id)).where(
        col(DocumentStatus.annotator_id).in_(ids)
    )
    query: sa.Select[int, int] | sa.CompoundSelect[int, int]
    if not all_status:
        query = statuses.where(col(DocumentStatus.status) == Status.DONE.value)
    else:
        query = sa.union(
            statuses,
            sa.select(col(Span.document_id), col(Span.annotator_id)).where(col(Span.annotator_id).in_(ids)).distinct(),
        )
    for doc_id, ann_id in session.execute(query):
        taking.setdefault(doc_id, set()).add(ann_id)
    return {d: a for d, a in taking.items() if len(a) >= 2}


BATCH_SIZE = 200  # documents read per round of queries

_doc: sa.Table = Document.__table__  # type: ignore[attr-defined]
_span: sa.Table = Span.__table__  # type: ignore[attr-defined]
_link: sa.Table = Link.__table__  # type: ignore[attr-defined]


def _attrs(raw: Any) -> dict[str, Any]:
    """A span's attributes as read raw (JSON text; a driver may have decoded it already):
    most spans have none, and decoding ``{}`` tens of thousands of times is not free."""
    if isinstance(raw, (str, bytes)):
        if raw in ("{}", b"{}", "", b""):
            return {}
        raw = orjson.loads(raw)
    return dict(raw) if isinstance(raw, dict) else {}


def iter_documents(
    session: Session,
    annotators: Sequence[Annotator],
    labels: Sequence[str],
    all_status: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Iterator[DocData]:
    """The compared documents in import order (document id), one at a time.

    Read ``batch_size`` documents at a time with three queries per batch (documents, their
    spans, the links from those spans), as plain rows: memory holds one batch, and the
    number of queries does not grow with the spans.
    """
    taking = participation(session, annotators, all_status)
    names = {a.id: a.name for a in annotators}
    order = [a.id for a in annotators]
    wanted = set(labels)
    ids = sorted(taking)
    for first in range(0, len(ids), batch_size):
        batch = ids[first : first + batch_size]
        docs = session.execute(
            sa.select(_doc.c.id, _doc.c.uid, _doc.c.title, _doc.c.text).where(_doc.c.id.in_(batch)).order_by(_doc.c.id)
        ).all()
        # every span of the annotators taking part (any label: a link's child may have another)
        spans: dict[int, tuple[Any, ...]] = {}
        for row in session.execute(
            sa.select(
                _span.c.id,
                _span.c.document_id,
                _span.c.annotator_id,
                _span.c.start,
                _span.c.end,
                _span.c.label,
                sa.type_coerce(_span.c.attrs, sa.Text),  # decoded below, only when not empty
            )
            .where(_span.c.document_id.in_(batch), _span.c.annotator_id.in_(order))
            .order_by(_span.c.document_id, _span.c.start, _span.c.end, _span.c.id)
        ):
            if row.annotator_id in taking[row.document_id]:
                spans[row.id] = (*row[:6], _attrs(row[6]))
        texts = {d.id: d.text for d in docs}
        links: dict[int, dict[str, list[tuple[int, int, str, str]]]] = {}
        if spans:
            head = _span.alias("head")
            for head_id, child_id, attribute in session.execute(
                sa.select(_link.c.head_id, _link.c.child_id, _link.c.attribute)
                .join(head, head.c.id == _link.c.head_id)
                .where(
                    head.c.document_id.in_(batch),
                    head.c.annotator_id.in_(order),
                    _link.c.annotator_id == head.c.annotator_id,
                )
                .order_by(_link.c.id)
            ):
                parent, child = spans.get(head_id), spans.get(child_id)
                if parent is None or child is None or child[1:3] != parent[1:3]:
                    continue  # as on one document: only links between the spans read for it
                _id, doc_id, _ann, c_start, c_end, _label, c_attrs = child
                links.setdefault(head_id, {}).setdefault(attribute, []).append(
                    (c_start, c_end, texts[doc_id][c_start:c_end], str(c_attrs.get("canonical") or ""))
                )
        by_doc: dict[int, dict[str, list[SpanRec]]] = {}
        for span_id, doc_id, ann_id, start, end, label, attrs in spans.values():
            if label in wanted:
                by_doc.setdefault(doc_id, {}).setdefault(names[ann_id], []).append(
                    SpanRec(start, end, label, attrs, {k: tuple(v) for k, v in links.get(span_id, {}).items()})
                )
        del spans, links
        for doc in docs:
            present = [names[a] for a in order if a in taking[doc.id]]
            got = by_doc.get(doc.id, {})
            yield DocData(doc.id, doc.uid, doc.title, doc.text, present, {a: got.get(a, []) for a in present})
