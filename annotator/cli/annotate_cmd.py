"""`annotator annotate`: open the annotation app."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from annotator.cli.options import DbOption, SchemaOption, default_annotator


def register(app: typer.Typer) -> None:
    @app.command("annotate")
    def annotate_command(
        as_name: Annotated[
            Optional[str], typer.Option("--as", help="Annotator name (default: $ANNOTATOR_USER, else the login user).", show_default=False)
        ] = None,
        schema: SchemaOption = None,
        db: DbOption = None,
        suggestions: Annotated[
            bool, typer.Option("--suggestions/--no-suggestions", help="Offer suggested spans to accept (y) or reject (x).")
        ] = True,
    ) -> None:
        """Annotate documents: tag spans with labels, keyboard first (press ? in the app for every key)."""
        from annotator.errors import UserError
        from annotator.schemas.preview import preview_schema
        from annotator.tui.app import binding_ids, make_app
        from annotator.tui.keymap import load_keymap

        name = (as_name if as_name is not None else default_annotator()).strip()
        if not name:
            raise UserError("--as: the annotator name is empty")
        # read, not validated yet: pydantic loads after the first paint (a mistake in the
        # labels themselves is still reported here, before the app starts)
        label_schema = preview_schema(schema)
        # the screens are imported (for their binding ids) only to check a keymap file
        keymap = load_keymap(known_ids=lambda: binding_ids(label_schema))
        # The database (URL check, engine, migrations) is reached from a worker after the
        # first paint; a bad URL ends the app and is reported here as one line.
        app = make_app(db, name, label_schema, keymap, suggestions=suggestions)
        app.run()
        if app.startup_error is not None:
            raise app.startup_error
