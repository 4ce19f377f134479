"""Suggestions in the app: drawn apart, never counted as the annotator's spans until accepted
(y), all accepted (Y), rejected (x); every decision undoable."""

from __future__ import annotations

from tui_helpers import add_docs, app_for, settle, span_rows, spans

from annotator.services.suggestions import store
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import SuggestionRecord

TEXT = 'At least 100 people were killed in Bangui, the United Nations said.\n"We are afraid," said Joanne Mariner.\n'
SIZE = (160, 40)


def statuses(url: str) -> dict[str, str]:
    with session_scope(get_engine(url)) as session:
        rows = session.exec(__import__("sqlmodel").select(SuggestionRecord)).all()
        return {TEXT[r.start : r.end]: r.status for r in rows}


async def test_accept_reject_and_undo_suggestions(sqlite_url):
    add_docs(sqlite_url, TEXT)
    app = app_for(sqlite_url, suggestions=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.annotate_screen
        offered = {TEXT[s.start : s.end] for s in screen.suggestions.values()}
        assert {"Bangui", "United Nations", '"We are afraid,"', "Joanne Mariner"} <= offered
        assert spans(sqlite_url) == [] and len(screen.view.spans) == 0  # offered, not theirs
        # the suggestion is drawn apart: underlined in its label's colour, no background
        strip = screen.view._build_strip(0, screen.view.scrollable_content_region.width)
        bangui = next(seg for seg in strip if seg.text == "Bangui")
        assert bangui.style.underline and bangui.style.bgcolor == screen.view.rich_style.bgcolor

        screen.view.move_to(TEXT.index("Bangui") + 2)
        await pilot.press("y")
        await settle(pilot)
        assert spans(sqlite_url) == [("LOCATION", "Bangui")]
        assert statuses(sqlite_url)["Bangui"] == store.ACCEPTED
        assert span_rows(sqlite_url)[0].origin == "suggestion"

        screen.view.move_to(TEXT.index("United"))
        await pilot.press("x")
        await settle(pilot)
        assert statuses(sqlite_url)["United Nations"] == store.REJECTED
        assert spans(sqlite_url) == [("LOCATION", "Bangui")]

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert statuses(sqlite_url)["United Nations"] == store.OPEN
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert statuses(sqlite_url)["Bangui"] == store.OPEN and spans(sqlite_url) == []

        await pilot.press("Y")
        await settle(pilot)
        tagged = spans(sqlite_url)
        assert ("QUOTE", '"We are afraid,"') in tagged and ("ACTOR", "Joanne Mariner") in tagged
        quote = next(s for s in span_rows(sqlite_url) if s.label == "QUOTE")
        speaker = next(
            s for s in span_rows(sqlite_url) if s.label == "ACTOR" and TEXT[s.start : s.end] == "Joanne Mariner"
        )
        assert quote.links == {"speaker": (speaker.id,)}
        assert screen.suggestions == {}
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert spans(sqlite_url) == [] and all(v == store.OPEN for v in statuses(sqlite_url).values())
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert len(spans(sqlite_url)) == len(tagged)
