"""Options shared by every command, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.launch import default_annotator  # noqa: F401  (defined once, for the fast annotate path too)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: $ANNOTATOR_DB, else the embedded SQLite file).", show_default=False
    ),
]
SchemaOption = Annotated[
    Path | None,
    typer.Option("--schema", help="Label schema file (default: schemas/conflict.toml).", show_default=False),
]
FormatOption = Annotated[str, typer.Option("--format", help="Output format: table or json.")]


def split_names(value: str | None) -> list[str]:
    """``"a, b,c"`` -> ``["a", "b", "c"]``; ``None`` -> ``[]``."""
    if not value:
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


def load_schema_option(path: Path | None):
    from annotator.schemas.labels import load_default_schema, load_schema

    return load_schema(path) if path else load_default_schema()
