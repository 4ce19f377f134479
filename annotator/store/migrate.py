"""Alembic migrations, run programmatically: ``annotator db upgrade`` / ``db current``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from annotator.errors import UserError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS))
    return script.get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(_config(engine), revision)


def ensure_current(engine: Engine) -> None:
    from annotator.store.engine import is_sqlite, redact

    current = current_revision(engine)
    if current == head_revision():
        return
    if is_sqlite(engine) or current is None and _is_empty(engine):
        upgrade(engine)
        return
    raise UserError(
        f"the database {redact(str(engine.url))} is at migration {current or 'none'}, this annotator needs "
        f"{head_revision()}: run 'annotator db upgrade' (a lead's job on a shared server)"
    )


def _is_empty(engine: Engine) -> bool:
    import sqlalchemy as sa

    return not sa.inspect(engine).get_table_names()
