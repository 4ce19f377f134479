"""Streaming reads for the exports: the corpus, batch by batch, in one consistent snapshot.

Memory stays flat however large the corpus: documents are read in id order, ``batch_size``
at a time (keyset pagination, so no OFFSET scans), and for each batch the spans, links and
statuses of those documents are fetched with one query each. Nothing holds more than one
batch. Everything runs in one read-only transaction (``read_only(engine)``: a deferred
transaction on SQLite, so annotators' commits are never blocked; REPEATABLE READ on
PostgreSQL), so an export is one snapshot even while people keep annotating.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from annotator.errors import UserError
from annotator.schemas.labels import LabelSchema, load_default_schema
from annotator.services.corpus import GOLD, annotator_ids_by_name, read_schema_row
from annotator.store.engine import is_sqlite, read_only
from annotator.store.models import (
    Annotator,
    Decision,
    Document,
    DocumentStatus,
    Link,
    SchemaVersion,
    Span,
    Status,
)

BATCH_SIZE = 200
_GROUP_KEY = re.compile(r"^[0-9]+-[0-9]+(#[0-9]+)?$")

_doc: sa.Table = Document.__table__  # type: ignore[attr-defined]
_span: sa.Table = Span.__table__  # type: ignore[attr-defined]
_link: sa.Table = Link.__table__  # type: ignore[attr-defined]
_status: sa.Table = DocumentStatus.__table__  # type: ignore[attr-defined]
_annotator: sa.Table = Annotator.__table__  # type: ignore[attr-defined]
_schema: sa.Table = SchemaVersion.__table__  # type: ignore[attr-defined]
_decision: sa.Table = Decision.__table__  # type: ignore[attr-defined]
REJECTING = ("reject", "redo:reject")  # the latest decision on a group that leaves it empty on purpose


@dataclass(frozen=True)
class Selection:
    """What to export. ``None`` means no filter."""

    annotator_ids: tuple[int, ...] | None = None
    labels: frozenset[str] | None = None
    statuses: frozenset[str] | None = None
    include_idle: bool = False  # also documents nobody selected has worked on (the docs format)


@dataclass(frozen=True)
class DocumentRow:
    id: int
    uid: str
    title: str
    source: str
    text: str
    sha256: str
    meta: dict[str, Any]


@dataclass(frozen=True)
class SpanRow:
    id: int
    schema_id: int
    label: str
    start: int
    end: int
    attrs: dict[str, Any]


@dataclass(frozen=True)
class LinkRow:
    head_id: int
    child_id: int
    relation: str
    attribute: str


@dataclass(frozen=True)
class RejectionRow:
    group: str  # the review group's key, "START-END" or "START-END#N"
    decided_by: str

    @property
    def extent(self) -> tuple[int, int]:
        start, _, end = self.group.partition("#")[0].partition("-")
        return int(start), int(end)


@dataclass
class Work:
    """One annotator's work on one document: spans in text order, links between them, status."""

    annotator_id: int
    annotator: str
    status: str = Status.TODO.value
    spans: list[SpanRow] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)
    rejected: list[RejectionRow] = field(default_factory=list)  # a gold annotator's rejected review groups


@dataclass
class DocumentWork:
    document: DocumentRow
    works: list[Work]  # one per selected annotator with work on it, by annotator name


@dataclass(frozen=True)
class SchemaInfo:
    id: int
    name: str
    version: int
    schema: LabelSchema


def _known_labels(conn: Connection) -> list[str]:
    names: list[str] = list(load_default_schema().label_names)
    for (body,) in conn.execute(sa.select(_schema.c.body).order_by(_schema.c.id)):
        for label in (body or {}).get("labels", []):
            name = label.get("name")
            if name and name not in names:
                names.append(name)
    return names


def resolve_selection(
    conn: Connection,
    *,
    annotators: list[str] | None = None,
    gold: bool = False,
    labels: list[str] | None = None,
    statuses: list[str] | None = None,
    include_idle: bool = False,
) -> Selection:
    """Check the user's filters against the database; a bad one is a one-line ``UserError``."""
    rows = conn.execute(sa.select(_annotator.c.id, _annotator.c.name).order_by(_annotator.c.name)).all()
    by_name = {name: aid for aid, name in rows}
    ids: tuple[int, ...] | None = None
    if gold:
        if annotators:
            raise UserError(
                "gold and a list of annotators exclude each other: gold is the annotator named 'gold'", field="gold"
            )
        if GOLD not in by_name:
            raise UserError("there is no gold version yet (adjudicate with 'annotator review' first)", field="gold")
        ids = (by_name[GOLD],)
    elif annotators:
        folded = annotator_ids_by_name((aid, name) for name, aid in by_name.items())  # "Alice" is "alice"
        unknown = [n for n in annotators if n.casefold() not in folded]
        if unknown:
            known = ", ".join(sorted(by_name)) or "none yet"
            raise UserError(f"no annotator named {unknown[0]!r} (known: {known})", field="annotators")
        ids = tuple(dict.fromkeys(folded[n.casefold()] for n in annotators))
    else:
        # everyone who annotates; the adjudicated version is asked for by --gold (or --as gold)
        ids = tuple(aid for name, aid in by_name.items() if name != GOLD)
    label_set: frozenset[str] | None = None
    if labels:
        known_labels = _known_labels(conn)
        for label in labels:
            if label not in known_labels:
                raise UserError(f"unknown label {label!r} (known: {', '.join(known_labels)})", field="labels")
        label_set = frozenset(labels)
    status_set: frozenset[str] | None = None
    if statuses:
        values = [s.value for s in Status]
        for status in statuses:
            if status not in values:
                raise UserError(f"unknown status {status!r} (one of: {', '.join(values)})", field="statuses")
        status_set = frozenset(statuses)
    return Selection(annotator_ids=ids, labels=label_set, statuses=status_set, include_idle=include_idle)


class CorpusReader:
    """Reads the selected work, one document at a time, from one open transaction."""

    def __init__(self, conn: Connection, selection: Selection, batch_size: int = BATCH_SIZE) -> None:
        self.conn = conn
        self.selection = selection
        self.batch_size = batch_size
        self.annotator_names: dict[int, str] = dict(conn.execute(sa.select(_annotator.c.id, _annotator.c.name)).all())
        self.schemas: dict[int, SchemaInfo] = {}
        self.skipped_schemas: list[str] = []  # one line per stored schema row that is not a schema
        for sid, name, version, body in conn.execute(
            sa.select(_schema.c.id, _schema.c.name, _schema.c.version, _schema.c.body).order_by(_schema.c.id)
        ):
            parsed, problem = read_schema_row(sid, name, version, body)
            if parsed is None:
                self.skipped_schemas.append(problem or f"label_schema row {sid} skipped")
            else:
                self.schemas[sid] = SchemaInfo(sid, name, version, parsed)

    # -- what the exporters ask about -------------------------------------------------

    @property
    def latest_schema(self) -> SchemaInfo | None:
        return self.schemas[max(self.schemas)] if self.schemas else None

    def schema_for(self, work: Work) -> SchemaInfo | None:
        """The schema the work was made under (the newest one if its spans mix versions)."""
        ids = {s.schema_id for s in work.spans if s.schema_id in self.schemas}
        if ids:
            return max((self.schemas[i] for i in ids), key=lambda info: (info.version, info.id))
        return self.latest_schema

    def label_schema(self) -> LabelSchema:
        """The newest registered schema (the default one on an empty database)."""
        latest = self.latest_schema
        return latest.schema if latest else load_default_schema()

    def annotators_with_work(self) -> list[str]:
        """Names of the selected annotators who have work on some document, sorted."""
        ids: set[int] = set()
        span_q = sa.select(_span.c.annotator_id).distinct()
        status_q = sa.select(_status.c.annotator_id).where(_status.c.status != Status.TODO.value).distinct()
        if self.selection.annotator_ids is not None:
            span_q = span_q.where(_span.c.annotator_id.in_(self.selection.annotator_ids))
            status_q = status_q.where(_status.c.annotator_id.in_(self.selection.annotator_ids))
        ids.update(r for (r,) in self.conn.execute(span_q))
        ids.update(r for (r,) in self.conn.execute(status_q))
        return sorted(self.annotator_names[i] for i in ids)

    # -- the documents ----------------------------------------------------------------

    def _doc_filter(self) -> Any:
        """Documents some selected annotator worked on: correlated EXISTS, so each batch costs
        an index probe per document instead of a scan of every span (IN (subquery) is
        re-evaluated per batch and made the export quadratic)."""
        if self.selection.include_idle:
            return sa.true()
        ids = self.selection.annotator_ids
        with_spans = sa.select(sa.literal(1)).where(_span.c.document_id == _doc.c.id)
        with_status = sa.select(sa.literal(1)).where(
            _status.c.document_id == _doc.c.id, _status.c.status != Status.TODO.value
        )
        if ids is not None:
            with_spans = with_spans.where(_span.c.annotator_id.in_(ids))
            with_status = with_status.where(_status.c.annotator_id.in_(ids))
        return sa.or_(with_spans.exists(), with_status.exists())

    def count_documents(self) -> int:
        return self.conn.execute(sa.select(sa.func.count()).select_from(_doc).where(self._doc_filter())).scalar_one()

    def documents(self) -> Iterator[DocumentWork]:
        """Every selected document with its work, in id order.

        Per batch: the next ``batch_size`` document ids (keyset pagination on the primary
        key), their spans, statuses and links (one indexed range query each), and only then
        the texts of the documents that have selected work. No query scans more than its
        batch, so time grows linearly and memory stays flat on both backends (a filter like
        ``EXISTS (...) OR EXISTS (...)`` on the document query made PostgreSQL hash every span
        once per batch).
        """
        last_id = 0
        cols = (_doc.c.id, _doc.c.uid, _doc.c.title, _doc.c.source, _doc.c.text, _doc.c.sha256, _doc.c.meta)
        while True:
            ids = (
                self.conn.execute(
                    sa.select(_doc.c.id).where(_doc.c.id > last_id).order_by(_doc.c.id).limit(self.batch_size)
                )
                .scalars()
                .all()
            )
            if not ids:
                return
            works = self._works(ids[0], ids[-1])
            wanted = list(ids) if self.selection.include_idle else [i for i in ids if i in works]
            if wanted:
                rows = self.conn.execute(sa.select(*cols).where(_doc.c.id.in_(wanted)).order_by(_doc.c.id)).all()
                for r in rows:
                    doc = DocumentRow(r[0], r[1], r[2], r[3] or "", r[4], r[5], dict(r[6] or {}))
                    yield DocumentWork(doc, works.get(doc.id, []))
            last_id = ids[-1]

    def _works(self, lo: int, hi: int) -> dict[int, list[Work]]:
        """The selected work on documents ``lo``..``hi``, by document id (only those with work)."""
        sel = self.selection
        # Ranges rather than IN lists: the batch is a contiguous run of ids in id order.
        span_q = (
            sa.select(
                _span.c.id,
                _span.c.document_id,
                _span.c.annotator_id,
                _span.c.schema_id,
                _span.c.label,
                _span.c.start,
                _span.c.end,
                _span.c.attrs,
            )
            .where(_span.c.document_id.between(lo, hi))
            .order_by(_span.c.document_id, _span.c.annotator_id, _span.c.start, _span.c.end.desc(), _span.c.id)
        )
        status_q = sa.select(_status.c.document_id, _status.c.annotator_id, _status.c.status).where(
            _status.c.document_id.between(lo, hi)
        )
        link_q = (
            sa.select(
                _link.c.head_id,
                _link.c.child_id,
                _link.c.relation,
                _link.c.attribute,
                _span.c.document_id,
                _link.c.annotator_id,
            )
            .join(_span, _span.c.id == _link.c.head_id)
            .where(_span.c.document_id.between(lo, hi), _link.c.annotator_id == _span.c.annotator_id)  # links by owner
            .order_by(_link.c.id)
        )
        if sel.annotator_ids is not None:
            span_q = span_q.where(_span.c.annotator_id.in_(sel.annotator_ids))
            status_q = status_q.where(_status.c.annotator_id.in_(sel.annotator_ids))
            link_q = link_q.where(_link.c.annotator_id.in_(sel.annotator_ids))

        works: dict[tuple[int, int], Work] = {}

        def work(doc_id: int, annotator_id: int) -> Work:
            key = (doc_id, annotator_id)
            if key not in works:
                works[key] = Work(annotator_id, self.annotator_names.get(annotator_id, str(annotator_id)))
            return works[key]

        active: set[tuple[int, int]] = set()
        for sid, doc_id, aid, schema_id, label, start, end, attrs in self.conn.execute(span_q):
            active.add((doc_id, aid))
            w = work(doc_id, aid)  # a record even when --label filters all its spans out
            if sel.labels is None or label in sel.labels:
                w.spans.append(SpanRow(sid, schema_id, label, start, end, dict(attrs or {})))
        for doc_id, aid, status in self.conn.execute(status_q):
            status = Status(status).value
            work(doc_id, aid).status = status
            if status != Status.TODO.value:
                active.add((doc_id, aid))
        for head, child, relation, attribute, doc_id, aid in self.conn.execute(link_q):
            if (doc_id, aid) in works:
                works[(doc_id, aid)].links.append(LinkRow(head, child, relation, attribute))
        for (doc_id, aid), rejected in self._rejections(lo, hi).items():
            if (doc_id, aid) in works:
                works[(doc_id, aid)].rejected = rejected

        by_doc: dict[int, list[Work]] = {}
        for (doc_id, aid), w in works.items():
            if (doc_id, aid) not in active:
                continue  # a todo status row and no spans: no work
            if sel.statuses is not None and w.status not in sel.statuses:
                continue
            kept = {s.id for s in w.spans}
            w.links = [k for k in w.links if k.head_id in kept and k.child_id in kept]
            by_doc.setdefault(doc_id, []).append(w)
        for doc_works in by_doc.values():
            doc_works.sort(key=lambda w: (w.annotator, w.annotator_id))
        return by_doc

    def _rejections(self, lo: int, hi: int) -> dict[tuple[int, int], list[RejectionRow]]:
        """Review groups whose latest decision is a rejection, by (document, gold annotator).

        The decisions of a batch's documents in one indexed range query, read in order: the
        latest action on a group decides (an undone rejection is no rejection)."""
        query = (
            sa.select(_decision.c.document_id, _decision.c.annotator_id, _decision.c.action, _decision.c.decided_by)
            .add_columns(_decision.c.detail)
            .where(_decision.c.document_id.between(lo, hi))
            .order_by(_decision.c.id)
        )
        if self.selection.annotator_ids is not None:
            query = query.where(_decision.c.annotator_id.in_(self.selection.annotator_ids))
        latest: dict[tuple[int, int, str], tuple[str, str]] = {}
        for doc_id, aid, action, decided_by, detail in self.conn.execute(query):
            group = (detail or {}).get("group")
            if isinstance(group, str) and _GROUP_KEY.match(group):
                latest[(doc_id, aid, group)] = (action, decided_by)
        out: dict[tuple[int, int], list[RejectionRow]] = {}
        for (doc_id, aid, group), (action, decided_by) in latest.items():
            if action in REJECTING:
                out.setdefault((doc_id, aid), []).append(RejectionRow(group, decided_by))
        for rows in out.values():
            rows.sort(key=lambda r: (*r.extent, r.group))
        return out


@contextmanager
def open_reader(
    engine: Engine,
    *,
    annotators: list[str] | None = None,
    gold: bool = False,
    labels: list[str] | None = None,
    statuses: list[str] | None = None,
    include_idle: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Iterator[CorpusReader]:
    """A ``CorpusReader`` over one read-only snapshot; bad filters raise ``UserError``."""
    ro = read_only(engine)
    if not is_sqlite(engine):
        ro = ro.execution_options(isolation_level="REPEATABLE READ")
    with ro.connect() as conn:
        with conn.begin():
            selection = resolve_selection(
                conn, annotators=annotators, gold=gold, labels=labels, statuses=statuses, include_idle=include_idle
            )
            yield CorpusReader(conn, selection, batch_size=batch_size)
