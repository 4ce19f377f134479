"""``annotator annotate`` run as a person runs it: on a real pseudo-terminal.

``AppOnPty.start`` starts the program on a pty of the given size; a thread drains what the
program sends (kept in ``output``, so a full pty buffer never blocks it). ``write`` types
bytes, ``hang_up`` closes the terminal's side of the pty (as a closed terminal window with no
SIGHUP: the program runs in a session of its own), ``stop`` kills what is still running and
closes the pty. Used by the tests that need real key timing or the terminal's bytes
(test_tui_kill, test_tui_form_keys, test_terminal_colour, test_terminal_closed,
test_review_form_keys).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from support.paths import REPO


def wait_for(predicate: Callable[[], object], what: str, limit: float = 60.0, step: float = 0.05) -> None:
    """Poll ``predicate`` until it holds; ``limit`` is a ceiling against hangs, not a timing assertion."""
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(step)


@dataclass
class AppOnPty:
    proc: subprocess.Popen[bytes]
    master: int
    output: bytearray = field(default_factory=bytearray)
    reader: threading.Thread | None = None
    closing: threading.Event = field(default_factory=threading.Event)
    closed: bool = False

    @classmethod
    def start(
        cls,
        url: str,
        name: str = "ana",
        *,
        size: tuple[int, int] = (80, 24),
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        command: Sequence[str] | None = None,
    ) -> AppOnPty:
        """``annotator annotate --db url --as name *args`` (or ``annotator *command``) on a ``size``
        (columns, rows) pty. ``env`` (default: this process's with TERM=xterm-256color) gets
        COLUMNS/LINES set."""
        columns, rows = size
        if env is None:  # this process's environment in a colour terminal, whatever CI's TERM is
            environment = {**os.environ, "TERM": "xterm-256color"}
        else:
            environment = dict(env)
            environment.setdefault("TERM", "xterm-256color")
        environment.update(COLUMNS=str(columns), LINES=str(rows))
        environment.pop("TEXTUAL", None)
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        proc = subprocess.Popen(
            [sys.executable, "-m", "annotator", *(command or ["annotate", "--db", url, "--as", name, *args])],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment,
            cwd=REPO,
            start_new_session=True,
        )
        os.close(slave)
        app = cls(proc, master)
        app.reader = threading.Thread(target=app._drain, daemon=True)
        app.reader.start()
        return app

    def _drain(self) -> None:
        while not self.closing.is_set():
            try:
                if not select.select([self.master], [], [], 0.05)[0]:
                    continue
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    def hang_up(self) -> None:
        """Close the terminal's side: the program reads end of input and cannot write (no SIGHUP)."""
        self.closing.set()
        if self.reader is not None:
            self.reader.join(timeout=5)
        if not self.closed:
            self.closed = True
            os.close(self.master)

    def stop(self) -> None:
        """Kill the program if it still runs, and close the pty."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        if self.reader is not None:
            self.reader.join(timeout=5)
        if not self.closed:
            self.closed = True
            os.close(self.master)
