"""`annotator suggest`: precompute suggestions for the corpus, or measure them.

annotator suggest [--as NAME] [--db URL] [--model M] [--gazetteer FILE]
annotator suggest --evaluate --against NAME [--format table|json]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotator.cli.options import DbOption, FormatOption, SchemaOption, default_annotator, load_schema_option
from annotator.cli.render.notices import announce_new_annotators
from annotator.errors import UserError
from annotator.untrusted import escape_controls

if TYPE_CHECKING:
    from annotator.schemas.labels import LabelSchema
    from annotator.services.suggestions.engine import Sources

AsOption = Annotated[
    str | None, typer.Option("--as", help="Annotator the suggestions are for (default: you).", show_default=False)
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="A spaCy pipeline (package name or path) to suggest from too; needs annotator[spacy].",
        show_default=False,
    ),
]
GazetteerOption = Annotated[
    Path | None,
    typer.Option("--gazetteer", help="Gazetteer file (default: schemas/gazetteer.toml).", show_default=False),
]


def register(app: typer.Typer) -> None:
    @app.command("suggest")
    def suggest_command(
        as_name: AsOption = None,
        db: DbOption = None,
        model: ModelOption = None,
        schema_path: SchemaOption = None,
        gazetteer: GazetteerOption = None,
        evaluate: Annotated[
            bool,
            typer.Option("--evaluate", help="Score the suggestions against --against's spans instead of storing them."),
        ] = False,
        against: Annotated[
            str | None,
            typer.Option("--against", help="Reference annotator for --evaluate (e.g. gold).", show_default=False),
        ] = None,
        fmt: FormatOption = "table",
    ) -> None:
        """Precompute suggestions for every document (stored for the app), or --evaluate them."""
        if fmt not in {"table", "json"}:
            raise UserError(f"--format: expected table or json, got {fmt!r}")
        if evaluate and not against:
            raise UserError("--evaluate needs --against NAME (the annotator whose spans are the reference)")
        if against and not evaluate:
            raise UserError("--against only goes with --evaluate")
        if as_name is not None and not as_name.strip():
            raise UserError("--as: the annotator name is empty")
        schema = load_schema_option(schema_path)
        from annotator.services.suggestions.engine import Sources

        sources = Sources.build(schema, gazetteer_path=gazetteer, model=model)
        if evaluate:
            _evaluate(db, against or "", as_name, sources, fmt)
        else:
            _precompute(db, as_name or default_annotator(), sources, schema)


def _precompute(db: str | None, name: str, sources: Sources, schema: LabelSchema) -> None:
    from annotator.cli.render.progress import count_bar, wanted
    from annotator.services.suggestions.precompute import precompute
    from annotator.store.engine import get_engine
    from annotator.store.writers import announced

    engine = get_engine(db, create=False)
    created: list[str] = []
    with count_bar("suggesting", enabled=wanted()) as progress:
        with announced(engine.url.render_as_string(hide_password=False), "suggest", name):
            counts, documents = precompute(engine, name, sources, progress=progress, new_annotator=created.append)
    announce_new_annotators(created)
    by_label = ", ".join(f"{label} {n}" for label, n in sorted(counts.items())) or "none"
    typer.echo(
        f"stored {sum(counts.values())} open suggestions for {escape_controls(name)} on {documents} documents ({by_label})"
    )


def _evaluate(db: str | None, against: str, as_name: str | None, sources: Sources, fmt: str) -> None:
    from annotator.services.suggestions.evaluate import evaluate
    from annotator.store.engine import get_engine, read_only, session_scope

    with session_scope(read_only(get_engine(db, create=False))) as session:
        result = evaluate(session, against, sources, propagate_from=as_name)
    if fmt == "json":
        import orjson

        typer.echo(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
        return
    from rich.console import Console

    from annotator.cli.render.suggestions import evaluation

    Console().print(evaluation(result, against))
