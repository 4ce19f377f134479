"""What the terminal shows and which notices the app gave, read through Textual's public API."""

from __future__ import annotations

import html
import re
from typing import Any

from rich.cells import cell_len

# one run of text in Rich's SVG export: its x (in pixels of one cell's width) and its line
_TEXT_RUN = re.compile(
    r'<text class="[^"]*" x="(?P<x>[0-9.]+)" y="[0-9.]+" textLength="[0-9.]+" '
    r'clip-path="url\(#[^)]*-line-(?P<line>\d+)\)">(?P<text>[^<]*)</text>'
)
# Rich draws one cell this many pixels wide (font size 20 × aspect 0.61)
_CELL_WIDTH = 12.2


def screen_text(app: Any) -> str:
    """The current screen as plain text, one line per terminal row, as the user sees it.

    Read from ``App.export_screenshot`` (the same picture the snapshot tests compare), so
    only what was really drawn is there: a control character that reached the terminal
    shows up here, as it would there.
    """
    svg = app.export_screenshot()
    lines: dict[int, list[tuple[int, str]]] = {}
    for run in _TEXT_RUN.finditer(svg):
        column = round(float(run["x"]) / _CELL_WIDTH)
        text = html.unescape(run["text"]).replace("\xa0", " ").replace("\n", "")
        lines.setdefault(int(run["line"]), []).append((column, text))
    height = app.size.height
    out = []
    for row in range(max([height, *(k + 1 for k in lines)])):
        line = ""
        for column, text in sorted(lines.get(row, ())):
            line += " " * max(0, column - cell_len(line)) + text
        out.append(line.rstrip())
    return "\n".join(out)


class Notices:
    """Every notification an app gives, recorded as it is asked for (``App.notify`` is public
    and thread-safe; the app's own code and its database steps all go through it)."""

    def __init__(self, app: Any) -> None:
        self.messages: list[str] = []
        self.severities: list[str] = []
        notify = app.notify

        def recording(message: str, *args: Any, **kwargs: Any) -> None:
            self.messages.append(str(message))
            self.severities.append(str(kwargs.get("severity", "information")))
            notify(message, *args, **kwargs)

        app.notify = recording

    def __contains__(self, needle: str) -> bool:
        return any(needle in m for m in self.messages)

    def starting_with(self, prefix: str) -> list[str]:
        return [m for m in self.messages if m.startswith(prefix)]
