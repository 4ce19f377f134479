"""The plain record every suggestion source produces, and small text helpers they share.

Nothing here touches the database: sources take a text (and data) and return
``Suggestion`` records whose offsets are code points into that text, end exclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Suggestion:
    """A proposed span: not an annotation until an annotator accepts it.

    ``links`` maps a link attribute of ``label`` (e.g. QUOTE's ``speaker``) to indexes of
    other suggestions *in the same list* (``engine.suggest`` keeps them valid when it
    deduplicates and sorts).
    """

    label: str
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)
    links: dict[str, tuple[int, ...]] = field(default_factory=dict)
    source: str = "rules"
    # Sources that cannot know indexes name link targets by (label, start, end) here;
    # ``engine.suggest`` turns them into ``links`` indexes.
    link_keys: dict[str, tuple[tuple[str, int, int], ...]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.label, self.start, self.end)

    def text(self, document_text: str) -> str:
        return document_text[self.start : self.end]


WORD = re.compile(r"[^\W_]+(?:[-’'.][^\W_]+)*\.?", re.UNICODE)

# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr gen col lt sgt capt maj st mt no nos vs etc jan feb mar apr jun jul aug sep sept
    oct nov dec u.n u.s u.k e.u a.u c inc ltd co corp jr sr prof rev gov sen rep pres approx est""".split()
)


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence (or line) around ``pos``: a best-effort split good enough for rules."""
    return sentence_start(text, pos), sentence_end(text, pos)


_BREAK = re.compile(r"[.!?](?=[\"”’»)]*\s+[\"“«(]*[A-Z0-9])|\n")


def _is_abbrev_stop(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    j = dot
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    word = text[j:dot].strip("\"“(").lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentence_start(text: str, pos: int) -> int:
    best = 0
    for m in _BREAK.finditer(text, 0, pos):
        if m.group() == "\n" or not _is_abbrev_stop(text, m.start()):
            best = m.end()
    while best < len(text) and text[best].isspace():
        best += 1
    return min(best, pos)


def sentence_end(text: str, pos: int) -> int:
    for m in _BREAK.finditer(text, pos):
        if m.group() == "\n":
            return m.start()
        if not _is_abbrev_stop(text, m.start()):
            return m.end()
    return len(text)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line: news copy puts one paragraph on a line."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            out.append((m.start(), m.end()))
    return out
