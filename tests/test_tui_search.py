"""Search in the annotation app: `n` and `N` step through the matches in both directions (issue 15:
`N` used to search back from the cursor at the end of the current match and find it again)."""

from __future__ import annotations

from support.corpus import add_docs
from support.driver import annotate_app as app_for
from support.driver import settle
from support.reads import span_rows

TEXT = "The rebels came at dawn. Later the rebels left town. By night the rebels were back.\n"
SIZE = (160, 40)
STARTS = [i for i in range(len(TEXT)) if TEXT.startswith("rebels", i)]


async def _search_then_tag(sqlite_url: str, *steps: str) -> int:
    add_docs(sqlite_url, TEXT)
    async with app_for(sqlite_url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"rebels", "enter")
        for key in steps:
            await pilot.press(key)
        await pilot.press("1")
        await settle(pilot)
    [span] = span_rows(sqlite_url)
    assert TEXT[span.start : span.end] == "rebels"
    return span.start


async def test_search_selects_the_first_match(sqlite_url):
    assert await _search_then_tag(sqlite_url) == STARTS[0]


async def test_n_steps_forward_and_N_steps_back(sqlite_url):
    assert len(STARTS) == 3
    assert await _search_then_tag(sqlite_url, "n", "n", "N") == STARTS[1]


async def test_N_from_the_first_match_wraps_to_the_last(sqlite_url):
    assert await _search_then_tag(sqlite_url, "N") == STARTS[2]


async def test_n_after_the_last_match_wraps_to_the_first(sqlite_url):
    assert await _search_then_tag(sqlite_url, "n", "n", "n") == STARTS[0]


# ctrl+home / ctrl+end jump to the document's start and end (issue 15's navigation keys)
LINES = "alpha beta gamma\ndelta epsilon zeta\neta theta iota\n"


async def test_ctrl_end_then_shift_ctrl_home_selects_the_whole_document(sqlite_url):
    add_docs(sqlite_url, LINES)
    async with app_for(sqlite_url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+end", "shift+ctrl+home", "4")  # QUOTE: any stretch of text
        await settle(pilot)
    [span] = span_rows(sqlite_url)
    assert (span.start, span.end) == (0, len(LINES.rstrip("\n")))


async def test_ctrl_home_returns_to_the_first_word(sqlite_url):
    add_docs(sqlite_url, LINES)
    async with app_for(sqlite_url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "ctrl+right", "ctrl+home", "1")
        await settle(pilot)
    [span] = span_rows(sqlite_url)
    assert LINES[span.start : span.end] == "alpha"
