"""`annotator db`: schema migrations (Alembic) on SQLite or PostgreSQL."""

from __future__ import annotations

import typer

from annotator.cli.options import DbOption
from annotator.terminal import escape_controls

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
    typer.echo(escape_controls(f"{redact(str(engine.url))}: {before or 'empty'} -> {after}"))
    from annotator.store import roles

    refreshed = roles.refresh(engine)  # new tables: row-level security and rights for team roles
    if refreshed:
        typer.echo(f"row-level security and rights refreshed for {len(refreshed)} team role(s)")


@app.command("current")
def current_command(db: DbOption = None) -> None:
    """Print the database's migration revision and the newest one this version knows."""
    from annotator.store import migrate
    from annotator.store.engine import get_engine, redact

    engine = get_engine(db, migrate=False)
    current = migrate.current_revision(engine)
    head = migrate.head_revision()
    if current == head:
        state = "up to date"
    elif current is not None and current not in migrate.known_revisions():
        state = "made by a newer annotator: upgrade annotator"
    else:
        state = "needs 'annotator db upgrade'"
    typer.echo(escape_controls(f"{redact(str(engine.url))}: at {current or 'none (empty)'}; newest {head} ({state})"))


PASSWORD_ENV = "ANNOTATOR_ROLE_PASSWORD"


@app.command("grant")
def grant_command(
    name: str = typer.Argument(..., help="The annotator's name (as they annotate with --as / ANNOTATOR_USER)."),
    reviewer: bool = typer.Option(False, "--reviewer", help="The role reads every annotator's work and writes the gold version."),
    role: str = typer.Option(None, "--role", help="Database role name (default: NAME).", show_default=False),
    db: DbOption = None,
) -> None:
    """PostgreSQL: give annotator NAME a login role that sees only their own work.

    The role's password is read from $ANNOTATOR_ROLE_PASSWORD (never from the command line);
    without it a new role gets no password and an existing role keeps its own.
    """
    import os

    from annotator.store import roles
    from annotator.store.engine import get_engine, redact

    engine = get_engine(db)
    result = roles.grant(engine, name, role=role, reviewer=reviewer, password=os.environ.get(PASSWORD_ENV) or None)
    what = "reviewer (reads all, writes gold)" if result.reviewer else "annotator (own spans, links and statuses only)"
    verb = "created" if result.created_role else "updated"
    password = "password set" if result.password_set else ("no password" if result.created_role else "password unchanged")
    typer.echo(escape_controls(f"{redact(str(engine.url))}: role {result.role!r} {verb} for {result.annotator!r} as {what}; {password}"))


@app.command("revoke")
def revoke_command(name: str = typer.Argument(..., help="The annotator's name."), db: DbOption = None) -> None:
    """PostgreSQL: unbind annotator NAME from its role and take the role's rights on this database."""
    from annotator.store import roles
    from annotator.store.engine import get_engine, redact

    engine = get_engine(db)
    role = roles.revoke(engine, name)
    typer.echo(escape_controls(f"{redact(str(engine.url))}: " + (f"role {role!r} revoked for {name!r}" if role else f"{name!r} had no role")))
