"""The review list at 80×24, 120×40 and 200×60: the agreement verdict heads it, and rank, title, open groups,
gold status and spans stay readable at 80 columns (lower-priority figures make room)."""

from __future__ import annotations

import pytest
from review_support import review_app, settle
from test_review_snapshot import load_shipped_sample


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((80, 24), ["#", "document", "open", "gold", "spans", "f1 overlap", "α_u"]),
        ((120, 40), ["#", "document", "open", "gold", "spans", "f1 overlap", "α_u", "f1 exact", "κ tokens"]),
        ((200, 60), ["#", "document", "open", "gold", "spans", "f1 overlap", "α_u", "f1 exact", "κ tokens"]),
    ],
)
async def test_columns_follow_the_width_and_the_verdict_heads_the_list(sqlite_url, size, expected) -> None:
    load_shipped_sample(sqlite_url)
    app = review_app(sqlite_url)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await settle(pilot)
        table = app.screen.query_one("#rv-list")
        shown = [str(c.value) for c in table.columns]
        assert shown[: len(expected)] == expected
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= size[0]
        verdict = str(app.screen.query_one("#rv-verdict").render())
        assert "Agreement" in verdict and "ACTOR" in verdict and "QUOTE" in verdict
        assert "Biggest disagreement" in verdict


async def test_shrinking_the_terminal_refits_the_columns(sqlite_url) -> None:
    load_shipped_sample(sqlite_url)
    app = review_app(sqlite_url)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#rv-list")
        assert "κ tokens" in [str(c.value) for c in table.columns]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await pilot.pause(0.1)
        shown = [str(c.value) for c in table.columns]
        assert "κ tokens" not in shown and {"open", "gold", "spans"} <= set(shown)


def test_review_list_at_80x24(sqlite_url, snap_compare):
    load_shipped_sample(sqlite_url)

    async def ready(pilot) -> None:
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)

    assert snap_compare(review_app(sqlite_url), terminal_size=(80, 24), run_before=ready)
