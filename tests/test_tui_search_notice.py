"""The search's match count stays off the article (issue 15: the "match 1 of N" notice was drawn
over the text, at 80x24 on the very row the match had been scrolled to)."""

from __future__ import annotations

from support.corpus import add_docs
from support.driver import annotate_app as app_for
from support.driver import settle
from support.screen import screen_text

# a long article: the match is far down, so the jump scrolls it to the article's last row, at
# the right end of its line (where a notice in the bottom right corner lands)
FILLER = "".join(f"Line {i} of the report says little at all here.\n" for i in range(60))
TEXT = FILLER + "The convoy reached the camp with the wounded needle\n" + FILLER


async def _search(pilot, query: str) -> None:
    await pilot.press("slash", *query, "enter")
    await settle(pilot)


def _search_toasts(screen) -> list:
    """The notices on screen but the first start's one-time "new annotator ... created"."""
    return [w for w in screen.query("Toast") if "new annotator" not in str(w.render())]


def _overlaps(a, b) -> bool:
    return bool(a.area and b.area and a.overlaps(b))


async def test_the_match_row_is_visible_and_nothing_covers_it_at_80x24(sqlite_url):
    add_docs(sqlite_url, TEXT)
    async with app_for(sqlite_url).run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await _search(pilot, "needle")
        screen = pilot.app.screen
        view = screen.query_one("#doc")
        lines = screen_text(pilot.app).splitlines()
        article = range(view.region.y, view.region.bottom)
        rows = [y for y in article if "needle" in lines[y][view.region.x : view.region.right]]
        assert len(rows) == 1, "\n".join(lines)  # the matched word is on screen, inside the article
        covering = [w for w in _search_toasts(screen) if _overlaps(w.region, view.region)]
        assert not covering, [str(w.render()) for w in covering]  # no notice drawn over the article
        count = screen.query_one("#matches")
        assert count.display and not _overlaps(count.region, view.region)  # its own row, below the article
        assert "match 1 of 1" in lines[count.region.y]


async def test_the_count_follows_n_and_goes_with_escape(sqlite_url):
    add_docs(sqlite_url, "rebels here, rebels there, rebels everywhere.\n")
    async with app_for(sqlite_url).run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await _search(pilot, "rebels")
        count = pilot.app.screen.query_one("#matches")
        assert "match 1 of 3" in screen_text(pilot.app).splitlines()[count.region.y]
        await pilot.press("n", "n")
        await settle(pilot)
        assert "match 3 of 3" in screen_text(pilot.app).splitlines()[count.region.y]
        assert not _search_toasts(pilot.app.screen)  # no notice about the search: the count says it
        await pilot.press("escape")
        await settle(pilot)
        assert not count.display
