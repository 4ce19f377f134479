"""The review list: documents, most disagreement first, with their agreement figures.

Figures come from the agreement report's per-document entries (``services.agreement``);
"undefined" is shown as such, never as 0 or 1. Titles are literal ``Text``. The columns follow the
widget's width at every resize: rank, title, open groups and gold status always; then, as room allows,
spans, f1 overlap, α_u, f1 exact and κ (in that order); the title takes what is left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from annotator.services.adjudication import DocRow
from annotator.untrusted import safe_line

GOLD_STYLE = {"done": "bold #5fd787", "in_progress": "#ffd75f", "todo": "dim"}
TITLE_MIN, TITLE_MAX = 20, 44
PADDING = 2  # a DataTable cell's padding, left and right


def figure(value: Any) -> Text:
    if value is None:
        return Text("undefined", style="dim", justify="right")
    return Text(f"{value:.3f}", justify="right")


def _open(row: DocRow) -> Text:
    return Text(f"{row.open}/{row.groups}", justify="right", style="bold #ff5f87" if row.open else "#5fd787")


def _spans(row: DocRow) -> Text:
    spans = row.figures.get("n", {}).get("spans", {})
    return Text("/".join(str(spans.get(a, 0)) for a in row.annotators), justify="right")


@dataclass(frozen=True)
class Col:
    key: str
    cell: Callable[[DocRow], Text]


COLUMNS = (  # by priority; the title sits second whatever else is shown
    Col("#", lambda r: Text(str(r.rank), justify="right")),
    Col("open", _open),
    Col("gold", lambda r: Text(r.gold_status.replace("_", " "), style=GOLD_STYLE.get(r.gold_status, ""))),
    Col("spans", _spans),
    Col("f1 overlap", lambda r: figure(r.figures.get("f1_overlap"))),
    Col("α_u", lambda r: figure(r.figures.get("alpha_unitizing"))),
    Col("f1 exact", lambda r: figure(r.figures.get("f1_exact"))),
    Col("κ tokens", lambda r: figure(r.figures.get("cohen_kappa"))),
)
ALWAYS = 3  # rank, open and gold are never dropped


def fitting(rows: Sequence[DocRow], width: int) -> tuple[list[Col], int, dict[str, int]]:
    """The columns that fit ``width`` beside a title of at least TITLE_MIN, the title's width, and
    each column's width (its widest cell or header)."""
    cells = {c.key: [c.cell(r) for r in rows] for c in COLUMNS}
    need = {c.key: max([len(c.key), *(t.cell_len for t in cells[c.key])]) + PADDING for c in COLUMNS}
    kept: list[Col] = []
    used = TITLE_MIN + PADDING
    for k, col in enumerate(COLUMNS):
        if k < ALWAYS or used + need[col.key] <= width:
            kept.append(col)
            used += need[col.key]
        else:
            break
    title = max(TITLE_MIN, min(TITLE_MAX, width - (used - TITLE_MIN - PADDING) - PADDING - 2))
    return kept, title, {key: cells - PADDING for key, cells in need.items()}


class ReviewList(DataTable[Text]):
    """One row per document; enter (``RowSelected``, row key = document id) opens it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.rows_by_key: dict[str, DocRow] = {}
        self.rows_shown: list[DocRow] = []
        self.layout_for = (-1, -1)  # (width, number of rows) the columns were chosen for

    def on_resize(self, event: events.Resize) -> None:
        if self.rows_shown and event.size.width != self.layout_for[0]:
            self.set_rows(self.rows_shown, self.current_id())

    def set_rows(self, rows: Sequence[DocRow], current: int | None = None) -> None:
        width = self.size.width or self.app.size.width
        columns, title_width, widths = fitting(rows, width)
        self.clear(columns=True)
        # every column's width is given, not left to DataTable's measuring when idle: a frame
        # drawn before that measuring cached rows cut to the headers' widths, and measuring the
        # same rows again (a refresh of the list) changes no size, so nothing redrew them
        self.add_column(Text(columns[0].key, style="bold"), key=columns[0].key, width=widths[columns[0].key])
        self.add_column(Text("document", style="bold"), key="document", width=title_width)
        for col in columns[1:]:
            self.add_column(Text(col.key, style="bold"), key=col.key, width=widths[col.key])
        self.rows_by_key = {}
        self.rows_shown = list(rows)
        self.layout_for = (width, len(rows))
        target = 0
        for n, row in enumerate(rows):
            self.add_row(
                columns[0].cell(row),
                Text(safe_line(row.title, TITLE_MAX), no_wrap=True, overflow="ellipsis"),
                *(col.cell(row) for col in columns[1:]),
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
        key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value
        return int(key) if key is not None else None
