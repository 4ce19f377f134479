"""`annotator team`: the lead's view of the team (a Textual screen, or --format table|json)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from annotator.cli.options import DbOption
from annotator.errors import UserError


def register(app: typer.Typer) -> None:
    @app.command("team")
    def team_command(
        fmt: Annotated[
            str | None, typer.Option("--format", help="table or json (default: the screen)", show_default=False)
        ] = None,
        db: DbOption = None,
    ) -> None:
        """Per annotator: assigned, done, skipped, in progress, time, spans per document, agreement
        with the others (F1 overlap, α_u) overall and by week, and outliers."""
        if fmt not in (None, "table", "json"):
            raise UserError(f"--format: expected table or json, got {fmt!r}")
        from annotator.services.team import team_report
        from annotator.store.engine import get_engine, read_only, session_scope

        engine = read_only(get_engine(db))

        def load() -> dict[str, Any]:
            with session_scope(engine) as session:
                return team_report(session)

        report = load()
        if fmt == "json":
            import orjson

            typer.echo(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())
        elif fmt == "table":
            from rich.console import Console

            from annotator.cli.render.team import render

            Console().print(render(report))
        else:
            from annotator.tui.team_app import TeamApp

            TeamApp(report, load).run()
