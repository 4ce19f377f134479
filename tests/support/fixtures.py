"""The suite's fixtures: a fresh, migrated database per test, on SQLite and on PostgreSQL.

``db_url`` is parametrised over backends. PostgreSQL runs when ``ANNOTATOR_TEST_PG_URL``
names a server we may create databases on (``.ci/run`` starts one); locally, without it,
those cases are skipped with a visible reason. In CI (``CI=true``) a missing server fails.
tests/conftest.py loads this module as a pytest plugin.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from annotator.schemas.labels import LabelSchema, load_default_schema
from support import postgres
from support.paths import PG_URL


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated template database; each test clones it (fast) into its own database."""
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL suite: ANNOTATOR_TEST_PG_URL is not set")
        pytest.skip("PostgreSQL not available: set ANNOTATOR_TEST_PG_URL to run these cases")
    name = postgres.migrated_template()
    yield name
    postgres.drop_database(name)


def _sqlite_migrated(path: Path) -> str:
    from annotator.store.engine import get_engine

    url = f"sqlite:///{path}"
    get_engine(url)  # migrates
    return url


def _pg_clone(template: str) -> Iterator[str]:
    name = postgres.unique_name("annotator_t")
    yield postgres.create_database(name, template)
    postgres.forget_engines()
    postgres.drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, fully migrated, empty database: SQLite file or PostgreSQL."""
    if request.param == "sqlite":
        yield _sqlite_migrated(tmp_path / "annotator.db")
    else:
        yield from _pg_clone(request.getfixturevalue("pg_template"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a fresh, migrated SQLite file (for tests that are about the UI, not the backend)."""
    return _sqlite_migrated(tmp_path / "annotator.db")


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """URL of a fresh, migrated PostgreSQL database, for PostgreSQL-only features (roles, RLS)."""
    yield from _pg_clone(pg_template)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a database with no tables at all (not migrated), on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    request.getfixturevalue("pg_template")  # skips or fails like db_url when there is no server
    name = postgres.unique_name("annotator_e")
    yield postgres.create_database(name)
    postgres.forget_engines()
    postgres.drop_database(name)


@pytest.fixture
def engine(db_url: str) -> sa.Engine:
    from annotator.store.engine import get_engine

    return get_engine(db_url)


@pytest.fixture
def session(engine: sa.Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture(scope="session")
def schema() -> LabelSchema:
    return load_default_schema()


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never touch the developer's real database or config from a test."""
    monkeypatch.setenv("ANNOTATOR_DB", f"sqlite:///{tmp_path / 'default.db'}")
    monkeypatch.setenv("ANNOTATOR_USER", "tester")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
