"""Start-up path of ``annotator``: the annotation app opens without loading the full CLI.

``annotator annotate`` is what annotators type many times a day, and start-up is mostly
import time (benchmark 2). Typer builds a converter for every option of every command before
it runs one, which costs about half of a bare Textual app's whole start. So ``annotate``'s
options are declared once here (``ANNOTATE_OPTIONS``): the entry point parses them with
argparse (stdlib) and opens the app, and ``cli/annotate_cmd.py`` declares the same table to
typer (``tests/test_startup_one_path.py`` parses arguments both ways and compares). Anything
else (another command, ``--help``, an option it does not know, a malformed value) goes to the
typer CLI in ``annotator.cli``, which prints the same help and usage errors as always.

The app's modules are imported inside ``run_annotate``: importing them here would load Textual
for ``annotator --version`` and every other command.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import UserError
from annotator.terminal_colour import prepare_environment
from annotator.untrusted import escape_controls


@dataclass(frozen=True)
class Option:
    """One command-line option: ``flag`` is ``--name``, or ``--on/--off`` for a switch."""

    dest: str
    flag: str
    kind: type
    default: str | int | bool | None
    help: str
    minimum: int | None = None

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(self.flag.split("/"))


AS = Option("as_name", "--as", str, None, "Annotator name (default: $ANNOTATOR_USER, else the login user).")
SCHEMA = Option("schema", "--schema", Path, None, "Label schema file (default: schemas/conflict.toml).")
DB = Option("db", "--db", str, None, "Database URL (default: $ANNOTATOR_DB, else the embedded SQLite file).")
SUGGESTIONS = Option(
    "suggestions", "--suggestions/--no-suggestions", bool, True, "Offer suggested spans to accept (y) or reject (x)."
)
RETRAIN_EVERY = Option(
    "retrain_every",
    "--retrain-every",
    int,
    10,
    "Retrain the suggestion model in the background after this many documents marked done (0: never).",
    minimum=0,
)
ANNOTATE_OPTIONS = (AS, SCHEMA, DB, SUGGESTIONS, RETRAIN_EVERY)


def _path(value: str) -> Path:
    """A path as typer takes it (no NUL: the operating system refuses it)."""
    if "\x00" in value:
        raise ValueError("embedded null byte")
    return Path(value)


def default_annotator() -> str:
    """The login user, which is who annotates unless --as says otherwise."""
    try:
        return os.environ.get("ANNOTATOR_USER") or getpass.getuser()
    except Exception:
        return "annotator"


def version() -> str:
    """This installation's version, from its package metadata."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version  # only for --version: not at every start

    try:
        return installed_version("annotator")
    except PackageNotFoundError:
        return "unknown (not installed)"


def run_annotate(
    as_name: str | None, schema: Path | None, db: str | None, suggestions: bool, retrain_every: int = 10
) -> None:
    """Open the annotation app (the body of ``annotator annotate``)."""
    if suggestions:  # the suggestion worker loads the rules while the app starts (before it imports its UI)
        from annotator.services.suggestions.background import prestart_worker

        prestart_worker()
    from annotator.schemas.preview import preview_schema
    from annotator.tui.app import make_app
    from annotator.tui.keymap import load_checked

    name = (as_name if as_name is not None else default_annotator()).strip()
    if not name:
        raise UserError("--as: the annotator name is empty")
    # read, not validated yet: pydantic loads after the first paint (a mistake in the
    # labels themselves is still reported here, before the app starts)
    label_schema = preview_schema(schema)
    # the keymap and the label keys, checked against both apps' keys (one line if they clash)
    keymap = load_checked(label_schema, origin=str(schema) if schema is not None else None)
    # The database (URL check, engine, migrations) is reached from a worker after the
    # first paint; a bad URL ends the app and is reported here as one line.
    if retrain_every < 0:
        raise UserError(f"--retrain-every: expected 0 (never) or more documents, got {retrain_every}")
    app = make_app(db, name, label_schema, keymap, suggestions=suggestions, retrain_every=retrain_every)
    app.run()
    if app.startup_error is not None:
        raise app.startup_error


def parse_annotate(args: list[str]) -> argparse.Namespace | None:
    """``annotate``'s options, or None when the full CLI should handle these arguments."""
    parser = argparse.ArgumentParser(prog="annotator annotate", add_help=False, allow_abbrev=False, exit_on_error=False)
    for option in ANNOTATE_OPTIONS:
        if option.kind is bool:
            on, off = option.flags
            parser.add_argument(on, dest=option.dest, action="store_true", default=option.default)
            parser.add_argument(off, dest=option.dest, action="store_false")
        else:
            convert = _path if option.kind is Path else option.kind
            parser.add_argument(option.flag, dest=option.dest, type=convert, default=option.default)
    try:
        parsed, rest = parser.parse_known_args(args)
    except (argparse.ArgumentError, SystemExit):
        return None
    if rest:
        return None
    for option in ANNOTATE_OPTIONS:
        value = getattr(parsed, option.dest)
        if option.minimum is not None and value < option.minimum:
            return None  # the CLI's usage error says what range it takes
    return parsed


def exit_on_user_error(exc: Exception) -> None:
    """A user's mistake: one line on stderr (control characters escaped), the error's exit status."""
    print(f"annotator: {escape_controls(exc)}", file=sys.stderr)
    sys.exit(getattr(exc, "exit_code", 2))


def exit_interrupted() -> None:
    print("annotator: interrupted", file=sys.stderr)
    sys.exit(130)


def main() -> None:
    """Console entry point: ``--version``, the fast path for ``annotate``, else the full typer CLI."""
    argv = sys.argv[1:]
    prepare_environment()  # before Textual is imported: it reads the colour system once
    if argv in (["--version"], ["-V"]):
        print(f"annotator {version()}")
        return
    if argv[:1] == ["annotate"]:
        parsed = parse_annotate(argv[1:])
        if parsed is not None:
            try:
                run_annotate(parsed.as_name, parsed.schema, parsed.db, parsed.suggestions, parsed.retrain_every)
            except UserError as exc:
                exit_on_user_error(exc)
            except KeyboardInterrupt:
                exit_interrupted()
            return
    from annotator.cli import main as cli_main  # typer and every command: not on the fast path

    cli_main()
