"""`kill -9` of the running app loses nothing it showed: the real program in a pseudo-terminal.

A change reaches the screen only after its database commit. We type a burst of tagging
keys, read what the terminal was sent (the top bar's "N spans" and the side panel's
"spans (N)"), kill the process while keys are still being handled, and look for at least
as many spans in the database as the screen ever said there were (every key only adds).
"""

from __future__ import annotations

import os
import re
import signal
import time

import pytest
from support.pty_app import AppOnPty, wait_for
from tui_helpers import add_docs, last_document, span_rows

CTRL_RIGHT = b"\x1b[1;5C"
SHOWN_COUNTS = re.compile(rb"(\d+) spans |spans \((\d+)\)")  # the top bar, the side panel
WORDS = " ".join(f"word{i}" for i in range(200)) + "\n"


@pytest.mark.slow
def test_sigkill_loses_no_acknowledged_span(sqlite_url):
    add_docs(sqlite_url, WORDS)
    app = AppOnPty.start(sqlite_url, "ana", size=(120, 30))
    try:
        wait_for(lambda: app.running and last_document(sqlite_url) is not None, "the app to open a document")
        time.sleep(0.3)  # let the first screen settle so keys are not taken as a paste
        for _ in range(60):
            app.write(CTRL_RIGHT)
            app.write(b"1")
        wait_for(lambda: _most_shown(bytes(app.output)) >= 8, "some spans shown")
        os.kill(app.proc.pid, signal.SIGKILL)
        app.proc.wait(timeout=30)
    finally:
        app.stop()
    output = app.output
    shown = _most_shown(bytes(output))
    stored = {s.id: (s.label, s.start, s.end) for s in span_rows(sqlite_url)}
    print(f"shown {shown}, stored {len(stored)}")
    assert shown >= 8
    assert len(stored) >= shown, f"the screen showed {shown} spans, the database holds {len(stored)}"
    assert all(WORDS[s:e].startswith("word") for _l, s, e in stored.values())


def _most_shown(output: bytes) -> int:
    """The largest span count the screen showed (the counts only grow in this test)."""
    return max((int(a or b) for a, b in SHOWN_COUNTS.findall(output)), default=0)
