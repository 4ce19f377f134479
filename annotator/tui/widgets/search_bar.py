"""The annotate screen's search box and its match count, on the row above the footer.

The box is hidden until ``/``; enter searches, escape closes. The count ("match 2 of 5") then
takes the box's row, so it never covers the article (issue 15: a notice drawn over the text
hid the match it announced); escape or another document hides it.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input, Static

from annotator.untrusted import safe_line


class SearchBar(Input):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(placeholder="search this document (enter: find, escape: close)", **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.display = False

    def open(self) -> None:
        self.display = True
        self.focus()

    def close(self) -> None:
        self.display = False


class MatchCount(Static):
    """Which match the selection is, of how many, and the keys that step through them."""

    def on_mount(self) -> None:
        self.display = False

    def show(self, number: int, total: int, query: str) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" match {number} of {total} ", style="bold reverse")
        line.append(f" “{safe_line(query, 40)}”", style="bold")
        line.append("  n next · N previous · escape hides", style="dim")
        self.update(line)
        self.display = True

    def hide(self) -> None:
        self.display = False
