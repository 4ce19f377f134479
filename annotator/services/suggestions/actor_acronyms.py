"""Short forms of organisations, by where they stand (issue 12, rounds 3, 7 and 8: one finder).

A text gives an organisation's short form once, and uses it after: "the so-called "Islamic
State" (IS)", "the Islamic State in Iraq and Syria (ISIS)", "the Legal Defense Institute,
IDL, have criticized", "the official Algerian news agency, APS,", "Local rights group
RNDDH's program director", "Anonymous Volunteers of Mozambique (Vamoz)". A short form is an ACTOR

- in brackets right after an ACTOR, past a closing quote mark or a tail of capitalised
  words ("in Iraq and Syria", "of Tamil Eelam") that ends the name; a short form in mixed case
  ("Vamoz") only after a name the rules found that ends in a body word ("Volunteers");
- between commas (or a comma and the sentence's end) right after an ACTOR or a noun of a
  body ("agency", "group", "institute"...);
- right after such a noun ("rights group RNDDH", "militant group BRN");
- in brackets after a run of capitalised words that no rule found but that holds a body word
  ("National Movement for Reform and Development (NMRD)"): the run is an ACTOR too;

and every later use of the same short form is one too. An upper-case ACTOR followed by its
full name in brackets ("JNIM (Group to Support Islam and Muslims)") gives the full name.
Each pattern is a regex anchored at an ACTOR's end, a body noun or a bracket: linear in the text.
(Round 8 merged round 3's ``actor_nouns.find_abbreviations`` into this finder.)
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from annotator.services.suggestions.base import Suggestion, overlaps_nearby

SOURCE = "rules:actors"

_SHORT = r"[A-Z][A-Z0-9-]{1,9}"
# after an ACTOR: a closing quote, a name's tail of capitalised words, then the short form in brackets (the space
# between two words of the tail is one ``\s+``: "\s+(?:and)?\s*" split a run of spaces every way, and three such
# runs took seconds to fail)
_BRACKETED = re.compile(
    rf"[”\"’']?(?:\s+(?:in|of|for|and|the)\s+[A-Z][\w’'-]*(?:\s+(?:(?:and|of|the)\s*)?[A-Z][\w’'-]*){{0,3}})?"
    rf"\s*\((?P<short>{_SHORT})\)"
)
_BETWEEN_COMMAS = re.compile(rf",\s+(?P<short>{_SHORT})(?=\s*[,.;)]|\s*$)")
_BODY_NOUN = re.compile(
    r"(?<![\w-])(?:group|agency|organi[sz]ation|movement|network|party|militia|coalition|alliance|front|institute|"
    r"commission|committee|council|outlet|daily|newspaper|broadcaster)(?=[,\s])",
    re.IGNORECASE,
)
_AFTER_BODY = re.compile(rf"(?:,\s+|\s+)(?P<short>{_SHORT})(?![\w-])(?=[’']s|\s*[,.;)]|\s+[a-z])")
_NOT_SHORT = frozenset("AM PM GMT UTC US UK EU UN TV OK AD BC".split())
# a short form in mixed case or upper case, in brackets: "(Vamoz)", "(NMRD)"
_ANY_IN_BRACKETS = re.compile(r"[ \t]+\((?P<short>[A-Z][A-Za-z0-9-]{1,9})\)")
_FULL_NAME_AFTER = re.compile(r"\s*\((?P<full>[A-Z][\w’'-]+(?:\s+[\w’'-]+){1,7})\)")
_BODY_WORD = re.compile(
    r"(?<![\w-])(?:Movement|Army|Front|Forces?|Group|Organi[sz]ation|Union|Council|Alliance|Party|Coalition|Brigades?|"
    r"Volunteers|Committee|Network|Association|Commission|Agency|Office|Ministry|Service|Mission|Fund|Programme|"
    r"Program)(?![\w-])"
)
_CONNECTORS = frozenset("of for and the in to de du des".split())


def _name_before(text: str, end: int, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The run of capitalised words (with "of", "for", "and" between them) that ends at ``end``."""
    offset = max(0, end - 120)
    words = list(re.finditer(r"[\w’'-]+", text[offset:end]))
    start, count = None, 0
    for w in reversed(words):
        if text[offset + w.end() : (start if start is not None else end)].strip():
            break  # punctuation between the words
        if overlaps_nearby(taken, offset + w.start(), offset + w.end()) or count >= 8:
            break
        if not (w.group()[0].isupper() or w.group() in _CONNECTORS and start is not None):
            break
        start, count = offset + w.start(), count + 1
    while start is not None and start < end and text[start:end].split()[0] in _CONNECTORS | {"The", "A", "An"}:
        start = text.index(" ", start) + 1
    if start is None or len(text[start:end].split()) < 2:
        return None
    return start, end


def _body_type(name: str) -> str:
    if re.search(r"Army|Front|Forces?|Brigades?|Movement", name):
        return "armed group"
    if re.search(r"Ministry|Office|Commission|Council|Service", name):
        return "government"
    return "NGO"


def find_short_forms(
    text: str,
    actors: Iterable[Suggestion],
    taken: Iterable[Suggestion] = (),
    *,
    label: str = "ACTOR",
    type_attr: str | None = "actor_type",
) -> list[Suggestion]:
    """Short forms given after an ACTOR, a body noun or a body's name, at each of their uses; full names after
    an upper-case ACTOR; bodies named before their bracketed short form."""
    taken = list(taken)
    spans = sorted((s.start, s.end) for s in taken)
    actor_spans = sorted((s.start, s.end) for s in taken if s.label == label)
    like: dict[str, dict[str, object]] = {}
    out: list[Suggestion] = []
    for s in actors:
        m = _BRACKETED.match(text, s.end) or _BETWEEN_COMMAS.match(text, s.end)
        if m is None and s.source == SOURCE and _BODY_WORD.search(text, s.start, s.end):
            m = _ANY_IN_BRACKETS.match(text, s.end)  # "Anonymous Volunteers of Mozambique (Vamoz)"
        if m and m.group("short") not in _NOT_SHORT:
            like.setdefault(m.group("short"), dict(s.attrs))
        full = _FULL_NAME_AFTER.match(text, s.end)  # "JNIM (Group to Support Islam and Muslims)"
        if (
            full
            and text[s.start : s.end].isupper()
            and not overlaps_nearby(spans, full.start("full"), full.end("full"))
        ):
            out.append(Suggestion(s.label, full.start("full"), full.end("full"), attrs=dict(s.attrs), source=SOURCE))
    for m in _ANY_IN_BRACKETS.finditer(text):  # "National Movement for Reform and Development (NMRD)"
        name = _name_before(text, m.start(), actor_spans)
        if name is None or m.group("short") in like or not _BODY_WORD.search(text[name[0] : name[1]]):
            continue
        attrs: dict[str, object] = {type_attr: _body_type(text[name[0] : name[1]])} if type_attr else {}
        out.append(Suggestion(label=label, start=name[0], end=name[1], attrs=dict(attrs), source=SOURCE))
        like[m.group("short")] = attrs
    for body in _BODY_NOUN.finditer(text):
        m = _AFTER_BODY.match(text, body.end())
        if m and m.group("short") not in _NOT_SHORT and m.group("short") not in like:
            armed = (
                re.fullmatch(r"(?i:movement|militia|front|group)", body.group())
                and "rights" not in text[max(0, body.start() - 12) : body.start()]
            )
            kind = "armed group" if armed else "government" if body.group().lower() == "commission" else "NGO"
            like[m.group("short")] = {type_attr: kind} if type_attr else {}
    if not like:
        return out
    pattern = re.compile(
        r"(?<![\w’'-])(?:" + "|".join(re.escape(n) for n in sorted(like, key=len, reverse=True)) + r")(?![\w-])"
    )
    for m in pattern.finditer(text):
        if overlaps_nearby(spans, m.start(), m.end()):
            continue
        out.append(Suggestion(label=label, start=m.start(), end=m.end(), attrs=dict(like[m.group()]), source=SOURCE))
        bisect.insort(spans, (m.start(), m.end()))
    return out
