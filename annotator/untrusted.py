"""Untrusted text: which characters are dangerous, and how each place shows them. The one table.

Document text, titles, annotator names, labels, attribute values, notes, file names and the
messages of exceptions that quote them are data. They stay text (callers never parse them as
markup: Rich/Textual get ``Text`` objects or ``markup=False``) and no control character or
escape sequence reaches a terminal raw. This module defines the character classes once and
the transformations built on them; every other module calls these (a guard test,
tests/test_untrusted_one_module.py, refuses a second table). Standard library only, so the
schemas, store, services, cli and tui layers may all import it.

Character classes:

- **controls**: C0 (U+0000..U+001F), DEL (U+007F) and C1 (U+0080..U+009F), Unicode's ``Cc``.
  ESC starts a terminal escape sequence, BEL rings, CSI (U+009B) is ESC [ on some terminals.
- **bidi formatting**: embeddings, overrides (U+202A..U+202E) and isolates (U+2066..U+2069):
  they reorder everything after them on the line ("Trojan source").
- **bidi marks**: ALM, LRM, RLM (U+061C, U+200E, U+200F): invisible, they move neutral
  characters beside them; legitimate in right-to-left prose, so the article view keeps them.
- **line separators**: U+2028, U+2029 (``Zl``, ``Zp``): a line break to some terminals and editors.
- **surrogates**: U+D800..U+DFFF, never valid alone; they cannot even be encoded to UTF-8.

Transformations:

- ``display_text`` / ``document_display`` / ``safe_line``: the TUI's form. Each unsafe code
  point becomes ONE visible one-cell code point (a control picture: ESC -> ␛, BEL -> ␇, DEL -> ␡,
  C1 and bidi formatting -> ␦, line separators -> ␤, surrogates -> U+FFFD), so offsets, which
  are code points into the stored text, map to display positions one to one.
- ``escape_controls``: the command line's form. Every character Python deems non-printable (tab
  aside) is written as its Python escape (``\\x1b``, ``\\u202e``): a line says exactly what
  the data holds.
- ``escape_for_terminal``: a byte stream to a terminal (JSON, an export on standard output):
  every unsafe character but tab and newline as a ``\\uXXXX`` escape, which JSON parsers read
  back as the same character.
- ``one_line``: a title or source as stored (tabs and line breaks -> spaces, other controls
  dropped, surrogates -> U+FFFD).
"""

from __future__ import annotations

import re
import unicodedata

# ---------------------------------------------------------------------------- the classes

C0 = "".join(chr(c) for c in range(0x20))
DEL = "\x7f"
C1 = "".join(chr(c) for c in range(0x80, 0xA0))
CONTROLS = C0 + DEL + C1  # Unicode's Cc, exactly
BIDI_FORMATTING = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BIDI_MARKS = "\u061c\u200e\u200f"
LINE_SEPARATORS = "\u2028\u2029"
# The controls that lay plain text out: a text file may hold these and still be ordinary text.
LAYOUT_CONTROLS = frozenset("\t\n\r\f\v")
# The line breaks of ``str.splitlines``: LF, CR, VT, FF, the file/group/record separators, NEL
# and the line and paragraph separators. A one-line field (a title, a brat line) holds none.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85" + LINE_SEPARATORS

_SURROGATES = "\ud800-\udfff"


def _class(chars: str) -> str:
    return "".join(re.escape(ch) for ch in chars)


def is_control(ch: str) -> bool:
    """C0, DEL or C1 (Unicode category ``Cc``)."""
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F


def is_surrogate(ch: str) -> bool:
    return 0xD800 <= ord(ch) <= 0xDFFF


def is_unassigned(ch: str) -> bool:
    """A code point Unicode has not assigned (category ``Cn``; all of U+0000..U+009F are assigned)."""
    return ord(ch) > 0x9F and unicodedata.category(ch) == "Cn"


def is_line_separator(ch: str) -> bool:
    return ch in LINE_SEPARATORS


def is_printable(text: str) -> bool:
    """No character of ``text`` is one Python deems non-printable: no control, format
    character (bidi included), separator but the space, surrogate or unassigned code point."""
    return text.isprintable()


def name_breaker(name: str) -> str | None:
    """The first character that would break a one-line name in a table or terminal (a
    control, a surrogate, a line separator), or ``None``."""
    return next((ch for ch in name if is_control(ch) or is_surrogate(ch) or is_line_separator(ch)), None)


LINE_BREAK = re.compile("[" + _class(LINE_BREAKS) + "]")
TAB_OR_LINE_BREAK = re.compile("[" + _class("\t" + LINE_BREAKS) + "]")
TABS_OR_LINE_BREAKS = re.compile("[" + _class("\t" + LINE_BREAKS) + "]+")

_STRAY_CONTROL = re.compile("[" + _class("".join(ch for ch in C0 if ch not in LAYOUT_CONTROLS)) + "]")


def stray_controls(text: str) -> int:
    """How many C0 controls ``text`` holds that are not layout (tab, line breaks, form feed)."""
    return len(_STRAY_CONTROL.findall(text))


# ---------------------------------------------------------------------------- the TUI's form

_PICTURE = {i: chr(0x2400 + i) for i in range(0x20)}  # C0 controls -> U+2400..U+241F
_PICTURE[0x7F] = "\u2421"  # DEL -> ␡
_PICTURE.update({ord(ch): "\u2426" for ch in C1 + BIDI_FORMATTING})  # -> ␦
_PICTURE.update({ord(ch): "\u2424" for ch in LINE_SEPARATORS})  # -> ␤
_PICTURE.update({c: "\ufffd" for c in range(0xD800, 0xE000)})  # a lone surrogate cannot be written out
_PICTURE_BUT_NEWLINE = {code: picture for code, picture in _PICTURE.items() if code != ord("\n")}
_UNSAFE_ON_SCREEN = "[" + _class(CONTROLS + BIDI_FORMATTING + LINE_SEPARATORS) + _SURROGATES + "]"
_UNSAFE_ON_SCREEN_RE = re.compile(_UNSAFE_ON_SCREEN)
_UNSAFE_BUT_NEWLINE_RE = re.compile("(?!\n)" + _UNSAFE_ON_SCREEN)


def display_text(text: str) -> str:
    """``text`` with every unsafe character replaced by a visible one-cell placeholder.

    The result has the same length as ``text``: offsets carry over unchanged.
    """
    if _UNSAFE_ON_SCREEN_RE.search(text) is None:
        return text
    return text.translate(_PICTURE)


def document_display(text: str) -> str:
    """The document view's display string: ``display_text`` but for ``\\n``, which ends a
    paragraph and is never drawn (rows stop before it). An article with no control character
    is shown as it is: no copy of megabytes of text."""
    if _UNSAFE_BUT_NEWLINE_RE.search(text) is None:
        return text
    return text.translate(_PICTURE_BUT_NEWLINE)


def safe_line(text: str, limit: int = 200) -> str:
    """A short single-line version of untrusted text (titles, span previews)."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return display_text(text)


# ---------------------------------------------------------------------------- the CLI's forms


def escape_controls(text: object) -> str:
    """``str(text)`` with every non-printable character (tab aside) written as its escape."""
    line = str(text)
    if line.isprintable():
        return line
    return "".join(ch if ch.isprintable() or ch == "\t" else repr(ch)[1:-1] for ch in line)


_UNSAFE_IN_STREAM = re.compile(
    "["
    + _class("".join(ch for ch in CONTROLS if ch not in "\t\n") + BIDI_FORMATTING + BIDI_MARKS + LINE_SEPARATORS)
    + "]"
)


def escape_for_terminal(text: str) -> str:
    """``text`` with every character that could drive a terminal, tab and newline aside,
    written as a ``\\uXXXX`` escape (in JSON the same string to a parser, inert on a screen)."""
    if _UNSAFE_IN_STREAM.search(text) is None:
        return text
    return _UNSAFE_IN_STREAM.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_for_terminal(data: bytes) -> bytes:
    """JSON text with every character that could drive a terminal written as a ``\\uXXXX``
    escape: the same JSON to a parser, inert on a screen."""
    text = data.decode("utf-8")
    safe = escape_for_terminal(text)
    return data if safe is text else safe.encode("utf-8")


# ---------------------------------------------------------------------------- stored one-liners


def one_line(value: str) -> str:
    """A title or source as stored: tabs and line breaks become spaces, other control
    characters (NUL, ESC...) are dropped and lone surrogates (from file names that are not
    UTF-8) become U+FFFD. The document's text is never changed this way."""
    if value.isprintable():
        return value
    out = []
    for ch in value:
        if ch == "\t" or ch in LINE_BREAKS:
            out.append(" ")
        elif is_surrogate(ch):
            out.append("\ufffd")
        elif not is_control(ch):
            out.append(ch)
    return "".join(out)
