"""Ctrl+C waits while a batch commits, so the count of what is stored never falls behind it.

A ``KeyboardInterrupt`` can arrive between any two Python statements. Between a commit and
the line that counts the committed files it would make ``import`` report fewer files stored
than the database holds ("interrupted: 0 files stored" with 500 stored). Inside
``interrupts_held()`` SIGINT is only noted; it is raised when the block ends, after the
commit and its count, so an interrupted import stops on a batch boundary and says exactly
what it stored.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def interrupts_held() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are only delivered to the main thread
        return
    noted: list[int] = []

    def note(signum: int, frame: FrameType | None) -> None:
        noted.append(signum)

    previous = signal.signal(signal.SIGINT, note)
    try:
        yield
    except BaseException:
        signal.signal(signal.SIGINT, previous)
        raise
    signal.signal(signal.SIGINT, previous)
    if noted:
        raise KeyboardInterrupt
