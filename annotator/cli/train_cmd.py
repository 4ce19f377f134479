"""`annotator train`: learn a suggestion model from the team's accepted spans.

annotator train [--from NAMES] [--schema FILE] [--db URL] [--format table|json]
"""

from __future__ import annotations

from typing import Annotated

import typer

from annotator.cli.options import DbOption, FormatOption, SchemaOption, load_schema_option
from annotator.errors import UserError
from annotator.untrusted import escape_controls


def register(app: typer.Typer) -> None:
    @app.command("train")
    def train_command(
        from_names: Annotated[
            str | None,
            typer.Option(
                "--from",
                help="Comma-separated annotators to learn from (default: gold, else every done document).",
                show_default=False,
            ),
        ] = None,
        schema_path: SchemaOption = None,
        db: DbOption = None,
        fmt: FormatOption = "table",
    ) -> None:
        """Train a suggestion model (CRF + string matcher + gazetteer) and store it beside the rules."""
        if fmt not in {"table", "json"}:
            raise UserError(f"--format: expected table or json, got {fmt!r}")
        names = [n.strip() for n in from_names.split(",")] if from_names is not None else None
        if names is not None and not all(names):
            raise UserError("--from: an annotator name is empty")
        schema = load_schema_option(schema_path)
        from annotator.services import training
        from annotator.services.suggestions.gazetteer import load_gazetteer
        from annotator.store.engine import get_engine, read_only, session_scope

        gazetteer = load_gazetteer(None, schema)
        gazetteer.places = None  # the model's features: names of the lists, not the per-country towns
        with session_scope(read_only(get_engine(db))) as session:
            result = training.train(session, schema, names, gazetteer=gazetteer)
        if fmt == "json":
            import orjson

            typer.echo(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
            return
        s = result["scores"]
        typer.echo(
            f"trained on {result['documents']} documents from {escape_controls(', '.join(result['annotators']))} "
            f"(labels {escape_controls(', '.join(result['labels']))}); held back {result['held_back']}: "
            f"exact precision {s['precision']:.3f}, recall {s['recall']:.3f}, F1 {s['f1']:.3f}\n"
            f"stored in {escape_controls(result['path'])} (fingerprint {result['fingerprint']})"
        )
