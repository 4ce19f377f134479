"""`kill -9` of the running app loses nothing it showed: the real program in a pseudo-terminal.

A change reaches the screen only after its database commit. We type a burst of tagging
keys, read what the terminal was sent (the top bar's "N spans" and the side panel's
"spans (N)"), kill the process while keys are still being handled, and look for at least
as many spans in the database as the screen ever said there were (every key only adds).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time

import pytest
from tui_helpers import REPO_ROOT, add_docs, last_document, span_rows

CTRL_RIGHT = b"\x1b[1;5C"
SHOWN_COUNTS = re.compile(rb"(\d+) spans |spans \((\d+)\)")  # the top bar, the side panel
WORDS = " ".join(f"word{i}" for i in range(200)) + "\n"


def _wait_for(predicate, what: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit  # a generous ceiling against hangs, not a timing assertion
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
def test_sigkill_loses_no_acknowledged_span(sqlite_url):
    add_docs(sqlite_url, WORDS)
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="30")
    env.pop("TEXTUAL", None)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "annotate", "--db", sqlite_url, "--as", "ana"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=REPO_ROOT,
        start_new_session=True,
    )
    os.close(slave)
    output = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            output.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        _wait_for(lambda: proc.poll() is None and last_document(sqlite_url) is not None, "the app to open a document")
        time.sleep(0.3)  # let the first screen settle so keys are not taken as a paste
        for _ in range(60):
            os.write(master, CTRL_RIGHT)
            os.write(master, b"1")
        _wait_for(lambda: _most_shown(bytes(output)) >= 8, "some spans shown")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        os.close(master)
    shown = _most_shown(bytes(output))
    stored = {s.id: (s.label, s.start, s.end) for s in span_rows(sqlite_url)}
    print(f"shown {shown}, stored {len(stored)}")
    assert shown >= 8
    assert len(stored) >= shown, f"the screen showed {shown} spans, the database holds {len(stored)}"
    assert all(WORDS[s:e].startswith("word") for _l, s, e in stored.values())


def _most_shown(output: bytes) -> int:
    """The largest span count the screen showed (the counts only grow in this test)."""
    return max((int(a or b) for a, b in SHOWN_COUNTS.findall(output)), default=0)
