"""An import's failures as one line each: a database that refused a file, titles that were cleaned."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from annotator.errors import UserError


def cleaned_note(display: str, cleaned: int) -> str:
    return (
        f"{display}: {cleaned} title{'s' if cleaned != 1 else ''} or source{'s' if cleaned != 1 else ''} "
        "held control characters (removed; line breaks and tabs became spaces)"
    )


def with_exit_code(exit_code: int, error: UserError) -> UserError:
    error.exit_code = exit_code
    return error


def database_error(display: str, exc: Exception, engine: Engine | None = None) -> UserError:
    """A database failure (locked, permission, connection lost, disk full) as one line;
    locked, lost or full exits 3 (``store.retry.failure``). A lock that outlasted the busy
    timeout names who holds it (``store.writers``)."""
    from annotator.store import writers
    from annotator.store.retry import failure

    reason, exit_code = failure(exc)
    if engine is not None and writers.is_locked_error(exc):
        holder = writers.explain_lock(engine.url.render_as_string(hide_password=False))
        message = f"{display}: nothing from this file was stored: {holder}"
    else:
        message = f"{display}: the database refused the import ({reason}); nothing from this file was stored"
    error = UserError(message)
    error.exit_code = exit_code  # a lock is transient: 3, as every database failure of the environment
    return error


@contextmanager
def rolled_back_on_failure(session: Session, display: str, engine: Engine) -> Iterator[None]:
    """Whatever ends the block early rolls the file's transaction back, so nothing from it is stored; a
    database failure is re-raised as ``database_error`` (one line naming the file), anything else as it is."""
    try:
        yield
    except sa.exc.SQLAlchemyError as exc:
        session.rollback()
        raise database_error(display, exc, engine) from None
    except BaseException:
        session.rollback()
        raise
