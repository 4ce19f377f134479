"""Options shared by every command, declared once.

``--db`` and ``--schema`` (and every option of ``annotate``) are rows of ``launch``'s option
table, which the fast ``annotate`` path parses with argparse; here they become typer options.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from annotator.launch import DB, SCHEMA, Option
from annotator.launch import default_annotator as default_annotator  # defined once, for the fast path too

if TYPE_CHECKING:
    from annotator.schemas.labels import LabelSchema


def typer_option(option: Option) -> Any:
    """``option`` (a row of ``launch``'s table) as a typer option."""
    return typer.Option(
        option.flag,
        help=option.help,
        show_default=option.default is not None,
        min=option.minimum,
    )


DbOption = Annotated[str | None, typer_option(DB)]
SchemaOption = Annotated[Path | None, typer_option(SCHEMA)]
FormatOption = Annotated[str, typer.Option("--format", help="Output format: table or json.")]


def split_names(value: str | None) -> list[str]:
    """``"a, b,c"`` -> ``["a", "b", "c"]``; ``None`` -> ``[]``."""
    if not value:
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


def load_schema_option(path: Path | None) -> LabelSchema:
    # pydantic (the schema's models) only when a command runs: importing the CLI stays light
    from annotator.schemas.labels import load_default_schema, load_schema

    return load_schema(path) if path else load_default_schema()
