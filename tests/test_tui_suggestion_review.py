"""Suggestions at the keyboard: j / k move between the open suggestions, r reviews them one
at a time (y accept, x reject, space skip, each moving on; escape ends), accepting keeps the
suggestion's attributes and ``a`` copies the attributes of the span it copies from. Every
assertion is on the database (or the screen's own state where only the screen knows)."""

from __future__ import annotations

import sqlmodel
from hypothesis import given, settings
from hypothesis import strategies as st
from tui_helpers import add_docs, app_for, settle, span_rows, spans

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions import store
from annotator.services.suggestions.background import Suggester
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import SuggestionRecord
from annotator.tui import textmodel as tm

TEXT = 'At least 100 people were killed in Bangui, the United Nations said.\n"We are afraid," said Joanne Mariner.\n'
SIZE = (160, 40)


def in_process():
    return Suggester(load_default_schema(), process=False)


def records(url: str) -> list[SuggestionRecord]:
    with session_scope(get_engine(url)) as session:
        rows = session.exec(sqlmodel.select(SuggestionRecord).order_by(SuggestionRecord.start)).all()
        session.expunge_all()
        return list(rows)


def status_of(url: str) -> dict[str, str]:
    return {TEXT[r.start : r.end]: r.status for r in records(url)}


def topbar(app) -> str:
    return str(app.annotate_screen.query_one("#topbar").render())


async def keys(pilot, *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await settle(pilot)


async def test_j_and_k_move_between_open_suggestions_and_wrap(sqlite_url):
    add_docs(sqlite_url, TEXT)
    app = app_for(sqlite_url, suggestions=True, make_suggester=in_process)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.annotate_screen
        starts = sorted(r.start for r in records(sqlite_url))
        assert len(starts) >= 4
        visited = []
        for _ in starts:
            await keys(pilot, "j")
            visited.append(screen.view.cursor)
        assert visited == starts  # the one at the cursor first, then each in text order
        await keys(pilot, "j")
        assert screen.view.cursor == starts[0]  # wraps around
        await keys(pilot, "k")
        assert screen.view.cursor == starts[-1]  # and back
        await keys(pilot, "k", "k")
        assert screen.view.cursor == starts[-3]
        # y acts on the suggestion jumped to
        await keys(pilot, "y")
        landed = TEXT[starts[-3] :]
        accepted = [text for text, status in status_of(sqlite_url).items() if status == store.ACCEPTED]
        assert len(accepted) == 1 and landed.startswith(accepted[0])
        # a decided suggestion is no longer a stop
        await keys(pilot, "k", "j")
        assert screen.view.cursor == starts[-2]


async def test_review_mode_accepts_rejects_skips_and_moves_on(sqlite_url):
    add_docs(sqlite_url, TEXT)
    app = app_for(sqlite_url, suggestions=True, make_suggester=in_process)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.annotate_screen
        total = len(records(sqlite_url))
        assert total == 5  # casualty, Bangui, United Nations, the quote and its speaker
        await keys(pilot, "space")  # outside review, space decides nothing
        assert set(status_of(sqlite_url).values()) == {store.OPEN}

        await keys(pilot, "r")
        assert screen.review.active
        assert screen.view.cursor == 0 and f"suggestion 1 of {total}" in topbar(app)
        await keys(pilot, "y")  # accept the casualty figure, move on to Bangui
        assert status_of(sqlite_url)["At least 100 people were killed"] == store.ACCEPTED
        assert screen.view.cursor == TEXT.index("Bangui")
        assert f"suggestion 1 of {total - 1}" in topbar(app)
        await keys(pilot, "space")  # skip Bangui
        assert screen.view.cursor == TEXT.index("United Nations")
        assert f"suggestion 2 of {total - 1}" in topbar(app)
        await keys(pilot, "x")  # reject it
        assert status_of(sqlite_url)["United Nations"] == store.REJECTED
        assert screen.view.cursor == TEXT.index('"We are')
        await keys(pilot, "y")  # the quote, and its speaker with it; on to what was skipped
        assert status_of(sqlite_url)["Joanne Mariner"] == store.ACCEPTED
        quote = next(s for s in span_rows(sqlite_url) if s.label == "QUOTE")
        assert quote.links and screen.review.active
        assert screen.view.cursor == TEXT.index("Bangui") and "suggestion 1 of 1" in topbar(app)

        # undo covers decisions made in review
        await keys(pilot, "ctrl+z")
        assert status_of(sqlite_url)['"We are afraid,"'] == store.OPEN
        assert status_of(sqlite_url)["Joanne Mariner"] == store.OPEN
        await keys(pilot, "ctrl+z")
        assert status_of(sqlite_url)["United Nations"] == store.OPEN
        assert screen.review.active

        await keys(pilot, "escape")
        assert not screen.review.active and "suggestion" not in topbar(app).split("suggested")[0]
        await keys(pilot, "y")  # outside review: the suggestion under the cursor, and no moving on
        assert status_of(sqlite_url)["Bangui"] == store.ACCEPTED
        assert screen.view.cursor == TEXT.index("Bangui")


async def test_review_keys_pressed_in_a_row_each_decide_their_own_and_end_the_review(db_url):
    add_docs(db_url, TEXT)
    app = app_for(db_url, suggestions=True, make_suggester=in_process)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.annotate_screen
        await pilot.press("r", "x", "y", "x", "y")  # no waiting for the database in between
        await settle(pilot)
        assert status_of(db_url) == {
            "At least 100 people were killed": store.REJECTED,
            "Bangui": store.ACCEPTED,
            "United Nations": store.REJECTED,
            '"We are afraid,"': store.ACCEPTED,
            "Joanne Mariner": store.ACCEPTED,
        }
        assert not screen.review.active and screen.suggestions == {}  # nothing left: review done
        assert sorted(spans(db_url)) == sorted(
            [("LOCATION", "Bangui"), ("QUOTE", '"We are afraid,"'), ("ACTOR", "Joanne Mariner")]
        )


async def test_accepting_keeps_the_suggestions_attributes(db_url):
    add_docs(db_url, TEXT)
    app = app_for(db_url, suggestions=True, make_suggester=in_process)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        offered = {TEXT[r.start : r.end]: dict(r.attrs) for r in records(db_url)}
        await keys(pilot, "r", "y", "y", "y")  # casualty, Bangui, United Nations
        await keys(pilot, "escape")  # the cursor stays on the quote
        await keys(pilot, "j", "y")  # its speaker, by itself
    stored = {TEXT[s.start : s.end]: s.attrs for s in span_rows(db_url)}
    assert set(stored) == {"At least 100 people were killed", "Bangui", "United Nations", "Joanne Mariner"}
    for text, attrs in stored.items():
        assert attrs == offered[text] and attrs, text
    assert stored["At least 100 people were killed"] == {
        "category": "killed",
        "count_min": 100,
        "qualifier": "at least",
        "victims": "people",
    }


async def test_tag_all_copies_the_attributes_of_the_span(sqlite_url):
    add_docs(
        sqlite_url,
        "Amnesty International said rebels attacked Bangui.\nAmnesty International left. Amnesty Internationals stayed.\n",
    )
    app = app_for(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "shift+ctrl+right", "shift+ctrl+right", "1", "enter")
        await pilot.press("enter", "down", "down", "enter")  # actor_type: the 2nd value
        await pilot.press("tab", *"amnesty", "enter")  # canonical; enter saves
        await settle(pilot)
        await keys(pilot, "a")
        rows = span_rows(sqlite_url)
        assert len(rows) == 2 and {s.start for s in rows} == {0, 51}  # whole words only
        assert all(s.attrs == {"actor_type": "militia", "canonical": "amnesty"} for s in rows)
        await keys(pilot, "ctrl+z")
        assert len(span_rows(sqlite_url)) == 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=25),
    st.integers(0, 60),
    st.integers(0, 12),
    st.integers(-1, 40),
)
def test_span_index_after_and_before_order_whether_or_not_the_span_is_there(ranges, start, length, span_id):
    """What j/k and the review step over: the next/previous in (start, -end, id) order, for
    a span in the index or one that was just removed from it."""
    text = "word " * 15 + "\n\n" + "more text " * 4
    paras = tm.Paragraphs.of(text)
    spans = [tm.SpanView(i, "ACTOR", s, min(len(text), s + n)) for i, (s, n) in enumerate(ranges)]
    index = tm.SpanIndex(paras, sorted(spans, key=lambda v: (v.start, -v.end, v.id)))
    probe = tm.SpanView(span_id, "ACTOR", start, start + length)
    if span_id in index.by_id:
        probe = index.by_id[span_id]
    key = (probe.start, -probe.end, probe.id)
    ordered = [(s.start, -s.end, s.id) for s in index.ordered()]
    later = [k for k in ordered if k > key]
    earlier = [k for k in ordered if k < key]
    after, before = index.after(probe), index.before(probe)
    assert (after.start, -after.end, after.id) == later[0] if later else after is None
    assert (before.start, -before.end, before.id) == earlier[-1] if earlier else before is None
