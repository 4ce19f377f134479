"""The annotation app driven by its real keys; every assertion is on the database."""

from __future__ import annotations

import pytest
from support.corpus import add_docs
from support.driver import annotate_app as app_for
from support.driver import annotating, settle
from support.reads import last_document, span_rows, spans, status_of

TEXT = (
    "Amnesty International said rebels attacked Bangui.\n"
    '"We will fight," said Joanne Mariner of Amnesty International.\n'
)
SIZE = (160, 40)  # wide enough that no test line wraps
OTHER = "Seleka rebels left Bangui in January.\n"


@pytest.fixture
def url(sqlite_url):
    add_docs(sqlite_url, TEXT, OTHER, "A third document about Bossangoa.\n")
    return sqlite_url


async def press(pilot, *keys):
    for key in keys:
        await pilot.press(key)
    await settle(pilot)


async def test_label_key_tags_the_word_under_the_cursor(url):
    async with annotating(url, size=SIZE) as session:
        await session.put_cursor_on("nesty")  # inside "Amnesty"
        await session.tag("ACTOR")
        await session.put_cursor_on("rebels")
        await session.tag("LOCATION")
        assert session.spans_in_db() == [("ACTOR", "Amnesty"), ("LOCATION", "rebels")]


async def test_selection_snaps_outward_to_words(url):
    async with app_for(url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "right", "right", *["shift+right"] * 8, "1")  # "nesty In"
    assert spans(url) == [("ACTOR", "Amnesty International")]


async def test_character_mode_keeps_exact_characters(url):
    async with app_for(url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "c", "right", "right", *["shift+right"] * 8, "1")
    assert spans(url) == [("ACTOR", "nesty In")]


async def test_word_selection_with_shift_ctrl_and_search(url):
    async with app_for(url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "shift+ctrl+right", "shift+ctrl+right", "1")
        await pilot.press("slash", *"bangui", "enter")
        await press(pilot, "2")
    assert spans(url) == [("ACTOR", "Amnesty International"), ("LOCATION", "Bangui")]


async def test_nested_spans_actor_inside_quote(url):
    async with app_for(url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "down", "home", "shift+end", "4")  # the whole second line
        await pilot.press("slash", *"joanne", "enter")
        await press(pilot, "shift+ctrl+right", "1")  # the match "Joanne" extended by a word
        screen = pilot.app.annotate_screen
        assert len(screen.view.spans.covering(screen.view.cursor - 1)) == 2  # both drawn on the name
    assert spans(url) == [("QUOTE", TEXT.splitlines()[1]), ("ACTOR", "Joanne Mariner")]


async def test_delete_and_undo_redo_chain(url):
    async with annotating(url, size=SIZE) as session:
        await session.tag("ACTOR")  # the word under the cursor at the start: "Amnesty"
        await session.put_cursor_on("rebels")
        await session.tag("LOCATION")
        assert session.spans_in_db() == [("ACTOR", "Amnesty"), ("LOCATION", "rebels")]
        await session.previous_span()  # back onto "Amnesty"
        await session.delete()
        assert session.spans_in_db() == [("LOCATION", "rebels")]
        await session.undo()
        assert session.spans_in_db() == [("ACTOR", "Amnesty"), ("LOCATION", "rebels")]
        await session.undo()
        await session.undo()
        assert session.spans_in_db() == []
        await session.redo()
        assert session.spans_in_db() == [("ACTOR", "Amnesty")]
        await session.redo()
        await session.redo()
        assert session.spans_in_db() == [("LOCATION", "rebels")]
        await session.undo()
        assert session.spans_in_db() == [("ACTOR", "Amnesty"), ("LOCATION", "rebels")]
        await session.press("backspace")  # delete's other key; the cursor is back on the restored span
        assert session.spans_in_db() == [("LOCATION", "rebels")]
    assert len({s.id for s in span_rows(url)}) == 1


async def test_attribute_form_saves_and_undo_restores(url):
    async with annotating(url, size=SIZE) as session:
        await session.tag("ACTOR")
        await session.open_attributes()
        await session.pilot.press("enter", "down", "down", "enter")  # actor_type: open the list, pick the 2nd value
        await session.pilot.press("tab")  # canonical
        await session.type("amnesty")
        await session.press("enter")  # enter saves
        (span,) = session.span_rows_in_db()
        assert span.attrs == {"actor_type": "militia", "canonical": "amnesty"}
        await session.undo()
        assert session.span_rows_in_db()[0].attrs == {}
        await session.redo()
        assert session.span_rows_in_db()[0].attrs == {"actor_type": "militia", "canonical": "amnesty"}


async def test_attribute_form_rejects_bad_values_and_saves_nothing(url):
    add_docs(url, "At least 100 people were killed.\n")
    async with app_for(url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "right_square_bracket", "right_square_bracket", "right_square_bracket")
        await press(pilot, "ctrl+right", "ctrl+right", "ctrl+right", "3", "enter")  # CASUALTY on "100"
        form = pilot.app.screen
        form.query_one("#attr-count_min").value = "-5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "at least 0" in str(form.query_one("#error").render())
        await press(pilot, "escape")
    assert [s.attrs for s in span_rows(url)] == [{}]


async def test_quote_speaker_links_nearest_first_and_undo(url):
    async with app_for(url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "1")  # ACTOR "Amnesty" (far)
        await pilot.press("slash", *"joanne", "enter")
        await press(pilot, "shift+ctrl+right", "1")  # ACTOR "Joanne Mariner" (inside)
        await press(pilot, "home", "shift+end", "4")  # QUOTE: the whole line
        await press(pilot, "s")
        picker = pilot.app.screen
        first = picker.candidates[0][0]
        assert TEXT[first.start : first.end] == "Joanne Mariner"  # nearest first
        await press(pilot, "space", "down", "space", "enter")  # both: a joint statement
        quote = next(s for s in span_rows(url) if s.label == "QUOTE")
        by_id = {s.id: TEXT[s.start : s.end] for s in span_rows(url)}
        names = [by_id[c] for c in quote.links["speaker"]]
        assert names == ["Joanne Mariner", "Amnesty"]
        # deleting a speaker drops its link; undo puts span and link back
        await pilot.press("slash", *"joanne", "enter")
        await press(pilot, "escape", "delete")
        quote = next(s for s in span_rows(url) if s.label == "QUOTE")
        assert len(quote.links["speaker"]) == 1
        await press(pilot, "ctrl+z")
        quote = next(s for s in span_rows(url) if s.label == "QUOTE")
        assert len(quote.links["speaker"]) == 2
        await press(pilot, "ctrl+z")  # undo the links
        quote = next(s for s in span_rows(url) if s.label == "QUOTE")
        assert quote.links == {}


async def test_tag_all_other_occurrences_in_one_undoable_step(url):
    async with annotating(url, size=SIZE) as session:
        await session.select("Amnesty International")
        await session.tag("ACTOR")
        await session.tag_all()
        assert session.spans_in_db() == [("ACTOR", "Amnesty International")] * 2
        assert session.spans_in_db(document_id=2) == []
        await session.undo()
        assert session.spans_in_db() == [("ACTOR", "Amnesty International")]


async def test_done_skip_and_document_navigation(url):
    async with annotating(url, size=SIZE) as session:
        assert session.document_in_db() == 1  # the document open, as the database remembers it
        await session.mark_done()
        assert session.status_in_db(1)[0] == "done"
        assert session.document_in_db() == 2
        await session.skip("off topic")
        assert session.status_in_db(2)[:2] == ("skipped", "off topic")
        assert session.document_in_db() == 3
        await session.previous_document()
        assert session.document_in_db() == 2
        await session.next_document()
        assert session.document_in_db() == 3
        await session.undo()  # undo the skip: back on document 2, status restored (opened, never changed: todo)
        assert session.status_in_db(2)[:2] == ("todo", "")
        assert session.document_in_db() == 2
        assert "doc 2" in session.screen_text()  # and it is the one on the screen
    assert last_document(url) == 2


async def test_blind_annotation_shows_only_my_spans(url):
    from annotator.schemas.labels import load_default_schema
    from annotator.services import corpus
    from annotator.services import spans as span_ops
    from annotator.store.engine import get_engine, session_scope

    schema = load_default_schema()
    with session_scope(get_engine(url)) as session:
        bob = corpus.get_or_create_annotator(session, "bob")
        row = corpus.register_schema(session, schema)
        doc = corpus.get_document(session, 1)
        span_ops.add_span(
            session, document=doc, annotator_id=bob.id, schema_id=row.id, schema=schema, label="ACTOR", start=0, end=7
        )
    async with app_for(url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.annotate_screen
        assert len(screen.view.spans) == 0 and screen.queue.row_at(0).spans == 0
        await press(pilot, "2")
    assert spans(url) == [("LOCATION", "Amnesty")]
    assert spans(url, "bob") == [("ACTOR", "Amnesty")]


async def test_reopening_restores_document_spans_and_links(url):
    async with app_for(url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "right_square_bracket", "1", "ctrl+right", "ctrl+right", "ctrl+right", "ctrl+right", "2")
        await pilot.press("q")
        await settle(pilot)
    assert last_document(url) == 2
    assert status_of(url, 1)[2] > 0  # time on document 1 was recorded
    async with app_for(url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.annotate_screen
        assert screen.doc.id == 2
        shown = [(s.label, OTHER[s.start : s.end]) for s in screen.view.spans.ordered()]
        assert shown == [("ACTOR", "Seleka"), ("LOCATION", "Bangui")] == spans(url, document_id=2)


async def test_tab_moves_between_spans(url):
    async with app_for(url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "1", "ctrl+right", "ctrl+right", "ctrl+right", "ctrl+right", "2", "home")
        screen = pilot.app.annotate_screen
        order = []
        for _ in range(2):
            await press(pilot, "tab")
            order.append(screen.spans[screen.selected_id].label)
        assert order == ["LOCATION", "ACTOR"]  # from "Amnesty": on to "rebels", then around to the first
        await press(pilot, "enter")  # attributes of the selected span
        assert pilot.app.screen.span.id == screen.selected_id


async def test_help_lists_every_key_and_no_ctrl_b(url):
    async with app_for(url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.annotate_screen
        rows = screen.binding_rows()
        ids = {i for _k, _d, i in rows}
        assert {"annotate.undo", "annotate.redo", "label.ACTOR", "doc.word_left", "annotate.done"} <= ids
        assert all("ctrl+b" not in k.lower() and "^b" not in k.lower() for k, _d, _i in rows)
        await press(pilot, "question_mark")
        assert pilot.app.screen.__class__.__name__ == "HelpScreen"
        await press(pilot, "escape")
        commands = list(pilot.app.get_system_commands(screen))
        titles = {c.title for c in commands}
        assert {"Undo", "Done", "ACTOR", "Speaker", "Tag all occurrences", "Search"} <= titles
        tag = next(c for c in commands if c.title == "ACTOR")
        tag.callback()
        await settle(pilot)
    assert spans(url) == [("ACTOR", "Amnesty")]


async def test_user_keymap_remaps_by_binding_id(url, tmp_path, monkeypatch):
    from annotator.errors import UserError
    from annotator.schemas.labels import load_default_schema
    from annotator.tui.app import binding_ids
    from annotator.tui.keymap import keymap_path, load_keymap

    path = keymap_path()
    path.parent.mkdir(parents=True)
    path.write_text('"label.ACTOR" = "x"\n"annotate.undo" = "u"\n')
    keymap = load_keymap(known_ids=binding_ids(load_default_schema()))
    async with app_for(url, keymap=keymap).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "x")
        assert spans(url) == [("ACTOR", "Amnesty")]
        await press(pilot, "u")
        assert spans(url) == []
    path.write_text('"annotate.nothing" = "x"\n')
    with pytest.raises(UserError, match=r"keymap.toml:1: annotate.nothing: no such binding id"):
        load_keymap(known_ids=binding_ids(load_default_schema()))


async def test_mouse_drag_selects_and_tags(url):
    async with app_for(url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = pilot.app.annotate_screen.view
        await pilot.mouse_down(view, offset=(3, 0))  # inside "Amnesty" (one cell of padding)
        await pilot.hover(view, offset=(15, 0))  # inside "International"
        await pilot.mouse_up(view, offset=(15, 0))
        assert view.selection is not None
        await press(pilot, "1")
    assert spans(url) == [("ACTOR", "Amnesty International")]


async def test_empty_database_says_how_to_import(sqlite_url):
    from support.screen import screen_text

    async with app_for(sqlite_url).run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "ctrl+d")
        assert "annotator import PATH" in screen_text(pilot.app)
