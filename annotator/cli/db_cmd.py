"""`annotator db`: schema migrations (Alembic) on SQLite or PostgreSQL."""

from __future__ import annotations

import typer

from annotator.cli.options import DbOption, SchemaOption, load_schema_option
from annotator.untrusted import escape_controls

app = typer.Typer(
    help="Database schema: upgrade to the newest migration, or show the current one.", no_args_is_help=True
)


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

    engine = get_engine(db, migrate=False, create=False)
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
    reviewer: bool = typer.Option(
        False, "--reviewer", help="The role reads every annotator's work and writes the gold version."
    ),
    gold: str = typer.Option(
        None,
        "--gold",
        help="With --reviewer: the gold annotator it writes (default: gold; review --gold-as).",
        show_default=False,
    ),
    role: str = typer.Option(None, "--role", help="Database role name (default: NAME).", show_default=False),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the role's password from standard input (first line)."
    ),
    schema: SchemaOption = None,
    db: DbOption = None,
) -> None:
    """PostgreSQL: give annotator NAME a login role that sees only their own work.

    The role's password: typed at a prompt when a terminal is attached (empty: none for a new
    role, unchanged for an existing one), or read with --password-stdin, or from
    $ANNOTATOR_ROLE_PASSWORD for scripts; never from the command line. The label schema
    (--schema, default schemas/conflict.toml) is registered too: only the lead writes schemas.
    """
    from annotator.errors import UserError
    from annotator.services import corpus
    from annotator.services.importing.parsed import annotator_problem
    from annotator.store import roles
    from annotator.store.engine import get_engine, redact, session_scope

    problem = annotator_problem(name)
    if problem:
        raise UserError(f"db grant: {problem}")
    label_schema = load_schema_option(schema)
    engine = get_engine(db, create=False)
    if engine.dialect.name != "postgresql":
        raise UserError("db grant: roles need PostgreSQL; a SQLite file is guarded by its file permissions")
    password = _read_password(role or name, password_stdin)
    with session_scope(engine) as session:
        corpus.register_schema(session, label_schema)
    result = roles.grant(engine, name, role=role, reviewer=reviewer, password=password, gold=gold)
    what = (
        f"reviewer (reads all, writes {result.gold!r})"
        if result.reviewer
        else "annotator (own spans, links and statuses only)"
    )
    verb = "created" if result.created_role else "updated"
    password_note = (
        "password set" if result.password_set else ("no password" if result.created_role else "password unchanged")
    )
    typer.echo(
        escape_controls(
            f"{redact(str(engine.url))}: role {result.role!r} {verb} for {result.annotator!r} as {what}; {password_note}"
        )
    )


def _read_password(role: str, from_stdin: bool) -> str | None:
    """--password-stdin, else $ANNOTATOR_ROLE_PASSWORD, else a prompt on a terminal, else none."""
    import getpass
    import os
    import sys

    from annotator.errors import UserError

    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        if password.endswith("\r"):
            password = password[:-1]
        if not password:
            raise UserError("db grant: --password-stdin read an empty password")
        return password
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(f"Password for role {role} (empty: none, or keep the current one): ", stream=sys.stderr)
    if not first:
        return None
    if getpass.getpass("Again: ", stream=sys.stderr) != first:
        raise UserError("db grant: the two passwords differ; nothing was changed")
    return first


@app.command("revoke")
def revoke_command(name: str = typer.Argument(..., help="The annotator's name."), db: DbOption = None) -> None:
    """PostgreSQL: unbind annotator NAME from its role and take the role's rights on this database."""
    from annotator.store import roles
    from annotator.store.engine import get_engine, redact

    engine = get_engine(db, create=False)
    role = roles.revoke(engine, name)
    typer.echo(
        escape_controls(
            f"{redact(str(engine.url))}: "
            + (f"role {role!r} revoked for {name!r}" if role else f"{name!r} had no role")
        )
    )
