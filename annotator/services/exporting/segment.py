"""Sentences and tokens for the exports that need them (CoNLL, ``--tokens``, events).

Both are deliberately simple, deterministic and named, so an export says exactly how it
cut the text: ``TOKENIZER`` and ``SENTENCE_SPLITTER`` are the names the README documents.
Offsets are code points into the text (Python ``str`` indices), end exclusive.

Tokenizer ``regex-v1``: a token is a number with its separators (``3,500``, ``1.5``), a
word with inner hyphens or apostrophes (``anti-balaka``, ``country’s``), or any other
single non-space character (punctuation, symbols, emoji). Combining marks, variation
selectors, emoji skin-tone modifiers and zero-width-joiner sequences stay with the token
they modify, so ``👩‍👩‍👧`` is one token. ``boundaries`` force extra cuts (the CoNLL export
cuts at every span edge, so every kept span is a whole number of tokens).

Sentence splitter ``lines+punct-v1``: every line break ends a sentence; inside a line a
sentence ends after ``.``, ``!``, ``?`` or ``…`` (and any closing quotes or brackets) when
whitespace and then an upper-case letter, a digit or an opening quote follows, except
after a known abbreviation (``Feb.``, ``Mr.``, ``Gen.``), a single letter (``C.``) or a
word with inner dots (``U.N.``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

TOKENIZER = "regex-v1"
SENTENCE_SPLITTER = "lines+punct-v1"

_TOKEN = re.compile(
    r"""
      \d+(?:[.,:]\d+)*            # 3,500  1.5  11:30
    | \w+(?:[-'’]\w+)*            # anti-balaka  country’s
    | [^\w\s]                     # anything else, one character at a time
    """,
    re.VERBOSE,
)
_ZWJ = "\u200d"
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt cpl maj brig adm gov sen rep rev fr st mt ft
    jan feb mar apr jun jul aug sep sept oct nov dec no nos vs approx est dept inc ltd co corp
    jr sr pres""".split()
)
_TERMINATOR = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=[^\S\n]+)")
_OPENERS = "\"'“‘«([¿¡"


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    ws: bool  # followed by whitespace (Prodigy's "ws")


def _attaches(ch: str) -> bool:
    """Characters that belong to the token before them (marks, joiners, emoji modifiers)."""
    if ch == _ZWJ or "\ufe00" <= ch <= "\ufe0f" or "\U0001f3fb" <= ch <= "\U0001f3ff":
        return True
    if "\U000e0020" <= ch <= "\U000e007f":  # emoji tag sequences (flags of regions)
        return True
    return unicodedata.category(ch) in {"Mn", "Mc", "Me"}


def _is_flag_half(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"  # two regional indicators make one flag


def _joins(last: str, first: str) -> bool:
    """Whether a token starting with ``first`` continues the one ending with ``last``."""
    if _attaches(first) or last == _ZWJ:
        return True
    # a word resumed after a combining mark: "e\u0301te" is one word
    return unicodedata.category(last) in {"Mn", "Mc"} and (first.isalnum() or first == "_")


def _raw_tokens(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    prev: tuple[int, int] | None = None
    for match in _TOKEN.finditer(text, start, end):
        s, e = match.span()
        if (
            prev is not None
            and s == prev[1]
            and (
                _joins(text[prev[1] - 1], text[s])
                or (prev[1] - prev[0] == 1 and _is_flag_half(text[prev[0]]) and _is_flag_half(text[s]))
            )
        ):
            prev = (prev[0], e)
            continue
        if prev is not None:
            yield prev
        prev = (s, e)
    if prev is not None:
        yield prev


def token_offsets(
    text: str, start: int = 0, end: int | None = None, boundaries: Iterable[int] = ()
) -> list[tuple[int, int]]:
    """``(start, end)`` of every token in ``text[start:end]``, cut at every boundary too."""
    end = len(text) if end is None else end
    cuts = sorted({b for b in boundaries if start < b < end})
    out: list[tuple[int, int]] = []
    lo = start
    for hi in [*cuts, end]:
        out.extend(_raw_tokens(text, lo, hi))
        lo = hi
    return out


def tokenize(text: str, start: int = 0, end: int | None = None, boundaries: Iterable[int] = ()) -> list[Token]:
    return [
        Token(text[s:e], s, e, e < len(text) and text[e].isspace())
        for s, e in token_offsets(text, start, end, boundaries)
    ]


def prodigy_tokens(text: str) -> list[dict[str, Any]]:
    """Tokens in Prodigy's shape: ``{text, start, end, id, ws}``."""
    return [{"text": t.text, "start": t.start, "end": t.end, "id": i, "ws": t.ws} for i, t in enumerate(tokenize(text))]


def _ends_sentence(text: str, line_start: int, match: re.Match[str]) -> bool:
    after = match.end()
    while after < len(text) and text[after].isspace() and text[after] != "\n":
        after += 1
    if after >= len(text) or text[after] == "\n":
        return False  # the line break ends it anyway
    nxt = text[after]
    if nxt in _OPENERS:
        nxt = text[after + 1] if after + 1 < len(text) else ""
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    if match.group().startswith(".") and len(match.group().rstrip("\"'”’»)]")) == 1:
        word_start = match.start()
        while word_start > line_start and not text[word_start - 1].isspace():
            word_start -= 1
        word = text[word_start : match.start()].lstrip(_OPENERS)
        if len(word) == 1 and word.isalpha():
            return False  # an initial: "C. African Republic"
        if "." in word:
            return False  # "U.N." is one word
        if word.lower() in _ABBREVIATIONS:
            return False
    return True


def sentence_offsets(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence, without surrounding whitespace; blank lines give none."""
    out: list[tuple[int, int]] = []

    def emit(s: int, e: int) -> None:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))

    pos = 0
    length = len(text)
    while pos <= length:
        nl = text.find("\n", pos)
        line_end = length if nl < 0 else nl
        cut = pos
        for match in _TERMINATOR.finditer(text, pos, line_end):
            if _ends_sentence(text, pos, match):
                emit(cut, match.end())
                cut = match.end()
        emit(cut, line_end)
        if nl < 0:
            break
        pos = nl + 1
    return out


def merge_across(sentences: list[tuple[int, int]], spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join the sentences a span crosses, so no span is cut by a sentence end.

    The result is the union of the sentence and span intervals (two intervals join when
    they overlap), in text order.
    """
    intervals = sorted([*sentences, *spans])
    merged: list[tuple[int, int]] = []
    for s, e in intervals:
        if merged and s < merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def sentence_index(starts: list[int], offset: int) -> int:
    """The index of the sentence holding ``offset`` (or the last one starting before it).

    ``starts`` are the sentences' start offsets, in order.
    """
    return max(bisect.bisect_right(starts, offset) - 1, 0)
