"""Victims are no ACTOR: group nouns that a casualty figure's list counts, by the shape of the sentence (issue 12,
round 7; narrowed in round 9).

The guidelines tag who acts or is acted upon; the figure rules tag the dead and the wounded as CASUALTY, and the
engine drops an ACTOR inside a figure. Round 8's convention makes a group that suffers outside a figure an ACTOR
("the missing soldiers", "the policemen were killed", "killing residents", "Most of the soldiers plunged"), so
round 9 drops a group noun only when it continues a list right after a verb of harm ("kill six police, soldiers",
"killed six soldiers and policemen"): the figure's later members.

A role in apposition to a named person ("Abdallah Kiro, the area police chief, told", "Akram
Tannous, a resident of Marwa, said") is no second actor either: the guidelines tag the name.

Only the plural group nouns of the rules are judged (names, bodies and persons are not):
one bisection per suggestion into the chunks, linear in the text.
"""

from __future__ import annotations

import bisect
import re

from annotator.services.suggestions import syntax
from annotator.services.suggestions.actor_agents import SOURCE, acts
from annotator.services.suggestions.base import Suggestion

_HARM_VERB = re.compile(
    r"(?:kill|wound|injur|abduct|kidnap|execut|behead|slaughter|massacr|shoot|ambush|hurt|captur|murder)\w*|shot|slain$",
    re.IGNORECASE,
)


def _chunk_index(parsed: syntax.Parsed, offset: int) -> int | None:
    chunk = parsed.chunk_at(offset)
    if chunk is None or chunk.kind != "NP":
        return None
    lo, hi = 0, len(parsed.chunks)
    while lo < hi:
        mid = (lo + hi) // 2
        if parsed.chunks[mid].start < chunk.start:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _victim(parsed: syntax.Parsed, index: int, span_first: int) -> bool:
    """A group in a list right after a verb of harm ("kill six police, soldiers", "killed six soldiers and
    policemen"): the figure's victims, the list's later members (round 9: a group the sentence shows suffering
    by itself -- "the missing soldiers", "the soldiers were taken by surprise", "killing residents" -- is an ACTOR
    by round 8's convention; only the people a casualty figure counts are not)."""
    tokens, chunks = parsed.tokens, parsed.chunks
    chunk = chunks[index]
    before = chunk.first - 1
    if acts(parsed, index):
        return False  # "killing 12 people, rebels and government officials said": they act
    listed = False
    while before >= 1 and tokens[before].text in {",", "and", "or"} and tokens[before - 1].tag in {"NNS", "NN"}:
        previous = parsed.chunk_at(tokens[before - 1].start)
        if previous is None:
            break
        before = previous.first - 1
        listed = True
    if not listed or before < parsed.sentences[chunk.sentence][0]:
        return False
    return before >= 0 and tokens[before].tag.startswith("VB") and _HARM_VERB.match(tokens[before].text) is not None


def without_victims(text: str, raw: list[Suggestion], *, label: str = "ACTOR") -> list[Suggestion]:
    """``raw`` less the rules' group-noun ACTOR suggestions that the sentence shows as victims."""
    parsed: syntax.Parsed | None = None
    kept = []
    for s in raw:
        if s.label == label and s.source == SOURCE and text[s.start : s.end].endswith(("s", "police", "men")):
            parsed = parsed or syntax.parse(text)
            index = _chunk_index(parsed, s.end - 1)
            if (
                index is not None
                and parsed.chunks[index].end == s.end
                and _victim(parsed, index, parsed.token_index(s.start))
            ):
                continue
        kept.append(s)
    return kept


_APPOSED = re.compile(r"(?:,[”\"’']?|[”\"’'],)\s+(?:the|a|an)\s+$")


def without_appositions(text: str, raw: list[Suggestion], *, label: str = "ACTOR") -> list[Suggestion]:
    """``raw`` less the rules' role phrases set off by commas right after a person's name."""
    persons = sorted(
        (s.end, s.start) for s in raw if s.label == label and s.attrs.get("actor_type") == "person" and s.end > s.start
    )
    ends = [end for end, _start in persons]
    kept = []
    for s in raw:
        if s.label == label and s.source == SOURCE:
            m = _APPOSED.search(text, max(0, s.start - 12), s.start)
            if m is not None:
                i = bisect.bisect_right(ends, m.start()) - 1
                named = i >= 0 and ends[i] == m.start() and text[persons[i][1] : ends[i]][:1].isupper()
                closes = re.match(r"\s*(?:,|\s+(?:of|in|for|at)\s+[^,.;]{1,60}?,)", text[s.end : s.end + 80])
                if named and closes:
                    continue
        kept.append(s)
    return kept


# a title after a name, when a person's name follows it ("National Police spokesman Brig. Gen. Togar Sianipar")
_TITLE_WORDS = frozenset(
    "president commander chief spokesman spokeswoman spokesperson secretary director leader head".split()
)
# what a body owns or uses: its name there says whose ("a Civil Guard barracks", "police trucks")
_OWNED = frozenset(
    """barracks office offices headquarters courtyard premises buildings building compound compounds facilities
    trucks vehicles vehicle shortage uniforms uniform positions""".split()
)


def without_modifiers(text: str, raw: list[Suggestion], *, label: str = "ACTOR") -> list[Suggestion]:
    """``raw`` less the ACTOR names that only modify the noun after them ("a Civil Guard barracks", "police
    trucks", "the GAM spokesman, Tengku X", "National Police spokesman Brig. Gen. Togar X"): the guidelines tag
    the name that acts, the person or the phrase, not one that says whose (propagated strings stay)."""
    kept = []
    for s in raw:
        if s.label == label and s.source != "propagation":
            m = re.match(r" ([A-Za-z]+)", text[s.end : s.end + 30])
            if m is not None:
                word = m.group(1)
                rest = text[s.end + m.end() : s.end + m.end() + 40]
                named = re.match(r",?\s+(?:(?:[A-Z][a-z]{0,4}\.\s+){0,3})[A-Z][a-z]+\s+[A-Z]", rest)
                formal = " of " in text[s.start : s.end]  # "Armed Forces of the Philippines spokesman": a full name
                if word in _OWNED or (word.lower() in _TITLE_WORDS and named and not formal):
                    continue
        kept.append(s)
    return kept
