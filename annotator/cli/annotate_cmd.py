"""`annotator annotate`: open the annotation app."""

from __future__ import annotations

from typing import Annotated

import typer

from annotator.cli.options import DbOption, SchemaOption


def register(app: typer.Typer) -> None:
    @app.command("annotate")
    def annotate_command(
        as_name: Annotated[
            str | None,
            typer.Option(
                "--as", help="Annotator name (default: $ANNOTATOR_USER, else the login user).", show_default=False
            ),
        ] = None,
        schema: SchemaOption = None,
        db: DbOption = None,
        suggestions: Annotated[
            bool,
            typer.Option("--suggestions/--no-suggestions", help="Offer suggested spans to accept (y) or reject (x)."),
        ] = True,
        retrain_every: Annotated[
            int,
            typer.Option(
                "--retrain-every",
                min=0,
                help="Retrain the suggestion model in the background after this many documents marked done (0: never).",
            ),
        ] = 10,
    ) -> None:
        """Annotate documents: tag spans with labels, keyboard first (press ? in the app for every key)."""
        from annotator.launch import run_annotate

        run_annotate(as_name, schema, db, suggestions, retrain_every)
