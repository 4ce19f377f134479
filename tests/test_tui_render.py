"""What reaches the screen: literal text, visible control characters, exact cells for wide
characters, and an exact count of rows rebuilt per key."""

from __future__ import annotations

from rich.cells import cell_len
from tui_helpers import add_docs, app_for, screen_text, settle, spans

from annotator.tui import textmodel as tm
from annotator.untrusted import display_text

SIZE = (160, 40)
MARKUP = "He said [bold]no[/bold] and [@click=app.quit]quit[/] then $x and C:\\path\\ and [/ and [red"
CONTROL = "esc\x1b[31mred bell\x07 back\x08space tab\tend del\x7f c1\x9b rlo\u202eevil"


async def test_markup_and_control_characters_render_literally(sqlite_url):
    add_docs(sqlite_url, MARKUP + "\n" + CONTROL + "\n")
    app = app_for(sqlite_url)
    async with app.run_test(size=(220, 30)) as pilot:  # wide: no line of the document wraps
        await settle(pilot)
        shown = screen_text(app)
        assert MARKUP in shown
        assert "esc␛[31mred bell␇ back␈space tab␉end del␡ c1␦ rlo␦evil" in shown
        assert not any(ch in shown for ch in "\x1b\x07\x08\t\x7f\x9b\u202e")
        await pilot.press("1")  # tagging keeps the text literal too (and quitting is a key, not a click)
        await settle(pilot)
        assert MARKUP in screen_text(app)
        assert app.is_running
    assert spans(sqlite_url) == [("ACTOR", "He")]


async def test_titles_and_span_previews_are_not_markup(sqlite_url):
    add_docs(sqlite_url, "[bold]Title[/] \x1b]0;pwned\x07\n[b]body[/b] text\n")
    app = app_for(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "shift+end", "1")
        await settle(pilot)
        shown = screen_text(app)
        assert "[b]body[/b] text" in shown  # side panel preview of the span, literally
        assert "\x1b" not in shown


def test_display_text_keeps_offsets():
    text = "a\x00b\x1bc\u2028d\x85e"
    shown = display_text(text)
    assert len(shown) == len(text)
    assert all(cell_len(ch) == 1 for ch in shown)


async def test_wide_characters_and_combining_marks_highlight_the_right_cells(sqlite_url):
    text = "中文 👨‍👩‍👧 Amnesty cafe\u0301 ok\n"
    add_docs(sqlite_url, text)
    app = app_for(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.annotate_screen.view
        await pilot.press("ctrl+right", "ctrl+right", "1")  # "Amnesty" after CJK and a ZWJ family
        await pilot.press("ctrl+right", "2")  # "café" with a combining accent
        await settle(pilot)
        assert spans(sqlite_url) == [("ACTOR", "Amnesty"), ("LOCATION", "cafe\u0301")]
        strip = view._build_strip(0, view.scrollable_content_region.width)
        cells: list[tuple[str, object]] = []
        for seg in strip:
            cells.append((seg.text, seg.style.bgcolor if seg.style else None))
        base = view.rich_style.bgcolor
        coloured = [t for t, bg in cells if bg is not None and bg != base]
        assert coloured == ["Amnesty", "cafe\u0301"]
        # the cells before "Amnesty": 2+2 (CJK) + 1 + 2 (ZWJ family) + 1 = 8
        before = "".join(t for t, _ in cells).split("Amnesty")[0]
        assert cell_len(before) == 8
        # the cursor moves by whole clusters: right from "c" of café passes the accent
        view.move_to(text.index("cafe") + 3)
        await pilot.press("right")
        assert view.cursor == text.index("cafe") + 5


async def test_moving_the_cursor_builds_no_rows_and_tagging_only_its_paragraph(sqlite_url):
    paragraph = "Amnesty International said rebels attacked the town of Bangui again and again. " * 3
    add_docs(sqlite_url, "\n".join([paragraph] * 8) + "\n")
    app = app_for(sqlite_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.annotate_screen.view
        await pilot.press("down", "down")
        await settle(pilot)
        built, rendered = view.rows_built, view.lines_rendered
        for key in ("right", "right", "down", "ctrl+right", "left", "up", "end", "home"):
            await pilot.press(key)
            await pilot.pause()
        assert view.rows_built == built  # the cursor is painted on cached rows
        per_key = (view.lines_rendered - rendered) / 8
        assert per_key <= 4, per_key
        first, count = view.index.rows_of(0)
        assert count >= 3  # the paragraph wraps over several rows
        view.move_to(0)
        built = view.rows_built
        await pilot.press("1")
        await settle(pilot)
        assert spans(sqlite_url) == [("ACTOR", "Amnesty")]
        assert 1 <= view.rows_built - built <= count  # only the tagged paragraph's rows
        built = view.rows_built
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert 1 <= view.rows_built - built <= count


def test_wrapping_keeps_every_offset_and_fits_the_width():
    text = "中文字 emoji 👨‍👩‍👧 and cafe\u0301 " * 20 + "x" * 150
    display = display_text(text)
    for width in (7, 20, 33):
        rows = tm.wrap_paragraph(display, 0, width)
        assert rows[0][0] == 0 and rows[-1][1] == len(text)
        assert all(a[1] == b[0] for a, b in zip(rows, rows[1:]))
        assert all(cell_len(display[a:b]) <= width for a, b in rows)


def test_word_snapping_and_occurrences():
    text = "the anti-balaka militia; the Anti-Balaka and anti-balaka's men"
    assert tm.snap_to_words(text, 6, 9) == (4, 15)  # inside "anti-balaka"
    assert tm.snap_to_words(text, 3, 5) == (4, 15)  # leading space trimmed
    assert tm.word_at(text, 15) == (4, 15)  # right after a word
    found = list(tm.occurrences(text, "anti-balaka", whole_words=True))
    assert (4, 15) in found and all(text[a:b] == "anti-balaka" for a, b in found)
    assert tm.find_matches(text, "ANTI-balaka") == [(4, 15), (29, 40), (45, 56)]
