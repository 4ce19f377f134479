"""`kill -9` of the running app loses nothing it showed: the real program in a pseudo-terminal.

The app writes a line to ``$ANNOTATOR_TUI_ACK_LOG`` each time a change reaches the screen
(after its database commit). We type a burst of tagging keys, kill the process while keys
are still being handled, and look for every acknowledged span in the database.
"""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest
from tui_helpers import REPO_ROOT, add_docs, last_document, span_rows

CTRL_RIGHT = b"\x1b[1;5C"
WORDS = " ".join(f"word{i}" for i in range(200)) + "\n"


def _wait_for(predicate, what: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit  # a generous ceiling against hangs, not a timing assertion
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
def test_sigkill_loses_no_acknowledged_span(sqlite_url, tmp_path: Path):
    add_docs(sqlite_url, WORDS)
    ack = tmp_path / "ack.log"
    env = dict(os.environ, ANNOTATOR_TUI_ACK_LOG=str(ack), TERM="xterm-256color", COLUMNS="120", LINES="30")
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
        _wait_for(lambda: ack.exists() and ack.read_text().count("span ") >= 8, "some acknowledged spans")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        os.close(master)
    acknowledged = {}
    for line in ack.read_text().splitlines():
        kind, span_id, *rest = line.split()
        if kind == "span":
            acknowledged[int(span_id)] = (rest[0], int(rest[1]), int(rest[2]))
    stored = {s.id: (s.label, s.start, s.end) for s in span_rows(sqlite_url)}
    print(f"acknowledged {len(acknowledged)}, stored {len(stored)}")
    assert len(acknowledged) >= 8
    missing = {k: v for k, v in acknowledged.items() if stored.get(k) != v}
    assert not missing, f"shown but not in the database: {missing}"
    assert all(WORDS[s:e].startswith("word") for _l, s, e in stored.values())
