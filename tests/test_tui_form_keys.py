"""Keys typed fast reach the form they were typed for: the real program in a pseudo-terminal.

Issue 15: ``enter enter a`` typed 50 ms apart (open the attribute form, open the first
field's list, type-to-search "armed group") lost the keys 5 times in 5, and once the ``a``
reached the article behind the form and tagged every other occurrence. Each key typed after
the one that opens a form must reach the form, in order (tui/ordered_keys.py); we read the
database, not the screen.
"""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time

import pytest
from support.corpus import put
from support.paths import REPO
from support.reads import last_document, span_rows

from annotator.schemas.labels import load_default_schema
from annotator.services import corpus
from annotator.store.engine import get_engine, session_scope

TEXT = "Seleka rebels attacked Bangui. Seleka rebels fled.\n"  # a second "Seleka rebels": tag-all would tag it
GAP = 0.05  # seconds between two keys, as the issue typed them
ENTER, CTRL_S = b"\r", b"\x13"


def _wait_for(predicate, what: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit  # a ceiling against hangs on a loaded machine, not a timing assertion
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def _start(url: str) -> tuple[subprocess.Popen[bytes], int]:
    """``annotator annotate`` in an 80x24 pty; (process, the pty's master end, drained in a thread)."""
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24")
    env.pop("TEXTUAL", None)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "annotate", "--db", url, "--as", "ana"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=REPO,
        start_new_session=True,
    )
    os.close(slave)

    def drain() -> None:
        while True:
            try:
                if not os.read(master, 65536):
                    return
            except OSError:
                return

    threading.Thread(target=drain, daemon=True).start()
    return proc, master


def _stop(proc: subprocess.Popen[bytes], master: int) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=30)
    os.close(master)


def _type_into_app(url: str, keys: list[bytes], until) -> None:
    """Start the app, wait until it has opened the database, type ``keys`` GAP apart, wait until
    ``until()`` holds, then quit with ``q``."""
    for attempt in range(2):
        proc, master = _start(url)
        try:
            # On a loaded machine the app has been seen (also before this change) to stay on its
            # first screen, never finishing opening the database: that start-up hang is not what
            # this test is about, so such a start is tried once more (the keys are not typed yet).
            _wait_for(lambda: last_document(url, "ana") is not None, "the app to open the database", 40)
        except AssertionError:
            _stop(proc, master)
            if attempt:
                raise
            continue
        try:
            time.sleep(0.5)  # the article painted: keys typed now are typed, not pasted
            for key in keys:
                os.write(master, key)
                time.sleep(GAP)
            _wait_for(until, "the form's values in the database")
            time.sleep(0.3)  # anything a stray key would have started is stored by now too
            os.write(master, b"q")
            proc.wait(timeout=60)
        finally:
            _stop(proc, master)
        return


def _document(url: str, spans: list[tuple[str, str, dict]]) -> None:
    with session_scope(get_engine(url)) as session:
        doc, _ = corpus.add_document(session, text=TEXT, title="rebels")
        if spans:
            put(session, load_default_schema(), doc, "ana", spans, status="in_progress")


def _saved(url: str) -> bool:
    return any(s.attrs for s in span_rows(url, "ana"))


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(5))
def test_enter_enter_a_at_50ms_reaches_the_form(sqlite_url, attempt):
    """The cursor is on an ACTOR span: enter (form), enter (actor_type's list), a (armed group),
    enter (pick it), ctrl+s (save), 50 ms apart."""
    _document(sqlite_url, [("ACTOR", "Seleka rebels", {})])
    _type_into_app(sqlite_url, [ENTER, ENTER, b"a", ENTER, CTRL_S], until=lambda: _saved(sqlite_url))
    rows = span_rows(sqlite_url, "ana")
    assert [(s.label, s.start, s.end, s.attrs) for s in rows] == [("ACTOR", 0, 13, {"actor_type": "armed group"})]


@pytest.mark.slow
def test_form_opened_right_after_tagging_gets_every_key(sqlite_url):
    """``1`` tags the word (a database step), and ``enter`` typed 50 ms later opens the form of
    that new span once it is stored: the keys typed meanwhile wait for the form, none tags all."""
    _document(sqlite_url, [])
    _type_into_app(sqlite_url, [b"1", ENTER, ENTER, b"a", ENTER, CTRL_S], until=lambda: _saved(sqlite_url))
    rows = span_rows(sqlite_url, "ana")
    assert [(s.label, s.start, s.end, s.attrs) for s in rows] == [("ACTOR", 0, 6, {"actor_type": "armed group"})]
