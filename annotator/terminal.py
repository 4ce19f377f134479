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


def escape_controls(text: object) -> str:
    """``str(text)`` with every non-printable character (tab aside) written as its escape."""
    line = str(text)
    if line.isprintable():
        return line
    return "".join(ch if ch.isprintable() or ch == "\t" else repr(ch)[1:-1] for ch in line)
