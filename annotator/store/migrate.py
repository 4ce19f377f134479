"""Alembic migrations, run programmatically: ``annotator db upgrade`` / ``db current``.

Checking a database (``ensure_current``, done by every start of every command) imports no
Alembic: the newest revision is read from the migration files' ``revision`` /
``down_revision`` lines and the database's from its ``alembic_version`` table. Alembic is
imported only to migrate (or to explain an unusual history, e.g. two heads).
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.errors import UserError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSIONS = MIGRATIONS / "versions"
VERSION_TABLE = "alembic_version"


def _config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def _revision_lines(path: Path) -> tuple[str | None, tuple[str, ...]]:
    """``(revision, down revisions)`` from a migration file's module-level assignments."""
    revision: str | None = None
    down: tuple[str, ...] = ()
    for node in ast.parse(path.read_text(encoding="utf-8"), filename=str(path)).body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        value = getattr(node, "value", None)
        for target in targets:
            if not isinstance(target, ast.Name) or value is None:
                continue
            try:
                found = ast.literal_eval(value)
            except ValueError:
                continue
            if target.id == "revision" and isinstance(found, str):
                revision = found
            elif target.id == "down_revision":
                down = tuple(found) if isinstance(found, (tuple, list)) else (found,) if isinstance(found, str) else ()
    return revision, down


def known_revisions() -> set[str]:
    """Every revision this version's migration files define."""
    return {rev for rev, _ in map(_revision_lines, VERSIONS.glob("*.py")) if rev is not None}


def check_not_newer(engine: Engine, current: str | None) -> None:
    """A database migrated by a newer annotator: one line, instead of Alembic's traceback."""
    if current is not None and current not in known_revisions():
        from annotator.store.engine import redact

        raise UserError(
            f"the database {redact(str(engine.url))} is at migration {current}, which this annotator does not know: "
            "a newer version of annotator made it; upgrade annotator to use this database"
        )


def head_revision() -> str:
    """The newest migration's revision id (read from the files; a fork is Alembic's error)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted(VERSIONS.glob("*.py")):
        revision, down = _revision_lines(path)
        if revision is not None:
            revisions.add(revision)
            parents.update(down)
    heads = revisions - parents
    if len(heads) == 1:
        return heads.pop()
    from alembic.script import ScriptDirectory  # none or several heads: let Alembic say so

    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated), read from its version table."""
    import sqlalchemy as sa

    from annotator.store.engine import read_only

    with read_only(engine).connect() as conn:
        if not sa.inspect(conn).has_table(VERSION_TABLE):
            return None
        rows = [row[0] for row in conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}")]
    if len(rows) <= 1:
        return rows[0] if rows else None
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
    from annotator.store.engine import is_sqlite, redact

    current = current_revision(engine)
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
    import sqlalchemy as sa

    return not sa.inspect(engine).get_table_names()
