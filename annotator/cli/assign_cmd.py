"""`annotator assign`: give documents to annotators, k per document, balanced; or list them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from annotator.cli.options import DbOption, split_names
from annotator.cli.render.notices import announce_new_annotators
from annotator.errors import UserError
from annotator.untrusted import escape_controls

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def register(app: typer.Typer) -> None:
    @app.command("assign")
    def assign_command(
        to: Annotated[
            str | None, typer.Option("--to", help="The team: annotator names, comma-separated.", show_default=False)
        ] = None,
        per_document: Annotated[int, typer.Option("--per-document", "-k", help="Annotators per document.")] = 1,
        documents: Annotated[
            str | None,
            typer.Option(
                "--documents",
                help="Only these documents: ids, ranges (10-20), uids, source:GLOB (comma-separated).",
                show_default=False,
            ),
        ] = None,
        seed: Annotated[
            int, typer.Option("--seed", help="Breaks ties; the same seed and data give the same assignment.")
        ] = 0,
        everyone: Annotated[
            bool, typer.Option("--all", help="Every document to every annotator named (a calibration set).")
        ] = False,
        reassign: Annotated[
            str | None,
            typer.Option(
                "--reassign",
                help="May move this annotator's started work too (comma-separated names).",
                show_default=False,
            ),
        ] = None,
        show: Annotated[bool, typer.Option("--show", help="List the assignments (of --documents) instead.")] = False,
        db: DbOption = None,
    ) -> None:
        """Assign documents so each gets --per-document annotators and loads differ by at most 1.

        Started work (a status other than todo, or spans) stays with its annotator unless
        --reassign names them; running it again with the same arguments changes nothing."""
        from annotator.store.engine import get_engine

        engine = get_engine(db)
        if show:
            _show(engine, documents)
            return
        names = split_names(to)
        if not names:
            raise UserError("assign: --to names the annotators (comma-separated), or use --show")
        from annotator.services.assign import assign

        result = assign(
            engine,
            names,
            per_document=None if everyone else per_document,
            documents=documents,
            seed=seed,
            reassign=split_names(reassign),
        )
        announce_new_annotators(result.new_annotators)
        typer.echo(f"{result.documents} documents; {result.added} assignments added, {result.removed} removed")
        for name, count in result.loads.items():
            typer.echo(escape_controls(f"  {name}: {count}"))
        if result.kept_started:
            typer.echo(f"kept {result.kept_started} assignments started while assigning")
        if result.overflow:
            typer.echo(f"{result.overflow} places beyond an even share: started work left no other way")


def _show(engine: Engine, documents: str | None) -> None:
    from annotator.services.assign import document_filter
    from annotator.services.assignments import assigned_counts, iter_assignments
    from annotator.store.engine import read_only, session_scope

    where = document_filter(documents)
    with session_scope(read_only(engine)) as session:
        shown = 0
        for row in iter_assignments(session, where):
            title = row.title if len(row.title) <= 50 else row.title[:49] + "…"
            typer.echo(
                escape_controls(f"{row.document_id}\t{row.uid}\t{row.annotator}\t{row.status}\t{row.spans}\t{title}")
            )
            shown += 1
        if not shown:
            typer.echo("no assignments")
            return
        typer.echo("assigned: " + escape_controls(", ".join(f"{n} {c}" for n, c in assigned_counts(session).items())))
