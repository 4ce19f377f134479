"""Untrusted text on its way to a terminal, outside the TUI.

Document titles, annotator names, attribute values, file names and the messages of
exceptions that quote them can hold control characters (ESC starts a terminal escape
sequence, BEL rings, a bidi override reorders what follows). ``escape_controls`` turns every
character that is not printable into its Python escape (``\\x1b``, ``\\u202e``), so a line
says exactly what the data holds and the terminal never receives it raw. Markup is a separate
matter: text that reaches Rich goes in ``rich.text.Text`` objects or with ``markup=False``.
(The TUI keeps offsets one to one and uses ``tui.textmodel.display_text`` instead.)
"""

from __future__ import annotations

import re

# Raw in JSON strings but unsafe on a terminal: DEL, C1 controls, bidi marks, embeddings,
# overrides and isolates, line and paragraph separators (orjson already escapes C0 controls).
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_for_terminal(data: bytes) -> bytes:
    """JSON text with every character that could drive a terminal written as a ``\\uXXXX``
    escape: the same JSON to a parser, inert on a screen."""
    text = data.decode("utf-8")
    if not _UNSAFE_IN_JSON.search(text):
        return data
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


def escape_controls(text: object) -> str:
    """``str(text)`` with every non-printable character (tab aside) written as its escape."""
    line = str(text)
    if line.isprintable():
        return line
    return "".join(ch if ch.isprintable() or ch == "\t" else repr(ch)[1:-1] for ch in line)
