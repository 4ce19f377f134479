"""The document queue: a virtual list of title, this annotator's status and span count.

Only the rows on screen are drawn (``render_line``), from a window of rows the screen reads
(``services.queue``): 20,000 documents cost what 100 do. A row outside the window is drawn
as a placeholder and asked for (``Wanted``); the screen reads that page and hands it over
(``show``). Opening another document moves the highlight (``show`` with the same rows) and
rebuilds nothing. Titles are plain text, never markup. The filter (``f``, a key of the screen)
and the counts are in the border title.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.untrusted import safe_line

if TYPE_CHECKING:
    from annotator.services.queue_window import QueueWindow
    from annotator.services.records import QueueRow

FILTERS = ("all", "todo", "in_progress", "done", "skipped")
STATUS_MARK = {"todo": "·", "in_progress": "…", "done": "✓", "skipped": "↷"}
SPANS_WIDTH = 5


def filter_title(window: QueueWindow | None, filter_name: str) -> str:
    """What the border says: the filter and how many documents it keeps (of how many)."""
    name = filter_name.replace("_", " ")
    if window is None:
        return f"queue: {name}"
    if filter_name == "all":
        return f"queue: all ({window.documents:,})"
    return f"queue: {name} ({window.total:,} of {window.documents:,})"


class DocumentQueue(ScrollView, can_focus=True):
    """Rows are documents; ``enter`` (or a click) opens one."""

    DEFAULT_CSS = """
    DocumentQueue {
        width: 36; height: 1fr; overflow-x: hidden;
        border-top: solid $primary-background; border-right: solid $primary-background;
        border-title-align: left;
    }
    DocumentQueue > .queue--cursor { background: $accent 40%; }
    DocumentQueue > .queue--current { text-style: bold; }
    DocumentQueue > .queue--waiting { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"queue--cursor", "queue--current", "queue--waiting"}

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "cursor(-1000000000)", "First", show=False),
        Binding("end", "cursor(1000000000)", "Last", show=False),
        Binding("enter", "open", "Open", show=False),
    ]

    class Open(Message):
        def __init__(self, document_id: int) -> None:
            super().__init__()
            self.document_id = document_id

    class Wanted(Message):
        """Rows from position ``first`` of the filtered queue are needed on screen."""

        def __init__(self, filter_name: str, first: int) -> None:
            super().__init__()
            self.filter_name = filter_name
            self.first = first

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]  # (Widget's keyword arguments)
        self.window: QueueWindow | None = None
        self.filter = "all"
        self.current_id: int | None = None
        self.cursor = 0
        self.stale = False  # a row left or joined the filter: the counts are read again on the next move
        self.wanted: int | None = None  # the position asked for and not yet shown
        self.lines_rendered = 0  # render_line calls (a counter for tests and benchmarks)

    # ------------------------------------------------------------------ data in

    def show(self, window: QueueWindow, current_id: int | None, *, follow: bool = True) -> None:
        """Show ``window`` (its rows, counts and current document); ``follow``: put the
        highlight on the current document. Only the lines that change are drawn again."""
        old = self.window
        same_rows = old is not None and old.rows is window.rows and old.total == window.total
        before = (self.cursor, old.index if old is not None else None)
        self.window, self.filter, self.current_id, self.stale = window, window.filter, current_id, False
        self.wanted = None  # a row still missing is asked for again when drawn
        if window.index is not None and follow:
            self.cursor = window.index
        self.cursor = max(0, min(self.cursor, window.total - 1))
        self.virtual_size = Size(self.size.width, window.total)
        title = filter_title(window, self.filter)
        if title != self.border_title:  # (setting it redraws the whole widget)
            self.border_title = title
        if same_rows:
            for line in {*before, self.cursor, window.index}:
                if line is not None:
                    self.refresh_lines(line)
        else:
            self.refresh()
        if window.index is not None and follow:
            self._keep_visible(window.index, center=True)  # centred: the next moves need no scroll

    def known(self) -> QueueWindow | None:
        """The window the next move may reuse (None: read it again)."""
        return None if self.stale else self.window

    def update_row(self, document_id: int, *, status: str | None = None, span_delta: int = 0) -> None:
        """One document's status or span count changed: that row only."""
        window = self.window
        if window is None:
            return
        from dataclasses import replace

        for offset, row in enumerate(window.rows):
            if row.document_id != document_id:
                continue
            new = replace(
                row, status=status if status is not None else row.status, spans=max(0, row.spans + span_delta)
            )
            if new == row:
                return
            window.rows[offset] = new
            if new.status != row.status and self.filter != "all":
                self.stale = True  # it may leave or join the filtered list
            self.refresh_lines(window.first + offset)
            return

    def cycle_filter(self) -> str:
        """The next filter (its rows are read by the screen and shown with ``show``)."""
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)] if self.filter in FILTERS else "all"
        self.stale = True
        self.border_title = filter_title(None, self.filter)
        return self.filter

    # ------------------------------------------------------------------ drawing

    def row_at(self, index: int) -> QueueRow | None:
        window = self.window
        if window is None or not window.first <= index < window.first + len(window.rows):
            return None
        return window.rows[index - window.first]

    def render_line(self, y: int) -> Strip:
        self.lines_rendered += 1
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        window = self.window
        if window is None or index >= window.total or width <= 0:
            return Strip.blank(width, self.rich_style)
        row = self.row_at(index)
        if row is None:
            self._want(index)
            return Strip([Segment(set_cell_size(" …", width), self.get_component_rich_style("queue--waiting"))])
        current = row.document_id == self.current_id
        mark = "▶" if current else STATUS_MARK.get(row.status, "?")
        title_width = max(1, width - 3 - SPANS_WIDTH)
        title = safe_line(row.title, 200)
        if cell_len(title) > title_width:
            title = set_cell_size(title, title_width - 1) + "…"
        title = set_cell_size(title, title_width)
        text = set_cell_size(f"{mark} {title} {str(row.spans).rjust(SPANS_WIDTH)}", width)
        style = self.rich_style
        if current:
            style += self.get_component_rich_style("queue--current")
        if index == self.cursor and self.has_focus:
            style += self.get_component_rich_style("queue--cursor")
        return Strip([Segment(text, style)], width)

    def _want(self, index: int) -> None:
        if self.wanted is not None:
            return
        self.wanted = max(0, index - self.size.height)
        self.post_message(self.Wanted(self.filter, self.wanted))

    def _keep_visible(self, index: int, *, center: bool = False) -> None:
        """Scroll ``index`` into view (not at all when it is in view already)."""
        top = self.scroll_offset.y
        if top <= index < top + self.scrollable_content_region.height:
            return
        self.scroll_to_region(Region(0, index, 1, 1), animate=False, immediate=True, force=True, center=center)

    def on_resize(self, event: events.Resize) -> None:
        if self.window is not None:
            self.virtual_size = Size(self.size.width, self.window.total)

    def on_focus(self) -> None:
        self.refresh_lines(self.cursor)

    def on_blur(self) -> None:
        self.refresh_lines(self.cursor)

    # ------------------------------------------------------------------ keys and mouse

    def action_cursor(self, step: int) -> None:
        total = self.window.total if self.window is not None else 0
        if not total:
            return
        old, self.cursor = self.cursor, max(0, min(total - 1, self.cursor + step))
        self.refresh_lines(old)
        self.refresh_lines(self.cursor)
        self._keep_visible(self.cursor)

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.size.height - 1))

    def action_open(self) -> None:
        row = self.row_at(self.cursor)
        if row is not None:
            self.post_message(self.Open(row.document_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return  # on the border
        index = self.scroll_offset.y + offset.y
        if self.window is not None and 0 <= index < self.window.total:
            self.action_cursor(index - self.cursor)
            self.action_open()
