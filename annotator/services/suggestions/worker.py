"""The suggestion worker process: ``python -m annotator.services.suggestions.worker``.

It reads requests from standard input and answers on standard output, each a pickled
``(name, args)`` / ``(ok, value)`` frame preceded by its length (8 bytes, big-endian). Its
standard error is discarded by the parent, so nothing it could print reaches the terminal
the app draws on. It exits when its input closes (the parent quit or was killed).

Only ``background.Suggester`` starts it, and only with requests named in ``CALLS``.
"""

from __future__ import annotations

import pickle
import struct
import sys
from typing import IO, Any

_LENGTH = struct.Struct(">Q")


def write_frame(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError("the other side closed the pipe")
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the other side closed the pipe")
    return pickle.loads(data)


def main() -> None:
    import os

    from annotator.services.suggestions import background

    try:
        os.nice(10)  # background work: the annotator's own process (keys, commits) goes first
    except (AttributeError, OSError):
        pass

    try:
        background.preload()  # while the app starts (``background.prestart_worker``) and sends its first request
    except Exception:  # whatever failed fails again, reported, when a request needs it
        pass
    calls = {name: getattr(background, name) for name in background.CALLS}
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            name, args = read_frame(stdin)
        except EOFError:
            return
        try:
            reply = (True, calls[name](*args))
        except Exception as exc:  # handed back to the parent, which reports it in words
            reply = (False, f"{type(exc).__name__}: {exc}")
        write_frame(stdout, reply)


if __name__ == "__main__":
    main()
