"""Exact counters behind benchmark 1 (keystroke to repaint), checked per key, not on average.

``DocumentView.lines_rendered`` counts ``render_line`` calls and ``rows_built`` counts strips
built (cache misses). They do not depend on the machine's load, so the benchmark's row
target (<= 5 rows re-rendered for a cursor move or for a tag that changes one line) is held
here, on a long paragraph (many wrapped rows), for every single key.
"""

from __future__ import annotations

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


def _count_refreshes(widgets) -> dict[str, int]:
    """Count ``refresh`` calls (a ``Static.update`` is one) on each widget, by its id."""
    counts: dict[str, int] = {}
    for widget in widgets:
        name = widget.id or type(widget).__name__
        counts[name] = 0
        original = widget.refresh

        def counting(*args, _original=original, _name=name, **kwargs):
            counts[_name] += 1
            return _original(*args, **kwargs)

        widget.refresh = counting
    return counts


async def test_a_cursor_move_that_changes_nothing_beside_the_article_refreshes_none_of_it(sqlite_url):
    """Issue 15: with suggestions, every move over untagged text rebuilt the side panel."""
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
        counts = _count_refreshes([screen.side, *screen.side.query("*"), screen.query_one("#topbar")])
        per_key = []
        for _ in range(3):
            await pilot.press("right")
            await pilot.pause()
            per_key.append(dict(counts))
        assert view.cursor == start + 3
        assert sum(counts.values()) == 0, per_key

        # onto a suggestion: the side panel shows it (so the counter does see refreshes) ...
        view.move_to(SUGGESTED.index("Bangui"))
        await pilot.pause()
        assert counts["attrs"] > 0
        # ... and moving inside it changes nothing more
        before = dict(counts)
        await pilot.press("right")
        await pilot.pause()
        assert counts == before
