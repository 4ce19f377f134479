"""Long texts in windows: the rules see a bounded stretch of text at a time.

A window is a run of whole paragraphs (its *core*, about ``SIZE`` characters) plus a few
paragraphs of context on each side (about ``CONTEXT``). The rules run on the window's text;
a suggestion belongs to the window whose core holds its start, and a suggestion that one of
those links to (a quote's speaker just before the core) is kept too. So every rule costs
the same per window whatever the document's length: suggesting is linear in the text, a
window is the unit of cancelling and of progress, and the one on screen can go first.

A text no longer than one window is one window, the whole text, with no context.
"""

from __future__ import annotations

from dataclasses import dataclass

SIZE = 12_000
CONTEXT = 2_000
_MAX_PARAGRAPH = 4 * SIZE  # a paragraph longer than this is cut at a space


@dataclass(frozen=True)
class Window:
    lo: int  # the text the rules see: text[lo:hi]
    hi: int
    core_lo: int  # suggestions starting in [core_lo, core_hi) belong to this window
    core_hi: int

    def owns(self, start: int) -> bool:
        return self.core_lo <= start < self.core_hi


def _boundary_after(text: str, pos: int) -> int:
    """The first paragraph boundary (just after a newline) at or after ``pos``; a space when
    the paragraph runs on for too long; the end of the text."""
    n = len(text)
    if pos >= n:
        return n
    if pos <= 0:
        return 0
    nl = text.find("\n", pos - 1, pos + _MAX_PARAGRAPH)
    if nl >= 0:
        return nl + 1
    sp = text.find(" ", pos, pos + _MAX_PARAGRAPH)
    return sp + 1 if sp >= 0 else min(n, pos + _MAX_PARAGRAPH)


def _boundary_before(text: str, pos: int) -> int:
    if pos <= 0:
        return 0
    nl = text.rfind("\n", max(0, pos - _MAX_PARAGRAPH), pos)
    if nl >= 0:
        return nl + 1
    sp = text.rfind(" ", max(0, pos - _MAX_PARAGRAPH), pos)
    return sp + 1 if sp >= 0 else max(0, pos - _MAX_PARAGRAPH)


def plan(text: str, size: int = SIZE, context: int = CONTEXT) -> list[Window]:
    """The windows covering ``text``, in text order; their cores tile it exactly."""
    n = len(text)
    if n <= size + context:
        return [Window(0, n, 0, n)]
    cores: list[tuple[int, int]] = []
    start = 0
    while start < n:
        end = _boundary_after(text, start + size)
        if end <= start:
            end = n
        cores.append((start, end))
        start = end
    if len(cores) > 1 and cores[-1][1] - cores[-1][0] < size // 4:  # fold a short tail in
        (a, _), (_, b) = cores[-2], cores.pop()
        cores[-1] = (a, b)
    return [Window(_boundary_before(text, a - context), _boundary_after(text, b + context), a, b) for a, b in cores]


def nearest_first(windows: list[Window], focus: int) -> list[Window]:
    """The window holding ``focus`` (what is on screen) first, then outwards by distance."""

    def distance(w: Window) -> int:
        if w.core_lo <= focus < w.core_hi:
            return 0
        return w.core_lo - focus if w.core_lo > focus else focus - w.core_hi + 1

    return sorted(windows, key=lambda w: (distance(w), w.core_lo))
