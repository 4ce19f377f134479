"""CASUALTY counts of two more shapes of news copy, without a figure (issue 12, round 8).

- **A partitive (vague, or with a figure: "nine of them with head injuries") with an injury or harm predicate**: "many of them maimed in the attacks", "Many of the
  villagers arriving at the camp have deep burns", "some of whom the ministry said had bullet wounds". The
  quantifier (many, some, several) and "of" + "them", "whom", "those" or "the" + a person noun; then the participle
  of a harm that is not a death right after ("many of them maimed"; "many of them killed by ..." tells how the dead
  of a count already given died, and "many of those killed" is a noun phrase), or a verb of having or suffering and an injury noun a few words on
  ("have deep burns"). A passive with its auxiliary ("Many of the victims were beheaded") is ``casualty_counts``'s.
- **One victim shown by an age** (moved here from ``casualty``): "killed a 78-year-old man", "killing a 22-year-old
  man and his six-year-old sister" (2).
- **Named victims with their ages after an active harm verb**: "shooting Ana Ruiz, 34, and Pedro Lopez, 61" counts
  two: each name of two to four capitalised words with its age.
"""

from __future__ import annotations

import re
from typing import Any

from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.casualty_people import is_people
from annotator.services.suggestions.combine import Intervals
from annotator.services.suggestions.harm_verbs import HARMS
from annotator.services.suggestions.numbers import parse_number
from annotator.services.suggestions.verb_forms import conjugate

SOURCE = "rules:casualty"


def _participles() -> dict[str, str]:
    """Past participle -> category, for the harms a reduced clause may name ("many of them mutilated")."""
    out: dict[str, str] = {}
    for harm in HARMS:
        if harm.category in {"killed", "injured", "missing", "raped", "displaced"} and not harm.particle:
            out.setdefault(conjugate(harm.lemma)[4], harm.category)
    return out


_PARTICIPLES = _participles()
_VAGUE = re.compile(
    r"(?<![\w-])(?P<q>many|some|several|\d[\d,]*|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?|(?:twenty|thirty|forty|fifty))"
    r"\s+of\s+(?P<who>them|whom|those|the\s+(?:[\w-]+\s+){0,2}?(?P<head>[\w-]+))"
    r"(?![\w-])",
    re.IGNORECASE,
)
_REDUCED = re.compile(r"\s+(?P<verb>[a-z]+ed|[a-z]+en)(?![\w-])")
# "have horrible machete wounds", "said had gunshot wounds": at most four words between, no clause break
_HAVING = re.compile(
    r"(?:\s+[\w-]+){0,4}?\s+(?:(?:have|has|had|suffered|sustained|bore|bear|with)"
    r"(?:\s+[\w-]+){0,3}?\s+(?:wounds|injuries|burns|fractures)|(?:were|are|was|is|remain|remained)\s+in\s+"
    r"(?:[\w-]+\s+){0,3}?condition)(?![\w-])",
    re.IGNORECASE,
)


def _vague(text: str, label: str) -> list[Suggestion]:
    out = []
    for m in _VAGUE.finditer(text):
        head = m.group("head")
        if head is not None and not is_people(head) and head.lower() not in {"wounded", "injured"}:
            continue  # "many of the houses"
        reduced = _REDUCED.match(text, m.end())
        verb = reduced.group("verb").lower() if reduced and m.group("who").lower() not in {"those", "whom"} else ""
        if reduced and _PARTICIPLES.get(verb, "killed") != "killed":  # not how the dead of a count given died
            category, end = _PARTICIPLES[verb], reduced.end()
        else:
            having = _HAVING.match(text, m.end())
            if having is None or re.search(r"[,;:.!?\"“”()]", having.group()):
                continue
            category, end = "injured", having.end()
        victims = "them" if head is None else head
        attrs: dict[str, Any] = {"category": category, "victims": victims}
        value = parse_number(m.group("q"))  # "nine of them with head injuries": a figure
        if value is not None and value[0] == value[1]:
            attrs.update(qualifier="exact", count_min=value[0], count_max=value[0])
        out.append(Suggestion(label=label, start=m.start(), end=end, attrs=attrs, source=SOURCE))
    return out


_NAME_AGE = r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3},\s*\d{1,3}(?![\d,]\d)"
_NAMED = re.compile(
    r"(?<![\w-])(?P<verb>killing|killed|shooting\s+dead|shot\s+dead|wounding|wounded|injuring|injured|"
    r"kidnapping|kidnapped|abducting|abducted)\s+"
    rf"(?P<names>{_NAME_AGE}(?:\s*,?\s*(?:and\s+)?{_NAME_AGE})*)"
)
_CATEGORY = {"kill": "killed", "shoo": "killed", "shot": "killed", "woun": "injured", "inju": "injured"}


def _named(text: str, label: str) -> list[Suggestion]:
    out = []
    for m in _NAMED.finditer(text):
        count = len(re.findall(_NAME_AGE, m.group("names")))
        category = _CATEGORY.get(m.group("verb")[:4].lower(), "missing")
        attrs: dict[str, Any] = {"qualifier": "exact", "category": category, "count_min": count, "count_max": count}
        out.append(Suggestion(label=label, start=m.start(), end=m.end(), attrs=attrs, source=SOURCE))
    return out


# one victim shown by an age: "killed a 78-year-old man", "killing a 22-year-old man and his six-year-old sister"
_AGED_VICTIM = re.compile(
    r"(?<![\w-])(?P<verb>killed|killing|shot\s+dead|wounded|wounding|injured|injuring|kidnapped|abducted)\s+"
    r"an?\s+[\w-]+-year-old\s+(?P<who>[a-z]+)(?P<second>\s+and\s+(?:his|her|their)\s+(?:[\w-]+-year-old\s+)?[a-z]+)?",
    re.IGNORECASE,
)
_VERB_CATEGORY = {"kill": "killed", "shot": "killed", "woun": "injured", "inju": "injured", "kidn": "missing"}


def aged_victims(text: str, label: str, taken: list[Suggestion], stop: frozenset[str]) -> list[Suggestion]:
    """One victim (or two) shown by an age after an active harm verb; ``stop`` are the words that end a noun phrase
    (the figure rule's), never the person."""
    out = []
    for m in _AGED_VICTIM.finditer(text):
        if m.group("who").lower() in stop or any(s.start < m.end() and m.start() < s.end for s in taken):
            continue
        count = 2 if m.group("second") else 1
        category = _VERB_CATEGORY.get(m.group("verb").lower()[:4], "missing")
        attrs: dict[str, Any] = {"qualifier": "exact", "category": category, "count_min": count, "count_max": count}
        out.append(Suggestion(label=label, start=m.start(), end=m.end(), attrs=attrs, source=SOURCE))
    return out


def vague_and_named(text: str, label: str, taken: list[Suggestion]) -> list[Suggestion]:
    """The counts above that no earlier rule's suggestion overlaps (the two shapes never overlap each other: a name
    list has no "of")."""
    earlier = Intervals((s.start, s.end) for s in taken)
    return [s for s in _named(text, label) + _vague(text, label) if not earlier.overlaps(s.start, s.end)]
