"""Which database, and how to talk to it: URL resolution, engines and sessions.

The database is chosen by one URL: ``--db URL`` on every command, else the ``ANNOTATOR_DB``
environment variable, else an embedded SQLite file (see ``default_db_path``). Nothing here
runs at import time, and SQLAlchemy is imported only when an engine or a URL is needed: the
annotation app paints its first screen (``default_db_path``, ``ENV_VAR``) before it loads.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

ENV_VAR = "ANNOTATOR_DB"
BUSY_TIMEOUT_VAR = "ANNOTATOR_BUSY_TIMEOUT"  # seconds a write waits for a busy SQLite file


def _busy_timeout_ms() -> int:
    given = os.environ.get(BUSY_TIMEOUT_VAR)
    if not given:
        return SQLITE_BUSY_TIMEOUT_MS
    try:
        return max(0, int(float(given) * 1000))
    except ValueError:
        raise UserError(f"{BUSY_TIMEOUT_VAR}: not a number of seconds: {os.environ.get(BUSY_TIMEOUT_VAR)!r}") from None


SQLITE_BUSY_TIMEOUT_MS = 30_000  # the default of the above
DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")  # what this annotator can store into


class DatabaseMissing(UserError):
    """A command that only reads or changes a database was pointed at a SQLite file that is not there."""

    exit_code = 3


def default_db_path() -> Path:
    """``annotations/annotator.db`` in a checkout; else ``$XDG_DATA_HOME/annotator/annotator.db``."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "annotations").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout / "annotations" / "annotator.db"
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "annotator" / "annotator.db"


def resolve_url(url: str | None = None) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    chosen = url or os.environ.get(ENV_VAR) or f"sqlite:///{default_db_path()}"
    try:
        parsed = make_url(chosen)
    except (ArgumentError, ValueError):
        raise UserError(
            f"--db: not a database URL: {redact(chosen)!r} (e.g. sqlite:///path.db or postgresql+psycopg://host/db)"
        ) from None
    if parsed.drivername == "postgresql":  # plain postgresql:// means psycopg v3 here
        chosen = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    elif parsed.drivername not in DRIVERS:
        raise UserError(
            f"--db: {redact(chosen)!r}: annotator stores into SQLite (sqlite:///path.db) or PostgreSQL "
            f"(postgresql://host/db), not {parsed.drivername!r}"
        )
    return chosen


def require_existing(url: str) -> None:
    """Refuse a SQLite file that does not exist (a mistyped path must not become a new, empty database)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database).expanduser()
        if not path.exists():
            raise DatabaseMissing(
                f"no database at {path}: check --db or ${ENV_VAR} ('annotator import' or 'annotator db upgrade' creates one)"
            )


def redact(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<unparseable URL>"


def is_sqlite(engine_or_url: Engine | str) -> bool:
    from sqlalchemy.engine import Engine, make_url

    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, manage transactions; BEGIN IMMEDIATE takes the write
    # lock up front so concurrent writers queue on the busy timeout instead of failing.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={_busy_timeout_ms()}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across a killed process
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # Read-only work (export, agreement) opts out with ``read_only(engine)`` so a long read
    # never holds the write lock that annotators' commits wait for.
    if conn.get_execution_options().get("annotator_read_only"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def read_only(engine: Engine) -> Engine:
    """The same engine for long reads: on SQLite it begins a deferred transaction."""
    return engine.execution_options(annotator_read_only=True)


def create_db_engine(url: str | None = None, **kwargs: Any) -> Engine:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    url = resolve_url(url)
    if is_sqlite(url):
        parsed = make_url(url)
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": _busy_timeout_ms() / 1000}, **kwargs
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True, **kwargs)
    return engine


@lru_cache(maxsize=8)
def _cached_engine(url: str) -> Engine:
    return create_db_engine(url)


def get_engine(url: str | None = None, *, migrate: bool = True, create: bool = True) -> Engine:
    """The engine for ``url`` (resolved as above), brought up to the newest schema.

    SQLite files are migrated automatically. A shared server is only checked: a lead runs
    ``annotator db upgrade`` once, so annotators need no rights to change the schema.
    ``create=False``: a SQLite file that does not exist is ``DatabaseMissing`` (exit 3).
    """
    from annotator.store import migrate as migrations

    resolved = resolve_url(url)
    if not create:
        require_existing(resolved)
    engine = _cached_engine(resolved)
    if migrate:
        migrations.ensure_current(engine)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """A session for reading only: on SQLite its transaction is deferred (in WAL mode, a
    snapshot that blocks no writer and waits for none); it is rolled back at the end."""
    from sqlmodel import Session

    with Session(read_only(engine), expire_on_commit=False) as session:
        try:
            yield session
        finally:
            session.rollback()
