"""`annotator db`: schema migrations (Alembic) on SQLite or PostgreSQL."""

from __future__ import annotations

import typer

from annotator.cli.options import DbOption

app = typer.Typer(help="Database schema: upgrade to the newest migration, or show the current one.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(db: DbOption = None, revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from annotator.store import migrate
    from annotator.store.engine import get_engine, redact

    engine = get_engine(db, migrate=False)
    before = migrate.current_revision(engine)
    migrate.upgrade(engine, revision)
    after = migrate.current_revision(engine)
    typer.echo(f"{redact(str(engine.url))}: {before or 'empty'} -> {after}")


@app.command("current")
def current_command(db: DbOption = None) -> None:
    """Print the database's migration revision and the newest one this version knows."""
    from annotator.store import migrate
    from annotator.store.engine import get_engine, redact

    engine = get_engine(db, migrate=False)
    current = migrate.current_revision(engine)
    head = migrate.head_revision()
    state = "up to date" if current == head else "needs 'annotator db upgrade'"
    typer.echo(f"{redact(str(engine.url))}: at {current or 'none (empty)'}; newest {head} ({state})")
