"""The import itself: read each planned file, check it, store it in one transaction.

A file is one transaction: if any record in it is invalid, nothing from that file is
stored (every problem is still listed, with its line), unless ``skip_invalid`` asks to
store the good records and report the rest. Plain-text files, which are one document each
and are either read whole or refused before anything is stored, share a transaction per
batch (``_TextGroup``). The same text twice is one document (by SHA-256), also when another
importer stores it at the same moment. Documents are written a batch at a time with a
constant number of statements per batch (``_Store``). Memory stays flat: records stream in,
a batch is bounded in documents and characters, and the session is emptied after each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from annotator.errors import UserError
from annotator.schemas.labels import LabelSchema, LinkAttr
from annotator.services import annotations as ann_service
from annotator.services import corpus
from annotator.store.models import DocumentStatus, Link, Span, Status, utcnow

from .brat import read_brat
from .conll import read_conll
from .decode import FileRefused, LineReader
from .existing import ExistingDocuments
from .formats import OTHER_READERS
from .jsonl import read_jsonl
from .parsed import LabelMap, ParsedDoc, Record, annotator_problem, one_line
from .plan import Planned, plan_paths
from .text_files import read_text

Progress = Callable[[int, int, str], None]  # (bytes done, bytes in total, current file)
BATCH_DOCS = 500  # documents written at once: one lookup and one multi-row INSERT per batch
BATCH_CHARS = 4_000_000  # ... or fewer when their texts are long (keeps memory flat)


@dataclass
class ImportSummary:
    documents_added: int = 0
    duplicates_skipped: int = 0
    spans_added: int = 0
    spans_already_stored: int = 0  # identical spans of documents stored before: not added again
    links_added: int = 0
    statuses_set: int = 0
    records_rejected: int = 0  # Prodigy answer "reject"
    records_ignored: int = 0  # Prodigy answer "ignore"
    records_invalid: int = 0  # not stored because of a problem (listed in ``problems``)
    spans_dropped: int = 0  # dropped on purpose by the label map (FROM=-)
    files_read: int = 0
    files_refused: int = 0
    files_stored: int = 0  # files whose transaction committed
    files_skipped: list[str] = field(
        default_factory=list
    )  # "file: skipped, why": what a folder holds but is not imported
    files_failed: list[str] = field(default_factory=list)  # files with problems, nothing stored
    problems: list[str] = field(default_factory=list)  # "file:line: message", one per problem
    refused: list[str] = field(default_factory=list)  # "file: reason"
    notes: list[str] = field(default_factory=list)  # encodings detected, formats sniffed
    skipped: Counter = field(default_factory=Counter)  # what the format has that we do not import
    skipped_example: dict[str, str] = field(default_factory=dict)
    unknown_labels: Counter = field(default_factory=Counter)  # input labels the schema lacks -> spans

    @property
    def ok(self) -> bool:
        """True when every file was read and stored in full."""
        return not self.files_failed and not self.files_refused and not self.records_invalid

    def line(self) -> str:
        parts = [
            f"{self.documents_added} document{'s' if self.documents_added != 1 else ''} added",
            f"{self.duplicates_skipped} duplicate{'s' if self.duplicates_skipped != 1 else ''} skipped",
            f"{self.spans_added} span{'s' if self.spans_added != 1 else ''} added",
        ]
        if self.spans_already_stored:
            parts.append(
                f"{self.spans_already_stored} span{'s' if self.spans_already_stored != 1 else ''} already stored"
            )
        if self.links_added:
            parts.append(f"{self.links_added} link{'s' if self.links_added != 1 else ''} added")
        if self.records_rejected or self.records_ignored:
            parts.append(
                f"{self.records_rejected} rejected and {self.records_ignored} ignored records (no annotations)"
            )
        if self.records_invalid:
            parts.append(f"{self.records_invalid} invalid record{'s' if self.records_invalid != 1 else ''} not stored")
        if self.spans_dropped:
            parts.append(f"{self.spans_dropped} span{'s' if self.spans_dropped != 1 else ''} dropped by the label map")
        parts.append(f"{self.files_refused} file{'s' if self.files_refused != 1 else ''} refused")
        if self.files_skipped:
            parts.append(f"{len(self.files_skipped)} file{'s' if len(self.files_skipped) != 1 else ''} skipped")
        return ", ".join(parts)

    def skipped_lines(self) -> list[str]:
        return [
            f"skipped {count} {kind} (e.g. {self.skipped_example[kind]})"
            for kind, count in sorted(self.skipped.items())
        ]

    def label_hint(self, schema: LabelSchema) -> str | None:
        """One line naming the labels the schema lacks and how to map them."""
        if not self.unknown_labels:
            return None
        found = ", ".join(f"{label} ({count})" for label, count in self.unknown_labels.most_common())
        example = self.unknown_labels.most_common(1)[0][0]
        return (
            f"labels not in schema {schema.name!r} ({', '.join(schema.label_names)}): {found}; "
            f"map them with --label-map {example}={schema.label_names[0]},... or drop them with {example}=-"
        )

    def merge(self, other: ImportSummary) -> None:
        for name in (
            "documents_added",
            "duplicates_skipped",
            "spans_added",
            "spans_already_stored",
            "links_added",
            "statuses_set",
            "records_rejected",
            "records_ignored",
            "records_invalid",
            "spans_dropped",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped.update(other.skipped)
        for kind, example in other.skipped_example.items():
            self.skipped_example.setdefault(kind, example)


class ImportInterrupted(Exception):
    """Ctrl+C: the files committed so far stay; ``summary`` says what was stored."""

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("interrupted")
        self.summary = summary


def import_paths(
    engine: Engine,
    paths: Iterable[Path | str],
    *,
    annotator: str,
    schema: LabelSchema,
    label_map: str | dict[str, str] | LabelMap | None = None,
    skip_invalid: bool = False,
    fmt: str = "auto",
    progress: Progress | None = None,
    folder_annotators: bool = True,
) -> ImportSummary:
    """Import files and folders; return what happened (problems included, never raised).

    ``annotator`` owns the spans of records that name no annotator. With
    ``folder_annotators`` (the CLI turns it off when ``--as`` is given) the spans in a
    sub-folder of our own multi-annotator brat export belong to that folder's annotator.
    Bad paths, a bad ``fmt``, a bad ``label_map`` or a bad annotator name raise
    ``UserError`` before anything is read.
    """
    problem = annotator_problem(annotator)
    if problem:
        raise UserError(f"--as: {problem}")
    mapping = LabelMap.parse(label_map, schema)
    planned = plan_paths(list(paths), fmt)
    total = sum(item.size for item in planned if not item.skipped) or 1
    summary = ImportSummary()
    if folder_annotators:
        folders = {str(Path(item.display).parent): item.annotator for item in planned if item.annotator is not None}
        summary.notes.extend(
            f"{folder}: a folder of a brat export: its spans belong to {name!r} (--as NAME overrides)"
            for folder, name in folders.items()
        )
    else:
        planned = [replace(item, annotator=None) for item in planned]
    done_before = 0
    group: _TextGroup | None = None  # plain-text files read since the last commit
    try:
        for item in planned:
            if item.skipped:
                summary.files_skipped.append(f"{item.display}: skipped, {item.skipped}")
                continue
            tick = None
            if progress is not None:
                base = done_before
                tick = lambda n, base=base, shown=item.display: progress(min(base + n, total), total, shown)  # noqa: E731
                tick(0)
            if item.fmt == "text":
                if group is None:
                    group = _TextGroup(engine, schema, annotator, summary)
                group.import_file(item, label_map=mapping, tick=tick)
            else:
                if group is not None:
                    group.commit()
                _import_file(
                    engine,
                    item,
                    summary,
                    annotator=annotator,
                    schema=schema,
                    label_map=mapping,
                    skip_invalid=skip_invalid,
                    tick=tick,
                )
            done_before += item.size
            if progress is not None:
                progress(min(done_before, total), total, item.display)
        if group is not None:
            group.commit()
    except KeyboardInterrupt:
        raise ImportInterrupted(summary) from None
    finally:
        if group is not None:
            group.close()
    return summary


def _records(item: Planned, schema: LabelSchema, label_map: LabelMap, notes: list[str]) -> Iterator[Record]:
    if item.refused:
        raise FileRefused(item.refused)
    if item.fmt in OTHER_READERS:  # PDF, DOCX, HTML, Label Studio (formats.py)
        yield from OTHER_READERS[item.fmt](item, schema, label_map, notes)
        return
    if item.fmt == "text":
        record, decoded = read_text(item.path, item.display)
        if decoded.detected:
            notes.append(f"{item.display}: not UTF-8; decoded as {decoded.encoding}")
        yield record
    elif item.fmt == "brat":
        if item.annotator is not None and annotator_problem(item.annotator):
            raise FileRefused(
                f"its brat export folder names no usable annotator ({annotator_problem(item.annotator)}); import it with --as NAME"
            )
        record, decoded = read_brat(
            item.path, item.ann, item.display, str(Path(item.display).with_suffix(".ann")), schema, label_map
        )
        if record.doc is not None and item.annotator is not None:
            record.doc.annotator = item.annotator
        if decoded.detected:
            notes.append(f"{item.display}: not UTF-8; decoded as {decoded.encoding}")
        yield record
    else:
        reader = LineReader.open(item.path, as_text=item.fmt == "conll")
        if reader.detected:
            notes.append(f"{item.display}: not UTF-8; decoded as {reader.encoding}")
        if item.fmt == "jsonl":
            yield from read_jsonl(reader, item.display, schema, label_map)
        else:
            if item.path.suffix.lower() in (".txt", ".tsv"):
                notes.append(f"{item.display}: read as CoNLL (token and tag per line)")
            yield from read_conll(reader, item.display, schema, label_map)


class _Store:
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
        self._pending_links: list[dict[str, Any]] = []  # head_id/child_id: positions in _pending_spans until inserted
        self.cleaned = 0  # titles and sources that had control characters
        self._existing = ExistingDocuments(session, schema, self._schema_id)

    def annotator_id(self, name: str) -> int:
        found = self._annotators.get(name)
        if found is None:
            found = corpus.get_or_create_annotator(self.session, name).id
            self._annotators[name] = found
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
        self._insert_rows()  # first: the same text may come twice in one batch
        self._existing.write(self.counts)
        session.expunge_all()  # keeps memory flat

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
            table = Span.__table__
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
                session.execute(sa.insert(Link.__table__), self._pending_links)
                self._pending_links = []
            self._pending_spans = []
        if self._pending_statuses:
            self.session.execute(sa.insert(DocumentStatus.__table__), self._pending_statuses)
            self._pending_statuses = []

    def _schema_id(self) -> int:
        if self.schema_id is None:
            self.schema_id = corpus.register_schema(self.session, self.schema).id
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
                ann_service.check_offsets(text, span.start, span.end)
                ann_service.check_label(self.schema, span.label)
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


class _TextGroup:
    """Plain-text files share a transaction, committed once per batch of documents.

    A text file is one document that either decodes or is refused before anything of it is
    stored, so it can never be half in: a group keeps "every file completely or not at all"
    (also under ``kill -9``, which loses the uncommitted group's files whole; the next run
    adds them), while a folder of 100,000 files costs 200 commits instead of 100,000. A
    refused file stores nothing and does not disturb the group. If the database refuses a
    write, nothing of the group is stored and the error names the files it held. Any other
    file (JSONL, brat, CoNLL) commits the group first and has a transaction of its own.
    """

    def __init__(self, engine: Engine, schema: LabelSchema, annotator: str, summary: ImportSummary) -> None:
        self.schema = schema
        self.summary = summary
        self.session = Session(engine, expire_on_commit=False)
        self.counts = ImportSummary()
        self.store = _Store(self.session, schema, annotator, self.counts)
        self.files: list[str] = []  # read into the open transaction

    def import_file(self, item: Planned, *, label_map: LabelMap, tick: Callable[[int], None] | None) -> None:
        summary = self.summary
        notes: list[str] = []
        cleaned = self.store.cleaned
        try:
            for record in _records(item, self.schema, label_map, notes):
                if tick is not None and record.bytes_read:
                    tick(record.bytes_read)
                assert record.doc is not None and not record.problems  # a text file decodes or is refused
                self.files.append(item.display)
                if self.store.store(record.doc):
                    self.commit()
        except FileRefused as exc:
            summary.files_refused += 1
            summary.refused.append(f"{item.display}: refused: {exc.reason}")
            summary.notes.extend(notes)
            return
        except sa.exc.SQLAlchemyError as exc:
            self._failed(item, exc)
        summary.files_read += 1
        if self.store.cleaned != cleaned:
            notes.append(_cleaned_note(item.display, self.store.cleaned - cleaned))
        summary.notes.extend(notes)

    def commit(self) -> None:
        if not self.files:
            return
        try:
            self.store.flush()
            self.session.commit()
        except sa.exc.SQLAlchemyError as exc:
            self._failed(None, exc)
        self.summary.files_stored += len(set(self.files))
        self.files = []
        self.summary.merge(self.counts)
        self.counts = self.store.counts = ImportSummary()

    def _failed(self, item: Planned | None, exc: Exception) -> None:
        self.session.rollback()
        shown = self.files[-1] if item is None else item.display
        others = [f for f in self.files if f != shown]
        error = _database_error(shown, exc, self.session.get_bind())  # type: ignore[arg-type]
        if others:
            error = _with_exit_code(
                error.exit_code,
                UserError(
                    f"{error}, nor from the {len(others)} other text file{'s' if len(others) != 1 else ''} read with it since the "
                    f"last commit ({', '.join(others[:3])}{', ...' if len(others) > 3 else ''}); import again to add them"
                ),
            )
        raise error from None

    def close(self) -> None:
        self.session.rollback()  # nothing, unless an error ended the import before a commit
        self.session.close()


def _cleaned_note(display: str, cleaned: int) -> str:
    return (
        f"{display}: {cleaned} title{'s' if cleaned != 1 else ''} or source{'s' if cleaned != 1 else ''} "
        "held control characters (removed; line breaks and tabs became spaces)"
    )


def _import_file(
    engine: Engine,
    item: Planned,
    summary: ImportSummary,
    *,
    annotator: str,
    schema: LabelSchema,
    label_map: LabelMap,
    skip_invalid: bool,
    tick: Callable[[int], None] | None,
) -> None:
    counts = ImportSummary()
    problems: list[str] = []
    invalid = 0
    notes: list[str] = []
    with Session(engine, expire_on_commit=False) as session:
        store = _Store(session, schema, annotator, counts)
        failed = False
        try:
            for record in _records(item, schema, label_map, notes):
                if tick is not None and record.bytes_read:
                    tick(record.bytes_read)
                where = record.problem_path or item.display
                for kind, line, message in record.skipped:
                    counts.skipped[kind] += 1
                    counts.skipped_example.setdefault(kind, f"{where}:{line}: {message}")
                counts.spans_dropped += record.dropped_spans
                summary.unknown_labels.update(record.unknown_labels)
                if record.problems:
                    invalid += 1
                    problems.extend(f"{where}:{line}: {message}" for line, message in record.problems)
                    failed = failed or not skip_invalid
                    continue
                if record.answer == "reject":
                    counts.records_rejected += 1
                elif record.answer == "ignore":
                    counts.records_ignored += 1
                elif record.doc is not None and not failed:
                    store.store(record.doc)
        except FileRefused as exc:
            session.rollback()
            summary.files_refused += 1
            summary.refused.append(f"{item.display}: refused: {exc.reason}")
            summary.notes.extend(notes)
            return
        except sa.exc.SQLAlchemyError as exc:
            session.rollback()
            raise _database_error(item.display, exc, engine) from None
        except BaseException:
            session.rollback()
            raise
        summary.files_read += 1
        if store.cleaned:
            notes.append(_cleaned_note(item.display, store.cleaned))
        summary.notes.extend(notes)
        summary.problems.extend(problems)
        if failed:
            session.rollback()
            summary.files_failed.append(item.display)
            summary.records_invalid += invalid
            return
        try:
            store.flush()
            session.commit()
        except sa.exc.SQLAlchemyError as exc:
            session.rollback()
            raise _database_error(item.display, exc, engine) from None
        except BaseException:
            session.rollback()
            raise
    summary.files_stored += 1
    counts.records_invalid = invalid
    summary.merge(counts)


def _with_exit_code(exit_code: int, error: UserError) -> UserError:
    error.exit_code = exit_code
    return error


def _database_error(display: str, exc: Exception, engine: Engine | None = None) -> UserError:
    """A database failure (locked, permission, connection lost, disk full) as one line;
    locked, lost or full exits 3 (``store.retry.failure``). A lock that outlasted the busy
    timeout names who holds it (``store.writers``)."""
    from annotator.store import writers
    from annotator.store.retry import failure

    reason, exit_code = failure(exc)
    if engine is not None and writers.is_locked_error(exc):
        holder = writers.explain_lock(engine.url.render_as_string(hide_password=False))
        message = f"{display}: nothing from this file was stored: {holder}"
    else:
        message = f"{display}: the database refused the import ({reason}); nothing from this file was stored"
    error = UserError(message)
    error.exit_code = exit_code  # a lock is transient: 3, as every database failure of the environment
    return error
