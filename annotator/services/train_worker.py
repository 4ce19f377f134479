"""Training in a child process (``python -m annotator.services.train_worker``), for the app.

Loading the gazetteer holds the interpreter lock for a few hundred milliseconds at a time,
which a thread in the app would turn into keys answered late. So the app reads the training
examples itself (``training.examples_from``, a read-only transaction) and hands them to a
child at a lower priority, which trains exactly as ``annotator train`` does (the project
gazetteer's lists as features) and stores the pipeline in ``training.models_dir()``. One
request frame in, one answer frame out (``worker.write_frame``); its standard error is
discarded, so nothing it prints reaches the terminal the app draws on.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

from annotator.schemas.labels import LabelSchema

Examples = list[tuple[str, list[tuple[str, int, int]]]]


class TrainingFailed(RuntimeError):
    """The child said why it could not train (too little data), or died."""


class TrainProcess:
    """One training in a child process; ``kill`` ends it from another thread."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._killed = False

    def run(self, schema: LabelSchema, examples: Examples, used: list[str]) -> dict[str, Any]:
        """Train and store; returns what ``training.train_examples`` returns."""
        from annotator.services.suggestions.worker import read_frame, write_frame

        with self._lock:
            if self._killed:
                raise TrainingFailed("the app is closing")
            proc = self._proc = subprocess.Popen(
                [sys.executable, "-m", "annotator.services.train_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                close_fds=True,
            )
        assert proc.stdin is not None and proc.stdout is not None
        try:
            write_frame(proc.stdin, (schema, examples, used))
            proc.stdin.close()
            ok, value = read_frame(proc.stdout)
        except (EOFError, OSError) as exc:
            raise TrainingFailed(f"the training process stopped ({exc})") from None
        finally:
            proc.stdout.close()
            proc.wait()
        if not ok:
            raise TrainingFailed(value)
        return value  # type: ignore[no-any-return]

    def kill(self) -> None:
        with self._lock:
            self._killed = True
            if self._proc is not None and self._proc.poll() is None:
                self._proc.kill()


def main() -> None:
    import os

    from annotator.services import training
    from annotator.services.suggestions.gazetteer import load_gazetteer
    from annotator.services.suggestions.worker import read_frame, write_frame

    try:
        os.nice(10)  # background work: the annotator's own process (keys, commits) goes first
    except (AttributeError, OSError):
        pass
    try:
        schema, examples, used = read_frame(sys.stdin.buffer)
        gazetteer = load_gazetteer(None, schema)
        gazetteer.places = None  # the model's features: names of the lists, as annotator train
        reply: tuple[bool, Any] = (True, training.train_examples(examples, used, schema, gazetteer=gazetteer))
    except EOFError:
        return
    except Exception as exc:  # handed back to the parent, which reports it in words
        reply = (False, str(exc))
    write_frame(sys.stdout.buffer, reply)


if __name__ == "__main__":
    main()
