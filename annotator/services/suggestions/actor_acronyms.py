"""Short forms of organisations, by where they stand (issue 12, round 7).

A text gives an organisation's short form once, and uses it after: "the so-called "Islamic
State" (IS)", "the Islamic State in Iraq and Syria (ISIS)", "the Legal Defense Institute,
IDL, have criticized", "the official Algerian news agency, APS,", "Local rights group
RNDDH's program director". An upper-case word of two to eight letters is an ACTOR

- in brackets right after an ACTOR, past a closing quote mark or a tail of capitalised
  words ("in Iraq and Syria") that ends the name;
- between commas (or a comma and the sentence's end) right after an ACTOR or a noun of a
  body ("agency", "group", "institute"...);
- right after such a noun ("rights group RNDDH", "militant group BRN");

and every later use of the same short form is one too. Each pattern is a regex anchored at
an ACTOR's end or a body noun: linear in the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from annotator.services.suggestions.base import Suggestion, overlaps_nearby

SOURCE = "rules:actors"

_SHORT = r"[A-Z][A-Z0-9-]{1,7}"
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


def find_short_forms(
    text: str,
    actors: Iterable[Suggestion],
    taken: Iterable[Suggestion] = (),
    *,
    label: str = "ACTOR",
    type_attr: str | None = "actor_type",
) -> list[Suggestion]:
    """Short forms given in brackets or between commas after an ACTOR or a body noun, at each of their uses."""
    spans = sorted((s.start, s.end) for s in taken)
    like: dict[str, Suggestion] = {}
    for s in actors:
        m = _BRACKETED.match(text, s.end) or _BETWEEN_COMMAS.match(text, s.end)
        if m and m.group("short") not in _NOT_SHORT:
            like.setdefault(m.group("short"), s)
    attrs_of_body: dict[str, dict[str, object]] = {}
    for body in _BODY_NOUN.finditer(text):
        m = _AFTER_BODY.match(text, body.end())
        if m and m.group("short") not in _NOT_SHORT and m.group("short") not in like:
            armed = (
                re.fullmatch(r"(?i:movement|militia|front|group)", body.group())
                and "rights" not in text[max(0, body.start() - 12) : body.start()]
            )
            kind = "armed group" if armed else "government" if body.group().lower() == "commission" else "NGO"
            attrs_of_body.setdefault(m.group("short"), {type_attr: kind} if type_attr else {})
    out: list[Suggestion] = []
    names = set(like) | set(attrs_of_body)
    if not names:
        return out
    pattern = re.compile(
        r"(?<![\w’'-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])"
    )
    for m in pattern.finditer(text):
        if overlaps_nearby(spans, m.start(), m.end()):
            continue
        model = like.get(m.group())
        attrs = dict(model.attrs) if model is not None else dict(attrs_of_body[m.group()])
        out.append(Suggestion(label=label, start=m.start(), end=m.end(), attrs=attrs, source=SOURCE))
        bisect.insort(spans, (m.start(), m.end()))
    return out
