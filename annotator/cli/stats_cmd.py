"""`annotator stats`: what the corpus holds and how far each annotator has come."""

from __future__ import annotations

from typing import Any

import typer

from annotator.cli.options import DbOption, FormatOption
from annotator.errors import UserError
from annotator.untrusted import escape_controls


def register(app: typer.Typer) -> None:
    @app.command("stats")
    def stats_command(db: DbOption = None, fmt: FormatOption = "table") -> None:
        """Print documents, spans per label and per annotator, and per-annotator progress."""
        if fmt not in {"table", "json"}:
            raise UserError(f"--format: expected table or json, got {fmt!r}")
        from annotator.services.stats import corpus_stats
        from annotator.store.engine import get_engine, read_only, session_scope

        with session_scope(read_only(get_engine(db, create=False))) as session:
            stats = corpus_stats(session)
        if fmt == "json":
            import orjson

            from annotator.untrusted import json_for_terminal

            typer.echo(json_for_terminal(orjson.dumps(stats, option=orjson.OPT_INDENT_2)).decode())
            return
        _print_table(stats)


def _print_table(stats: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    console.print(f"documents: {stats['documents']}   spans: {stats['spans']}", markup=False, highlight=False)
    labels = Table(title="spans by label")
    labels.add_column("label")
    labels.add_column("spans", justify="right")
    for label, count in stats["spans_by_label"].items():
        labels.add_row(Text(escape_controls(label)), str(count))
    console.print(labels)
    progress = Table(title="progress by annotator")
    progress.add_column("annotator")
    for status in ("todo", "in_progress", "done", "skipped"):
        progress.add_column(status, justify="right")
    progress.add_column("spans", justify="right")
    progress.add_column("assigned", justify="right")
    for name, counts in stats["progress"].items():
        assigned = stats["assigned"].get(name)
        progress.add_row(
            Text(escape_controls(name)),
            *(str(counts[s]) for s in ("todo", "in_progress", "done", "skipped")),
            str(stats["spans_by_annotator"].get(name, 0)),
            "—" if assigned is None else str(assigned),
        )
    console.print(progress)
