"""``annotator suggest --evaluate``: precision, recall and F1 per label as Rich tables.

Labels and the reference annotator's name are untrusted: they reach the terminal as ``Text``
(never markup) with their control characters made visible."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from annotator.untrusted import escape_controls

COLUMNS = ("label", "precision", "recall", "f1", "tp", "fp", "fn")


def evaluation(result: dict[str, Any], against: str) -> Group:
    """The heading line, one table per matching (overlap, exact), and the speakers line."""
    parts: list[Any] = [Text(f"suggestions against {escape_controls(against)} on {result['documents']} documents")]
    for matching in ("overlap", "exact"):
        table = Table(title=f"{matching} matching")
        for column in COLUMNS:
            table.add_column(column, justify="left" if column == "label" else "right")
        for label, m in result[matching].items():
            table.add_row(
                Text(escape_controls(label)),
                f"{m['precision']:.3f}",
                f"{m['recall']:.3f}",
                f"{m['f1']:.3f}",
                str(m["tp"]),
                str(m["fp"]),
                str(m["fn"]),
            )
        parts.append(table)
    speakers = result["speakers"]
    parts.append(
        Text(
            f"speakers: {speakers['right']} of {speakers['gold_quotes']} reference quotes right "
            f"({speakers['accuracy']:.3f})"
        )
    )
    return Group(*parts)
