"""`annotator export`: JSONL training data, the formats other tools read, and analysis rows."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.options import DbOption, split_names
from annotator.untrusted import escape_controls

FORMAT_HELP = (
    "jsonl (ours, one record per document and annotator), docs (the corpus), doccano, "
    "conll (IOB2), brat (a folder), spacy (a .spacy DocBin), events (CSV, or JSONL with --out *.jsonl), "
    "label-studio (JSON tasks, and its labelling config beside --out)."
)


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export_command(
        fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "jsonl",
        as_: Annotated[
            str | None,
            typer.Option(
                "--as", help="Only these annotators (comma-separated). Default: everyone but gold.", show_default=False
            ),
        ] = None,
        gold: Annotated[
            bool, typer.Option("--gold", help="The adjudicated version (the annotator named 'gold').")
        ] = False,
        label: Annotated[
            str | None, typer.Option("--label", help="Only these labels (comma-separated).", show_default=False)
        ] = None,
        status: Annotated[
            str | None,
            typer.Option(
                "--status",
                help="Only documents the annotator has in this status: todo, in_progress, done, skipped (comma-separated).",
                show_default=False,
            ),
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option(
                "--out", "-o", help="Write here (default: standard output; brat needs a folder).", show_default=False
            ),
        ] = None,
        force: Annotated[bool, typer.Option("--force", help="Overwrite an existing --out.")] = False,
        tokens: Annotated[bool, typer.Option("--tokens", help="jsonl: add Prodigy-shaped tokens.")] = False,
        relations: Annotated[
            bool, typer.Option("--relations", help="doccano: write the entities/relations shape.")
        ] = False,
        ascii_json: Annotated[
            bool, typer.Option("--ascii", help="doccano, label-studio: escape every non-ASCII character (\\uXXXX).")
        ] = False,
        db: DbOption = None,
    ) -> None:
        """Export annotations (and the corpus) as JSONL, doccano, CoNLL, brat, spaCy, Label Studio or analysis rows."""
        from annotator.services.exporting.run import ExportRequest, check_request, run_export

        request = ExportRequest(
            format=fmt.strip().lower(),
            annotators=tuple(split_names(as_)),
            gold=gold,
            labels=tuple(split_names(label)),
            statuses=tuple(split_names(status)),
            out=out,
            force=force,
            tokens=tokens,
            relations=relations,
            ascii=ascii_json,
        )
        check_request(request)  # before connecting: a typo costs nothing

        from annotator.cli.render.progress import count_bar, wanted
        from annotator.store.engine import get_engine

        with count_bar("exporting", enabled=out is not None and wanted()) as progress:
            summary = run_export(get_engine(db, create=False), request, progress=progress)
        for warning in summary.warnings:
            print(f"annotator: {escape_controls(warning)}", file=sys.stderr)
        if out is not None:
            if summary.format == "docs":
                line = f"exported {summary.records} documents to {out}"
            elif summary.format == "events":
                line = f"exported {summary.records} rows from {summary.documents} documents to {out}"
            else:
                line = f"exported {summary.records} records ({summary.spans} spans) from {summary.documents} documents to {out}"
            print(f"annotator: {escape_controls(line)}", file=sys.stderr)
