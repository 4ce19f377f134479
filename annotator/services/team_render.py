"""``annotator team --format table``: the team report as Rich tables that fit 80 columns.
Every name is shown as ``Text`` with control characters made visible (never markup)."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from annotator.terminal import escape_controls

COLUMNS = ("annotator", "asgn", "done", "skip", "prog", "time", "sp/doc", "F1 ov", "α_u", "!")


def hours(seconds: float) -> str:
    minutes = int(round(seconds / 60))
    return f"{minutes // 60}:{minutes % 60:02d}"


def fig(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def member_cells(row: dict[str, Any]) -> list[str]:
    """One annotator's row, as the table and the screen show it."""
    return [
        escape_controls(row["annotator"])[:14],
        str(row["assigned"] or "—"),
        str(row["done"]),
        str(row["skipped"]),
        str(row["in_progress"]),
        hours(row["seconds"]),
        fig(row["spans_per_doc"]),
        fig(row["f1_overlap"]),
        fig(row["alpha_u"]),
        "!" if row["flags"] else "",
    ]


def flag_lines(report: dict[str, Any]) -> list[str]:
    return [
        escape_controls(
            f"! {row['annotator']}: {flag['label']} F1 overlap {fig(flag['f1_overlap'])}, others {fig(flag['others'])}"
        )
        for row in report["annotators"]
        for flag in row["flags"]
    ]


def week_rows(report: dict[str, Any]) -> list[list[str]]:
    return [
        [
            escape_controls(row["annotator"])[:14],
            week["week"],
            str(week["done"]),
            hours(week["seconds"]),
            fig(week["f1_overlap"]),
            fig(week["alpha_u"]),
        ]
        for row in report["annotators"]
        for week in row["weeks"]
    ]


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
