"""`annotator import`: not built yet (see the open issues)."""

from __future__ import annotations

import typer

from annotator.errors import UserError


def register(app: typer.Typer) -> None:
    @app.command("import", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def import_command(ctx: typer.Context) -> None:
        """Not built yet."""
        raise UserError("'import' is not built yet in this version")
