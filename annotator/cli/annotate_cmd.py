"""`annotator annotate`: not built yet (see the open issues)."""

from __future__ import annotations

import typer

from annotator.errors import UserError


def register(app: typer.Typer) -> None:
    @app.command("annotate", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def annotate_command(ctx: typer.Context) -> None:
        """Not built yet."""
        raise UserError("'annotate' is not built yet in this version")
