"""A body named again by its class noun alone: "the government", "the opposition", "the junta", "the group"
(issue 12, round 9).

A story names a body once ("the Basque separatist group ETA", "Guinea's opposition") and then refers to it by
its class noun: "vowed to crush the group", "the opposition suspended the demonstrations", "the government, which
rarely comments". The schema's ACTOR guideline ("the noun phrase that names who acts or is acted
upon") takes such a reference wherever it stands, with its determiner left out. The noun is a reference when

- a definite or possessive determiner stands right before it ("the", "its", "their");
- no person's role takes it as its complement ("spokesman for the group"), and "the group" only when the body the
  text named last is an armed group or a militia;
- no possessive ending follows ("the group's accounts": the possessor's rules decide), no "of" ("the group of
  cars" counts things), and no noun it would modify ("the opposition parties", "the military operation").

The same finder takes **unnamed men by how the text shows them a party**: "men" or "individuals" with an adjective
that hides or arms them ("hooded men", "unknown individuals", "armed men") or with where they came from ("men from
two rival tribes", "men from Guadalcanal"); the schema's ACTOR guideline takes them as who acts.

One regex pass each over the text and a look-up of the next word: linear in the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from annotator.services.suggestions import syntax
from annotator.services.suggestions.base import Suggestion, overlaps_nearby

SOURCE = "rules:actors"

# the class nouns of bodies that a story uses alone for a body it named (each one a party: no "ministry", whose
# reference needs the ministry's name, no "authorities" and "police", which other rules find)
_TYPES = {
    "government": "government",
    # not "military": "the military is likely to extend its mission" (reported plans) is left untagged by the gold
    "opposition": "NGO",
    "junta": "government",
    "regime": "government",
    "group": "armed group",
}
_REFERENCE = re.compile(
    r"(?<![\w’'-])(?:the|The|its|Its|their|Their)[ \t]+(?P<noun>" + "|".join(_TYPES) + r")(?![\w’'-])"
)
_UNNAMED_MEN = re.compile(
    r"(?<![\w’'-])(?P<span>(?:(?P<adj>(?i:hooded|masked|armed|unknown|unidentified|uniformed|gun-toting))[ \t]+)?"
    r"(?:men|individuals)(?P<origin>[ \t]+from[ \t]+(?:(?:two|three|several|rival|neighbouring|neighboring)[ \t]+)*"
    r"(?:[a-z]+[ \t]+)?(?:tribes|clans|villages|[A-Z][\w’'-]+))?)(?![\w’'-])"
)
_BODY_TYPES = frozenset({"armed group", "militia"})
# a person's role of which the body is the complement: "spokesman for the group", "head of the military"
_ROLE_OF = re.compile(r"[a-z]+(?:man|woman|person|er|or|ist|ent|ant|head|chief)[ \t]+(?:for|of|at|with|in)[ \t]+$")
_NEXT_WORD = re.compile(r"[ \t]+(?P<word>[A-Za-z][\w-]*)")


def _modifies(text: str, end: int) -> bool:
    """Whether the noun ending at ``end`` is a possessor, counts ("of") or modifies the next noun."""
    if text.startswith(("'s", "’s", "’", "'"), end):
        return True
    m = _NEXT_WORD.match(text, end)
    if m is None:
        return False
    word = m.group("word")
    if word == "of":
        return True
    return str(syntax.lexicon().get(word.lower(), "NN" if word[:1].islower() else "NNP")) in {"NN", "NNS"}


def find_references(
    text: str, taken: Iterable[Suggestion] = (), *, label: str = "ACTOR", type_attr: str | None = "actor_type"
) -> list[Suggestion]:
    """ "the government", "the group": a body's class noun as a reference, where no suggestion stands."""
    taken = list(taken)
    spans = sorted((s.start, s.end) for s in taken)
    # "the group" refers back to the body named last: an ACTOR when that is an armed group ("the separatist group ETA")
    named = sorted(
        (s.start, s.attrs.get(type_attr or "") in _BODY_TYPES)
        for s in taken
        if s.label == label and s.attrs.get(type_attr or "") not in {None, "person", "community"}
    )
    starts = [a for a, _armed in named]
    out = []
    for m in _REFERENCE.finditer(text):
        start, end = m.start("noun"), m.end("noun")
        if _modifies(text, end) or overlaps_nearby(spans, start, end):
            continue
        if _ROLE_OF.search(text, max(0, m.start() - 30), m.start()):
            continue  # "senior adviser for the group": the person holding the role is the actor
        nearest = bisect.bisect_left(starts, start) - 1
        if m.group("noun") == "group" and (nearest < 0 or not named[nearest][1]):
            continue  # "the group" after an agency or a rights group is that body's speaker, left to those rules
        bisect.insort(spans, (start, end))
        attrs = {type_attr: _TYPES[m.group("noun")]} if type_attr else {}
        out.append(Suggestion(label=label, start=start, end=end, attrs=attrs, source=SOURCE))
    for m in _UNNAMED_MEN.finditer(text):  # "hooded men", "men from two rival tribes"
        start, end = m.span("span")
        if not (m.group("adj") or m.group("origin")) or overlaps_nearby(spans, start, end):
            continue
        bisect.insort(spans, (start, end))
        attrs = {type_attr: "armed group" if m.group("adj") else "community"} if type_attr else {}
        out.append(Suggestion(label=label, start=start, end=end, attrs=attrs, source=SOURCE))
    return out
