"""Opening input files safely: regular files only, and never more than a cap read whole.

A folder can hold things that are not files: a FIFO named ``notes.txt`` (opening it waits
for a writer forever), a symlink to ``/dev/zero`` or ``/dev/urandom`` (reading it never
ends), a symlink loop, a socket. ``file_problem`` says why such a path is not imported
before anything opens it; ``open_regular`` opens without blocking (``O_NONBLOCK``) and
checks the opened descriptor again, so a file swapped for a FIFO in between is refused too.
Whole-file reads (text, brat, PDF, DOCX, HTML) are capped at ``MAX_FILE_BYTES``; JSONL and
CoNLL stream line by line and have no cap.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from .decode import FileRefused

MAX_FILE_BYTES = 256 << 20  # what one document file may weigh (a plain-text file this big is 100 000 pages)

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def kind_problem(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is not read, or ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    return f"not a regular file: {kind}"


def file_problem(path: Path) -> str | None:
    """Why ``path`` is not a regular file (or a symlink to one) we can read, else ``None``."""
    try:
        mode = os.stat(path).st_mode  # follows symlinks
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return "a broken symbolic link (its target does not exist)"
        return f"cannot read it ({exc.strerror or exc})"
    except ValueError as exc:  # an embedded NUL in a path given from Python
        return f"cannot read it ({exc})"
    return kind_problem(mode)


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for binary reading, or ``FileRefused`` if it is not a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        reason = file_problem(path) or f"cannot read it ({exc.strerror or exc})"
        raise FileRefused(reason) from None
    try:
        problem = kind_problem(os.fstat(fd).st_mode)
    except OSError as exc:
        os.close(fd)
        raise FileRefused(f"cannot read it ({exc.strerror or exc})") from None
    if problem:
        os.close(fd)
        raise FileRefused(problem)
    return os.fdopen(fd, "rb")


def read_capped(path: Path, limit: int | None = None) -> bytes:
    """The whole file, or ``FileRefused`` when it is not a regular file or is over ``limit`` bytes."""
    limit = MAX_FILE_BYTES if limit is None else limit
    with open_regular(path) as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise FileRefused(f"cannot read it ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise FileRefused(f"too large: over {size_text(limit)}, the most one document file may hold")
    return data


def size_text(limit: int) -> str:
    return f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit} bytes"
