"""`annotator review`: adjudicate disagreements into the gold annotator (a Textual app)."""

from __future__ import annotations

from typing import Annotated

import typer

from annotator.cli.options import DbOption, SchemaOption, default_annotator, load_schema_option, split_names


def register(app: typer.Typer) -> None:
    @app.command("review")
    def review_command(
        as_: Annotated[
            str | None,
            typer.Option(
                "--as",
                help="Annotators to compare, comma-separated, in key order 1-9 (default: everyone with work, except gold).",
                show_default=False,
            ),
        ] = None,
        gold_as: Annotated[
            str, typer.Option("--gold-as", help="The annotator that holds the adjudicated version.")
        ] = "gold",
        lead: Annotated[
            str | None,
            typer.Option(
                "--lead",
                help="Who decides, recorded with every decision (default: $ANNOTATOR_USER, else the login user).",
                show_default=False,
            ),
        ] = None,
        schema: SchemaOption = None,
        db: DbOption = None,
    ) -> None:
        """Adjudicate: documents by disagreement, every annotator's spans side by side, keys to settle the gold version."""
        from annotator.services import adjudication as adjn
        from annotator.store.engine import get_engine, resolve_url, session_scope
        from annotator.tui.keymap import load_checked
        from annotator.tui.review_app import make_review_app

        label_schema = load_schema_option(schema)
        keymap = load_checked(label_schema, origin=str(schema) if schema is not None else None)
        lead_name = (lead if lead is not None else default_annotator()).strip()
        url = resolve_url(db)
        names = split_names(as_)
        # check the names before the screen opens, so a mistake is one line and exit code 2
        with session_scope(get_engine(url, create=False)) as session:
            adjn.start(session, lead=lead_name, schema=label_schema, annotators=names, gold_name=gold_as)
        make_review_app(url, names, gold_as, label_schema, lead_name, keymap).run()
