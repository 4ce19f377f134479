"""Alembic migrations, run programmatically: ``annotator db upgrade`` / ``db current``.

Checking a database (``ensure_current``, done by every start of every command) imports no
Alembic when the database's revision (read from its ``alembic_version`` table) equals
``migrate_head.HEAD_REVISION``, a constant a test holds equal to Alembic's head. Anything
else (a migration to run, an unknown or forked history) is Alembic's to read and explain.
Alembic is imported inside the functions that need it: it costs tens of milliseconds at
every start otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from annotator.errors import UserError
from annotator.store.engine import is_sqlite, read_only, redact
from annotator.store.migrate_head import HEAD_REVISION as HEAD_REVISION
from annotator.store.migrate_head import VERSION_TABLE as VERSION_TABLE

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSIONS = MIGRATIONS / "versions"


def _config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS))


def known_revisions() -> set[str]:
    """Every revision this version's migration files define (Alembic's reading of them)."""
    return {script.revision for script in _scripts().walk_revisions()}


def check_not_newer(engine: Engine, current: str | None) -> None:
    """A database migrated by a newer annotator: one line, instead of Alembic's traceback."""
    if current is not None and current not in known_revisions():
        raise UserError(
            f"the database {redact(str(engine.url))} is at migration {current}, which this annotator does not know: "
            "a newer version of annotator made it; upgrade annotator to use this database"
        )


def head_revision() -> str:
    """The newest migration's revision id, as Alembic reads the files (several heads: Alembic's error)."""
    return _scripts().get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated), read from its version table."""
    with read_only(engine).connect() as conn:
        if not sa.inspect(conn).has_table(VERSION_TABLE):
            return None
        rows = [row[0] for row in conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}")]
    if len(rows) <= 1:
        return str(rows[0]) if rows else None
    from alembic.runtime.migration import MigrationContext  # several heads: Alembic's own error

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    check_not_newer(engine, current_revision(engine))
    command.upgrade(_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    command.downgrade(_config(engine), revision)


def ensure_current(engine: Engine) -> None:
    """Migrate an SQLite file or an empty server to the head; refuse a shared server that is behind."""
    current = current_revision(engine)
    if current == HEAD_REVISION:
        return  # the common case: no Alembic imported
    head = head_revision()
    if current == head:
        return
    check_not_newer(engine, current)
    if is_sqlite(engine) or current is None and _is_empty(engine):
        upgrade(engine)
        return
    raise UserError(
        f"the database {redact(str(engine.url))} is at migration {current or 'none'}, this annotator needs "
        f"{head}: run 'annotator db upgrade' (a lead's job on a shared server)"
    )


def _is_empty(engine: Engine) -> bool:
    return not sa.inspect(engine).get_table_names()
