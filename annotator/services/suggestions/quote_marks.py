"""Where quotations are: the quotation marks of a text, paired paragraph by paragraph.

``scan`` finds passages between the opening and closing marks of ``PAIRS``: every pair news
copy uses, straight and curly doubles and singles, the wire archives' two backticks closed by
two apostrophes, a double prime (″), a straight or a curly double mark (``...'' / ``...″), the
German and Polish low marks („...“ „...” ‚...‘), guillemets both ways («...» »...« ‹...›) and the
CJK corner brackets (「...」 『...』). The text is never rewritten: a mark of two characters is
read where it stands, and offsets stay code points into the stored text. A single mark is told
from an apostrophe ("don't", "the Rohingyas' homes"); a quote left open at its paragraph's end
runs to that end (a paragraph of a multi-paragraph quote). ``quotes.py`` decides which of them
are quotations and who said them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from annotator.services.suggestions.base import paragraphs

# (opening mark, closing mark): every pair ``scan`` pairs, one test each in tests/test_suggest_quotes_round8.py
PAIRS: tuple[tuple[str, str], ...] = (
    ('"', '"'),
    ("“", "”"),
    ("‘", "’"),
    ("'", "'"),
    ("''", "''"),
    ("``", "''"),  # wire archives (Reuters, AP): two backticks, two apostrophes
    ("``", "″"),  # AP archives: a double prime closes
    ("``", '"'),
    ("``", "”"),
    ("”", "”"),  # Swedish, Finnish (opens only where ``_reversed_opens`` says)
    ("„", "“"),  # German
    ("„", "”"),  # Polish, Hungarian
    ("‚", "‘"),  # German single
    ("‚", "’"),
    ("«", "»"),  # French, Russian
    ("»", "«"),  # German, Danish
    ("‹", "›"),
    ("›", "‹"),
    ("「", "」"),  # Chinese, Japanese
    ("『", "』"),
)
CLOSERS: dict[str, tuple[str, ...]] = {}
for _open, _close in PAIRS:
    CLOSERS[_open] = (*CLOSERS.get(_open, ()), _close)
OPENERS = {opener: closers[0] for opener, closers in CLOSERS.items()}  # the first closing mark of each opener
_MULTI = ("``", "''")  # marks of two characters, read before their first character alone
_SINGLE_OPENERS = ("'", "‘", "‚")  # may be an apostrophe (or a comma): opens only before a letter
_SINGLE_CLOSERS = ("'", "’", "‘")  # may be an apostrophe: closes only after a non-space, before no letter
_DOUBLE_CLOSERS = ("”", '"')
_MISMATCH_OPENERS = ("'", "‘", '"', "“")
_BEFORE_OPENER = ' \t([“"—–-:„«»‚`'
_MARKS = frozenset("".join(o + c for o, c in PAIRS))  # every character ``scan`` acts on: each pair's marks
_MARK = re.compile("[" + re.escape("".join(sorted(_MARKS))) + "]")


@dataclass
class Quote:
    start: int  # content start (after the opening mark)
    end: int  # content end (before the closing mark, or the paragraph end)
    open_at: int
    close_at: int | None
    paragraph: int
    whole_paragraph: bool = False


class Quotes(list[Quote]):
    """The quotes ``scan`` found, with ``covers(pos)``: is ``pos`` inside one (a binary search, not a scan)."""

    _index: tuple[int, list[int], list[int]] | None = None  # (length indexed, starts sorted, furthest end so far)

    def covers(self, pos: int) -> bool:
        """Some quote has ``q.start <= pos < q.end``."""
        if self._index is None or self._index[0] != len(self):
            spans = sorted((q.start, q.end) for q in self)
            reach: list[int] = []
            for _start, end in spans:
                reach.append(max(end, reach[-1]) if reach else end)
            self._index = (len(self), [start for start, _end in spans], reach)
        _length, starts, reach = self._index
        index = bisect_right(starts, pos) - 1
        return index >= 0 and reach[index] > pos


def _end(span: tuple[int, int]) -> int:
    return span[1]


def scan(text: str) -> Quotes:
    quotes = Quotes()
    paras = paragraphs(text)
    for index, (p_start, p_end) in enumerate(paras):
        state: tuple[str, int] | None = None
        i = p_start
        singles = True  # off after a single mark that never closed: it was an apostrophe
        while i < p_end:
            ch = text[i]
            if ch not in _MARKS:  # nothing happens at any other character: on to the next mark
                mark = _MARK.search(text, i, p_end)
                i = mark.start() if mark else p_end
                if i >= p_end and state is not None and state[0] in _SINGLE_OPENERS:
                    i, state, singles = state[1] + 1, None, False
                continue
            if ch in "`'" and text.startswith(_MULTI, i):
                ch = ch * 2  # two backticks opening, two apostrophes for a double mark
            if state is None:
                if ch == "”" and _reversed_opens(text, i, p_start, p_end):
                    state = (ch, i)  # 'said: ”The rebels came ...”': a closing mark typed as the opener
                elif ch in OPENERS and ch != "”":  # ”...” opens only as ``_reversed_opens`` says
                    if (
                        ch == '"'
                        and i > p_start
                        and text[i - 1].isalnum()
                        and (i + 1 >= p_end or not text[i + 1].isalnum())
                    ):
                        i += 1
                        continue  # a stray inch mark / closing without opening
                    if ch in _SINGLE_OPENERS and not (singles and _single_opens(text, i, p_start, p_end)):
                        i += 1
                        continue  # an apostrophe: "don't", "the Rohingyas' homes"
                    state = (ch, i)
            elif (
                ch in CLOSERS[state[0]]
                and (ch not in _SINGLE_CLOSERS or _single_closes(text, i, p_end))
                or _mismatched_closes(state[0], ch, text, i, p_end)
            ):
                quotes.append(Quote(state[1] + len(state[0]), i, state[1], i + len(ch) - 1, index))
                state = None
            i += len(ch)
            if i >= p_end and state is not None and state[0] in _SINGLE_OPENERS:
                i, state, singles = state[1] + 1, None, False
        if state is not None:
            quotes.append(Quote(state[1] + len(state[0]), p_end, state[1], None, index))
    # multi-paragraph quotes: a quote left open at a paragraph's end continues when the next
    # paragraph opens a quote again; each paragraph's part is its own QUOTE (as annotators
    # mark them), and the continuation inherits the speaker (see ``find_quotes``).
    merged = quotes
    for q in merged:
        p_start, p_end = paras[q.paragraph][0], paras[q.paragraph][1]
        holding = bisect_right(paras, q.open_at, key=_end)  # the first paragraph ending after the mark: its own
        first_para_start = paras[holding][0] if holding < len(paras) and paras[holding][0] <= q.open_at else -1
        q.whole_paragraph = q.open_at == first_para_start and (
            q.close_at is None or not text[q.close_at + 1 : p_end].strip()
        )
    return merged


def _mismatched_closes(opener: str, ch: str, text: str, i: int, p_end: int) -> bool:
    """A double closing mark of the other style ends a quote opened by a single or a double mark
    ("'We prefer ... tally,” Camara said", "\"... ” he said") after a non-space, before no letter."""
    return (
        ch in _DOUBLE_CLOSERS
        and opener in _MISMATCH_OPENERS
        and ch != OPENERS[opener]
        and text[i - 1] not in " \t"
        and (i + 1 >= p_end or not text[i + 1].isalnum())
    )


def _reversed_opens(text: str, i: int, p_start: int, p_end: int) -> bool:
    """A closing double mark opens a quote after a space or colon, before a letter, when its
    paragraph has no opening curly mark of its own."""
    return (
        (i == p_start or text[i - 1] in " \t:(")
        and i + 1 < p_end
        and text[i + 1].isalpha()
        and "“" not in text[p_start:p_end]
    )


def _single_opens(text: str, i: int, p_start: int, p_end: int) -> bool:
    """A single quotation mark opens a quote after a space or bracket, before a letter."""
    return (
        (i == p_start or text[i - 1] in _BEFORE_OPENER)
        and i + 1 < p_end
        and (text[i + 1].isalpha() or text[i + 1] in "…")
    )


def _single_closes(text: str, i: int, p_end: int) -> bool:
    """It closes one after a non-space, before no letter (an apostrophe sits inside a word)."""
    return text[i - 1] not in " \t" and (i + 1 >= p_end or not text[i + 1].isalnum())


# a closing mark after the quote's last punctuation, then the attribution: ',” he said', '." said X'
_UNOPENED_CLOSE = re.compile(r"(?<=[^\s])[,.?!](?P<mark>[”\"’])(?=\s+\S)")


def unopened(text: str, quotes: Quotes, attribution_at: Callable[[int], bool]) -> Quotes:
    """``quotes`` with the quotes whose opening mark is missing: in a paragraph where no quote opens before
    it, a closing mark after punctuation with an attribution right after it (``attribution_at(pos after the
    mark)``) closes a quote running from the paragraph's start ("The roads are cut,” he said": a paragraph
    continuing a quote without reopening it, or a text whose opening mark was lost). A straight mark that
    ``scan`` read as opening a quote left unclosed is read as that closing mark instead."""
    by_paragraph: dict[int, list[Quote]] = {}
    for q in quotes:
        by_paragraph.setdefault(q.paragraph, []).append(q)
    out = Quotes()
    for index, (p_start, p_end) in enumerate(paragraphs(text)):
        held = by_paragraph.get(index, [])
        first_open = min((q.open_at for q in held), default=p_end)
        mark = _UNOPENED_CLOSE.search(text, p_start, p_end)
        while mark and mark.start("mark") <= first_open:
            at = mark.start("mark")
            if attribution_at(at + 1) and text[p_start:at].strip():
                out.append(Quote(p_start, at, p_start, at, index, whole_paragraph=False))
                held = [q for q in held if not (q.open_at == at and q.close_at is None)]  # a straight mark
                break
            mark = _UNOPENED_CLOSE.search(text, mark.end(), p_end)
        out.extend(held)
    return out
