"""The review app driven by its real keys; every assertion is on the database."""

from __future__ import annotations

import sqlite3

from sqlalchemy import make_url
from support.corpus import REVIEW_TEXT as TEXT
from support.corpus import at
from support.corpus import seed_two_annotators as seed
from support.driver import press, review_app, reviewing, settle
from support.reads import decisions, gold, gold_status
from support.screen import screen_text

SIZE = (120, 36)


async def test_adjudicate_a_document_with_the_keys(sqlite_url):
    doc_id = seed(sqlite_url)
    async with reviewing(sqlite_url, size=SIZE) as session:
        assert "alice vs bob → gold" in session.screen_text()
        await session.open_document()  # the only one: its first open disagreement is current
        shown = session.screen_text()
        assert "Disagreement 1/4  open · attributes differ" in shown
        assert "1 alice" in shown and "armed group" in shown
        await session.accept_agreed()  # every agreed span
        assert session.gold_in_db() == [("LOCATION", "Bangui", {"place_type": "city/town"}, [], "adjudication")]
        await session.accept(2)  # bob's version of "Seleka rebels"
        await session.next_disagreement()
        await session.accept(1)  # the quote (speakers differ): alice's
        await session.next_disagreement()
        await session.accept(1)  # its speaker: alice's "Joanne Mariner"
        await session.next_disagreement()
        await session.reject()  # "Amnesty International": neither
        assert "open 0/5" in session.screen_text()
        await session.mark_done()
    assert gold(sqlite_url) == [
        ("ACTOR", "Seleka rebels", {"actor_type": "militia"}, [], "adjudication"),
        ("LOCATION", "Bangui", {"place_type": "city/town"}, [], "adjudication"),
        ("QUOTE", '"We will fight,"', {}, ["Joanne Mariner"], "adjudication"),
        ("ACTOR", "Joanne Mariner", {"actor_type": "person"}, [], "adjudication"),
    ]
    assert gold_status(sqlite_url, doc_id) == "done"
    got = decisions(sqlite_url)
    assert [a for a, _s, _w in got] == [
        "accept_agreed",
        "accept",
        "accept",
        "accept",
        "accept",
        "reject",
        "adjudicated",
    ]
    assert [s for a, s, _w in got if a == "accept"] == [
        "bob",
        "alice",
        "alice",
        "alice",
    ]  # the quote's link backfill rides along
    assert {w for _a, _s, w in got} == {"lena"}


async def test_adjudicated_refused_while_groups_are_open_and_undo_redo(sqlite_url):
    doc_id = seed(sqlite_url)
    async with reviewing(sqlite_url, size=SIZE) as session:
        await session.open_document()
        await session.mark_done()
        assert session.gold_status_in_db(doc_id) is None  # refused: five groups are open
        await session.accept_agreed()
        await session.accept(2)
        assert [g[1] for g in session.gold_in_db()] == ["Seleka rebels", "Bangui"]
        await session.undo()
        assert [g[1] for g in session.gold_in_db()] == ["Bangui"]
        assert "open 4/5" in session.screen_text()
        await session.undo()
        assert session.gold_in_db() == []
        assert "open 5/5" in session.screen_text()  # the screen shows what the database holds
        await session.redo()
        await session.redo()
        assert [g[1] for g in session.gold_in_db()] == ["Seleka rebels", "Bangui"]
    assert [a for a, _s, _w in decisions(sqlite_url)] == [
        "accept_agreed",
        "accept",
        "undo:accept",
        "undo:accept_agreed",
        "redo:accept_agreed",
        "redo:accept",
    ]


async def test_add_on_a_selection_and_delete(sqlite_url):
    seed(sqlite_url)
    async with review_app(sqlite_url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "home")
        view = pilot.app.screen.view
        view.move_to(at(TEXT, "attacked")[0] + 2)
        await press(pilot, "shift+right", "shift+right", "3")  # inside "attacked": snaps to the word
        assert gold(sqlite_url) == [("CASUALTY", "attacked", {}, [], "adjudication")]
        view.move_to(at(TEXT, "attacked")[0])
        await press(pilot, "delete")
        assert gold(sqlite_url) == []
        await press(pilot, "ctrl+z")
        assert gold(sqlite_url) == [("CASUALTY", "attacked", {}, [], "adjudication")]
    assert [a for a, _s, _w in decisions(sqlite_url)] == ["add", "delete", "undo:delete"]


async def test_literal_text_never_markup(sqlite_url):
    from support.corpus import put

    from annotator.schemas.labels import load_default_schema
    from annotator.services import corpus
    from annotator.store.engine import get_engine, session_scope

    text = "[bold red]Bangui[/] \x1b[31m is [link=x]here[/link]."
    with session_scope(get_engine(sqlite_url)) as s:
        doc, _ = corpus.add_document(s, text=text, title="[b]title[/b]")
        put(s, load_default_schema(), doc, "alice", [("LOCATION", "[bold red]Bangui[/]", {})])
        put(s, load_default_schema(), doc, "bob", [("LOCATION", "Bangui", {})])
    async with review_app(sqlite_url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "[b]title[/b]" in screen_text(pilot.app)
        await press(pilot, "enter")
        shown = screen_text(pilot.app)
        assert "[bold red]Bangui[/]" in shown and "[link=x]here[/link]" in shown
        assert "\x1b" not in shown and "␛" in shown


async def test_unknown_annotator_is_reported_in_words(sqlite_url):
    seed(sqlite_url)
    async with review_app(sqlite_url, annotators=["alice", "zed"]).run_test(size=SIZE) as pilot:
        for _ in range(50):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            if pilot.app.start_error:
                break
        assert "no annotator named 'zed'" in pilot.app.start_error
        assert "Could not start the review" in screen_text(pilot.app)


async def test_the_list_reads_the_overview_once_at_start_and_once_per_return(sqlite_url, monkeypatch):
    from annotator.services import adjudication

    calls: list[str] = []
    overview = adjudication.overview

    def counted(*args, **kwargs):
        calls.append("overview")
        return overview(*args, **kwargs)

    monkeypatch.setattr(adjudication, "overview", counted)
    seed(sqlite_url)
    async with reviewing(sqlite_url, size=SIZE) as session:
        assert calls == ["overview"]  # the start-up read; the list's first showing reads nothing more
        await session.open_document()
        await session.press("escape")  # back to the list: it reads again, since decisions may have changed
        assert "alice vs bob → gold" in session.screen_text()
        assert calls == ["overview", "overview"]


async def test_q_leaves_only_once_the_decision_pressed_before_it_is_stored(sqlite_url):
    """Another writer holds the SQLite file while the lead accepts a version and presses ``q`` at once: the
    app stays until the decision is stored (the hang-up path did already), and leaves by itself afterwards."""
    seed(sqlite_url)
    holder = sqlite3.connect(make_url(sqlite_url).database, isolation_level=None, timeout=5)
    try:
        async with reviewing(sqlite_url, size=SIZE) as session:
            await session.open_document()
            accept = session.key_for("review.accept_agreed")
            holder.execute("BEGIN IMMEDIATE")  # another terminal's write transaction
            await session.pilot.press(accept, "q")
            for _ in range(20):  # the decision waits on the busy file: the app must wait with it
                await session.pilot.pause(0.02)
            assert session.app.is_running and session.app.return_code is None
            holder.execute("ROLLBACK")
            for _ in range(500):
                if not session.app.is_running:
                    break
                await session.pilot.pause(0.02)
            assert not session.app.is_running  # it left by itself once the decision was stored
    finally:
        holder.close()
    assert [action for action, _s, _w in decisions(sqlite_url)] == ["accept_agreed"]
