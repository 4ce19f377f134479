"""Find and read numbers in running English text: "1,600", "3500", "2.5 millions",
"half a million", "three hundred", "tens of thousands", "a dozen".

Plain cardinal number words ("three hundred and forty two") are converted by
``text2num`` (the ``text_to_num`` module): it is maintained, ships wheels, works offline
and is strict (it refuses what is not a number instead of guessing). We tried
``word2number`` (unmaintained since 2017; reads "half a million" as 1,000,000),
``numerizer`` and ``number-parser`` (both rewrite "half a million" into "1/2 1000000" or leave
it, and neither reports offsets). None of them reads vague plurals ("tens of thousands") or
"2.5 millions", and they all work on strings rather than positions in a text, so the
*finding* (with offsets) and the forms around the cardinal words are done here.

Vague plurals get a range: "thousands" is 2,000-9,999, "tens of thousands" 20,000-99,999,
"hundreds of thousands" 200,000-999,999 (the plural means at least two of the unit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_DIGIT_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "billion": 1_000_000_000,
    "billions": 1_000_000_000,
    "m": 1_000_000,
    "bn": 1_000_000_000,
}
# Vague plurals: the word and the range it stands for on its own.
VAGUE = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "millions": (2_000_000, 9_999_999),
}

_UNIT = "|".join(UNITS)
_TEN = "|".join(TENS)
_SCALE = "|".join(SCALES)
_CARD = rf"(?:(?:{_TEN})(?:[- ](?:{_UNIT}))?|(?:{_UNIT})|(?:{_SCALE}))"
_WORDS = rf"(?:{_CARD})(?:(?:[ \t]+and[ \t]+|[ \t-]+)(?:{_CARD}))*"  # one line: "kills two\n\nTwo people" is two

NUMBER = re.compile(
    r"""
    (?P<vague>\b(?:tens|dozens|hundreds|thousands|scores|millions)(?:\s+of\s+(?:thousands|millions|hundreds))?\b)
  | (?P<half>\b(?:half\s+a|a\s+half|a\s+quarter\s+of\s+a|quarter\s+of\s+a)\s+(?:million|billion)\b)
  | (?P<digits>(?<![\w.,/$€£])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])
       (?:\s*(?P<dscale>hundred|thousand|millions?|billions?|bn|m)\b)?)
  | (?P<several>\b(?:several|a\s+few)\s+(?:dozen|hundred|thousand|million)\b)
  | (?P<dozen>\b(?:a|one|two|three|four|five|six|seven|eight|nine|ten|half\s+a)\s+dozen\b)
  | (?P<aword>\ba\s+(?:hundred|thousand|million|billion)(?:(?:\s+and\s+|[\s-]+)(?:"""
    + _CARD
    + r"""))*\b)
  | (?P<words>\b"""
    + _WORDS
    + r"""\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class NumberMatch:
    start: int
    end: int
    low: int
    high: int
    vague: bool = False  # "tens of thousands": a range, not a figure

    @property
    def exact(self) -> bool:
        return self.low == self.high and not self.vague


@lru_cache(maxsize=4096)
def words_to_int(words: str) -> int | None:
    """A cardinal in words ("three hundred and forty-two") as an int, or None."""
    from text_to_num import text2num

    cleaned = re.sub(r"\s+", " ", words.strip().lower())
    if cleaned.startswith("a "):
        cleaned = "one " + cleaned[2:]
    try:
        return int(text2num(cleaned, "en"))
    except (ValueError, TypeError):
        return None


def _vague_range(phrase: str) -> tuple[int, int]:
    parts = re.split(r"\s+of\s+", phrase.lower())
    first = parts[0]
    if len(parts) == 1:
        return VAGUE.get(first, (0, 0))
    unit = {"hundreds": 100, "thousands": 1_000, "millions": 1_000_000}[parts[1]]
    factor = {
        "tens": (20, 99),
        "dozens": (24, 99),
        "scores": (40, 99),
        "hundreds": (200, 999),
        "thousands": (2_000, 9_999),
        "millions": (2_000_000, 9_999_999),
    }[first]
    return factor[0] * unit, factor[1] * unit + (unit - 1)


def _digits_value(raw: str, scale: str | None) -> int | None:
    number = raw.strip().rstrip(",").replace(",", "")
    try:
        value = float(number) if "." in number else int(number)
    except ValueError:
        return None
    if scale:
        value = value * _DIGIT_SCALES[scale.lower()]
    elif isinstance(value, float) and not value.is_integer():
        return None  # "4.6" alone is not a count of people
    return int(round(value))


def find_numbers(text: str) -> list[NumberMatch]:
    """Every number expression in ``text``, in order, with its value or range."""
    out: list[NumberMatch] = []
    for m in NUMBER.finditer(text):
        kind = m.lastgroup
        raw = m.group()
        start, end = m.start(), m.end()
        if kind == "vague":
            low, high = _vague_range(raw)
            out.append(NumberMatch(start, end, low, high, vague=True))
        elif kind == "half":
            base = 1_000_000_000 if raw.lower().endswith("billion") else 1_000_000
            value = base // 4 if "quarter" in raw.lower() else base // 2
            out.append(NumberMatch(start, end, value, value))
        elif kind == "digits":
            number = re.match(r"[\d,.]+", raw).group()  # type: ignore[union-attr]
            number_end = start + len(number.rstrip(",").rstrip("."))
            scale = m.group("dscale")
            digits = _digits_value(number.rstrip("."), scale)
            if digits is None:
                continue
            out.append(NumberMatch(start, end if scale else number_end, digits, digits))
        elif kind == "several":  # "several dozen" 36-99, "a few hundred" 200-599: a range
            unit = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000}[raw.split()[-1].lower()]
            low, high = (3, 9) if raw.lower().startswith("several") else (2, 5)
            out.append(NumberMatch(start, end, low * unit, high * unit + (unit - 1), vague=True))
        elif kind == "dozen":  # "a dozen" 12, "two dozen" 24, "half a dozen" 6
            first = raw.split()[0].lower()
            value = 6 if first == "half" else 12 * (1 if first in {"a", "one"} else (words_to_int(first) or 1))
            out.append(NumberMatch(start, end, value, value))
        else:  # words / aword
            # text2num reads "one hundred" but not "hundred" as a count with an article
            counted = words_to_int(raw)
            if counted is None:
                continue
            out.append(NumberMatch(start, end, counted, counted))
    return out


def parse_number(phrase: str) -> tuple[int, int] | None:
    """``(low, high)`` if the whole of ``phrase`` is one number expression, else None."""
    phrase = phrase.strip()
    found = find_numbers(phrase)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(phrase):
        return found[0].low, found[0].high
    return None
