"""``annotator team --format table``: the team report as Rich tables that fit 80 columns.

Every name is shown as ``Text`` (never markup), its control characters made visible by the cells
(``services/team_render.py``)."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from annotator.services.team_render import COLUMNS, flag_lines, member_cells, week_rows


def render(report: dict[str, Any]) -> Group:
    team = Table(title="team", title_justify="left", pad_edge=False)
    for i, column in enumerate(COLUMNS):
        team.add_column(column, justify="left" if i == 0 else "right", no_wrap=True)
    for row in report["annotators"]:
        team.add_row(*(Text(cell) for cell in member_cells(row)))
    weeks = Table(title="by week", title_justify="left", pad_edge=False)
    for i, column in enumerate(("annotator", "week", "done", "time", "F1 ov", "α_u")):
        weeks.add_column(column, justify="left" if i < 2 else "right", no_wrap=True)
    for cells in week_rows(report):
        weeks.add_row(*(Text(cell) for cell in cells))
    notes = [Text(line) for line in flag_lines(report)]
    if not report["annotators"]:
        notes.append(Text("No annotator has assignments or work yet: annotator assign --to A,B --per-document 2"))
    notes.append(
        Text("F1 ov, α_u: agreement with the others on the documents both marked done; time in h:mm", style="dim")
    )
    return Group(team, weeks, *notes)
