"""Plain-text files imported a batch of files per transaction (``TextGroup``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from annotator.errors import UserError
from annotator.schemas.labels import LabelSchema

from .batch_store import BatchStore
from .decode import FileRefused
from .failures import cleaned_note, database_error, with_exit_code
from .held_interrupt import interrupts_held
from .parsed import LabelMap, Record
from .plan import Planned
from .summary import ImportSummary

RecordReader = Callable[[Planned, LabelSchema, LabelMap, list[str]], Iterator[Record]]


class TextGroup:
    """Plain-text files share a transaction, committed once per batch of documents.

    A text file is one document that either decodes or is refused before anything of it is
    stored, so it can never be half in: a group keeps "every file completely or not at all"
    (also under ``kill -9``, which loses the uncommitted group's files whole; the next run
    adds them), while a folder of 100,000 files costs 200 commits instead of 100,000. A
    refused file stores nothing and does not disturb the group. If the database refuses a
    write, nothing of the group is stored and the error names the files it held. Any other
    file (JSONL, brat, CoNLL) commits the group first and has a transaction of its own.
    """

    def __init__(
        self, engine: Engine, schema: LabelSchema, annotator: str, summary: ImportSummary, read: RecordReader
    ) -> None:
        self.schema = schema
        self.read = read  # a planned file's records (run.read_records)
        self.summary = summary
        self.session = Session(engine, expire_on_commit=False)
        self.counts = ImportSummary()
        self.store = BatchStore(self.session, schema, annotator, self.counts)
        self.files: list[str] = []  # read into the open transaction

    def import_file(self, item: Planned, *, label_map: LabelMap, tick: Callable[[int], None] | None) -> None:
        summary = self.summary
        notes: list[str] = []
        cleaned = self.store.cleaned
        try:
            for record in self.read(item, self.schema, label_map, notes):
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
            notes.append(cleaned_note(item.display, self.store.cleaned - cleaned))
        summary.notes.extend(notes)

    def commit(self) -> None:
        if not self.files:
            return
        with interrupts_held():  # the commit and its count together (held_interrupt.py)
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
        error = database_error(shown, exc, self.session.get_bind())  # type: ignore[arg-type]
        if others:
            error = with_exit_code(
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
