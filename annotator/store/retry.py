"""Retrying a transaction when the database is briefly unavailable.

A SQLite file locked by another writer beyond the busy timeout, a PostgreSQL connection
dropped by a restart or ``pg_terminate_backend``, a serialization failure or deadlock: these
are *transient* — the whole transaction can simply run again. Everything else (a constraint,
a ``VersionConflict``, a bug) is not, and is raised at once.

The unit of retry is the whole transaction, never a single statement: ``run_transaction``
opens a fresh session for each attempt, so a failed attempt leaves nothing behind (it was
rolled back) and a later one starts from the current state. When every attempt fails the
caller gets ``DatabaseUnavailable`` — a one-line message — and must not show the change as
saved (the TUI keeps it pending and offers to try again).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from annotator.errors import UserError

T = TypeVar("T")

# SQLSTATEs worth another try: serialization failure, deadlock, lock not available, admin
# shutdown / crash / cannot connect now, and the connection exception class.
TRANSIENT_SQLSTATES = frozenset(
    {"40001", "40P01", "55P03", "57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"}
)
SQLITE_TRANSIENT = ("database is locked", "database table is locked", "database is busy")
PG_CONNECTION_LOST = (
    "server closed the connection",
    "connection is closed",
    "connection already closed",
    "terminating connection",
    "connection failed",
    "connection refused",
    "could not connect",
    "connection timeout",
    "consuming input failed",
)


class DatabaseUnavailable(UserError):
    """The database stayed locked or unreachable through every retry: nothing was saved."""

    exit_code = 3

    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


def is_transient(exc: BaseException) -> bool:
    """Whether running the same transaction again may well succeed."""
    if isinstance(exc, sa.exc.DBAPIError):
        if exc.connection_invalidated:
            return True
        orig = exc.orig
        code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
        if code in TRANSIENT_SQLSTATES:
            return True
        if isinstance(exc, sa.exc.OperationalError):
            text = str(orig).lower()
            if any(marker in text for marker in SQLITE_TRANSIENT):
                return True
            # psycopg: a dropped or refused server connection has no SQLSTATE at all
            if code is None and any(marker in text for marker in PG_CONNECTION_LOST):
                return True
    return False


def is_connection_error(exc: BaseException) -> bool:
    """A lost or refused database connection (or a locked SQLite file): worth retrying.

    Broader than ``is_transient``: the UI keeps a change pending and retries it on any
    operational or interface error rather than giving up on the first one.
    """
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError))


DISK_FULL_MARKERS = ("database or disk is full", "no space left on device", "disk full", "could not extend file")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def failure(exc: BaseException) -> tuple[str, int]:
    """A failed write as ``(what went wrong, exit status)``: a full disk or a locked or lost
    database exits 3 (the environment, not the input), anything else 2. Follows the chain
    of exceptions: after SQLITE_FULL rolls the transaction back, the error raised is a
    secondary "no such savepoint", and the disk being full is the one to report."""
    chain = list(_chain(exc))
    for link in chain:
        orig = getattr(link, "orig", None) or link
        if getattr(orig, "sqlstate", None) == "53100" or any(m in str(orig).lower() for m in DISK_FULL_MARKERS):
            return f"disk full: {describe(link)}", 3
    for link in chain:
        if is_transient(link) or is_connection_error(link):
            return describe(link), 3
    return describe(exc), 2


def describe(exc: BaseException) -> str:
    """The driver's first line, without traceback or URL (so no password)."""
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return (lines[0] if lines else type(exc).__name__)[:300]


def backoff_delays(
    attempts: int, base: float = 0.05, cap: float = 2.0, rng: random.Random | None = None
) -> list[float]:
    """Exponential backoff with jitter between ``attempts`` tries (``attempts - 1`` waits)."""
    rng = rng or random.Random()
    return [min(cap, base * 2**i) * (0.5 + rng.random() / 2) for i in range(max(0, attempts - 1))]


def retry(
    fn: Callable[[], T],
    *,
    attempts: int = 5,
    base_delay: float = 0.05,
    max_delay: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[int, BaseException, float], None] | None = None,
) -> T:
    """Call ``fn`` until it returns, retrying transient database errors with backoff.

    ``fn`` must be a whole transaction (see ``run_transaction``). ``on_retry(attempt, exc,
    delay)`` is told before each wait, e.g. to show "database busy, retrying...".
    """
    delays = backoff_delays(attempts, base_delay, max_delay)
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except Exception as exc:
            if not is_transient(exc):
                raise
            if attempt == attempts:
                raise DatabaseUnavailable(
                    f"the database is locked or unreachable (tried {attempts} times, nothing saved): {describe(exc)}",
                    attempts,
                ) from exc
            delay = delays[attempt - 1]
            if on_retry is not None:
                on_retry(attempt, exc, delay)
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def run_transaction(engine: Engine, work: Callable[[Session], T], **retry_options: Any) -> T:
    """Run ``work(session)`` in its own transaction, committed at the end, retried as a whole.

    Each attempt gets a fresh session; an attempt that fails is rolled back completely, so a
    change is either saved once or not at all. Returns what ``work`` returned.
    """

    def attempt() -> T:
        with Session(engine, expire_on_commit=False) as session:
            try:
                result = work(session)
                session.commit()
                return result
            except BaseException:
                session.rollback()
                raise

    return retry(attempt, **retry_options)
