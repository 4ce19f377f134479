"""The plain record every suggestion source produces, and small text helpers they share.

Nothing here touches the database: sources take a text (and data) and return
``Suggestion`` records whose offsets are code points into that text, end exclusive.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
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
    oct nov dec u.n u.s u.k e.u a.u c inc ltd co corp jr sr prof rev gov sen rep pres approx est brig adm cmdr cpl pvt supt insp""".split()
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
    word = text[j:dot].strip('"“(').lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


_LOOKAHEAD = re.compile(r"[\"”’»)]*\s+[\"“«(]*[A-Z0-9]")


class SentenceIndex:
    """Every sentence break of one text, found in one pass; each lookup is a bisection.

    A break is a newline, or a full stop / ``!`` / ``?`` followed (after closing marks and
    white space) by an upper-case letter or digit, unless the stop ends an abbreviation.
    ``seen_from[i]`` is where the text must reach for break ``i`` to be recognised (the end
    of that look-ahead): ``sentence_start`` only counts breaks seen before ``pos``, exactly as
    a scan of ``text[:pos]`` would.
    """

    __slots__ = ("text", "starts", "seen_from", "is_newline")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.seen_from: list[int] = []
        self.is_newline: list[bool] = []
        for m in _BREAK.finditer(text):
            at = m.start()
            if m.group() == "\n":
                self.starts.append(at)
                self.seen_from.append(at + 1)
                self.is_newline.append(True)
            elif not _is_abbrev_stop(text, at):
                ahead = _LOOKAHEAD.match(text, at + 1)
                self.starts.append(at)
                self.seen_from.append(ahead.end() if ahead else at + 1)
                self.is_newline.append(False)

    def start(self, pos: int) -> int:
        text = self.text
        i = bisect_left(self.starts, pos) - 1  # breaks starting before pos
        while i >= 0 and self.seen_from[i] > pos:
            i -= 1  # its look-ahead runs past pos: not a break for text[:pos]
        best = self.starts[i] + 1 if i >= 0 else 0
        m = _SPACES.match(text, best)
        best = m.end() if m else best
        return min(best, pos)

    def end(self, pos: int) -> int:
        i = bisect_left(self.starts, pos)
        if i == len(self.starts):
            return len(self.text)
        at = self.starts[i]
        return at if self.is_newline[i] else at + 1


_SPACES = re.compile(r"\s+")
_cache = threading.local()


def sentence_index(text: str) -> SentenceIndex:
    """The index of ``text``, built once and kept while the same text is asked about
    (per thread: rules run on one text at a time)."""
    index = getattr(_cache, "index", None)
    if index is None or index.text is not text:
        index = SentenceIndex(text)
        _cache.index = index
    return index


def sentence_start(text: str, pos: int) -> int:
    """Where the sentence (or line) holding ``pos`` starts (its first non-space character)."""
    return sentence_index(text).start(pos)


def sentence_end(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` ends: after its full stop, or at its newline."""
    return sentence_index(text).end(pos)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line: news copy puts one paragraph on a line."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            out.append((m.start(), m.end()))
    return out


def overlaps_nearby(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``start``-``end`` overlaps one of the eight spans starting last before ``end``, in ``spans`` sorted
    by (start, end): the rules' cheap check against what is already taken (spans there are short and rarely nest)."""
    i = bisect_left(spans, (end, end))
    return any(a < end and start < b for a, b in spans[max(0, i - 8) : i])
