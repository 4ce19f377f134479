"""Colour without colour: with ``NO_COLOR`` every label has its own text style and a selection
looks like no span; a dumb terminal gets no 24-bit (or 256-) colour, a 256-colour one gets 256.

The styles are read from the article view's rows (``Widget.render_line``, public), the bytes
from the real program in a pseudo-terminal.
"""

from __future__ import annotations

import os
import re
import time

import pytest
from rich.style import Style
from support.corpus import add_docs
from support.driver import annotating, settle
from support.pty_app import AppOnPty, wait_for
from support.reads import last_document

from annotator.errors import UserError
from annotator.schemas.labels import load_schema
from annotator.schemas.preview import default_schema_path, preview_schema
from annotator.terminal_colour import prepare_environment, span_tags
from annotator.tui.app import make_app
from annotator.tui.widgets.row_painter import (
    MONO_HIGHLIGHT_STYLE,
    MONO_SELECTION_STYLE,
    MONO_STYLES,
    legend_styles,
    mono_styles,
    tag_of,
)

TEXT = "In Paris he said no to them and left town today.\n"


def _styles_of(view, needle: str) -> set[Style]:
    """The (colourless part of the) styles the view draws ``needle`` with (on the first row showing it)."""
    for y in range(view.size.height):
        strip = view.render_line(y)
        line = "".join(segment.text for segment in strip)
        if needle in line:
            break
    else:
        raise AssertionError(f"{needle!r} is not shown")
    start = line.index(needle)
    found, x = set(), 0
    for segment in strip:
        if x < start + len(needle) and x + len(segment.text) > start and segment.style is not None:
            found.add(segment.style.without_color)
        x += len(segment.text)
    return found


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_without_colour_labels_and_the_selection_differ_by_style(sqlite_url, monkeypatch, size):
    monkeypatch.setenv("NO_COLOR", "1")
    add_docs(sqlite_url, TEXT)
    async with annotating(sqlite_url, size=size, suggestions=False) as session:
        await session.select("Paris")
        await session.tag("LOCATION")
        await session.select("no to them")
        await session.tag("QUOTE")
        await session.select("left town")
        await session.tag("LOCATION")
        await session.select("today")  # selected, not tagged
        await session.settle()
        assert session.spans_in_db() == [("LOCATION", "Paris"), ("QUOTE", "no to them"), ("LOCATION", "left town")]
        view = session.app.screen.view
        (location,) = _styles_of(view, "Paris")
        (quote,) = _styles_of(view, "no to them")
        (plain,) = _styles_of(view, " he sai")
        assert location != quote and location != plain and quote != plain
        assert _styles_of(view, "left town") == {location}  # the same label, the same style
        labels = [label.name for label in session.app.screen.schema.labels]
        legend = dict(zip(labels, legend_styles(session.app.screen.schema.labels)))
        assert len(set(legend.values())) == len(labels)  # the legend tells every label apart, as the article does
        assert (legend["LOCATION"], legend["QUOTE"]) == (location, quote)
        selection = _styles_of(view, "today")
        assert selection and all(style.reverse for style in selection)
        assert not any(style.reverse for style in (location, quote, plain))

        # the tags: each span's label key, superscript, in the space before it; the text is the same length
        keys = {label.name: label.key for label in session.app.screen.schema.labels}
        shown = "".join(_rows(view))
        for label, before, needle in [
            ("LOCATION", "In", "Paris"),
            ("QUOTE", "said", "no to"),
            ("LOCATION", "and", "left"),
        ]:
            assert f"{before}{tag_of(keys[label])}{needle}" in shown, shown
        assert "today" in shown and f"{tag_of(keys['LOCATION'])}today" not in shown  # a selection has no tag
        assert len(shown.replace(" ", "")) == len(TEXT.replace(" ", "").strip()) + 3  # three spaces drawn as tags
        for needle in ("Paris", "no to", "left"):  # the cursor still sits on the stored offset's cell
            view.move_to(TEXT.index(needle))
            await session.settle()
            assert _cursor_cell(view) == needle[0]


def _rows(view) -> list[str]:
    return ["".join(segment.text for segment in view.render_line(y)).rstrip() for y in range(view.size.height)]


def _cursor_cell(view) -> str:
    """The text of the one cell drawn in reverse video (the cursor, with no selection)."""
    cells = [
        segment.text
        for y in range(view.size.height)
        for segment in view.render_line(y)
        if segment.style is not None and segment.style.reverse
    ]
    assert len(cells) == 1, cells
    return cells[0]


async def test_tags_are_off_with_colour_unless_asked_for(sqlite_url, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    add_docs(sqlite_url, TEXT)
    for setting, tagged in [(None, False), ("1", True)]:
        if setting is not None:
            monkeypatch.setenv("ANNOTATOR_SPAN_TAGS", setting)
        async with annotating(sqlite_url, size=(120, 40), suggestions=False) as session:
            if not tagged:
                await session.select("Paris")
                await session.tag("LOCATION")
            key = next(label.key for label in session.app.screen.schema.labels if label.name == "LOCATION")
            shown = "".join(_rows(session.app.screen.view))
            assert (f"In{tag_of(key)}Paris" in shown) is tagged and ("In Paris" in shown) is not tagged
    assert span_tags({"NO_COLOR": "1"}) and not span_tags({"NO_COLOR": "1", "ANNOTATOR_SPAN_TAGS": "0"})


def test_prepare_environment_maps_dumb_terminals_only():
    dumb = {"TERM": "dumb"}
    prepare_environment(dumb)
    assert dumb == {"TERM": "dumb", "NO_COLOR": "1", "TEXTUAL_COLOR_SYSTEM": "standard"}
    chosen = {"TERM": "dumb", "TEXTUAL_COLOR_SYSTEM": "256"}
    prepare_environment(chosen)
    assert chosen["TEXTUAL_COLOR_SYSTEM"] == "256"  # the user's choice stays
    xterm = {"TERM": "xterm-256color"}
    prepare_environment(xterm)
    assert xterm == {"TERM": "xterm-256color"}


def _terminal_bytes(url: str, **env_changes: str) -> bytes:
    """What ``annotator annotate`` sends to an 80x24 pseudo-terminal until its article is shown."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "NO_COLOR", "TEXTUAL_COLOR_SYSTEM")}
    env.update(env_changes)
    app = AppOnPty.start(url, "ana", size=(80, 24), args=["--no-suggestions"], env=env)
    try:
        wait_for(
            lambda: b"left town" in app.output and last_document(url, "ana") is not None and app.running,
            "the article and the database",
        )
        time.sleep(0.5)  # the settled screen after the database's first read
        app.write(b"\x11")  # ctrl+q
        app.proc.wait(timeout=30)
    finally:
        app.stop()
    return bytes(app.output)


TRUECOLOR = re.compile(rb"[34]8;2;")
EIGHT_BIT = re.compile(rb"[34]8;5;")


@pytest.mark.slow
def test_a_dumb_terminal_gets_no_24_bit_colour_and_256_colours_get_256(sqlite_url):
    add_docs(sqlite_url, TEXT)
    dumb = _terminal_bytes(sqlite_url, TERM="dumb")
    assert b"left town" in dumb
    assert not TRUECOLOR.search(dumb) and not EIGHT_BIT.search(dumb)
    xterm256 = _terminal_bytes(sqlite_url, TERM="xterm-256color")
    assert EIGHT_BIT.search(xterm256) and not TRUECOLOR.search(xterm256)
    truecolor = _terminal_bytes(sqlite_url, TERM="xterm-256color", COLORTERM="truecolor")
    assert TRUECOLOR.search(truecolor)  # the check can fail: a terminal that says so gets 24-bit


def test_the_styles_without_colour_never_repeat_and_leave_reverse_to_the_selection():
    assert len(set(MONO_STYLES)) == len(MONO_STYLES) == 15
    assert not any(style.reverse or style.overline or style.color or style.bgcolor for style in MONO_STYLES)
    assert MONO_SELECTION_STYLE.reverse and MONO_HIGHLIGHT_STYLE not in MONO_STYLES


def _schema_naming_styles(tmp_path, quote_style: str):
    """The default schema with QUOTE's style named (and nothing else changed)."""
    text = default_schema_path().read_text(encoding="utf-8")
    head, quote = text.split('name = "QUOTE"\n', 1)
    path = tmp_path / "styled.toml"
    path.write_text(f'{head}name = "QUOTE"\nstyle = "{quote_style}"\n{quote}', encoding="utf-8")
    return path


async def test_a_schema_may_name_a_label_style(sqlite_url, monkeypatch, tmp_path):
    monkeypatch.setenv("NO_COLOR", "1")
    path = _schema_naming_styles(tmp_path, "strike  underline")
    schema = load_schema(path)
    assert schema.label("QUOTE").style == "strike underline"
    assert preview_schema(path).label("QUOTE").style == "strike underline"  # the start-up preview agrees
    default = load_schema(default_schema_path())
    assert '"style"' not in default.canonical_json()  # schemas that name none keep their fingerprint
    named = mono_styles([label.name for label in schema.labels], {"QUOTE": "strike underline"})
    assert named["QUOTE"] == Style(strike=True, underline=True)
    assert len(set(named.values())) == len(named)  # the others skip the named style

    add_docs(sqlite_url, TEXT)
    app = make_app(sqlite_url, "ana", preview_schema(path), suggestions=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.screen.view
        view.select(TEXT.index("no to them"), TEXT.index("no to them") + len("no to them"))
        await pilot.press(schema.label("QUOTE").key)
        await settle(pilot)
        view.move_to(0)
        await settle(pilot)
        assert _styles_of(view, "o to them") == {Style(strike=True, underline=True)}


def test_a_style_the_schema_cannot_have_is_one_line(tmp_path):
    path = _schema_naming_styles(tmp_path, "blink")
    with pytest.raises(UserError, match=r"QUOTE\)?\.style.*a style is some of bold, italic, underline, strike"):
        load_schema(path)
