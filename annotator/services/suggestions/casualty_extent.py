"""Where a CASUALTY figure's span starts and ends, and the counts its qualifier allows (issue 12).

Shared by the figure rule (``casualty``) and the figure-first counts (``casualty_figures``): the qualifier before a
figure ("at least", "some"), the object or complement after a predicate ("have fled their homes", "forced from
their villages"; never an adjunct of time, place, cause or purpose), and the suggestion with ``count_min`` /
``count_max`` read from the figure and its qualifier.
"""

from __future__ import annotations

import re
from typing import Any

from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.numbers import NumberMatch

SOURCE = "rules:casualty"

# qualifier words just before the figure -> the schema's enum value
_QUALIFIERS: list[tuple[str, str]] = [
    (r"at\s+least|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|a\s+minimum\s+of", "at least"),
    (r"more\s+than|over|upwards\s+of|in\s+excess\s+of|above", "more than"),
    (r"up\s+to|as\s+many\s+as|fewer\s+than|less\s+than|at\s+most|no\s+more\s+than|under|nearly\s+up\s+to", "up to"),
    (
        r"nearly|almost|about|around|some|roughly|approximately|an\s+estimated|estimated|close\s+to|an\s+approximate|approx\.",
        "nearly/about",
    ),
]
_QUALIFIER_RE = [(re.compile(rf"(?<![\w-])(?:{pattern})\s+$", re.IGNORECASE), value) for pattern, value in _QUALIFIERS]

_BELOW = re.compile(r"(?:nearly|almost|close\s+to|just\s+under)\b", re.IGNORECASE)


def qualifier(text: str, start: int) -> tuple[int, str | None]:
    before = text[max(0, start - 40) : start]
    for regex, value in _QUALIFIER_RE:
        m = regex.search(before)
        if m:
            return start - (len(before) - m.start()), value
    return start, None


def skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


# --- the predicate's object or complement ------------------------------------------------

# verbs of leaving whose direct object belongs to the figure phrase ("have fled their homes")
_TRANSITIVE = frozenset("fled flee flees fleeing left leave leaves leaving escaped escaping".split())
# caused-motion verbs before the figure: "driven 500 people out of the area"
CAUSED_MOTION = frozenset("driven drove drive drives driving forced expelled expelling chased pushed evicted".split())
_PARTICLE_END = re.compile(r"(?:from|out|into|of|to)$", re.IGNORECASE)
_DETERMINERS = frozenset(
    "the their his her its our my your a an this that these those several many some entire whole".split()
)
# words that end a noun phrase: prepositions, conjunctions, auxiliaries, relatives, adverbs
NP_STOP = frozenset(
    """about above across after against along amid among around as at before behind below beneath beside between beyond
    by despite down during except for from in inside into like near of off on onto out outside over past since through
    throughout till to toward towards under until up upon via with within without and or but nor so yet while whereas
    because although though if when where whether who whom whose which that than then there here is are was were be been
    being am has have had do does did will would shall should can could may might must not no also already again
    together abroad away back home alone instead too afterwards afterward overnight yesterday today tonight now ago last
    next recently earlier later soon amid en masse""".split()
)
_TIME_NOUNS = frozenset(
    """week weeks month months year years day days night nights weekend weekends morning mornings evening evenings
    afternoon afternoons hour hours decade decades monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december""".split()
)
_NP_WORD = re.compile(r"[^\W_][\w’'-]*")


def noun_phrase_end(text: str, pos: int, limit: int) -> int:
    """End of the noun phrase starting at ``pos`` (after spaces), or ``pos`` if there is none.

    A phrase is a determiner with up to four words, a run of capitalised words (a name), or up
    to four plain words; it stops at punctuation, at a word of ``NP_STOP``, at a time noun
    after the phrase's first word (and at an -ly adverb when there is no determiner). Trailing participles and adverbs ("the town
    controlled", "the town quickly") are dropped, and a phrase about time ("this week") is
    no complement.
    """
    cursor = skip_space(text, pos)
    words: list[tuple[str, int, int]] = []
    determiner = False
    while cursor < limit and len(words) < 5:
        m = _NP_WORD.match(text, cursor)
        if not m or m.end() > limit:
            break
        word, lower = m.group(), m.group().lower()
        if not words and lower in _DETERMINERS:
            determiner = True
        elif lower in NP_STOP or lower in _DETERMINERS or (lower.endswith("ly") and not determiner):
            break  # after a determiner an -ly word is an adjective ("the daily violence")
        elif lower in _TIME_NOUNS and len(words) > int(determiner):
            break  # "fled Bouar Friday": the time adjunct after the object
        elif words and not determiner and word[0].isupper() != words[-1][0][0].isupper():
            break  # a name ends where the lower-case words start ("Bangui Friday" aside, see below)
        words.append((word, m.start(), m.end()))
        nxt = skip_space(text, m.end())
        if nxt == m.end() or nxt >= limit:
            break  # punctuation (or the end) right after the word
        cursor = nxt
    content = words[1:] if determiner else words
    while len(content) > 1 and re.search(r"(?:ed|ing|ly)$", content[-1][0]) and "-" not in content[-1][0]:
        content.pop()  # "the town controlled", "the town quickly": not the noun's
    if not content or any(w.lower() in _TIME_NOUNS for w, _, _ in content):
        return pos
    return content[-1][2]


def complement_end(text: str, trigger: str, pos: int, limit: int) -> int:
    """End of the object/complement right after a forward predicate ``trigger`` ending at ``pos``."""
    last = trigger.split()[-1].lower()
    if _PARTICLE_END.search(last):
        if last == "out":  # "driven out" + "of the area"
            m = re.compile(r"\s+of(?![\w-])", re.IGNORECASE).match(text, pos)
            if not m:
                return pos
            pos = m.end()
        return noun_phrase_end(text, pos, limit)
    if last in _TRANSITIVE:
        return noun_phrase_end(text, pos, limit)
    return pos


def caused_motion_end(text: str, pos: int, limit: int) -> int:
    """ "driven <figure> out of the area" / "... from their homes": the particle and its object."""
    m = re.compile(r"\s+(?:out\s+of|from|out|away)(?![\w-])", re.IGNORECASE).match(text, pos)
    if not m or m.end() > limit:
        return pos
    if m.group().split()[-1].lower() in {"out", "away"} and "of" not in m.group().lower():
        return m.end()
    end = noun_phrase_end(text, m.end(), limit)
    return end if end > m.end() else pos


def count_suggestion(
    text: str, label: str, start: int, end: int, qualifier: str | None, category: str | None, victims: str | None,
    number: NumberMatch,
) -> Suggestion:  # fmt: skip
    """The figure's suggestion: its qualifier, category, victims and the counts its qualifier allows."""
    attrs: dict[str, Any] = {"qualifier": qualifier} if qualifier else {}
    if category:
        attrs["category"] = category
    if victims:
        attrs["victims"] = victims
    if number.low < 0:
        pass  # no figure to count
    elif qualifier == "nearly/about" and _BELOW.match(text, start):
        attrs["count_max"] = number.high  # "almost 1 million": under it, how far is not said
    elif qualifier in {"exact", "nearly/about"}:
        attrs["count_min"] = attrs["count_max"] = number.low
    elif qualifier == "more than":
        attrs["count_min"] = number.low + (1 if number.exact else 0)  # "more than 400": 401 or more
    elif qualifier == "at least":
        attrs["count_min"] = number.low
    elif qualifier == "up to":
        attrs["count_max"] = number.high
    else:
        attrs["count_min"] = number.low
        if number.high >= number.low:  # "a number of": at least two, no upper bound
            attrs["count_max"] = number.high
    return Suggestion(label=label, start=start, end=end, attrs=attrs, source=SOURCE)
