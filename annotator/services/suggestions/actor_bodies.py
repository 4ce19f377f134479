"""ACTOR names of bodies no list has, by their shape (round 5 of issue 12):

- **A capitalised name that ends in a body word** ("Cameroon Human Rights Commission",
  "Humanitarian and Emergency Action and Response Team", "Russian Defence Ministry") or has one
  before "of/for" and a name ("Armed Forces of the Philippines", "Anonymous Volunteers of
  Mozambique", "Syrian Network for Human Rights"). A place inside such a name is no LOCATION
  (``engine`` drops it).
- **A body named by whom it follows** ("the Saudi-led coalition", "the Western-backed
  government", "the Tobruk-based parliament", "U.N.-backed government").

One regex pass each: linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from annotator.services.suggestions.base import Suggestion

SOURCE = "rules:actors"

_BODY = (
    r"Movement|Army|Front|Forces|Group|Organi[sz]ation|Union|Council|Alliance|Party|Coalition|Brigades?|Volunteers|"
    r"Committee|Network|Association|Commission|Agency|Office|Ministry|Service|Mission|Fund|Programme|Program|Team|"
    r"Observatory|Society|Institute|Foundation|Corps|Guards?|Police|Authority|Directorate|Gendarmerie|"
    r"Militia|Battalion|Regiment|Division|Command|Secretariat|Tribunal|Court|Parliament|Assembly|Administration|"
    r"Corporation|Congress|Company|Centre|Center|Bureau|Board|Department|Watch|Tigers|Federation|Confederation|"
    r"League|Cartel|Syndicate|Conference|Council"
)
_WORD = r"[A-Z][\w’'.-]*"
_NAME_WORD = r"[A-Z][\w’'-]*"  # after "of": a name, no abbreviation dots ("for Human Rights. He")
_JOIN = r"(?:[ \t]+(?:and|&)\b)?[ \t]+"  # within a line: "Libya.\n\nPolice" is two sentences
_NAMED_BODY = re.compile(
    rf"(?<![\w’'.-])(?P<name>(?:{_WORD}{_JOIN}){{0,6}}?(?:{_BODY})"
    rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?{_NAME_WORD}(?:[ \t]+(?:and[ \t]+)?{_NAME_WORD}){{0,3}})?)(?![\w-])"
)
_FOLLOWS = re.compile(
    r"(?<![\w-])(?P<name>(?:[A-Z][\w.’'-]*|U\.N\.|UN)-(?:led|backed|based|run|allied|aligned|supported|linked|affiliated|"
    r"controlled|sponsored)\s+(?:[a-z]+\s+)?(?:coalition|government|forces|militias?|rebels|parliament|administration|"
    r"group|fighters|troops|authorities|ministry|army|alliance))(?![\w-])"
)
_OWNER = re.compile(r"[A-Z][\w-]*['’]s")
_NOT_FIRST = frozenset("The A An This That These Those In On At For Of And But As It Its Their His Her Our".split())


def _type_of(name: str) -> str:
    if re.search(r"Army|Front|Forces|Brigades?|Movement|Militia|Battalion|Regiment|Division|rebels|fighters", name):
        return "armed group"
    if re.search(r"Police|Guards?|Gendarmerie|Corps|troops|army|forces", name):
        return "state force"
    if re.search(
        r"Ministry|Office|Commission|Council|Service|Authority|Directorate|Administration|Parliament|"
        r"Assembly|Court|Tribunal|Secretariat|government|parliament|ministry|authorities|administration",
        name,
    ):
        return "government"
    return "NGO"


def find_named_bodies(
    text: str, taken: Iterable[Suggestion] = (), *, label: str = "ACTOR", type_attr: str | None = "actor_type"
) -> list[Suggestion]:
    """Bodies named by their shape, where no ACTOR was found already."""
    spans = [(s.start, s.end) for s in taken if s.label == label]
    out = []
    for pattern in (_FOLLOWS, _NAMED_BODY):
        for m in pattern.finditer(text):
            start, end = m.start("name"), m.end("name")
            words = text[start:end].split()
            while words and (words[0] in _NOT_FIRST or _OWNER.fullmatch(words[0])):  # "The Cameroon ... Commission"
                start = text.index(words[1], start + len(words[0])) if len(words) > 1 else end
                words = words[1:]  # "Dagestan's Interior Ministry": the owner is a place of its own (round 9)
            if len(words) < 2 or any(a < end and start < b for a, b in spans):
                continue
            spans.append((start, end))
            attrs = {type_attr: _type_of(text[start:end])} if type_attr else {}
            out.append(Suggestion(label=label, start=start, end=end, attrs=attrs, source=SOURCE))
    return out


def without_places_inside(
    raw: list[Suggestion], bodies: list[Suggestion], place_label: str = "LOCATION"
) -> list[Suggestion]:
    """Drops a place suggested inside a body's name ("Armed Forces of the Philippines")."""
    spans = [(b.start, b.end) for b in bodies]
    return [
        s
        for s in raw
        if s.label != place_label
        or s.source == "propagation"
        or not any(a <= s.start and s.end <= b and (a, b) != (s.start, s.end) for a, b in spans)
    ]
