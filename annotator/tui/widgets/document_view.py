"""The article view: a Line-API ``ScrollView`` that draws only the rows on screen.

The text is wrapped once per width into a row index (``textmodel.RowIndex``); big documents
are wrapped in a worker after a first screenful. Each row's ``Strip`` is cached under
``(row, width, paragraph generation)``: a span change bumps its paragraphs' generation and
refreshes only their rows; the cursor and selection are painted on top of cached strips,
so moving the cursor builds nothing new. ``rows_built`` counts strips built (cache misses)
and ``lines_rendered`` counts ``render_line`` calls, exactly, for tests and benchmarks.

Document text never passes through markup: strips are built from ``Segment``s of the
display text, in which control characters are already visible one-cell placeholders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from annotator.tui import bindings
from annotator.tui import textmodel as tm
from annotator.tui.widgets.row_painter import LabelStyles, build_row, overlay_row

SYNC_WRAP_LIMIT = 200_000  # characters wrapped on the event loop; beyond, the rest is wrapped in a worker


class DocumentView(ScrollView, can_focus=True):
    """Shows one document with its spans; owns the cursor and the selection.

    A cursor move tells ``cursor_listener`` at once, when one is set, so what the screen
    shows beside the article changes in the same frame as the cursor (a posted
    ``CursorMoved`` reaches the screen after that frame, and its changes took a second one);
    without a listener it posts ``CursorMoved``.
    """

    DEFAULT_CSS = """
    DocumentView {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        color: $foreground;
    }
    """

    BINDINGS = [*bindings.view_bindings()]  # ids doc.*

    class CursorMoved(Message):
        """The cursor or the selection changed."""

        def __init__(self, view: DocumentView, offset: int, selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.view = view
            self.offset = offset
            self.selection = selection

        @property
        def control(self) -> DocumentView:
            return self.view

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.text = ""
        self.display_text = ""
        self.paras = tm.Paragraphs.of("")
        self.spans = tm.SpanIndex(self.paras)
        self.suggestions = tm.SpanIndex(self.paras)  # open suggestions: drawn apart, not spans
        self.index: tm.RowIndex | None = None
        self.cursor = 0
        self.selection_anchor: int | None = None  # the selection's other end (``Widget.anchor`` is a method)
        self._drag_anchor = 0
        self.highlight: tuple[int, int] | None = None
        self._generation: dict[int, int] = {}
        self._row_generation: dict[int, int] = {}  # bumped by span changes on that row
        self._strips: LRUCache[tuple[int, int, int, int, int], Strip] = LRUCache(4096)
        self._styles = LabelStyles(lambda: self.rich_style)
        self._goal_x: int | None = None
        self._dragging = False
        self._load_serial = 0
        self.rows_built = 0
        self.lines_rendered = 0
        self.wrapped_fully = True
        self._when_wrapped: list[Callable[[], None]] = []
        self.cursor_listener: Callable[[], None] | None = None

    # ------------------------------------------------------------------ loading

    def when_wrapped(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` once the whole document is wrapped (now, if it is)."""
        if self.wrapped_fully and self.index is not None:
            callback()
        else:
            self._when_wrapped.append(callback)

    def _wrapped_now(self) -> None:
        waiting, self._when_wrapped = self._when_wrapped, []
        for callback in waiting:
            callback()

    def set_label_colours(
        self, colours: dict[str, str], keys: dict[str, str] | None = None, styles: dict[str, str] | None = None
    ) -> None:
        self._styles.set_colours(colours, keys, styles)  # the span tags and styles without colour: row_painter.py

    def load(self, text: str, spans: Iterable[tm.SpanView], cursor: int = 0) -> None:
        """Show a new document (replaces everything, resets the caches)."""
        self.load_prepared(tm.prepare(text, spans), cursor)

    def load_prepared(self, doc: tm.PreparedDocument, cursor: int = 0) -> None:
        """Show a document prepared off the event loop (``textmodel.prepare``): only the
        first screenful is wrapped here; a big document's other rows in a worker."""
        self._load_serial += 1
        self.text = doc.text
        self.display_text = doc.display
        self.paras = doc.paras
        self.spans = doc.spans
        self.suggestions = tm.SpanIndex(self.paras)
        self._generation = {}
        self._row_generation = {}
        self._strips.clear()
        self.selection_anchor = None
        self.cursor = max(0, min(cursor, len(doc.text)))
        self.index = None
        self.wrapped_fully = False  # until _rewrap knows (it needs the width)
        self._rewrap()
        self.scroll_to(y=0, animate=False)
        self._scroll_cursor_into_view()
        self.refresh()

    def _wrap_width(self) -> int:
        return self.scrollable_content_region.width

    def _rewrap(self) -> None:
        width = self._wrap_width()
        if width <= 0:
            return
        if len(self.text) <= SYNC_WRAP_LIMIT:
            self.index = tm.wrap_document(self.display_text, self.paras, width)
            self.wrapped_fully = True
        else:
            first = tm.first_rows(self.size.height)
            self.index = tm.wrap_document(self.display_text, self.paras, width, max_rows=first)
            self.wrapped_fully = len(self.index.para_first_row) >= len(self.paras)
            if not self.wrapped_fully:
                # after the first screenful is on screen: a worker wrapping megabytes would
                # otherwise hold the interpreter lock while the event loop paints it
                self.call_after_refresh(self._start_wrap, self._load_serial, width)
        self.virtual_size = Size(width, self.index.rows)
        if self.wrapped_fully and self._when_wrapped:
            self.call_later(self._wrapped_now)

    def _start_wrap(self, serial: int, width: int) -> None:
        if serial != self._load_serial or self.wrapped_fully or self.index is None or self.index.width != width:
            return  # another document or width since
        self.run_worker(lambda: self._wrap_in_thread(serial, width), thread=True, exclusive=True, group="wrap")

    def _wrap_in_thread(self, serial: int, width: int) -> None:
        worker = get_current_worker()
        index = tm.wrap_document(self.display_text, self.paras, width, cancelled=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._wrapped, serial, index)

    def _wrapped(self, serial: int, index: tm.RowIndex) -> None:
        if serial != self._load_serial or index.width != self._wrap_width():
            return
        self.index = index
        self.wrapped_fully = True
        self.virtual_size = Size(index.width, index.rows)
        self.refresh()
        self._wrapped_now()

    def on_resize(self, event: events.Resize) -> None:
        if self.index is None or self.index.width != self._wrap_width():
            self._strips.clear()
            self._rewrap()
            self._scroll_cursor_into_view()
            self.refresh()

    # ------------------------------------------------------------------ spans

    def replace_spans(self, spans: tm.SpanIndex) -> None:
        """Swap in another index of the same text's spans (built off the event loop, on
        ``self.paras``), keeping the cursor, the scroll position and the wrapped rows."""
        self.spans = spans
        self._strips.clear()
        self.refresh()

    def update_spans(self, changes: dict[int, tm.SpanView | None]) -> set[int]:
        """Apply span changes and repaint only the rows the changed spans lie on.

        A row's strip depends only on the spans that intersect it (``_build_strip``), so a
        tag on one word rebuilds one row, not its whole paragraph.
        """
        extents = [
            (s.start, s.end)
            for span_id, new in changes.items()
            for s in (self.spans.by_id.get(span_id), new)
            if s is not None
        ]
        touched = self.spans.update(changes)
        if self.index is None:
            self.repaint_paragraphs(touched)
            return touched
        for start, end in extents:
            if self.paras.index_of(start) >= len(self.index.para_first_row):
                continue  # not wrapped yet: its rows are built fresh when they are
            first = self.index.row_of(start, self.paras)
            last = self.index.row_of(max(start, end - 1), self.paras)
            for row in range(first, last + 1):
                self._row_generation[row] = self._row_generation.get(row, 0) + 1
            self.refresh_lines(first, last - first + 1)
        return touched

    def set_suggestions(self, suggestions: Iterable[tm.SpanView]) -> None:
        """Replace the open suggestions shown (repaints the paragraphs they touch)."""
        old = {span_id: None for span_id in self.suggestions.by_id}
        changes: dict[int, tm.SpanView | None] = dict(old)
        changes.update({s.id: s for s in suggestions})
        self.update_suggestions(changes)

    def update_suggestions(self, changes: dict[int, tm.SpanView | None]) -> None:
        self.repaint_paragraphs(self.suggestions.update(changes))

    def repaint_paragraphs(self, paras: Iterable[int]) -> None:
        for para in paras:
            self._generation[para] = self._generation.get(para, 0) + 1
            if self.index is not None:
                first, count = self.index.rows_of(para)
                if count:
                    self.refresh_lines(first, count)

    def set_highlight(self, span_range: tuple[int, int] | None) -> None:
        """Mark a range (the selected span) on top of the cached rows: nothing is rebuilt."""
        if span_range == self.highlight or self.index is None:
            self.highlight = span_range
            return
        for rng in (self.highlight, span_range):
            if rng is not None:
                first = self.index.row_of(rng[0], self.paras)
                last = self.index.row_of(max(rng[0], rng[1] - 1), self.paras)
                self.refresh_lines(first, last - first + 1)
        self.highlight = span_range

    # ------------------------------------------------------------------ selection

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.selection_anchor is None or self.selection_anchor == self.cursor:
            return None
        return (min(self.selection_anchor, self.cursor), max(self.selection_anchor, self.cursor))

    def select(self, start: int, end: int) -> None:
        """Select ``[start, end)`` with the cursor at ``end`` (shift+keys extend it further)."""
        self._set_cursor(end, anchor=start)

    def clear_selection(self) -> None:
        self._set_cursor(self.cursor, anchor=None)

    def move_to(self, offset: int) -> None:
        self._set_cursor(offset, anchor=None)

    def _rows_for(self, cursor: int, anchor: int | None) -> tuple[int, int]:
        assert self.index is not None
        lo = min(cursor, anchor) if anchor is not None else cursor
        hi = max(cursor, anchor) if anchor is not None else cursor
        return self.index.row_of(lo, self.paras), self.index.row_of(hi, self.paras)

    def _set_cursor(self, offset: int, anchor: int | None, keep_goal: bool = False) -> None:
        offset = max(0, min(offset, len(self.text)))
        if self.index is not None:
            old = self._rows_for(self.cursor, self.selection_anchor)
            new = self._rows_for(offset, anchor)
        if not keep_goal:
            self._goal_x = None
        changed = (offset, anchor) != (self.cursor, self.selection_anchor)
        self.selection_anchor = anchor
        self.cursor = offset
        if self.index is not None and changed:
            self.refresh_lines(old[0], old[1] - old[0] + 1)
            if new != old:  # (a move along a row repaints that row once)
                self.refresh_lines(new[0], new[1] - new[0] + 1)
            self._scroll_cursor_into_view()
        if changed and self.cursor_listener is not None:
            self.cursor_listener()
        elif changed:
            self.post_message(self.CursorMoved(self, offset, self.selection))

    def _scroll_cursor_into_view(self) -> None:
        if self.index is None or self.size.height <= 0:
            return
        row = self.index.row_of(self.cursor, self.paras)
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height or self.size.height
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    # ------------------------------------------------------------------ movement

    def _row_clusters(self, row: int) -> list[tuple[int, int, int]]:
        assert self.index is not None
        return tm.row_cells(self.display_text, self.index.row_start[row], self.index.row_end[row])

    def _is_last_row(self, row: int) -> bool:
        assert self.index is not None
        return row + 1 >= self.index.rows or self.index.row_para[row + 1] != self.index.row_para[row]

    def _cell_x(self, row: int, offset: int) -> int:
        for start, end, x in self._row_clusters(row):
            if start <= offset < end or start == offset:
                return x
        return self._row_clusters(row)[-1][2]

    def offset_at_cell(self, row: int, x: int, *, after: bool = False) -> int:
        """The offset shown at cell ``x`` of ``row`` (``after``: the end of that cluster)."""
        assert self.index is not None
        row = max(0, min(row, self.index.rows - 1))
        clusters = self._row_clusters(row)
        for i in range(len(clusters) - 1):
            start, end, _cx = clusters[i]
            if x < clusters[i + 1][2]:
                return end if after else start
        if self._is_last_row(row) or len(clusters) == 1:
            return clusters[-1][0]
        return clusters[-2][1] if after else clusters[-2][0]

    def _step(self, direction: str) -> int:
        assert self.index is not None
        text, o = self.text, self.cursor
        para = self.paras.index_of(o)
        if direction == "left":
            if o == 0:
                return 0
            if o == self.paras.starts[para]:
                return o - 1
            row = self.index.row_of(o - 1, self.paras)
            for start, end, _x in self._row_clusters(row):
                if start < o <= end:
                    return start
            return o - 1
        if direction == "right":
            if o >= len(text):
                return len(text)
            if o == self.paras.ends[para]:
                return o + 1
            row = self.index.row_of(o, self.paras)
            for start, end, _x in self._row_clusters(row):
                if start <= o < end:
                    return end
            return o + 1
        if direction == "word_left":
            return tm.prev_word_start(text, o)
        if direction == "word_right":
            return tm.next_word_end(text, o)
        if direction == "doc_start":
            return 0
        if direction == "doc_end":  # a long document's end is reachable once it is wrapped to the end
            return len(text) if self.wrapped_fully else o
        row = self.index.row_of(o, self.paras)
        if direction == "home":
            return self.index.row_start[row]
        if direction == "end":
            clusters = self._row_clusters(row)
            if self._is_last_row(row) or len(clusters) == 1:
                return clusters[-1][0]
            return clusters[-2][0]
        page = max(1, (self.scrollable_content_region.height or self.size.height) - 1)
        delta = {"up": -1, "down": 1, "pageup": -page, "pagedown": page}[direction]
        goal = self._goal_x if self._goal_x is not None else self._cell_x(row, o)
        self._goal_x = goal
        target = max(0, min(self.index.rows - 1, row + delta))
        if target == row:
            return 0 if delta < 0 else (len(text) if self.wrapped_fully else o)
        return self.offset_at_cell(target, goal)

    def action_move(self, direction: str, extend: bool = False) -> None:
        if self.index is None:
            return
        sel = self.selection
        if not extend and sel is not None and direction in ("left", "right"):
            self._set_cursor(sel[0] if direction == "left" else sel[1], anchor=None)
            return
        anchor = (self.selection_anchor if self.selection_anchor is not None else self.cursor) if extend else None
        target = self._step(direction)
        self._set_cursor(target, anchor=anchor, keep_goal=direction in ("up", "down", "pageup", "pagedown"))

    # ------------------------------------------------------------------ mouse

    def _mouse_offset(self, event: events.MouseEvent, *, after: bool) -> int | None:
        if self.index is None or self.index.rows == 0:
            return None
        pos = event.get_content_offset_capture(self)
        row = pos.y + int(self.scroll_offset.y)
        return self.offset_at_cell(row, pos.x, after=after)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._mouse_offset(event, after=False)
        if offset is None:
            return
        self.focus()
        self._dragging = True
        self.capture_mouse()
        self._set_cursor(offset, anchor=None)
        self._drag_anchor = offset

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        anchor = self._drag_anchor
        offset = self._mouse_offset(event, after=True)
        if offset is None:
            return
        if offset <= anchor:
            offset = self._mouse_offset(event, after=False) or 0
            self._set_cursor(offset, anchor=anchor)
        else:
            self._set_cursor(offset, anchor=anchor)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()

    # ------------------------------------------------------------------ drawing (widgets/row_painter.py)

    def _build_strip(self, row: int, width: int) -> Strip:
        assert self.index is not None
        self.rows_built += 1
        start, end = self.index.row_start[row], self.index.row_end[row]
        para = self.index.row_para[row]
        spans = [s for s in self.spans.in_paragraph(para) if s.start < end and s.end > start]
        offered = [s for s in self.suggestions.in_paragraph(para) if s.start < end and s.end > start]
        return build_row(self.display_text, start, end, spans, offered, self._styles, self.rich_style, width)

    def render_line(self, y: int) -> Strip:
        self.lines_rendered += 1
        width = self.scrollable_content_region.width or self.size.width
        index = self.index
        row = y + int(self.scroll_offset.y)
        if index is None or row >= index.rows or row < 0:
            return Strip.blank(width, self.rich_style)
        para = index.row_para[row]
        key = (row, width, para, self._generation.get(para, 0), self._row_generation.get(row, 0))
        strip = self._strips.get(key)
        if strip is None:
            strip = self._build_strip(row, width)
            self._strips[key] = strip
        return self._overlay(strip, row, width)

    def _overlay(self, strip: Strip, row: int, width: int) -> Strip:
        assert self.index is not None
        start, end = self.index.row_start[row], self.index.row_end[row]
        cursor_here = start <= self.cursor <= end and self.index.row_of(self.cursor, self.paras) == row
        return overlay_row(
            strip,
            self.display_text,
            start,
            end,
            width,
            cursor=self.cursor if cursor_here else None,
            solid_cursor=self.has_focus or self.selection_anchor is not None,
            selection=self.selection,
            highlight=self.highlight,
        )

    def on_focus(self) -> None:
        self._refresh_cursor_row()

    def on_blur(self) -> None:
        self._refresh_cursor_row()

    def _refresh_cursor_row(self) -> None:
        if self.index is not None:
            self.refresh_lines(self.index.row_of(self.cursor, self.paras), 1)

    # ------------------------------------------------------------------ reading back

    def screen_rows(self) -> list[str]:
        """The visible rows as plain text (what a person sees), for tests."""
        height = self.scrollable_content_region.height or self.size.height
        return ["".join(seg.text for seg in self.render_line(y)).rstrip() for y in range(height)]

    def row_region(self, row: int) -> Region:
        return Region(0, row, self.size.width, 1)
