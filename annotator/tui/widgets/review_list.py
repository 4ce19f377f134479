"""The review list: documents, most disagreement first, with their agreement figures.

Figures come from the agreement report's per-document entries (``services.agreement``);
"undefined" is shown as such, never as 0 or 1. Titles are literal ``Text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from annotator.services.adjudication import DocRow
from annotator.tui import textmodel as tm

COLUMNS = ("#", "document", "f1 overlap", "f1 exact", "α unitizing", "κ tokens", "spans", "open", "gold")
GOLD_STYLE = {"done": "bold #5fd787", "in_progress": "#ffd75f", "todo": "dim"}


def figure(value: Any) -> Text:
    if value is None:
        return Text("undefined", style="dim", justify="right")
    return Text(f"{value:.3f}", justify="right")


class ReviewList(DataTable):
    """One row per document; enter (``RowSelected``, row key = document id) opens it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.rows_by_key: dict[str, DocRow] = {}

    def on_mount(self) -> None:
        for column in COLUMNS:
            self.add_column(Text(column, style="bold"), key=column)

    def set_rows(self, rows: Sequence[DocRow], current: int | None = None) -> None:
        self.clear()
        self.rows_by_key = {}
        target = 0
        for n, row in enumerate(rows):
            figures = row.figures
            spans = figures.get("n", {}).get("spans", {})
            open_text = Text(
                f"{row.open}/{row.groups}", justify="right", style="bold #ff5f87" if row.open else "#5fd787"
            )
            self.add_row(
                Text(str(row.rank), justify="right"),
                Text(tm.safe_line(row.title, 44), no_wrap=True, overflow="ellipsis"),
                figure(figures.get("f1_overlap")),
                figure(figures.get("f1_exact")),
                figure(figures.get("alpha_unitizing")),
                figure(figures.get("cohen_kappa")),
                Text("/".join(str(spans.get(a, 0)) for a in row.annotators), justify="right"),
                open_text,
                Text(row.gold_status.replace("_", " "), style=GOLD_STYLE.get(row.gold_status, "")),
                key=str(row.id),
            )
            self.rows_by_key[str(row.id)] = row
            if row.id == current:
                target = n
        if rows:
            self.move_cursor(row=target)

    def current_id(self) -> int | None:
        if not self.rows_by_key or self.cursor_row < 0:
            return None
        key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
        return int(key) if key is not None else None
