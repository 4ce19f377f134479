"""Fresh PostgreSQL databases for tests: one migrated template per test session, cloned per test."""

from __future__ import annotations

import itertools
import os
import uuid

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from support.paths import PG_URL

_counter = itertools.count()


def admin_engine() -> sa.Engine:
    """An autocommit engine on the server's maintenance database (CREATE/DROP DATABASE)."""
    return sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def url_of(name: str) -> str:
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def unique_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"


def create_database(name: str, template: str | None = None) -> str:
    """Create database ``name`` (a copy of ``template`` if given) and return its URL."""
    admin = admin_engine()
    with admin.connect() as conn:
        clause = f' TEMPLATE "{template}"' if template else ""
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"{clause}')
    admin.dispose()
    return url_of(name)


def drop_database(name: str) -> None:
    admin = admin_engine()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def migrated_template() -> str:
    """Create a database, migrate it to the newest revision, and return its name."""
    from annotator.store import migrate
    from annotator.store.engine import create_db_engine

    name = f"annotator_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    engine = create_db_engine(create_database(name), poolclass=NullPool)
    migrate.upgrade(engine)
    engine.dispose()
    return name


def forget_engines() -> None:
    """Drop the cached engines, so no pooled connection keeps a dropped database busy."""
    from annotator.store.engine import _cached_engine

    _cached_engine.cache_clear()
