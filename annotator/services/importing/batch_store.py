"""Writing checked documents a batch at a time: documents, then their spans, links and statuses in bulk."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from annotator.schemas.labels import LabelSchema, LinkAttr
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.store.models import Decision, DocumentStatus, Link, Span, Status, utcnow
from annotator.untrusted import one_line

from .existing import ExistingDocuments
from .parsed import ParsedDoc, Rejection
from .summary import ImportSummary

# the tables written in bulk (SQLModel does not declare ``__table__`` to type checkers)
SPAN_TABLE: sa.Table = Span.__table__  # type: ignore[attr-defined]
LINK_TABLE: sa.Table = Link.__table__  # type: ignore[attr-defined]
STATUS_TABLE: sa.Table = DocumentStatus.__table__  # type: ignore[attr-defined]
DECISION_TABLE: sa.Table = Decision.__table__  # type: ignore[attr-defined]
BATCH_DOCS = 500  # documents written at once: one lookup and one multi-row INSERT per batch
BATCH_CHARS = 4_000_000  # ... or fewer when their texts are long (keeps memory flat)


class BatchStore:
    """Writes checked documents into one session (one file's transaction, or a group of text files').

    Documents are buffered and written a batch at a time (``BATCH_DOCS`` documents or
    ``BATCH_CHARS`` characters of text, whichever comes first, so memory stays flat): one
    lookup of the batch's SHA-256s, one executemany INSERT of the new documents
    (``corpus.add_documents``), then their spans, links and statuses in bulk. Documents that
    were already stored get what is new set-based too (``existing.ExistingDocuments``).
    """

    def __init__(self, session: Session, schema: LabelSchema, default_annotator: str, counts: ImportSummary) -> None:
        self.session = session
        self.schema = schema
        self.default_annotator = default_annotator
        self.counts = counts
        self.schema_id: int | None = None
        self._annotators: dict[str, int] = {}
        self._buffer: list[tuple[ParsedDoc, str, str]] = []  # (document, title, source) not written yet
        self._buffered_chars = 0
        self._pending_spans: list[dict[str, Any]] = []  # rows for new documents, inserted in batches
        self._pending_statuses: list[dict[str, Any]] = []
        self._rejections: list[tuple[int, int, Rejection]] = []  # (document, annotator, group) to restore
        self._pending_links: list[dict[str, Any]] = []  # head_id/child_id: positions in _pending_spans until inserted
        self.cleaned = 0  # titles and sources that had control characters
        self._existing = ExistingDocuments(session, schema, self._schema_id)

    def annotator_id(self, name: str) -> int:
        """The id of the annotator called ``name`` in any case; a new one is listed in the counts."""
        key = name.strip().casefold()
        found = self._annotators.get(key)
        if found is None:
            annotator, created = corpus.ensure_annotator(self.session, name)
            assert annotator.id is not None
            found = self._annotators[key] = annotator.id
            if created:
                self.counts.new_annotators.append(annotator.name)
        return found

    def store(self, doc: ParsedDoc) -> bool:
        """Buffer ``doc``; write the batch when it is full. True when a batch was written."""
        given = doc.title or corpus.title_from_text(doc.text, "")
        title, source = one_line(given), one_line(doc.source)
        if title != given or source != doc.source:
            self.cleaned += 1
        title = title if title.strip() else source or corpus.text_sha256(doc.text)[:16]
        self._buffer.append((doc, title, source))
        self._buffered_chars += len(doc.text)
        if len(self._buffer) >= BATCH_DOCS or self._buffered_chars >= BATCH_CHARS:
            self.flush()
            return True
        return False

    def _write_documents(self) -> None:
        """Write the buffered documents, then what they carry (see the class docstring)."""
        batch, self._buffer, self._buffered_chars = self._buffer, [], 0
        if not batch:
            return
        session = self.session
        stored = corpus.add_documents(
            session,
            [corpus.NewDocument(doc.text, title, source, doc.meta) for doc, title, source in batch],
            ids=any(doc.needs_annotator for doc, _, _ in batch),
        )
        for (doc, _, _), (document_id, created) in zip(batch, stored):
            if created:
                self.counts.documents_added += 1
            else:
                self.counts.duplicates_skipped += 1
            if doc.needs_annotator:
                annotator_id = self.annotator_id(doc.annotator or self.default_annotator)
                assert document_id is not None
                if created:
                    self._store_new(document_id, doc.text, annotator_id, doc)
                else:
                    self._existing.add(document_id, doc.text, annotator_id, doc)
                self._rejections.extend((document_id, annotator_id, r) for r in doc.rejected)
        self._insert_rows()  # first: the same text may come twice in one batch
        self._existing.write(self.counts)
        self._write_rejections()
        session.expunge_all()  # keeps memory flat

    def _write_rejections(self) -> None:
        """Restore gold's rejected review groups as ``reject`` decisions, each once.

        One query reads the batch's decisions on those documents (in order: the latest action
        on a group decides); a group already rejected there is not rejected again, so importing
        the same file twice doubles nothing."""
        pending, self._rejections = self._rejections, []
        if not pending:
            return
        table = DECISION_TABLE
        documents = sorted({document_id for document_id, _, _ in pending})
        latest: dict[tuple[int, int, str], str] = {}
        for document_id, annotator_id, action, detail in self.session.execute(
            sa.select(table.c.document_id, table.c.annotator_id, table.c.action, table.c.detail)
            .where(table.c.document_id.in_(documents))
            .order_by(table.c.id)
        ):
            group = (detail or {}).get("group")
            if isinstance(group, str):
                latest[(document_id, annotator_id, group)] = action
        rows: list[dict[str, Any]] = []
        now = utcnow()
        for document_id, annotator_id, rejection in pending:
            key = (document_id, annotator_id, rejection.group)
            if latest.get(key) in ("reject", "redo:reject"):
                continue
            latest[key] = "reject"
            rows.append(
                {
                    "annotator_id": annotator_id,
                    "document_id": document_id,
                    "span_id": None,
                    "decided_by": rejection.decided_by or self.default_annotator,
                    "action": "reject",
                    "source": "",
                    "detail": {"group": rejection.group, "imported": True},
                    "decided_at": now,
                }
            )
        if rows:
            self.session.execute(sa.insert(table), rows)
            self.counts.rejections_restored += len(rows)

    def flush(self) -> None:
        """Write everything buffered (before commit)."""
        self._write_documents()
        self._insert_rows()
        self.session.flush()

    def _insert_rows(self) -> None:
        """Insert the batched span, link and status rows (before anything reads spans).

        Links need their spans' ids. The pending spans all belong to documents this import
        created (no one else can add spans to them before we commit), and one executemany
        gives its rows ascending ids in row order, so one SELECT of those documents' span ids
        in id order lines up with the rows. (``INSERT ... RETURNING`` with
        ``sort_by_parameter_order`` costs one statement per row on SQLite.)"""
        if self._pending_spans:
            table = SPAN_TABLE
            session = self.session
            session.execute(sa.insert(table), self._pending_spans)
            if self._pending_links:
                documents = list(dict.fromkeys(row["document_id"] for row in self._pending_spans))
                ids = (
                    session.execute(
                        sa.select(table.c.id).where(table.c.document_id.in_(documents)).order_by(table.c.id)
                    )
                    .scalars()
                    .all()
                )
                if len(ids) != len(self._pending_spans):
                    raise RuntimeError(f"import: {len(self._pending_spans)} spans inserted, {len(ids)} found")
                for row in self._pending_links:
                    row["head_id"], row["child_id"] = ids[row["head_id"]], ids[row["child_id"]]
                session.execute(sa.insert(LINK_TABLE), self._pending_links)
                self._pending_links = []
            self._pending_spans = []
        if self._pending_statuses:
            self.session.execute(sa.insert(STATUS_TABLE), self._pending_statuses)
            self._pending_statuses = []

    def _schema_id(self) -> int:
        if self.schema_id is None:
            self.schema_id = corpus.register_schema(self.session, self.schema).id
        assert self.schema_id is not None
        return self.schema_id

    def _store_new(self, document_id: int, text: str, annotator_id: int, doc: ParsedDoc) -> None:
        """A document created by this import has no spans yet: insert them in bulk.

        The rows pass the same checks ``annotations.add_span`` and ``set_links`` make
        (offsets, label, attributes, link targets) without a query per span, which is what
        makes a large import fast.
        """
        now = utcnow()
        if doc.spans:
            rows = []
            for span in doc.spans:
                span_ops.check_offsets(text, span.start, span.end)
                span_ops.check_label(self.schema, span.label)
                rows.append(
                    {
                        "document_id": document_id,
                        "annotator_id": annotator_id,
                        "schema_id": self._schema_id(),
                        "label": span.label,
                        "start": span.start,
                        "end": span.end,
                        "attrs": self.schema.validate_attrs(span.label, span.attrs),
                        "origin": "import",
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            first = len(self._pending_spans)  # the rows' position in the batch: links name spans by it
            for (head, attribute), children in doc.links.items():
                spec = self.schema.label(doc.spans[head].label).attribute(attribute)
                assert isinstance(spec, LinkAttr) and all(doc.spans[c].label == spec.target for c in children)
                self._pending_links.extend(
                    {
                        "head_id": first + head,
                        "child_id": first + c,
                        "relation": spec.relation_label,
                        "attribute": attribute,
                        "annotator_id": annotator_id,
                        "created_at": now,
                    }
                    for c in children
                )
                self.counts.links_added += len(children)
            self._pending_spans.extend(rows)
            self.counts.spans_added += len(rows)
        if doc.status:
            self._pending_statuses.append(
                {
                    "document_id": document_id,
                    "annotator_id": annotator_id,
                    "status": Status(doc.status).value,
                    "seconds_spent": 0.0,
                    "note": "",
                    "version": 1,
                    "updated_at": now,
                }
            )
            self.counts.statuses_set += 1
