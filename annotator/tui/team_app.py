"""``annotator team`` on screen: the team table, the highlighted annotator's weeks and partners,
the outlier flags. Fits 80x24; ``r`` reads the database again (in a worker), ``q`` quits.

It shows a report (``services.team.team_report``) and is given ``load`` to read a fresh one:
no SQL here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from annotator.services.team_render import COLUMNS, fig, flag_lines, hours, member_cells
from annotator.untrusted import escape_controls


class TeamApp(App[None]):
    TITLE = "annotator team"
    CSS = """
    #team { height: auto; max-height: 12; }
    #detail-title { height: 1; background: $primary-background; padding: 0 1; }
    #weeks { height: 1fr; min-height: 4; }
    #flags { height: auto; max-height: 4; color: $warning; padding: 0 1; }
    """
    BINDINGS = [
        Binding("r", "refresh", "Refresh", id="team.refresh"),
        Binding("q,escape", "quit", "Quit", id="team.quit"),
    ]

    def __init__(self, report: dict[str, Any], load: Callable[[], dict[str, Any]]) -> None:
        super().__init__()
        self.report = report
        self.load = load

    def compose(self) -> ComposeResult:
        yield DataTable(id="team", cursor_type="row", zebra_stripes=True)
        yield Static(id="detail-title")
        yield DataTable(id="weeks", cursor_type="none")
        yield Static(id="flags")
        yield Footer()

    def on_mount(self) -> None:
        team = self.query_one("#team", DataTable)
        team.add_columns(*COLUMNS)
        self.query_one("#weeks", DataTable).add_columns("week", "done", "time", "F1 overlap", "α_u")
        self._show()
        team.focus()

    def _show(self) -> None:
        team = self.query_one("#team", DataTable)
        keep = team.cursor_row
        team.clear()
        for row in self.report["annotators"]:
            team.add_row(*(Text(c) for c in member_cells(row)))
        if self.report["annotators"]:
            team.move_cursor(row=min(keep, len(self.report["annotators"]) - 1))
        lines = flag_lines(self.report)
        self.query_one("#flags", Static).update(Text("\n".join(lines) if lines else "No outliers."))
        self._detail()

    def _detail(self) -> None:
        rows = self.report["annotators"]
        index = self.query_one("#team", DataTable).cursor_row
        title = self.query_one("#detail-title", Static)
        weeks = self.query_one("#weeks", DataTable)
        weeks.clear()
        if not rows or not 0 <= index < len(rows):
            title.update(Text("No annotator has assignments or work yet."))
            return
        row = rows[index]
        partners = ", ".join(f"{escape_controls(n)} {d}" for n, d in row["partners"].items()) or "none yet"
        title.update(
            Text(
                f"{escape_controls(row['annotator'])}: shares done documents with {partners}",
                no_wrap=True,
                overflow="ellipsis",
            )
        )
        for week in row["weeks"]:
            weeks.add_row(
                Text(week["week"]),
                Text(str(week["done"])),
                Text(hours(week["seconds"])),
                Text(fig(week["f1_overlap"])),
                Text(fig(week["alpha_u"])),
            )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "team":
            self._detail()

    def action_refresh(self) -> None:
        self.notify("Reading the team's progress again…", timeout=2)
        self._reload()

    @work(thread=True, exclusive=True)
    def _reload(self) -> None:
        report = self.load()
        self.call_from_thread(self._loaded, report)

    def _loaded(self, report: dict[str, Any]) -> None:
        self.report = report
        self._show()
