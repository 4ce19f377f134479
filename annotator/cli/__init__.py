"""The ``annotator`` command line: one module per subcommand, registered here.

Commands import their heavy dependencies (SQLAlchemy, Textual, exporters) inside the
command function, so ``annotator --help`` stays fast (start-up speed: the reason for every
function-local import under ``cli/``).
"""

from __future__ import annotations

import importlib
import io
import sys
from typing import IO, Any, Protocol

import typer

from annotator.cli import (
    agreement_cmd,
    annotate_cmd,
    assign_cmd,
    db_cmd,
    export_cmd,
    import_cmd,
    review_cmd,
    stats_cmd,
    suggest_cmd,
    team_cmd,
    train_cmd,
)
from annotator.cli.flags import command_line_message
from annotator.errors import UserError
from annotator.launch import exit_interrupted, version
from annotator.untrusted import escape_controls

app = typer.Typer(
    name="annotator",
    help="Annotate documents with labelled spans in the terminal, export them, and measure agreement.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"annotator {version()}")
        raise typer.Exit()


@app.callback()
def _root(
    _version: bool = typer.Option(
        False, "--version", "-V", help="Print the version and exit.", is_eager=True, callback=_print_version
    ),
) -> None:
    return None  # only --version; the help text is the app's


import_cmd.register(app)
annotate_cmd.register(app)
assign_cmd.register(app)
export_cmd.register(app)
agreement_cmd.register(app)
review_cmd.register(app)
suggest_cmd.register(app)
stats_cmd.register(app)
team_cmd.register(app)
train_cmd.register(app)
app.add_typer(db_cmd.app, name="db")


def main() -> None:
    """Entry point: user mistakes become one line on stderr and exit status 2."""
    try:
        app(standalone_mode=False)
    except UserError as exc:
        # the field a service names becomes its flag here (annotator.cli.flags)
        print(f"annotator: {escape_controls(command_line_message(exc))}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        exit_interrupted()
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        aborts, usage_errors = _click_exceptions()
        if isinstance(exc, aborts):
            sys.exit(1)
        if isinstance(exc, usage_errors):
            shown = io.StringIO()  # the usage message quotes what was typed: escape it
            exc.show(file=shown)
            for line in shown.getvalue().splitlines():
                print(escape_controls(line), file=sys.stderr)
            sys.exit(exc.exit_code)
        if type(exc).__module__.startswith("sqlalchemy"):
            print(f"annotator: database error: {escape_controls(_database_message(exc))}", file=sys.stderr)
            sys.exit(3)
        raise


class _UsageError(Protocol):
    """What is used here of click's ``ClickException`` (typer's vendored copy or click's own)."""

    exit_code: int

    def show(self, file: IO[Any] | None = None) -> None: ...


def _click_exceptions() -> tuple[tuple[type[BaseException], ...], tuple[type[_UsageError], ...]]:
    """(abort, usage error) classes: recent typer vendors click as ``typer._click``, older uses click."""
    aborts: list[type[BaseException]] = []
    usage: list[type[_UsageError]] = []
    for module, abort, base in (
        ("typer.exceptions", "Abort", None),
        ("typer._click.exceptions", None, "ClickException"),
        ("click.exceptions", "Abort", "ClickException"),
    ):
        try:
            found = importlib.import_module(module)
        except ImportError:
            continue
        if abort and hasattr(found, abort):
            aborts.append(getattr(found, abort))
        if base and hasattr(found, base):
            usage.append(getattr(found, base))
    return tuple(aborts), tuple(usage)


def _database_message(exc: Exception) -> str:
    """The driver's own first line (connection refused, auth failed...), no traceback, no password."""
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    first = lines[0] if lines else type(exc).__name__
    return first[:300]
