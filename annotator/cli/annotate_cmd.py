"""`annotator annotate`: open the annotation app.

The options are the rows of ``launch.ANNOTATE_OPTIONS`` (the fast path parses the same table).
"""

from __future__ import annotations

from typing import Annotated

import typer

from annotator.cli.options import DbOption, SchemaOption, typer_option
from annotator.launch import AS, RETRAIN_EVERY, SUGGESTIONS, run_annotate


def register(app: typer.Typer) -> None:
    @app.command("annotate")
    def annotate_command(
        as_name: Annotated[str | None, typer_option(AS)] = None,
        schema: SchemaOption = None,
        db: DbOption = None,
        suggestions: Annotated[bool, typer_option(SUGGESTIONS)] = True,
        retrain_every: Annotated[int, typer_option(RETRAIN_EVERY)] = 10,
    ) -> None:
        """Annotate documents: tag spans with labels, keyboard first (press ? in the app for every key)."""
        run_annotate(as_name, schema, db, suggestions, retrain_every)
