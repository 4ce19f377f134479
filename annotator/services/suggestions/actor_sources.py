"""ACTOR mentions of news copy in any country that no list holds (issue 12, round 6):

- **Outlets named by their kind**: "the newspaper Reforma", "the state-owned New Vision daily",
  "the news agency Fides", "told Magik 9 radio station", and a name after "according to" / "told"
  that ends its clause ("according to Bloomberg.", "told Aljazeera on Saturday").
- **Sources and patrols of an institution**: "army sources", "medical sources", "military
  intelligence sources", "a police patrol", "a security patrol".
- **Communities by their ethnonym**: "ethnic Armenians", and the plural of a country's demonym
  that the place index knows ("Russians", "Liberians") where it stands alone as a noun.

Each is one regex pass over the text (the demonyms come from the place index already loaded).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from annotator.services.suggestions import syntax
from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.place_index import load_index

SOURCE = "rules:actors"

_CAP = r"[A-Z][\w’'-]*"
_OUTLET_KIND = (
    r"(?:newspaper|daily|news\s+agency|news\s+site|news\s+website|broadcaster|magazine|weekly|radio|TV\s+channel)"
)
_OUTLET = re.compile(
    rf"(?<![\w-])(?:the\s+|(?:state-owned|state-run|private|independent|local)\s+)?{_OUTLET_KIND}\s+"
    rf"(?P<after>{_CAP}(?:\s+{_CAP}){{0,2}})(?![\w-])"
    rf"|(?<=[a-z]\s)(?P<before>{_CAP}(?:\s+(?:{_CAP}|\d+)){{0,2}})\s+(?:daily|newspaper|radio\s+station|TV|television)"
    r"(?![\w-])"
)
# a name that ends its clause after a verb of reporting: "according to Bloomberg.", "told Aljazeera on Saturday"
_TOLD = re.compile(
    rf"(?<![\w-])(?:according\s+to|told|quoted\s+by|reported\s+by)\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,1}})"
    r"(?=\s*[.,;]|\s+(?:on|in|that|by|late|earlier|last)\b)"
)
_NOT_OUTLET = frozenset(
    """The A An He She It They We I You His Her Their Its This That These Those Mr Mrs Ms Dr President Minister
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December God Parliament Congress""".split()
)
_SOURCES = re.compile(
    r"(?<![\w-])(?P<name>(?i:army|military|security|police|medical|hospital|intelligence|diplomatic|humanitarian|rebel|"
    r"tribal|government|judicial|defen[cs]e|health|palace|rescue|aid)(?:\s+(?i:intelligence|security|medical))?\s+"
    r"sources)(?![\w-])"
)
_PATROL = re.compile(
    r"(?<![\w-])(?P<name>(?i:police|army|military|security|border|naval|navy|joint|marine)\s+patrols?)(?![\w-])"
)
# a named group by its lower-case head ("the Jalisco Nueva Generacion cartel"), a named body one is a member of
# ("a member of the Barisan Revolusi Nasional"), groups "called the X and the Y", a body word that speaks ("The
# Observatory said")
_NAMED_GROUP = re.compile(rf"(?<![\w’'-])(?P<name>{_CAP}(?:\s+{_CAP}){{0,3}}\s+(?:cartel|gang|militia|clan))(?![\w-])")
_MEMBER_OF = re.compile(rf"\bmembers?\s+of\s+the\s+(?P<name>{_CAP}(?:\s+{_CAP}){{1,4}})(?![\w-])")
_CALLED = re.compile(
    r"\b(?:groups?|organi[sz]ations?|gangs?|cartels?|militias?|factions?|movements?)\s+(?:called|named|known\s+as)\s+"
    rf"the\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,3}})(?:\s+and\s+the\s+(?P<second>{_CAP}(?:\s+{_CAP}){{0,3}}))?"
)
_BODY_SPEAKS = re.compile(
    r"\b[Tt]he\s+(?P<name>Observatory|Ministry|Commission|Mission|Council|Committee|Agency|Directorate|Network|Society)"
    r"(?=\s+(?:said|says|reported|added|confirmed|stated|announced))"
)
_ETHNIC = re.compile(rf"(?<![\w-])(?P<name>ethnic\s+{_CAP}s)(?![\w-])")
_ADJECTIVE = re.compile(r"(?:an|ese|ish|i)$")  # "Ukrainian television": the country's, no outlet's name
# a figure or a copula before the plural: the people counted or described, not acting ("1 million Haitians")
_COUNTED_BEFORE = re.compile(
    r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|millions?|are|were|is|was))"
    r"\s+$",
    re.IGNORECASE,
)
_PLURAL = re.compile(r"(?<![\w’'.-])(?P<name>[A-Z][a-z]+(?:ans|ians))(?![\w’'-])")


@lru_cache(maxsize=1)
def _demonym_plurals() -> frozenset[str]:
    names = load_index()["countries"]
    return frozenset(
        name + "s" for name in names if name.endswith("an") and not name.endswith("stan") and " " not in name
    )


def _suggest(label: str, start: int, end: int, kind: str | None, type_attr: str | None) -> Suggestion:
    attrs = {type_attr: kind} if type_attr and kind else {}
    return Suggestion(label=label, start=start, end=end, attrs=attrs, source=SOURCE)


def find_source_actors(
    text: str, taken: Iterable[Suggestion] = (), *, label: str = "ACTOR", type_attr: str | None = "actor_type"
) -> list[Suggestion]:
    """The mentions above that overlap no suggestion found already (of any label)."""
    spans = [(s.start, s.end) for s in taken]
    out: list[Suggestion] = []

    def add(start: int, end: int, kind: str | None) -> None:
        if not any(a < end and start < b for a, b in spans):
            spans.append((start, end))
            out.append(_suggest(label, start, end, kind, type_attr))

    for m in _OUTLET.finditer(text):
        group = "after" if m.group("after") else "before"
        words = m.group(group).split()
        while words and words[-1] in _NOT_OUTLET:  # "news agency Fides April 2"
            words.pop()
        if words and words[0] not in _NOT_OUTLET and not (len(words) == 1 and _ADJECTIVE.search(words[0])):
            add(m.start(group), m.start(group) + len(" ".join(words)), "NGO")
    for m in _TOLD.finditer(text):
        words = m.group("name").split()
        if words[0] not in _NOT_OUTLET and not _ADJECTIVE.search(words[-1]):
            add(m.start("name"), m.end("name"), None)
    for m in _SOURCES.finditer(text):
        add(m.start("name"), m.end("name"), None)
    for m in _PATROL.finditer(text):
        add(m.start("name"), m.end("name"), "state force")
    for m in _NAMED_GROUP.finditer(text):
        if m.group("name").split()[0] not in _NOT_OUTLET:
            add(m.start("name"), m.end("name"), "armed group")
    for m in _MEMBER_OF.finditer(text):
        add(m.start("name"), m.end("name"), None)
    for m in _CALLED.finditer(text):
        for group in ("name", "second"):
            if m.group(group):
                add(m.start(group), m.end(group), None)
    for m in _BODY_SPEAKS.finditer(text):
        add(m.start("name"), m.end("name"), None)
    for m in _ETHNIC.finditer(text):
        add(m.start("name"), m.end("name"), "community")
    plurals = _demonym_plurals()
    for m in _PLURAL.finditer(text):
        alone = not re.match(r"\s+[A-Z]", text[m.end() : m.end() + 2]) and not re.search(
            r"[A-Z][\w’'-]*\s+$", text[max(0, m.start() - 30) : m.start()]
        )
        counted = _COUNTED_BEFORE.search(text, max(0, m.start() - 12), m.start())
        if m.group("name") in plurals and alone and not counted:
            add(m.start("name"), m.end("name"), "community")
    return out


# a capital standing for its government: "Khartoum denies links", "Colombo says", "that Washington wouldn't tolerate"
_CAPITAL_ACTING = re.compile(
    r"(?:^|(?<=[.!?\"“”]\s)|(?<=\n)|(?<=\bthat\s))(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)\s+(?:has\s+|have\s+|had\s+)?"
    r"(?:says|said|denies|denied|accuses|accused|blames|blamed|insists|insisted|rejects|rejected|wouldn['’]t|would\s+not|"
    r"will\s+not|won['’]t|warned|warns|claims|claimed|refuses|refused|demands|demanded)(?![\w-])"
)


# round 9: a capital in the other places only a party stands: the subject of any finite verb but "be" ("Beijing has
# typically described", "Zagreb broke away"), or what a verb of blame, pressure or talks takes ("accused Beijing",
# "sanctions on Asmara", "a dialogue with Asmara", "independence from Beijing", "accords between Dakar and")
_CAPITAL_SUBJECT = re.compile(
    r"(?<![\w’'-])(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)[ \t]+(?P<aux>(?:has|have|had|will|would)[ \t]+)?"
    r"(?:[a-z]+ly[ \t]+)?(?P<verb>[a-z]+)(?![\w’'-])"
)
_CAPITAL_OBJECT = re.compile(
    r"(?<![\w’'-])(?:accused|accuses|accusing|blamed|blames|urged|urges|forced|pressed|pressured|warned|"
    r"sanctions[ \t]+on|embargo[ \t]+on|dialogue[ \t]+with|talks[ \t]+with|negotiations[ \t]+with|"
    r"independence[ \t]+from|between)[ \t]+(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)(?![\w’'-])"
)
_NOT_ACTING = frozenset("is was are were be been being and or but on in at of for to from with".split())


def _capital_spans(text: str, capitals: frozenset[str]) -> list[tuple[int, int]]:
    found = {(m.start("name"), m.end("name")) for m in _CAPITAL_ACTING.finditer(text) if m.group("name") in capitals}
    for m in _CAPITAL_SUBJECT.finditer(text):
        verb = m.group("verb")
        tags = {"VBD", "VBZ", "VBN", "VB"} if m.group("aux") else {"VBD", "VBZ"}
        after_place_word = re.search(r"(?:\b(?:in|at|to|from|near|of)|,)\s+$", text[max(0, m.start() - 6) : m.start()])
        acting = m.group("name") in capitals and verb not in _NOT_ACTING and syntax.lexicon().get(verb) in tags
        if acting and not after_place_word:  # "in Kabul said": the place of another subject
            found.add((m.start("name"), m.end("name")))
    found.update(
        (m.start("name"), m.end("name")) for m in _CAPITAL_OBJECT.finditer(text) if m.group("name") in capitals
    )
    return sorted(found)


@lru_cache(maxsize=1)
def _capitals() -> frozenset[str]:
    return frozenset(load_index()["capitals"])


def capitals_acting(
    text: str,
    raw: list[Suggestion],
    *,
    label: str = "ACTOR",
    place_label: str = "LOCATION",
    type_attr: str | None = None,
) -> list[Suggestion]:
    """``raw`` with each capital that speaks or acts for its government an ACTOR, no more a place."""
    capitals = _capitals()
    found = _capital_spans(text, capitals)
    if not found:
        return raw
    kept = [s for s in raw if not (s.label in (label, place_label) and (s.start, s.end) in found)]
    return kept + [_suggest(label, a, b, "government", type_attr) for a, b in found]
