"""`annotator export`: not built yet (see the open issues)."""

from __future__ import annotations

import typer

from annotator.errors import UserError


def register(app: typer.Typer) -> None:
    @app.command("export", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def export_command(ctx: typer.Context) -> None:
        """Not built yet."""
        raise UserError("'export' is not built yet in this version")
