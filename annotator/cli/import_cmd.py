"""`annotator import PATH...`: bring documents and other tools' annotations in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from annotator.cli.options import DbOption, SchemaOption, default_annotator, load_schema_option
from annotator.cli.render.notices import announce_new_annotators
from annotator.errors import UserError
from annotator.untrusted import escape_controls as _safe  # file names and contents never reach the terminal raw

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.engine import Engine

    from annotator.services.importing.summary import ImportSummary

MAX_PROBLEMS_SHOWN = 100  # a file with 200 000 bad spans gets a screenful, not 200 000 lines


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_command(
        paths: Annotated[list[Path], typer.Argument(help="Files or folders to import.", show_default=False)],
        as_name: Annotated[
            str | None,
            typer.Option(
                "--as",
                help="Annotator who owns spans of records that name none (default: you; a brat export's sub-folder names its own).",
                show_default=False,
            ),
        ] = None,
        db: DbOption = None,
        schema_file: SchemaOption = None,
        label_map: Annotated[
            str | None,
            typer.Option(
                "--label-map",
                help="Map other tools' labels onto the schema: FROM=TO,... (FROM=- drops a label).",
                show_default=False,
            ),
        ] = None,
        skip_invalid: Annotated[
            bool, typer.Option("--skip-invalid", help="Store the good records of a file and report the bad ones.")
        ] = False,
        fmt: Annotated[
            str, typer.Option("--format", help="auto, text, jsonl, brat, conll, pdf, docx, html or label-studio.")
        ] = "auto",
        if_empty: Annotated[
            bool, typer.Option("--if-empty", help="Import only if the database has no documents yet.")
        ] = False,
    ) -> None:
        """Import .txt/.md, PDF, DOCX and HTML files and folders, JSONL (ours, Prodigy, doccano), brat, CoNLL and Label Studio."""
        from annotator.services.corpus import count_documents
        from annotator.services.importing import import_paths
        from annotator.services.importing.parsed import annotator_problem
        from annotator.services.importing.run import ImportInterrupted
        from annotator.store.engine import get_engine, session_scope

        schema = load_schema_option(schema_file)
        engine = get_engine(db)
        if if_empty:
            with session_scope(engine) as session:
                existing = count_documents(session)
            if existing:
                typer.echo(f"the database already has {existing} documents; nothing imported (--if-empty)")
                return
        annotator = (as_name if as_name is not None else default_annotator()).strip()  # --as '' is a mistake
        problem = annotator_problem(annotator)
        if problem:
            raise UserError(f"--as: {_safe(problem)}")
        from annotator.store.writers import announced

        try:
            with announced(engine.url.render_as_string(hide_password=False), "import", annotator):
                summary = _run(
                    import_paths,
                    engine,
                    paths,
                    annotator=annotator,
                    schema=schema,
                    label_map=label_map,
                    skip_invalid=skip_invalid,
                    fmt=fmt,
                    folder_annotators=as_name is None,
                )
        except ImportInterrupted as exc:
            stored = exc.summary.files_stored
            print(
                f"annotator: interrupted: {stored} file{'s' if stored != 1 else ''} stored "
                f"({_safe(exc.summary.line())}); run the same import again to finish (what is stored is skipped)",
                file=sys.stderr,
            )
            sys.exit(130)
        err = sys.stderr
        announce_new_annotators(summary.new_annotators)
        for line in summary.files_skipped:
            print(_safe(line), file=err)
        for note in summary.notes:
            print(_safe(note), file=err)
        for line in summary.skipped_lines():
            print(_safe(line), file=err)
        for line in summary.refused:
            print(_safe(line), file=err)
        for line in summary.problems[:MAX_PROBLEMS_SHOWN]:
            print(_safe(line), file=err)
        if len(summary.problems) > MAX_PROBLEMS_SHOWN:
            print(f"... and {len(summary.problems) - MAX_PROBLEMS_SHOWN} more problems", file=err)
        hint = summary.label_hint(schema)
        if hint:
            print(_safe(hint), file=err)
        typer.echo(_safe(summary.line()))
        if summary.files_failed:
            count = len(summary.problems)
            files = len(summary.files_failed)
            raise UserError(
                f"{count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}; nothing from "
                f"{'it' if files == 1 else 'them'} was stored ({', '.join(_safe(f) for f in summary.files_failed[:3])}"
                f"{', ...' if files > 3 else ''}); fix {'it' if files == 1 else 'them'} or use --skip-invalid"
            )
        if summary.files_refused and not skip_invalid:
            raise UserError(
                f"{summary.files_refused} file{'s' if summary.files_refused != 1 else ''} refused (see above)"
            )


def _run(import_paths: Callable[..., ImportSummary], engine: Engine, paths: list[Path], **kwargs: Any) -> ImportSummary:
    """Run the import, with a progress bar when stderr is a terminal."""
    from annotator.cli.render.progress import bytes_bar, wanted

    with bytes_bar("importing", enabled=wanted()) as progress:
        return import_paths(engine, paths, progress=progress, **kwargs)
