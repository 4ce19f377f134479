"""The annotation app's first screen, read from an SQLite file with the standard library.

Start-up paints the annotator's current article before SQLAlchemy is imported: this module
reads, read-only and without the ORM, what ``session_ops.start_session``, ``queue.window`` and
``open_document`` would show (the window of the queue around the current document, which
follows the annotator's assignments when they have any, the document, this annotator's spans
on it), for a file whose migrations are current. It reads the window only, with
``store.queue_sql``'s statements, as ``queue.window`` does: never every row of the queue. It writes nothing: the app then opens the database
properly (engine, migrations, session, ``open_document``) and shows what that returns.

Anything unusual (not SQLite, no file yet, an older or newer migration, a file that is not a
database, a locked or odd file) returns None and the app takes the ordinary path.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from annotator.services.queue_window import WINDOW, QueueWindow, window_start
from annotator.services.records import OpenedDocument, QueueRow
from annotator.services.screen_rows import queue_row, span_rows
from annotator.store import queue_sql
from annotator.store import screen_sql as sql
from annotator.store.engine import ENV_VAR, default_db_path
from annotator.store.migrate_head import HEAD_REVISION, VERSION_TABLE

_SQLITE_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")


@dataclass(frozen=True)
class FirstScreen:
    """What the first screen shows. ``spans_complete`` is False when only the spans starting
    before ``span_limit`` were read (a big document: the rest comes with the proper open)."""

    annotator_id: int | None  # None: this annotator has never opened the app
    queue: QueueWindow  # the window of the whole queue around ``document`` (as ``queue.window`` reads it)
    document: OpenedDocument | None
    spans_complete: bool
    spans_total: int

    @property
    def rows(self) -> list[QueueRow]:
        """The queue's rows read (its window)."""
        return self.queue.rows


def sqlite_file(url: str | None) -> Path | None:
    """The file of the database the app would open (``--db``, else ``$ANNOTATOR_DB``, else the
    default file) if it is a plain SQLite URL; otherwise None."""
    chosen = url or os.environ.get(ENV_VAR) or f"sqlite:///{default_db_path()}"
    prefix = next((p for p in _SQLITE_PREFIXES if chosen.startswith(p)), None)
    if prefix is None:
        return None
    path = chosen[len(prefix) :]
    if not path or path == ":memory:" or any(c in path for c in "?%#"):
        return None  # query options or escapes: SQLAlchemy's URL rules apply, not ours
    return Path(path)


def read_first_screen(
    url: str | None,
    annotator_name: str,
    *,
    big_spans: int = 2_000,
    span_limit: int = 60_000,
    window: int = WINDOW,
) -> FirstScreen | None:
    """The queue's window (``window`` rows) and the annotator's current document, or None (see
    the module's docstring).

    A document with more than ``big_spans`` spans is read with the spans that start before
    ``span_limit`` only (enough for its first screens).
    """
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(
            f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=1.0, check_same_thread=False
        )
    except (sqlite3.Error, OSError):
        return None
    try:
        return _read(conn, annotator_name.strip(), big_spans, span_limit, window)
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, name: str, big_spans: int, span_limit: int, size: int) -> FirstScreen | None:
    conn.execute("BEGIN")  # one snapshot for every read below
    versions = [row[0] for row in conn.execute(f"SELECT version_num FROM {VERSION_TABLE}")]
    if versions != [HEAD_REVISION]:
        return None
    found = _named(conn.execute("SELECT id, last_document_id, name FROM annotator ORDER BY id"), name)
    annotator_id, last = (found[0], found[1]) if found else (None, None)
    who = annotator_id if annotator_id is not None else -1  # nobody: no statuses, no spans
    # the document the services open: the last one opened if it is still in the queue, else the first
    kept = last is not None and _first(conn, queue_sql.contains("all"), here=last, who=who) is not None
    shown = last if kept else _first(conn, queue_sql.after("all"), here=-1, who=who)
    if shown is None:
        return FirstScreen(annotator_id, QueueWindow("all", 0, None), None, True, 0)
    window = _window(conn, who, shown, size)
    target = next((r for r in window.rows if r.document_id == shown), None)
    if target is None:
        return None  # changed between the reads: the ordinary path
    doc = conn.execute(sql.DOCUMENT, {"document_id": target.document_id}).fetchone()
    if doc is None:
        return None
    params = {"document_id": doc[0], "who": who, "span_limit": span_limit}
    state = conn.execute(sql.STATUS, params).fetchone()
    complete = target.spans <= big_spans
    spans = span_rows(
        doc[0], who, conn.execute(sql.spans(not complete), params), conn.execute(sql.links(not complete), params)
    )
    status, note = (state[0], state[1] or "") if state else ("todo", "")
    opened = OpenedDocument(doc[0], doc[1], doc[2], doc[3], status, note, spans)
    return FirstScreen(annotator_id, window, opened, complete, target.spans)


def _first(conn: sqlite3.Connection, statement: str, **params: int) -> int | None:
    found = conn.execute(statement, params).fetchone()
    return int(found[0]) if found is not None else None


def _window(conn: sqlite3.Connection, who: int, document_id: int, size: int) -> QueueWindow:
    """``queue.window`` with no filter, for a document in the queue: its place (one count) and
    ``size`` rows around it."""
    documents, ahead, _kept, _ahead_kept = conn.execute(
        queue_sql.place("all"), {"here": document_id, "who": who}
    ).fetchone()
    total, index = int(documents), int(ahead)
    first = window_start(index, total, size)
    params = {"who": who, "first": first, "size": size}
    rows = [queue_row(row) for row in conn.execute(queue_sql.rows_at("all"), params)]
    return QueueWindow("all", total, index, first, rows, total, index)


def _named(rows: Iterable[tuple[int, int | None, str]], name: str) -> tuple[int, int | None] | None:
    """(id, last document) of the annotator called ``name``, in any case as
    ``corpus.find_annotator`` compares names (an exact match first, else the oldest)."""
    folded = name.casefold()
    found: tuple[int, int | None] | None = None
    for annotator_id, last, stored in rows:
        if stored == name:
            return annotator_id, last
        if found is None and stored.casefold() == folded:
            found = annotator_id, last
    return found
