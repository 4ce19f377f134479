"""Start-up path of ``annotator``: the annotation app opens without loading the full CLI.

``annotator annotate`` is what annotators type many times a day, and start-up is mostly
import time (benchmark 2). Typer builds a converter for every option of every command before
it runs one, which costs about half of a bare Textual app's whole start. So the entry point
parses ``annotate``'s four options itself (argparse, stdlib) and opens the app; anything
else — another command, ``--help``, an option it does not know, a malformed value — goes to
the typer CLI in ``annotator.cli``, which prints the same help and usage errors as always.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def default_annotator() -> str:
    """The login user, which is who annotates unless --as says otherwise."""
    import getpass
    import os

    try:
        return os.environ.get("ANNOTATOR_USER") or getpass.getuser()
    except Exception:
        return "annotator"


def run_annotate(
    as_name: str | None, schema: Path | None, db: str | None, suggestions: bool, retrain_every: int = 10
) -> None:
    """Open the annotation app (the body of ``annotator annotate``)."""
    from annotator.errors import UserError
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
    parser.add_argument("--as", dest="as_name", default=None)
    parser.add_argument("--schema", type=Path, default=None)
    parser.add_argument("--db", default=None)
    parser.add_argument("--suggestions", dest="suggestions", action="store_true", default=True)
    parser.add_argument("--no-suggestions", dest="suggestions", action="store_false")
    parser.add_argument("--retrain-every", dest="retrain_every", type=int, default=10)
    try:
        parsed, rest = parser.parse_known_args(args)
    except (argparse.ArgumentError, SystemExit):
        return None
    if rest:
        return None
    return parsed


def exit_on_user_error(exc: Exception) -> None:
    """A user's mistake: one line on stderr (control characters escaped), the error's exit status."""
    from annotator.terminal import escape_controls

    print(f"annotator: {escape_controls(exc)}", file=sys.stderr)
    sys.exit(getattr(exc, "exit_code", 2))


def exit_interrupted() -> None:
    print("annotator: interrupted", file=sys.stderr)
    sys.exit(130)


def main() -> None:
    """Console entry point: the fast path for ``annotate``, else the full typer CLI."""
    argv = sys.argv[1:]
    if argv[:1] == ["annotate"]:
        parsed = parse_annotate(argv[1:])
        if parsed is not None:
            from annotator.errors import UserError

            try:
                run_annotate(parsed.as_name, parsed.schema, parsed.db, parsed.suggestions, parsed.retrain_every)
            except UserError as exc:
                exit_on_user_error(exc)
            except KeyboardInterrupt:
                exit_interrupted()
            return
    from annotator.cli import main as cli_main

    cli_main()
