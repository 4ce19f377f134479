"""The layout follows the terminal's size at every resize (issue 15: shrinking a 200-column
terminal to 80x24 left the queue open and the article about 8 columns wide)."""

from __future__ import annotations

import pytest
from support.driver import annotate_app, settle
from support.screen import screen_text
from test_tui_snapshots import tagged_article

from annotator.tui.screens.annotate import MIN_ARTICLE, NARROW, layout_for


def _parts(pilot):
    screen = pilot.app.screen
    return screen.query_one("#queue"), screen.query_one("#doc"), screen.query_one("#side")


async def _resize(pilot, width: int, height: int) -> None:
    await pilot.resize_terminal(width, height)
    await settle(pilot)
    await pilot.pause()


async def test_shrinking_to_80x24_hides_the_queue_and_widening_brings_it_back(sqlite_url):
    tagged_article(sqlite_url)
    async with annotate_app(sqlite_url, "ana").run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        queue, view, side = _parts(pilot)
        assert queue.display and side.display
        await _resize(pilot, 80, 24)
        assert not queue.display
        assert view.region.width >= MIN_ARTICLE
        assert view.region.right <= side.region.x or not side.display  # side by side, not over each other
        rows = [row for row in view.screen_rows() if row.strip()]
        assert rows and max(len(r) for r in rows) > MIN_ARTICLE // 2  # lines of words, not of letters
        await _resize(pilot, 200, 60)
        assert queue.display and side.display
        assert view.region.width >= 200 - 36 - 32 - 2


async def test_the_annotators_choice_of_queue_survives_resizes(sqlite_url):
    tagged_article(sqlite_url)
    async with annotate_app(sqlite_url, "ana").run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        queue, view, _side = _parts(pilot)
        await pilot.press("o")  # hide the queue
        await settle(pilot)
        assert not queue.display
        await _resize(pilot, 80, 24)
        await _resize(pilot, 200, 60)
        assert not queue.display  # still hidden: the annotator said so
        await pilot.press("o")
        await settle(pilot)
        assert queue.display


async def test_a_queue_opened_on_a_narrow_terminal_makes_room_by_hiding_the_side_panel(sqlite_url):
    tagged_article(sqlite_url)
    async with annotate_app(sqlite_url, "ana").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        queue, view, side = _parts(pilot)
        assert not queue.display and side.display
        await pilot.press("o")
        await settle(pilot)
        assert queue.display and not side.display
        assert view.region.width >= MIN_ARTICLE


@pytest.mark.parametrize("width", [40, 60, 64, 70, 72, 80, 100, 108, 119, 120, 160, 200, 300])
def test_the_article_keeps_its_minimum_whatever_the_width(width):
    queue, side = layout_for(width, None)
    assert queue == (width >= NARROW)
    article = width - (36 if queue else 0) - side
    assert article >= min(width, MIN_ARTICLE)
    assert side in (0, 24, 32)


def test_snapshot_80x24_after_shrinking_from_200x60(sqlite_url, snap_compare):
    tagged_article(sqlite_url)

    async def before(pilot):
        await settle(pilot)
        await _resize(pilot, 80, 24)
        assert "Amnesty" in screen_text(pilot.app)

    assert snap_compare(annotate_app(sqlite_url, "ana"), terminal_size=(200, 60), run_before=before)
