"""The session driver itself: it presses the keys the user would press, refuses what it cannot
do in words, and reads back what the terminal and the database really hold."""

from __future__ import annotations

import pytest
from support.corpus import add_docs
from support.driver import annotating
from support.screen import Notices, screen_text
from textual.app import App, ComposeResult
from textual.widgets import Static

TEXT = "Amnesty International said rebels attacked Bangui.\n"


async def test_a_session_tags_and_undoes_on_both_backends(db_url: str) -> None:
    add_docs(db_url, TEXT)
    async with annotating(db_url, "alice") as session:
        await session.select("Amnesty International")
        await session.tag("ACTOR")
        await session.put_cursor_on("angui")  # inside "Bangui": the word is tagged
        await session.tag("LOCATION")
        assert session.spans_in_db() == [("ACTOR", "Amnesty International"), ("LOCATION", "Bangui")]
        await session.undo()
        assert session.spans_in_db(annotator="alice") == [("ACTOR", "Amnesty International")]
        await session.redo()
        assert len(session.spans_in_db()) == 2
    assert session.spans_in_db(annotator="ana") == []  # another annotator's spans are theirs


async def test_the_driver_presses_the_key_a_keymap_gives(sqlite_url: str) -> None:
    add_docs(sqlite_url, TEXT)
    async with annotating(sqlite_url, keymap={"label.ACTOR": "x", "annotate.undo": "u"}) as session:
        assert session.key_for("label.ACTOR") == "x" and session.key_for("annotate.undo") == "u"
        await session.tag("ACTOR")
        assert session.spans_in_db() == [("ACTOR", "Amnesty")]
        await session.undo()
        assert session.spans_in_db() == []


async def test_the_driver_says_what_it_cannot_do(sqlite_url: str) -> None:
    add_docs(sqlite_url, TEXT)
    async with annotating(sqlite_url) as session:
        with pytest.raises(AssertionError, match="the article has no 'zebra'"):
            await session.put_cursor_on("zebra")
        with pytest.raises(AssertionError, match="no key for label.WEAPON on AnnotateScreen; bound: .*label.ACTOR"):
            await session.tag("WEAPON")
        assert session.spans_in_db() == []


class _Shows(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text, markup=False)


async def test_screen_text_is_what_the_terminal_got() -> None:
    app = _Shows("wide 漢字 then  two spaces\n[b]not markup[/b]\nraw \x1b[31mE")
    notices = Notices(app)
    async with app.run_test(size=(40, 4)) as pilot:
        await pilot.pause()
        app.notify("Saved.", severity="warning")
        shown = screen_text(app).splitlines()
    assert shown[:2] == ["wide 漢字 then  two spaces", "[b]not markup[/b]"]
    assert "\x1b" in shown[2]  # nothing is cleaned on the way: an escape on the screen fails a test
    assert notices.messages == ["Saved."] and notices.severities == ["warning"] and "Sav" in notices
