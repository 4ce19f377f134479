"""The annotation app's first screen, read from an SQLite file with the standard library.

Start-up paints the annotator's current article before SQLAlchemy is imported: this module
reads, read-only and without the ORM, what ``session_ops.start_session``, ``queue`` and
``open_document`` would show (the queue, which follows the annotator's assignments when they
have any, the document, this annotator's spans on it), for a
file whose migrations are current. It writes nothing: the app then opens the database
properly (engine, migrations, session, ``open_document``) and shows what that returns.

Anything unusual (not SQLite, no file yet, an older or newer migration, a file that is not a
database, a locked or odd file) returns None and the app takes the ordinary path.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from annotator.services.records import OpenedDocument, QueueRow, SpanData

_SQLITE_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")


@dataclass(frozen=True)
class FirstScreen:
    """What the first screen shows. ``spans_complete`` is False when only the spans starting
    before ``span_limit`` were read (a big document: the rest comes with the proper open)."""

    annotator_id: int | None  # None: this annotator has never opened the app
    rows: list[QueueRow]
    document: OpenedDocument | None
    spans_complete: bool
    spans_total: int


def sqlite_file(url: str | None) -> Path | None:
    """The file of the database the app would open (``--db``, else ``$ANNOTATOR_DB``, else the
    default file) if it is a plain SQLite URL; otherwise None."""
    from annotator.store.engine import ENV_VAR, default_db_path

    chosen = url or os.environ.get(ENV_VAR) or f"sqlite:///{default_db_path()}"
    prefix = next((p for p in _SQLITE_PREFIXES if chosen.startswith(p)), None)
    if prefix is None:
        return None
    path = chosen[len(prefix) :]
    if not path or path == ":memory:" or any(c in path for c in "?%#"):
        return None  # query options or escapes: SQLAlchemy's URL rules apply, not ours
    return Path(path)


def read_first_screen(
    url: str | None, annotator_name: str, *, big_spans: int = 2_000, span_limit: int = 60_000
) -> FirstScreen | None:
    """The queue and the annotator's current document, or None (see the module's docstring).

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
        return _read(conn, annotator_name.strip(), big_spans, span_limit)
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, name: str, big_spans: int, span_limit: int) -> FirstScreen | None:
    from annotator.store.migrate import VERSION_TABLE, head_revision

    conn.execute("BEGIN")  # one snapshot for every read below
    versions = [row[0] for row in conn.execute(f"SELECT version_num FROM {VERSION_TABLE}")]
    if versions != [head_revision()]:
        return None
    found = conn.execute("SELECT id, last_document_id FROM annotator WHERE name = ?", (name,)).fetchone()
    annotator_id, last = (found[0], found[1]) if found else (None, None)
    who = annotator_id if annotator_id is not None else -1  # nobody: no statuses, no spans
    rows = [
        QueueRow(doc_id, title, status or "todo", int(n or 0))
        for doc_id, title, status, n in conn.execute(
            "SELECT d.id, d.title, ds.status, c.n FROM document AS d"
            " LEFT OUTER JOIN document_status AS ds ON ds.document_id = d.id AND ds.annotator_id = ?"
            " LEFT OUTER JOIN (SELECT document_id, count(*) AS n FROM span WHERE annotator_id = ? GROUP BY document_id) AS c"
            " ON c.document_id = d.id WHERE NOT EXISTS (SELECT 1 FROM assignment WHERE assignee_id = ?)"
            " OR d.id IN (SELECT document_id FROM assignment WHERE assignee_id = ?) ORDER BY d.id",
            (who, who, who, who),
        )
    ]
    if not rows:
        return FirstScreen(annotator_id, rows, None, True, 0)
    target = next((r for r in rows if r.document_id == last), rows[0])
    doc = conn.execute("SELECT id, uid, title, text FROM document WHERE id = ?", (target.document_id,)).fetchone()
    if doc is None:
        return None
    state = conn.execute(
        "SELECT status, note FROM document_status WHERE document_id = ? AND annotator_id = ?", (doc[0], who)
    ).fetchone()
    complete = target.spans <= big_spans
    limit = "" if complete else " AND s.start < ?"
    args: tuple[int, ...] = (doc[0], who) if complete else (doc[0], who, span_limit)
    links: dict[int, dict[str, list[int]]] = {}
    for head, attribute, child in conn.execute(
        "SELECT l.head_id, l.attribute, l.child_id FROM link AS l JOIN span AS s ON s.id = l.head_id"
        f" WHERE s.document_id = ? AND s.annotator_id = ?{limit} ORDER BY l.id",
        args,
    ):
        links.setdefault(head, {}).setdefault(attribute, []).append(child)
    spans = [
        SpanData(
            id=sid,
            document_id=doc[0],
            annotator_id=who,
            schema_id=schema_id,
            label=label,
            start=start,
            end=end,
            attrs=_attrs(attrs),
            origin=origin,
            version=version,
            links={a: tuple(c) for a, c in links[sid].items()} if sid in links else {},
        )
        for sid, schema_id, label, start, end, attrs, origin, version in conn.execute(
            'SELECT s.id, s.schema_id, s.label, s.start, s."end", s.attrs, s.origin, s.version FROM span AS s'
            f" WHERE s.document_id = ? AND s.annotator_id = ?{limit}"
            ' ORDER BY s.start, s."end" DESC, s.id',
            args,
        )
    ]
    status, note = (state[0], state[1] or "") if state else ("todo", "")
    opened = OpenedDocument(doc[0], doc[1], doc[2], doc[3], status, note, spans)
    return FirstScreen(annotator_id, rows, opened, complete, target.spans)


def _attrs(stored: str | None) -> dict:
    if not stored or stored == "{}":
        return {}
    value = json.loads(stored)
    if not isinstance(value, dict):
        raise ValueError("span attributes are not an object")
    return value
