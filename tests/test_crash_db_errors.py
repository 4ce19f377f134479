"""A locked SQLite file and a dropped PostgreSQL connection: a clear one-line error, nothing
half-saved, and ``store.retry`` saves the change exactly once when the database comes back.
"""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.store import engine as engine_mod
from annotator.store.engine import create_db_engine, session_scope
from annotator.store.models import Span
from annotator.store.retry import DatabaseUnavailable, backoff_delays, is_transient, retry, run_transaction

TEXT = "Seleka rebels left Bangui on Tuesday, a UN spokesman said."


def _setup(engine, schema):
    with session_scope(engine) as s:
        doc, _ = corpus.add_document(s, text=TEXT)
        who = corpus.get_or_create_annotator(s, "ana")
        row = corpus.register_schema(s, schema)
        return doc.id, who.id, row.id


def _add_two(schema, doc_id, who, schema_id):
    """One user action that writes two spans: saved together or not at all."""

    def work(s):
        doc = corpus.get_document(s, doc_id)
        a = span_ops.add_span(
            s, document=doc, annotator_id=who, schema_id=schema_id, schema=schema, label="ACTOR", start=0, end=13
        )
        b = span_ops.add_span(
            s, document=doc, annotator_id=who, schema_id=schema_id, schema=schema, label="LOCATION", start=19, end=25
        )
        return a.id, b.id

    return work


def _span_count(engine) -> int:
    with Session(engine) as s:
        return len(s.exec(select(Span)).all())


@pytest.fixture
def locked_sqlite(sqlite_url, monkeypatch, schema):
    """A SQLite engine with a 150 ms busy timeout, and a second connection that can hold the lock."""
    monkeypatch.setattr(engine_mod, "SQLITE_BUSY_TIMEOUT_MS", 150)
    engine = create_db_engine(sqlite_url)
    ids = _setup(engine, schema)
    holder = sqlite3.connect(make_url(sqlite_url).database, isolation_level=None, timeout=5)
    yield engine, ids, holder
    holder.close()
    engine.dispose()


def test_locked_sqlite_is_a_clear_error_and_saves_nothing(locked_sqlite, schema):
    engine, ids, holder = locked_sqlite
    holder.execute("BEGIN IMMEDIATE")  # another terminal holds the write lock past our timeout
    waits: list[float] = []
    with pytest.raises(DatabaseUnavailable) as failure:
        run_transaction(engine, _add_two(schema, *ids), attempts=3, sleep=waits.append)
    message = str(failure.value)
    assert "\n" not in message and "locked" in message and "nothing saved" in message and "tried 3 times" in message
    assert failure.value.exit_code == 3 and len(waits) == 2
    holder.execute("ROLLBACK")
    assert _span_count(engine) == 0


def test_locked_sqlite_then_released_saves_exactly_once(locked_sqlite, schema):
    engine, ids, holder = locked_sqlite
    holder.execute("BEGIN IMMEDIATE")
    told: list[str] = []

    def on_retry(attempt, exc, delay):
        told.append(f"database busy, retry {attempt}")
        if attempt == 2:
            holder.execute("ROLLBACK")  # the other terminal finishes

    a, b = run_transaction(engine, _add_two(schema, *ids), attempts=5, sleep=lambda _: None, on_retry=on_retry)
    assert told == ["database busy, retry 1", "database busy, retry 2"]
    with Session(engine) as s:
        assert sorted(x.id for x in ann.spans_for(s, ids[0], ids[1])) == sorted([a, b])
    assert _span_count(engine) == 2


def _pg_engine(pg_url):
    return create_db_engine(pg_url, poolclass=sa.pool.NullPool)


def _terminate(url: str, pid: int) -> None:
    admin = create_db_engine(url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})").scalar() is True
    admin.dispose()


@pytest.mark.postgres
def test_dropped_postgres_connection_loses_the_transaction_cleanly(pg_url, schema):
    engine = create_db_engine(pg_url)
    ids = _setup(engine, schema)
    with Session(engine) as s:
        _add_two(schema, *ids)(s)  # flushed: the rows are on the server, inside the transaction
        pid = s.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        _terminate(pg_url, pid)
        with pytest.raises(sa.exc.OperationalError) as dropped:
            s.commit()
        assert is_transient(dropped.value)
        s.rollback()
    assert _span_count(engine) == 0  # nothing half-saved
    engine.dispose()


@pytest.mark.postgres
def test_dropped_postgres_connection_is_retried_and_saved_once(pg_url, schema):
    engine = create_db_engine(pg_url)
    ids = _setup(engine, schema)
    attempts = []

    def work(s):
        result = _add_two(schema, *ids)(s)
        attempts.append(1)
        if len(attempts) == 1:  # the first attempt's connection dies before commit
            _terminate(pg_url, s.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar())
        return result

    run_transaction(engine, work, attempts=4, sleep=lambda _: None)
    assert len(attempts) == 2 and _span_count(engine) == 2
    engine.dispose()


@pytest.mark.postgres
def test_unreachable_postgres_ends_in_one_line(pg_url):
    dead = make_url(pg_url).set(port=1).render_as_string(hide_password=False)
    engine = create_db_engine(dead, poolclass=sa.pool.NullPool)
    with pytest.raises(DatabaseUnavailable) as failure:
        retry(lambda: engine.connect().close(), attempts=2, sleep=lambda _: None)
    assert "\n" not in str(failure.value) and "nothing saved" in str(failure.value)


def test_only_transient_errors_are_retried(sqlite_url, schema):
    engine = create_db_engine(sqlite_url)
    calls = []

    def conflict():
        calls.append(1)
        raise ann.VersionConflict("span 1 was changed by another session")

    with pytest.raises(ann.VersionConflict):
        retry(conflict, attempts=5, sleep=lambda _: None)
    assert len(calls) == 1

    ids = _setup(engine, schema)

    def duplicate(s):
        calls.append(1)
        s.exec(
            sa.text("INSERT INTO annotator (id, name, created_at) VALUES (:i, 'dup', '2024-01-01')").bindparams(
                i=ids[1]
            )
        )

    calls.clear()
    with pytest.raises(sa.exc.IntegrityError):
        run_transaction(engine, duplicate, attempts=5, sleep=lambda _: None)
    assert len(calls) == 1
    engine.dispose()


def test_backoff_grows_and_is_capped():
    delays = backoff_delays(8, base=0.05, cap=1.0)
    assert len(delays) == 7
    assert all(0.025 <= d <= 1.0 for d in delays)
    assert delays[-1] >= 0.5 and delays[0] <= 0.05
