"""The attribute form at the sizes issue 15 saw it hide fields: every field of the CASUALTY
form on screen at 80x24 and 120x40 (``category`` not scrolled out, ``victims`` without tab),
and on a terminal too short for them, a scroll bar beside the fields."""

from __future__ import annotations

import pytest
from support.driver import annotate_app, settle
from support.screen import screen_text
from test_tui_snapshots import _to_span, tagged_article

CASUALTY_FIELDS = ("category", "count_min", "count_max", "qualifier", "victims")


async def _casualty_form(pilot):
    await _to_span(pilot, "3500 other Muslims")
    await pilot.press("enter")
    await settle(pilot)
    form = pilot.app.screen
    assert type(form).__name__ == "AttributeForm"
    return form


def _inside(inner, outer) -> bool:
    return outer.contains_region(inner) if inner.area else False


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_casualty_field_is_on_screen(sqlite_url, size):
    tagged_article(sqlite_url)
    async with annotate_app(sqlite_url, "ana").run_test(size=size) as pilot:
        form = await _casualty_form(pilot)
        shown = screen_text(pilot.app)
        fields = form.query_one("#fields")
        assert fields.scroll_y == 0 and fields.max_scroll_y == 0  # nothing to scroll: all of it fits
        for name in CASUALTY_FIELDS:
            row = [line for line in shown.splitlines() if f" {name} " in f"{line} "]
            assert row, f"{name} is not on the screen:\n{shown}"
            assert _inside(form.query_one(f"#attr-{name}").region, fields.region), name
        category = next(line for line in shown.splitlines() if " category " in line)
        assert "displaced" in category  # the stored value, on the field's own row
        assert pilot.app.focused is form.query_one("#attr-category")  # the first field has the cursor
        assert "Save" in shown and "Cancel" in shown


async def test_a_short_terminal_scrolls_the_fields_with_a_scroll_bar(sqlite_url):
    tagged_article(sqlite_url)
    async with annotate_app(sqlite_url, "ana").run_test(size=(80, 16)) as pilot:
        form = await _casualty_form(pilot)
        fields = form.query_one("#fields")
        assert fields.max_scroll_y > 0 and fields.show_vertical_scrollbar  # the cue: a scroll bar
        assert _inside(form.query_one("#attr-category").region, fields.region)
        for _ in CASUALTY_FIELDS[1:]:
            await pilot.press("tab")
            await settle(pilot)
        assert pilot.app.focused is form.query_one("#attr-victims")
        assert _inside(form.query_one("#attr-victims").region, fields.region)  # scrolled into view


async def test_the_focused_fields_description_is_shown(sqlite_url):
    tagged_article(sqlite_url)
    async with annotate_app(sqlite_url, "ana").run_test(size=(80, 24)) as pilot:
        await _casualty_form(pilot)
        await pilot.press("tab")
        await settle(pilot)
        assert "count_min: Lower bound of the figure" in screen_text(pilot.app)
