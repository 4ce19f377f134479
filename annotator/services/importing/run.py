"""The import itself: read each planned file, check it, store it in one transaction.

A file is one transaction: if any record in it is invalid, nothing from that file is
stored (every problem is still listed, with its line), unless ``skip_invalid`` asks to
store the good records and report the rest. Plain-text files, which are one document each
and are either read whole or refused before anything is stored, share a transaction per
batch (``text_group.TextGroup``). The same text twice is one document (by SHA-256), also when
another importer stores it at the same moment. Documents are written a batch at a time with a
constant number of statements per batch (``batch_store.BatchStore``). Memory stays flat: records
stream in, a batch is bounded in documents and characters, and the session is emptied after each.
What happened is counted in ``summary.ImportSummary``; failures are worded in ``failures``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from annotator.errors import UserError
from annotator.schemas.labels import LabelSchema

from .batch_store import BatchStore
from .brat import read_brat
from .conll import read_conll
from .decode import FileRefused, LineReader
from .failures import cleaned_note, rolled_back_on_failure
from .formats import OTHER_READERS
from .held_interrupt import interrupts_held
from .jsonl import read_jsonl
from .parsed import LabelMap, Record, annotator_problem
from .plan import Planned, plan_paths
from .summary import ImportInterrupted, ImportSummary
from .text_files import read_text
from .text_group import TextGroup

__all__ = ["ImportInterrupted", "ImportSummary", "Progress", "import_paths", "read_records"]

Progress = Callable[[int, int, str], None]  # (bytes done, bytes in total, current file)


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
        raise UserError(problem, field="annotator")
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
    group: TextGroup | None = None  # plain-text files read since the last commit
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
                    group = TextGroup(engine, schema, annotator, summary, read_records)
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


def read_records(item: Planned, schema: LabelSchema, label_map: LabelMap, notes: list[str]) -> Iterator[Record]:
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
        store = BatchStore(session, schema, annotator, counts)
        failed = False
        try:
            with rolled_back_on_failure(session, item.display, engine):
                for record in read_records(item, schema, label_map, notes):
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
        except FileRefused as exc:  # (rolled back on its way out of the block)
            summary.files_refused += 1
            summary.refused.append(f"{item.display}: refused: {exc.reason}")
            summary.notes.extend(notes)
            return
        summary.files_read += 1
        if store.cleaned:
            notes.append(cleaned_note(item.display, store.cleaned))
        summary.notes.extend(notes)
        summary.problems.extend(problems)
        if failed:
            session.rollback()
            summary.files_failed.append(item.display)
            summary.records_invalid += invalid
            return
        with interrupts_held():  # the commit and its count together (held_interrupt.py)
            with rolled_back_on_failure(session, item.display, engine):
                store.flush()
                session.commit()
            summary.files_stored += 1
            counts.records_invalid = invalid
            summary.merge(counts)
