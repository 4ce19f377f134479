"""What the review screen shows and where its keys go, as plain data; no Textual here.

The article's marks (gold spans in their label colours, open disagreements, agreed spans not
yet in gold), the top bar's words, the group under the cursor, the next group a key moves
to and the gold span an edit is about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text

from annotator.tui import textmodel as tm
from annotator.untrusted import safe_line

if TYPE_CHECKING:
    from annotator.services.adjudication import Adjudicator, DocRow, Group, ReviewDoc
    from annotator.services.records import SpanData

OPEN = "~open"  # drawing-only labels of the article view
AGREED = "~agreed"
MARK_COLOURS = {OPEN: "#ff2f6d", AGREED: "#8a9ba8"}


def figure(value: Any) -> str:
    return "undefined" if value is None else f"{value:.3f}"


class Marks:
    """The article's span views for a document under review; a group's mark keeps its id."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def mark_id(self, key: str) -> int:
        if key not in self._ids:
            self._ids[key] = -(len(self._ids) + 1)
        return self._ids[key]

    def views(self, doc: ReviewDoc) -> list[tm.SpanView]:
        views = [tm.SpanView(s.id, s.label, s.start, s.end) for s in doc.gold]
        for g in doc.groups:
            if g.is_open:
                views.append(tm.SpanView(self.mark_id(g.key), AGREED if g.agreed else OPEN, g.start, g.end))
        return views

    def changes(self, doc: ReviewDoc, shown: dict[int, tm.SpanView]) -> dict[int, tm.SpanView | None]:
        """The views to redraw so the article shows ``doc`` (None: gone)."""
        wanted = {v.id: v for v in self.views(doc)}
        changes: dict[int, tm.SpanView | None] = {i: None for i in shown if i not in wanted}
        changes.update({i: v for i, v in wanted.items() if shown.get(i) != v})
        return changes


def topbar(doc: ReviewDoc, row: DocRow | None, rows: Sequence[DocRow]) -> Text:
    figures = row.figures if row is not None else {}
    bar = Text(no_wrap=True, overflow="ellipsis")
    position = next((i for i, r in enumerate(rows, 1) if r.id == doc.id), 0)
    bar.append(f" {position}/{len(rows)} ", style="bold reverse")
    bar.append(
        f" gold: {doc.gold_status.replace('_', ' ')} ",
        style="bold #5fd787" if doc.gold_status == "done" else "bold #ffd75f",
    )
    open_n = len(doc.open_groups)
    bar.append(f" open {open_n}/{len(doc.groups)} ", style="bold #ff5f87" if open_n else "#5fd787")
    bar.append(
        f" f1 overlap {figure(figures.get('f1_overlap'))} · α_u {figure(figures.get('alpha_unitizing'))} ",
        style="dim",
    )
    bar.append(safe_line(doc.title, 200))
    return bar


def list_topbar(adj: Adjudicator, documents: int) -> Text:
    bar = Text(no_wrap=True, overflow="ellipsis")
    bar.append(" Review ", style="bold reverse")
    bar.append(" " + " vs ".join(safe_line(a, 30) for a in adj.annotators))
    bar.append(f" → {safe_line(adj.gold_name, 30)}", style="bold #ffd75f")
    bar.append(f"  ·  {documents} document{'s' if documents != 1 else ''}", style="dim")
    bar.append(f"  ·  lead {safe_line(adj.lead, 30)}", style="dim")
    return bar


def first_group(doc: ReviewDoc) -> Group | None:
    """Where a review starts: the first open disagreement, else the first group."""
    return next((g for g in doc.groups if g.is_open and not g.agreed), None) or (doc.groups[0] if doc.groups else None)


def group_at(doc: ReviewDoc, offset: int, current: Group | None) -> Group | None:
    """The group the cursor at ``offset`` is in (the current one while it stays inside it;
    None: no group there, the current one stays)."""
    if current is not None and current.start <= offset < max(current.end, current.start + 1):
        return None
    here = [g for g in doc.groups if g.start <= offset < g.end]
    return min(here, key=lambda g: (g.end - g.start, not g.is_open)) if here else None


def next_group(
    groups: list[Group], current: Group | None, cursor: int, step: int, *, prefer_open: bool
) -> Group | None:
    """The group ``step`` (1 or -1) moves to from ``current`` (else from the cursor), wrapping;
    ``prefer_open``: the next still open one when there is any."""
    if not groups:
        return None
    ordered = groups if step > 0 else list(reversed(groups))
    if current in groups:
        i = groups.index(current)
        rotated = [groups[(i + step * k) % len(groups)] for k in range(1, len(groups) + 1)]
    else:
        after = [g for g in ordered if (g.start > cursor if step > 0 else g.start < cursor)]
        rotated = after + [g for g in ordered if g not in after]
    if prefer_open:
        opened = [g for g in rotated if g.is_open]
        if opened:
            return opened[0]
    return rotated[0]


def gold_target(
    doc: ReviewDoc, cursor: int, current: Group | None, wanted: Callable[[SpanData], bool] = lambda s: True
) -> SpanData | None:
    """The gold span an edit is about: the innermost ``wanted`` one under the cursor, else the
    current group's first."""
    under = [s for s in doc.gold if s.start <= cursor < s.end and wanted(s)]
    if under:
        return min(under, key=lambda s: s.end - s.start)
    if current is not None:
        return next((s for s in current.gold if wanted(s)), None)
    return None
