"""One module (annotator/untrusted.py) says which characters are unsafe and how each place shows them.

Properties hold for any string (hypothesis): no display form lets a control character, ESC, a
bidi override or isolate, a line separator or a lone surrogate through, and the article view
keeps one code point per stored code point so offsets stay code points. A guard reads every
other module's AST and refuses a second control-character table.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import orjson
from hypothesis import example, given
from hypothesis import strategies as st
from support.paths import REPO

from annotator import untrusted
from annotator.agreement_words import safe
from annotator.services.exporting.brat import note_value
from annotator.services.exporting.writer import _TerminalSafe
from annotator.services.importing.parsed import annotator_problem

PACKAGE = REPO / "annotator"
NEVER_SHOWN = set(untrusted.CONTROLS + untrusted.BIDI_FORMATTING + untrusted.LINE_SEPARATORS)
HOSTILE = "a\x00b\x1b[31mc\x07\x08\t\n\r\x7f\x85\x9b\u202e\u2066\u200f\u061c\u2028\u2029\ud800z"
# any code point, surrogates and the characters above weighted in
TEXTS = st.text(alphabet=st.characters() | st.sampled_from(HOSTILE) | st.integers(0xD800, 0xDFFF).map(chr), max_size=60)
NO_SURROGATES = st.text(alphabet=st.characters(exclude_categories=("Cs",)) | st.sampled_from(HOSTILE[:-2]))


def unsafe_in(shown: str, *, allowed: str = "") -> set[str]:
    return {ch for ch in shown if (ch in NEVER_SHOWN or untrusted.is_surrogate(ch)) and ch not in allowed}


@given(TEXTS)
@example(HOSTILE)
def test_the_article_view_shows_no_unsafe_character_and_keeps_offsets(text: str) -> None:
    shown = untrusted.display_text(text)
    assert len(shown) == len(text)
    assert unsafe_in(shown) == set()
    assert "\x1b" not in shown
    for i, ch in enumerate(text):  # what is safe stays put
        if not (ch in NEVER_SHOWN or untrusted.is_surrogate(ch)):
            assert shown[i] == ch


@given(TEXTS)
@example(HOSTILE)
def test_the_document_view_keeps_its_paragraph_breaks_and_nothing_else_unsafe(text: str) -> None:
    shown = untrusted.document_display(text)
    assert len(shown) == len(text)
    assert unsafe_in(shown, allowed="\n") == set()
    assert [i for i, ch in enumerate(shown) if ch == "\n"] == [i for i, ch in enumerate(text) if ch == "\n"]


@given(TEXTS, st.integers(min_value=1, max_value=80))
def test_a_safe_line_is_short_and_shows_nothing_unsafe(text: str, limit: int) -> None:
    shown = untrusted.safe_line(text, limit)
    assert len(shown) <= limit
    assert unsafe_in(shown) == set()


@given(TEXTS)
def test_the_agreement_words_show_what_the_article_view_shows(text: str) -> None:
    shown = safe(text).plain
    assert shown == untrusted.display_text(text)
    assert unsafe_in(shown) == set()


@given(TEXTS)
@example(HOSTILE)
def test_the_command_line_escapes_every_unsafe_character(text: str) -> None:
    shown = untrusted.escape_controls(text)
    assert unsafe_in(shown, allowed="\t") == set()
    assert shown.replace("\t", " ").isprintable()
    if text.isprintable():
        assert shown == text


@given(NO_SURROGATES)
@example(HOSTILE[:-2])
def test_json_for_a_terminal_is_inert_and_the_same_json(text: str) -> None:
    data = orjson.dumps({"title": text}, option=orjson.OPT_INDENT_2)
    shown = untrusted.json_for_terminal(data).decode("utf-8")
    assert unsafe_in(shown, allowed="\n") == set()
    assert json.loads(shown) == {"title": text}


@given(TEXTS)
def test_a_stream_to_a_terminal_keeps_tabs_and_newlines_only(text: str) -> None:
    shown = untrusted.escape_for_terminal(text)
    assert unsafe_in(shown, allowed="\t\n" + "".join(chr(c) for c in range(0xD800, 0xE000))) == set()
    assert not set(untrusted.BIDI_MARKS) & set(shown)


def test_the_export_sink_escapes_through_the_module() -> None:
    raw = __import__("io").BytesIO()
    _TerminalSafe(raw).write("x\x1b[2J\u2028\u200f\ty\n".encode())
    assert raw.getvalue().decode() == "x\\u001b[2J\\u2028\\u200f\ty\n"


@given(TEXTS)
def test_a_stored_one_liner_holds_no_control_and_no_line_break(text: str) -> None:
    stored = untrusted.one_line(text)
    assert unsafe_in(stored, allowed=untrusted.BIDI_FORMATTING) == set()
    assert len(stored.splitlines()) <= 1
    assert untrusted.one_line(stored) == stored


def test_the_pictures_are_pinned() -> None:
    assert untrusted.display_text(HOSTILE) == "a␀b␛[31mc␇␈␉␊␍␡␦␦␦␦\u200f\u061c␤␤\ufffdz"
    assert untrusted.document_display("a\x1b\nb") == "a␛\nb"
    assert untrusted.escape_controls("a\x1b[1m\u202e\tb") == "a\\x1b[1m\\u202e\tb"


@given(TEXTS)
def test_names_are_refused_for_the_characters_the_module_names(name: str) -> None:
    breaker = untrusted.name_breaker(name)
    bad = [ch for ch in name if untrusted.is_control(ch) or untrusted.is_surrogate(ch) or ch in "\u2028\u2029"]
    assert breaker == (bad[0] if bad else None)
    if name.strip() and len(name) <= 200:
        assert (annotator_problem(name) is None) == (breaker is None)


@given(TEXTS)
def test_brat_notes_hold_no_tab_and_no_line_break(value: str) -> None:
    assert untrusted.TAB_OR_LINE_BREAK.search(note_value(value)) is None
    assert len(note_value(value).splitlines()) <= 1


# ---------------------------------------------------------------------------- the guard

UNSAFE = set(untrusted.CONTROLS + untrusted.BIDI_FORMATTING + untrusted.BIDI_MARKS + untrusted.LINE_SEPARATORS)
# a character class written as escapes in a raw string: r"[\x00-\x1f]", r"\u202e", r"\x85"
ESCAPED = re.compile(r"\\(x(0[0-8b-f]|1[0-9a-f]|7f|[89][0-9a-f])|u(202[89a-e]|206[6-9]|200[ef]|061c))", re.I)
CONTROL_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def own_tables(source: str) -> list[tuple[int, str]]:
    """(line, what) for every sign of a module's own control-character table or sanitiser."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            hits = UNSAFE & set(node.value) - set("\t\n\r")
            # one NUL alone is a NUL check (PostgreSQL refuses it), not a table
            if len(hits) > 1 or hits - {"\x00"} or ESCAPED.search(node.value):
                found.append((node.lineno, f"control characters in a literal {node.value[:30]!r}"))
            elif node.value in CONTROL_CATEGORIES:
                found.append((node.lineno, f"the Unicode category {node.value!r}"))
        elif isinstance(node, ast.Constant) and type(node.value) is int and 0x2400 <= node.value <= 0x2426:
            found.append((node.lineno, f"a control picture {node.value:#x}"))
        elif isinstance(node, ast.Attribute) and node.attr == "isprintable":
            found.append((node.lineno, f".{node.attr}"))
    return found


def test_no_other_module_defines_its_own_control_character_table() -> None:
    problems = [
        f"{path.relative_to(REPO)}:{line}: {what}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "untrusted.py" and "migrations" not in path.parts
        for line, what in own_tables(path.read_text(encoding="utf-8"))
    ]
    assert problems == []


def test_the_guard_sees_the_old_tables() -> None:
    """Not vacuous: each sanitiser this module replaced is caught."""
    old = {
        "textmodel": '_S = {i: chr(0x2400 + i) for i in range(0x20)}\n_U = re.compile("[\\x00-\\x1f\\x7f-\\x9f]")\n',
        "terminal": 'ok = line.isprintable()\n_J = re.compile("[\\x7f-\\x9f\\u202a-\\u202e]")\n',
        "agreement_words": 'x = "".join("?" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in s)\n',
        "decode": 'bad = unicodedata.category(ch) in ("Cn", "Cs")\n',
        "brat": '_B = re.compile(r"[\\n\\r\\u2028\\u2029\\x0b\\x0c\\x1c-\\x1e\\x85]")\n',
        "parsed": 'if ch in "\\t\\n\\r\\x0b\\x0c\\x1c\\x1d\\x1e\\x85": pass\n',
    }
    for name, source in old.items():
        assert own_tables(source), name
    assert own_tables('if "\\x00" in text: pass\nkey = "\\x00head"\n') == []
    assert own_tables(Path(untrusted.__file__).read_text(encoding="utf-8"))  # the one table is seen too
