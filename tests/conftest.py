"""Shared fixtures: a fresh, migrated database per test, on SQLite and on PostgreSQL.

``db_url`` is parametrised over backends. PostgreSQL runs when ``ANNOTATOR_TEST_PG_URL``
names a server we may create databases on (``.ci/run`` starts one); locally, without it,
those cases are skipped with a visible reason. In CI (``CI=true``) a missing server fails.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.schemas.labels import LabelSchema, load_default_schema

REPO = Path(__file__).resolve().parent.parent
# Real files published by other tools' maintainers, copied byte for byte from shared/peer-formats
# (provenance and licences in tests/data/peer-formats/SOURCES.md), so any clone can run the suite.
PEER = REPO / "tests" / "data" / "peer-formats"
PG_URL = os.environ.get("ANNOTATOR_TEST_PG_URL", "")
_counter = itertools.count()


def _pg_admin_engine():
    import sqlalchemy as sa

    return sa.create_engine(
        PG_URL, isolation_level="AUTOCOMMIT", poolclass=__import__("sqlalchemy.pool", fromlist=["NullPool"]).NullPool
    )


@pytest.fixture(scope="session")
def pg_template() -> str:
    """A migrated template database; each test clones it (fast) into its own database."""
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL suite: ANNOTATOR_TEST_PG_URL is not set")
        pytest.skip("PostgreSQL not available: set ANNOTATOR_TEST_PG_URL to run these cases")
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from annotator.store import migrate
    from annotator.store.engine import create_db_engine

    name = f"annotator_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url, poolclass=sa.pool.NullPool)
    migrate.upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _new_pg_database(template: str) -> tuple[str, str]:
    from sqlalchemy.engine import make_url

    name = f"annotator_t_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    admin.dispose()
    return name, make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(name: str) -> None:
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, fully migrated, empty database: SQLite file or PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'annotator.db'}"
        from annotator.store.engine import get_engine

        get_engine(url)  # migrates
        yield url
    else:
        template = request.getfixturevalue("pg_template")
        name, url = _new_pg_database(template)
        yield url
        from annotator.store.engine import _cached_engine

        _cached_engine.cache_clear()
        _drop_pg_database(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a fresh, migrated SQLite file (for tests that are about the UI, not the backend)."""
    from annotator.store.engine import get_engine

    url = f"sqlite:///{tmp_path / 'annotator.db'}"
    get_engine(url)
    return url


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """URL of a fresh, migrated PostgreSQL database, for PostgreSQL-only features (roles, RLS)."""
    name, url = _new_pg_database(pg_template)
    yield url
    from annotator.store.engine import _cached_engine

    _cached_engine.cache_clear()
    _drop_pg_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request, tmp_path: Path) -> Iterator[str]:
    """URL of a database with no tables at all (not migrated), on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    request.getfixturevalue("pg_template")  # skips or fails like db_url when there is no server
    from sqlalchemy.engine import make_url

    name = f"annotator_e_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    from annotator.store.engine import _cached_engine

    _cached_engine.cache_clear()
    _drop_pg_database(name)


@pytest.fixture
def engine(db_url: str):
    from annotator.store.engine import get_engine

    return get_engine(db_url)


@pytest.fixture
def session(engine):
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture(scope="session")
def schema() -> LabelSchema:
    return load_default_schema()


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path: Path) -> None:
    """Never touch the developer's real database or config from a test."""
    monkeypatch.setenv("ANNOTATOR_DB", f"sqlite:///{tmp_path / 'default.db'}")
    monkeypatch.setenv("ANNOTATOR_USER", "tester")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
