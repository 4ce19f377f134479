"""CASUALTY figures without a numeral, or whose numeral the figure rule leaves alone (issue 12, round 6).

Patterns of news copy in any conflict, each a count the annotation guidelines tag:

- one victim named by a person noun with its verb: "an Iraqi worker was killed", "a volunteer from the
  Red Crescent had been killed", "Another police officer and a civilian were wounded" (2), "a second
  soldier was wounded", "killing a border police officer", "and another injured" after a first count;
- a partitive whose verb counts it: "killed 16 of the assailants", "Six of them died";
- a death toll with words between it and its figure: "the death toll in an earlier attack in the
  district has risen to 13", "brought the toll in the offensive to 79", "put the number of dead at three" (round 8).
"""

from __future__ import annotations

import re
from typing import Any

from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.numbers import find_numbers

SOURCE = "rules:casualty"

# singular person nouns a victim phrase may end in (occupations and roles of news copy, any country)
PERSON_NOUNS = frozenset(
    """person civilian child woman man girl boy refugee resident villager migrant fighter soldier trooper peacekeeper
    rebel militiaman militant insurgent student worker labourer laborer protester victim citizen national herder
    farmer trader pupil baby infant teenager adult member officer policeman policewoman police guard nurse doctor
    teacher journalist reporter photographer driver volunteer official employee staffer contractor monk priest
    imam pastor cleric chief leader elder commander gunman attacker assailant bystander passer-by passerby shopkeeper
    vendor fisherman miner engineer medic paramedic aid-worker ranger sergeant corporal lieutenant captain colonel
    major private marine conscript recruit volunteer wife husband son daughter mother father brother sister""".split()
)
_PERSON_ALT = "|".join(sorted(PERSON_NOUNS, key=len, reverse=True))
_SMALL = r"(?:in|near|at|on|of|and|or|the|an?|with|from|to|by|for|as|who|that)"
_VERB = (
    r"(?:(?:fatally|critically|seriously|severely|badly|slightly|lightly|also|reportedly)\s+)?"
    r"(?P<verb>killed|shot\s+dead|shot\s+and\s+(?:(?:seriously|critically|badly)\s+)?(?:killed|wounded|injured)|"
    r"shot|stabbed\s+to\s+death|beaten\s+to\s+death|hacked\s+to\s+death|wounded|injured|hurt|kidnapped|abducted)"
)
_ONE = r"(?:an?|another|a\s+(?:second|third|fourth|fifth))"
_WORDS = r"(?:(?!(?:an?|another|and|or)\s)[\w’'-]+\s+){0,7}?"  # no second victim's article inside
# "an Iraqi worker was killed", "Another police officer and a civilian were wounded"
_PASSIVE = re.compile(
    rf"(?<![\w-])(?P<np>{_ONE}\s+{_WORDS}(?P<who>[\w-]+)(?:\s+and\s+{_ONE}\s+(?:[\w-]+\s+){{0,2}}?(?P<who2>[\w-]+))?)"
    rf"\s+(?:was|were|had\s+been|has\s+been|have\s+been|got)\s+{_VERB}(?![\w-])",
    re.IGNORECASE,
)
# "killing a border police officer", "shot dead a local chief"
_ACTIVE = re.compile(
    r"(?<![\w-])(?P<verb>killing|killed|shot\s+dead|wounding|wounded|injuring|injured|kidnapping|kidnapped|abducting|"
    rf"abducted)\s+(?P<np>{_ONE}\s+(?:(?!{_SMALL}\s)[\w-]+\s+){{0,3}}(?P<who>{_PERSON_ALT}))(?![\w-])",
    re.IGNORECASE,
)
# "one person was killed and another injured"
_AND_ANOTHER = re.compile(r"(?<=\sand\s)another\s+(?P<verb>injured|wounded|killed|hurt|kidnapped)(?![\w-])", re.I)
_HEAD_BEFORE_PP = re.compile(rf"{_ONE}\s+(?:[\w-]+\s+){{0,2}}?(?P<who>[\w-]+)\s+(?:from|of|in|with|at)\s", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:.!?\"“”()—–]|\b(?:who|which|that|when|while|after|before|said|says)\b", re.I)


def _category(verb: str) -> str:
    lower = verb.lower()
    if "dead" in lower or "death" in lower or lower.startswith(("kill", "died", "succumb")):
        return "killed"
    if lower.startswith(("kidnap", "abduct")):
        return "missing"
    return "injured"  # wounded, injured, hurt, "shot" alone, "shot and wounded"


def _count(label: str, start: int, end: int, count: int, category: str, qualifier: str = "exact") -> Suggestion:
    attrs: dict[str, Any] = {"qualifier": qualifier, "category": category, "count_min": count, "count_max": count}
    return Suggestion(label=label, start=start, end=end, attrs=attrs, source=SOURCE)


def _singles(text: str, label: str) -> list[Suggestion]:
    out = []
    for m in _PASSIVE.finditer(text):
        np = m.group("np")
        head = _HEAD_BEFORE_PP.match(np)  # "a volunteer from the ... Society": the person, then where from
        who = (head.group("who") if head else m.group("who")).lower()
        if _CLAUSE_BREAK.search(np) or who not in PERSON_NOUNS:
            continue
        if m.group("who2") and m.group("who2").lower() not in PERSON_NOUNS:
            continue
        out.append(_count(label, m.start(), m.end(), 2 if m.group("who2") else 1, _category(m.group("verb"))))
    for m in _ACTIVE.finditer(text):
        if m.group("who").lower() in PERSON_NOUNS and not _CLAUSE_BREAK.search(m.group("np")):
            out.append(_count(label, m.start(), m.end(), 1, _category(m.group("verb"))))
    for m in _AND_ANOTHER.finditer(text):
        out.append(_count(label, m.start(), m.end(), 1, _category(m.group("verb"))))
    return out


# "killed 16 of the assailants", "Six of them died"
_PARTITIVE_KILLED = re.compile(
    r"(?<![\w-])(?P<verb>killed|killing|shot\s+dead)\s+(?P<n>\d[\d,]*\d|\d|[a-z]+(?:-[a-z]+)?)\s+of\s+the\s+(?P<who>[a-z]+)(?![\w-])",
    re.I,
)
_PARTITIVE_DIED = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))(?P<n>[A-Z][\w-]*|\d[\d,]*)\s+of\s+them\s+(?P<verb>died|were\s+killed|were\s+wounded|"
    r"were\s+injured|succumbed)(?![\w-])"
)
# "the death toll in an earlier attack in X district has risen to 13", "brought the toll in ... to 79"
_TOLL = re.compile(
    r"(?<![\w-])(?P<toll>(?:death\s+)?toll)\s+(?:in|from|of)\s+[^.;:!?\"“”]{1,80}?\s+"
    r"(?:(?:(?:has|had|have)\s+)?(?:risen|rose|climbed|jumped|increased|reached|stood|stands)\s+)?(?:to|at)\s+"
    r"(?:(?:at\s+least|more\s+than|nearly|about|some|over)\s+)?(?P<n>\d[\d,]*\d|\d|[a-z]+(?:-[a-z]+)?)(?![\w-])",
    re.I,
)


# "put the number of dead at three", "the number of those killed at 20 people": a toll in other words
_NUMBER_OF_DEAD = re.compile(
    r"(?<![\w-])(?P<toll>number\s+of\s+(?:the\s+)?(?:dead|deaths|fatalities|victims|(?:those|people)\s+killed))\s+"
    r"(?:(?:(?:has|had|have)\s+)?(?:risen|rose|climbed|stood|stands|reached)\s+)?(?:at|to)\s+"
    r"(?:(?:at\s+least|more\s+than|nearly|about|some|over)\s+)?(?P<n>\d[\d,]*\d|\d|[a-z]+(?:-[a-z]+)?)(?![\w-])",
    re.I,
)


def _value(raw: str) -> int | None:
    found = find_numbers(raw)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(raw) and not found[0].vague:
        return found[0].low
    return None


def _partitives_and_tolls(text: str, label: str) -> list[Suggestion]:
    out = []
    for m in _PARTITIVE_KILLED.finditer(text):
        value = _value(m.group("n"))
        if value is not None and value > 1 and m.group("who").endswith("s"):
            out.append(_count(label, m.start(), m.end(), value, "killed"))
    for m in _PARTITIVE_DIED.finditer(text):
        value = _value(m.group("n"))
        if value is not None and value > 0:
            out.append(_count(label, m.start(), m.end(), value, _category(m.group("verb").split()[-1])))
    for m in (*_TOLL.finditer(text), *_NUMBER_OF_DEAD.finditer(text)):
        value = _value(m.group("n"))
        if value is not None and value > 1:
            out.append(_count(label, m.start("toll"), m.end(), value, "killed"))
    return out


def victims_without_figures(text: str, label: str, taken: list[Suggestion]) -> list[Suggestion]:
    """The counts above that no figure found already overlaps."""
    out: list[Suggestion] = []
    for s in _partitives_and_tolls(text, label) + _singles(text, label):
        if not any(t.start < s.end and s.start < t.end for t in taken + out):
            out.append(s)
    return out
