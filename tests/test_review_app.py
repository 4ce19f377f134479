"""The review app driven by its real keys; every assertion is on the database."""

from __future__ import annotations

from review_support import TEXT, at, decisions, gold, gold_status, press, review_app, seed, settle
from support.screen import screen_text

SIZE = (120, 36)


async def test_adjudicate_a_document_with_the_keys(sqlite_url):
    doc_id = seed(sqlite_url)
    async with review_app(sqlite_url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "alice vs bob → gold" in screen_text(pilot.app)
        await press(pilot, "enter")  # open the only document: the first open disagreement is current
        screen = pilot.app.screen
        assert screen.current_group.reason == "attributes differ"
        assert "1 alice" in screen_text(pilot.app) and "armed group" in screen_text(pilot.app)
        await press(pilot, "A")  # every agreed span
        assert gold(sqlite_url) == [("LOCATION", "Bangui", {"place_type": "city/town"}, [], "adjudication")]
        await press(pilot, "2")  # bob's version of "Seleka rebels"
        await press(pilot, "n", "1")  # the quote (speakers differ): alice's
        await press(pilot, "n", "1")  # its speaker: alice's "Joanne Mariner"
        await press(pilot, "n", "0")  # "Amnesty International": neither
        assert pilot.app.screen.doc.open_groups == []
        await press(pilot, "ctrl+d")
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
    async with review_app(sqlite_url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "ctrl+d")
        assert gold_status(sqlite_url, doc_id) is None  # refused: five groups are open
        await press(pilot, "A", "2")
        assert [g[1] for g in gold(sqlite_url)] == ["Seleka rebels", "Bangui"]
        await press(pilot, "ctrl+z")
        assert [g[1] for g in gold(sqlite_url)] == ["Bangui"]
        await press(pilot, "ctrl+z")
        assert gold(sqlite_url) == []
        assert pilot.app.screen.doc.gold == []  # the screen shows what the database holds
        await press(pilot, "ctrl+y", "ctrl+y")
        assert [g[1] for g in gold(sqlite_url)] == ["Seleka rebels", "Bangui"]
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
    from review_support import put

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
