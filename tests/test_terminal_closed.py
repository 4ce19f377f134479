"""A terminal that goes away without SIGHUP ends the app as ``q`` does: the real programs on a pty.

The program runs in a session of its own, so closing the pty's master sends it no SIGHUP: its
input ends and its output fails. Before tui/terminal_driver.py its input thread spun on
end-of-file (about 28% of a core) and the app never ended. Now it leaves as ``q`` does: every
change it showed is in the database, the time spent is recorded (only leaving records it), and it
exits with status 0 (a traceback or a panic would exit 1). The bounds below are ceilings against
a hang on a loaded machine, not timings.
"""

from __future__ import annotations

import re
import time

import pytest
from support.pty_app import AppOnPty, wait_for
from support.reads import decisions, last_document, span_rows, status_of
from test_review_snapshot import load_shipped_sample
from tui_helpers import add_docs

CTRL_RIGHT = b"\x1b[1;5C"
SHOWN_COUNTS = re.compile(rb"(\d+) spans |spans \((\d+)\)")  # the top bar, the side panel
WORDS = " ".join(f"word{i}" for i in range(200)) + "\n"
EXIT_LIMIT = 60  # seconds: a ceiling against a hang, not a timing


def _most_shown(output: bytes) -> int:
    return max((int(a or b) for a, b in SHOWN_COUNTS.findall(output)), default=0)


@pytest.mark.slow
def test_annotate_ends_when_its_terminal_closes_and_keeps_what_it_showed(sqlite_url):
    add_docs(sqlite_url, WORDS)
    app = AppOnPty.start(sqlite_url, "ana", size=(120, 30))
    try:
        wait_for(lambda: app.running and last_document(sqlite_url, "ana") is not None, "the app to open a document")
        time.sleep(0.3)  # the first screen settled: keys are typed, not pasted
        for _ in range(6):
            app.write(CTRL_RIGHT)
            app.write(b"1")
            time.sleep(0.05)
        wait_for(lambda: _most_shown(bytes(app.output)) >= 6, "six spans shown")
        shown = _most_shown(bytes(app.output))
        app.hang_up()
        app.proc.wait(timeout=EXIT_LIMIT)
    finally:
        app.stop()
    assert app.proc.returncode == 0
    stored = span_rows(sqlite_url, "ana")
    assert len(stored) >= shown >= 6, f"the screen showed {shown} spans, the database holds {len(stored)}"
    assert len({(s.start, s.end) for s in stored}) == len(stored)  # nothing doubled
    document = last_document(sqlite_url, "ana")
    assert document is not None
    status = status_of(sqlite_url, document, "ana")
    assert status is not None and status[2] > 0  # the time spent: recorded on leaving, as q does


@pytest.mark.slow
def test_review_ends_when_its_terminal_closes_and_keeps_its_decisions(sqlite_url):
    load_shipped_sample(sqlite_url)
    app = AppOnPty.start(sqlite_url, command=["review", "--db", sqlite_url, "--lead", "lena"], size=(120, 36))
    try:
        wait_for(lambda: b"document" in bytes(app.output), "the review list")
        time.sleep(0.5)
        app.write(b"\r")  # the worst document
        time.sleep(0.5)
        app.write(b"A")  # every agreed span into gold
        wait_for(lambda: decisions(sqlite_url), "the agreed spans decided")
        made = decisions(sqlite_url)
        time.sleep(0.5)  # shown by now
        app.hang_up()
        app.proc.wait(timeout=EXIT_LIMIT)
    finally:
        app.stop()
    assert app.proc.returncode == 0
    assert decisions(sqlite_url) == made


@pytest.mark.slow
def test_input_that_ends_at_once_ends_the_app(sqlite_url):
    """A terminal that hangs up before the app has read anything: no key, no spin, exit 0."""
    add_docs(sqlite_url, WORDS)
    app = AppOnPty.start(sqlite_url, "ana", size=(80, 24))
    try:
        app.hang_up()
        app.proc.wait(timeout=EXIT_LIMIT)
    finally:
        app.stop()
    assert app.proc.returncode == 0
    assert span_rows(sqlite_url, "ana") == []


def test_stopping_the_suggestion_worker_mid_frame_raises_nothing():
    """Leaving while a suggestion call is being written to the worker: the app kills the worker and
    closes the pipe, whose flush then fails (EPIPE). That ended the app with status 1 and a
    traceback in about 2 of 3 hang-ups under load; closing now closes the pipe and says nothing."""
    from annotator.schemas.labels import load_default_schema
    from annotator.services.suggestions.background import Suggester

    suggester = Suggester(load_default_schema())  # a worker process, as the app runs it
    suggester.warm_up()
    worker = suggester._worker
    assert worker is not None and hasattr(worker, "proc")
    worker.proc.stdin.write(b"half a frame")  # buffered, as another thread was writing a call
    suggester.close()
    assert worker.proc.returncode is not None and worker.proc.stdin.closed
