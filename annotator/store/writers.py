"""Who is writing to an SQLite file: so "database is locked" can say which operation holds it.

SQLite does not tell who holds its write lock. Our own long writers (an import, ``annotator
suggest``) and the annotation app announce themselves in a folder beside the file
(``<file>-writers/<pid>.json``: operation, annotator, start time) for as long as they run;
``explain_lock`` reads it when a lock outlasted the busy timeout and names the live ones,
with what to do. A process killed without cleaning up is recognised (its pid is gone) and
ignored. PostgreSQL needs none of this: it has ``pg_stat_activity``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _folder(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    from annotator.store.engine import is_sqlite

    try:
        if not is_sqlite(url):
            return None
        database = make_url(url).database
    except Exception:  # an unparseable URL is reported elsewhere
        return None
    if not database or database == ":memory:":
        return None
    path = Path(database).expanduser()
    return path.with_name(path.name + "-writers")


@contextmanager
def announced(url: str, operation: str, annotator: str = "") -> Iterator[None]:
    """While the block runs, this process is listed as doing ``operation`` on the file."""
    folder = _folder(url)
    note: Path | None = None
    if folder is not None:
        try:
            folder.mkdir(exist_ok=True)
            note = folder / f"{os.getpid()}.json"
            note.write_text(
                json.dumps({"operation": operation, "annotator": annotator, "since": time.time()}), encoding="utf-8"
            )
        except OSError:
            note = None  # a read-only folder: we just cannot say who we are
    try:
        yield
    finally:
        if note is not None:
            try:
                note.unlink()
                note.parent.rmdir()  # only when no one else is listed
            except OSError:
                pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    return True


def current(url: str) -> list[str]:
    """The live announced operations on this file, other than this process's own."""
    folder = _folder(url)
    if folder is None or not folder.is_dir():
        return []
    found = []
    for note in sorted(folder.glob("*.json"))[:50]:
        try:
            pid = int(note.stem)
            data = json.loads(note.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if pid == os.getpid() or not _alive(pid):
            continue
        who = f" by {data.get('annotator')}" if data.get("annotator") else ""
        since = time.strftime("%H:%M:%S", time.localtime(float(data.get("since", 0))))
        found.append(f"annotator {data.get('operation', '?')}{who} (pid {pid}, since {since})")
    return found


def explain_lock(url: str) -> str:
    """What to tell someone whose write found the file locked past the busy timeout."""
    from annotator.untrusted import escape_controls

    holders = current(url)
    if holders:
        return (
            f"the database is locked by {escape_controls('; '.join(holders))}: wait for it to finish, "
            "then run this again"
        )
    return (
        "the database is locked by another program (an sqlite3 shell or a backup holding a write "
        "transaction?): close it, then run this again"
    )


def is_locked_error(exc: BaseException) -> bool:
    """A SQLite lock that outlasted the busy timeout (``retry.SQLITE_TRANSIENT``'s words)."""
    from annotator.store.retry import SQLITE_TRANSIENT

    text = str(getattr(exc, "orig", None) or exc).lower()
    return any(words in text for words in SQLITE_TRANSIENT)
