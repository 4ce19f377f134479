"""The team report's cells as text, shared by ``annotator team``'s tables (``cli/render/team.py``)
and the team screen: every name with control characters made visible, columns that fit 80."""

from __future__ import annotations

from typing import Any

from annotator.untrusted import escape_controls

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
