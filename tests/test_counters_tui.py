"""Exact counters behind benchmark 1 (keystroke to repaint), checked per key, not on average.

``DocumentView.lines_rendered`` counts ``render_line`` calls and ``rows_built`` counts strips
built (cache misses). They do not depend on the machine's load, so the benchmark's row
target (<= 5 rows re-rendered for a cursor move or for a tag that changes one line) is held
here, on a long paragraph (many wrapped rows), for every single key.
"""

from __future__ import annotations

from collections import Counter

from textual.widget import Widget
from tui_helpers import add_docs, app_for, settle, spans

ROW_LIMIT = 5
PARAGRAPH = "Amnesty International said rebels attacked the town of Bangui again and again. " * 12


async def _view(pilot):
    await settle(pilot)
    return pilot.app.annotate_screen.view


async def test_each_cursor_move_re_renders_at_most_five_rows_and_builds_none(sqlite_url):
    add_docs(sqlite_url, "\n".join([PARAGRAPH] * 6) + "\n")
    app = app_for(sqlite_url)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _view(pilot)
        assert view.index.rows_of(0)[1] >= 8  # a long paragraph: many rows
        await pilot.press("down", "down")
        await settle(pilot)
        per_key = []
        for key in ("right", "down", "left", "up", "ctrl+right", "end", "home", "down", "shift+right", "left"):
            before, built = view.lines_rendered, view.rows_built
            await pilot.press(key)
            await pilot.pause()
            per_key.append((key, view.lines_rendered - before, view.rows_built - built))
        assert max(n for _k, n, _b in per_key) <= ROW_LIMIT, per_key
        assert all(b == 0 for _k, _n, b in per_key), ("moving the cursor must paint on cached rows", per_key)


async def test_scrolling_a_page_renders_one_screen_not_the_document(sqlite_url):
    add_docs(sqlite_url, "\n".join([PARAGRAPH] * 40) + "\n")
    app = app_for(sqlite_url)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _view(pilot)
        assert view.index.rows > 200
        before = view.lines_rendered
        await pilot.press("pagedown")
        await settle(pilot)
        assert 0 < view.lines_rendered - before <= 2 * view.size.height


async def test_a_tag_that_changes_one_line_re_renders_at_most_five_rows(sqlite_url):
    add_docs(sqlite_url, PARAGRAPH + "\n")
    app = app_for(sqlite_url)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _view(pilot)
        assert view.index.rows_of(0)[1] >= 8
        target = PARAGRAPH.index("Bangui", 400)
        view.move_to(target)
        await settle(pilot)
        before_lines, before_built = view.lines_rendered, view.rows_built
        await pilot.press("1")
        await settle(pilot)
        assert spans(sqlite_url) == [("ACTOR", "Bangui")]
        lines, built = view.lines_rendered - before_lines, view.rows_built - before_built
        assert lines <= ROW_LIMIT and built <= ROW_LIMIT, (lines, built)


SUGGESTED = (
    'At least 100 people were killed in Bangui, the United Nations said.\n"We are afraid," said Joanne Mariner.\n'
)


class Refreshes:
    """Counts ``refresh`` calls (a ``Static.update`` is one) on every widget of a screen, by the
    widget's id, and the ones asking for a layout of the screen."""

    def __init__(self, screen) -> None:
        self.calls: dict[str, int] = {}
        self.layouts: dict[str, int] = {}
        for widget in screen.walk_children(with_self=True):
            name = widget.id or type(widget).__name__
            self.calls.setdefault(name, 0)
            self.layouts.setdefault(name, 0)
            widget.refresh = self._counting(widget.refresh, name)

    def _counting(self, original, name):
        def counting(*args, **kwargs):
            self.calls[name] += 1
            self.layouts[name] += bool(kwargs.get("layout"))
            return original(*args, **kwargs)

        return counting

    def refreshed(self) -> dict[str, int]:
        """The widgets refreshed (and how often) since the last call."""
        out = {name: n for name, n in self.calls.items() if n}
        out |= {f"{name} (layout)": n for name, n in self.layouts.items() if n}
        self.calls = dict.fromkeys(self.calls, 0)
        self.layouts = dict.fromkeys(self.layouts, 0)
        return out


async def _press(pilot, view, key: str) -> int:
    await pilot.press(key)
    await pilot.pause()
    return view.cursor


async def test_a_cursor_move_that_changes_nothing_beside_the_article_refreshes_nothing_else(sqlite_url):
    """Issue 15: with suggestions, every move over untagged text rebuilt the side panel. Now a
    move over text that is neither tagged nor suggested refreshes the article's rows alone:
    no part of the side panel, no top bar, footer or queue, and no layout of the screen."""
    add_docs(sqlite_url, SUGGESTED)
    app = app_for(sqlite_url, suggestions=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.annotate_screen
        assert screen.suggestions  # the side panel has a suggestion to show when the cursor is on one
        view = screen.view
        start = SUGGESTED.index(" the United") + 1
        walk = range(start, start + 4)  # "the " : neither tagged nor suggested
        assert all(view.suggestions.innermost(i) is None and view.spans.innermost(i) is None for i in walk)
        view.move_to(start)
        await settle(pilot)
        counts = Refreshes(screen)
        drawn = dict(screen.side.parts_drawn)
        per_key = []
        for key in ("right", "right", "right", "left"):
            cursor = await _press(pilot, view, key)
            per_key.append((key, cursor, counts.refreshed()))
        assert [c for _k, c, _r in per_key] == [start + 1, start + 2, start + 3, start + 2]
        assert all(set(refreshed) == {"doc"} for _k, _c, refreshed in per_key), per_key
        assert screen.side.parts_drawn == drawn


def panel_rows(side) -> list:
    """The side panel's rows as drawn now (strips: text and styles)."""
    return [side.render_line(y) for y in range(side.size.height)]


def span_list_row(rows: list) -> int:
    """The panel row the span list starts on (its header)."""
    return next(y for y, row in enumerate(rows) if row.text.strip().startswith("spans ("))


def rows_that_differ(before: list, after: list) -> int:
    return sum(1 for a, b in zip(before, after, strict=True) if a != b)


async def test_a_move_onto_a_span_draws_only_the_side_panel_parts_that_changed(sqlite_url):
    add_docs(sqlite_url, SUGGESTED)
    app = app_for(sqlite_url)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.annotate_screen
        view, side = screen.view, screen.side
        view.move_to(SUGGESTED.index("Joanne"))
        await settle(pilot)
        await pilot.press("1")  # ACTOR on "Joanne"
        await settle(pilot)
        name = SUGGESTED.index("Joanne")
        view.move_to(name - 2)  # on "d " before it: no span
        await settle(pilot)
        assert "no span under the cursor" in side.shown["attrs"]
        counts = Refreshes(screen)
        before = Counter(side.parts_drawn)
        rows, refreshed_rows = panel_rows(side), side.rows_refreshed

        # onto the span: its attributes and its mark in the span list change; the legend does not
        assert await _press(pilot, view, "right") == name - 1
        assert await _press(pilot, view, "right") == name
        refreshed = counts.refreshed()
        assert side.parts_drawn - before == {"attrs": 1, "spans": 1}, side.parts_drawn
        assert "ACTOR" in side.shown["attrs"] and "Joanne" in side.shown["attrs"]
        assert set(refreshed) == {"doc", "side"}, refreshed  # no layout, nothing else on the screen
        # exactly the rows that show something else are repainted, and the legend's are not among them
        changed = rows_that_differ(rows, panel_rows(side))
        assert 0 < side.rows_refreshed - refreshed_rows == changed, (side.rows_refreshed - refreshed_rows, changed)
        assert rows[:4] == panel_rows(side)[:4]

        # within the span: nothing beside the article
        before = Counter(side.parts_drawn)
        refreshed_rows = side.rows_refreshed
        assert await _press(pilot, view, "right") == name + 1
        assert set(counts.refreshed()) == {"doc"}
        assert side.parts_drawn == before and side.rows_refreshed == refreshed_rows

        # off it again (down to the next row's start is past the text: left to before it)
        view.move_to(name - 1)
        await pilot.pause()
        assert side.parts_drawn - before == {"attrs": 1, "spans": 1}
        assert "no span under the cursor" in side.shown["attrs"]
        assert not {k for k in counts.refreshed() if "layout" in k}
        assert panel_rows(side) == rows  # as it was before the span


async def test_a_move_onto_a_suggestion_draws_the_attributes_part_alone(sqlite_url):
    add_docs(sqlite_url, SUGGESTED)
    app = app_for(sqlite_url, suggestions=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.annotate_screen
        view, side = screen.view, screen.side
        place = SUGGESTED.index("Bangui")
        assert view.suggestions.innermost(place) is not None and view.spans.innermost(place) is None
        view.move_to(place - 2)  # "n " before it
        await settle(pilot)
        counts = Refreshes(screen)
        before = Counter(side.parts_drawn)
        rows, refreshed_rows = panel_rows(side), side.rows_refreshed
        assert await _press(pilot, view, "right") == place - 1
        assert await _press(pilot, view, "right") == place
        assert side.parts_drawn - before == {"attrs": 1}, side.parts_drawn
        assert "suggested" in side.shown["attrs"] and "Bangui" in side.shown["attrs"]
        refreshed = counts.refreshed()
        assert set(refreshed) == {"doc", "side"}, refreshed
        assert side.rows_refreshed - refreshed_rows == rows_that_differ(rows, panel_rows(side))
        # the attributes' rows are reserved for the tallest span: the list below did not move, none of its rows drew
        assert span_list_row(rows) == span_list_row(panel_rows(side))
        assert rows[span_list_row(rows) :] == panel_rows(side)[span_list_row(rows) :]
        # moving inside it changes nothing more
        before = Counter(side.parts_drawn)
        assert await _press(pilot, view, "right") == place + 1
        assert set(counts.refreshed()) == {"doc"}
        assert side.parts_drawn == before


async def test_walking_back_over_the_same_spans_and_suggestions_builds_no_panel_lines(sqlite_url):
    """The panel's lines are built once per distinct line (kept in an LRU keyed by what they
    show): the second walk over the same text builds none; every key repaints exactly the
    panel rows that differ, with no layout and nothing but the article and the panel refreshed."""
    add_docs(sqlite_url, SUGGESTED)
    app = app_for(sqlite_url, suggestions=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.annotate_screen
        view, side = screen.view, screen.side
        assert screen.suggestions
        view.move_to(SUGGESTED.index("Joanne"))
        await settle(pilot)
        await pilot.press("1")  # a span too, beside the suggestions
        await settle(pilot)
        view.move_to(0)
        await settle(pilot)
        counts = Refreshes(screen)
        counts.refreshed()
        end = SUGGESTED.index("Mariner") + 8
        built_per_walk, panel_changes = [], 0
        for _walk in range(2):
            built = side.lines_built
            view.move_to(0)
            await settle(pilot)
            counts.refreshed()
            while view.cursor < end:
                rows, refreshed_rows, drawn = panel_rows(side), side.rows_refreshed, sum(side.parts_drawn.values())
                await _press(pilot, view, "right")
                refreshed = counts.refreshed()
                assert set(refreshed) <= {"doc", "side"}, (view.cursor, refreshed)  # no layout
                assert side.rows_refreshed - refreshed_rows == rows_that_differ(rows, panel_rows(side)), view.cursor
                panel_changes += sum(side.parts_drawn.values()) != drawn
            built_per_walk.append(side.lines_built - built)
        assert panel_changes >= 8  # the walk crosses suggestions and the span, on and off
        assert built_per_walk[1] == 0, built_per_walk


async def test_a_cursor_move_draws_no_container_around_the_article(sqlite_url, monkeypatch):
    """Textual's compositor draws again every widget whose clip meets the frame's update (a
    container's children are clipped to the container, so all of them, whatever moved). The
    queue, article and panel are the screen's own row: a key draws the screen, its two bars and
    those three (and the article's scroll bar), and no container around them."""
    drawn: Counter[str] = Counter()
    original = Widget.render_lines

    def counting(self, crop):
        drawn[self.id or type(self).__name__] += 1
        return original(self, crop)

    monkeypatch.setattr(Widget, "render_lines", counting)
    add_docs(sqlite_url, "\n".join([PARAGRAPH] * 3) + "\n")
    app = app_for(sqlite_url)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _view(pilot)
        screen = app.annotate_screen
        assert all(screen.query_one(f"#{name}").parent is screen for name in ("queue", "doc", "side"))
        per_key = []
        for key in ("right", "down", "left", "up"):
            drawn.clear()
            await _press(pilot, view, key)
            per_key.append(dict(drawn))
        for widgets in per_key:
            assert {"doc", "queue", "side"} <= set(widgets), per_key  # the frame did draw
            assert len(widgets) <= 7, per_key  # screen, top bar, footer, queue, article, its scroll bar, panel


async def test_once_the_database_is_open_a_key_collects_none_of_the_start_up_objects(sqlite_url):
    """Start-up's objects (every module, the schema, the first article) are frozen out of the collector once the
    database is open, so a full collection walks only what keys made since (no ~170 ms pause every few hundred
    keys). Counted, not timed: the objects a collection would walk after a walk of keys."""
    import gc

    gc.unfreeze()
    add_docs(sqlite_url, PARAGRAPH + "\n")
    app = app_for(sqlite_url)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            frozen = gc.get_freeze_count()
            assert frozen > 50_000, frozen  # Textual, SQLAlchemy and the app's own objects
            for key in ("right", "down", "left", "up") * 5:
                await pilot.press(key)
            await settle(pilot)
            tracked = len(gc.get_objects())  # what a full collection walks (the frozen ones are not listed)
            assert tracked < frozen // 2, (tracked, frozen)
    finally:
        gc.unfreeze()
