"""Idempotency keys: a write whose COMMIT reply was lost is recognised when it is retried.

The app gives every write (one command, forwards or backwards) a key of its own and stores
it, with what the write produced (e.g. the ids of the spans it made), in the write's own
transaction (table ``write_key``, one row per key and annotator, under the annotator's row
security). If the connection drops after COMMIT was sent, the client cannot know whether
the write is stored; its retry first looks for the key: found, the write is stored and its
result is read back instead of running the write twice (a delete reported as "deleted by
another session", an add as "already tagged"). The lookup is made only on a retry, so a
write that succeeds at once costs one more INSERT, nothing else.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from annotator.store.models import WriteKey


def record(session: Session, *, annotator_id: int, key: str, result: Any = None) -> None:
    """Store ``key`` with ``result`` (JSON) in the current transaction."""
    session.add(WriteKey(annotator_id=annotator_id, key=key, result=result))
    session.flush()


def stored(session: Session, *, annotator_id: int, key: str) -> tuple[bool, Any]:
    """``(True, result)`` when a write with ``key`` was committed, else ``(False, None)``."""
    row = session.get(WriteKey, (annotator_id, key))
    return (True, row.result) if row is not None else (False, None)
