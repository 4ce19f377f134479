"""Places no list has, shown by the shape of a dateline, and every later use of a place a context showed
(issue 12, round 9).

- **A dateline's place, any place**: the upper-case words that open a paragraph and are followed by
  ", Country", ", Month day", "(Agency)" or a dash ("BALIBO, East Timor, Oct 3 (Reuters) -",
  "ADDIS ABABA (AFP) —", "SLAVONSKI BROD, Croatia -"): a wire story's dateline names where it was
  filed, whether or not a gazetteer knows the town. ``place_context.DATELINE`` finds the gazetteer's
  ones; this finds the others.
- **A place's later mentions**: a name the context rules showed to be a place once ("in Chacalte",
  "the region of Ingushetia", the dateline "CHACALTE, Guatemala") is a place at each whole-word use
  in the same text where no other suggestion stands ("the attack on Chacalte", "Chacalte, 150 miles
  northwest of ...") and no capitalised word continues it into a longer name.

- **A named facility**: capitalised words before a facility's head noun ("Kadugli Hospital", "the Krue Se
  mosque", "Pearl Square", "Ban Talo Sumae School"): the gold tags the building or square where things
  happened as a LOCATION, its name with its head.

A regex pass each and one alternation over the names found: linear in the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from annotator.services.suggestions import syntax
from annotator.services.suggestions.base import Suggestion, overlaps_nearby
from annotator.services.suggestions.place_context import NOT_PLACE, WHEN, title_case
from annotator.services.suggestions.victim_nouns import demonym

SOURCE = "rules:places"

_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"  # "Oct 3", "Feb. 17", "April 15"
# upper-case words at a paragraph's start, then a country (title case), a date, an agency in brackets or a dash
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<name>[A-Z][A-Z’'.-]+(?:[ \t]+[A-Z][A-Z’'.-]+){0,3})"
    rf"(?=,[ \t]+(?:{_MONTHS}[ \t]+\d|[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?[ \t]*(?:[,(—–-]|\())"
    r"|[ \t]+\([A-Z][\w. ]{1,20}\)[ \t]*[—–_-]|[ \t]*[—–]|[ \t]+-[ \t])"
)
# upper-case openings that are no place: agencies, bylines, labels
_NOT_DATELINE = frozenset(
    "AP AFP UPI IRIN DPA AAP UN US UK EU NATO BBC CNN VOA ANSA PTI IANS UPDATE UPDATED BREAKING EXCLUSIVE "
    "ANALYSIS COMMENT EDITORIAL OPINION PHOTO VIDEO WATCH NOTE CORRECTION".split()
)
_LONGER_NAME = re.compile(r"[ \t]+[A-Z][a-z]")
_FACILITY = re.compile(
    r"(?<![\w’'.-])(?P<name>(?:(?:al|el|Al|El)-)?[A-Z][\w’'-]*(?:[ \t]+(?:[A-Z][\w’'-]*|[A-Z]\.|of|de|al)){0,3})"
    r"[ \t]+(?P<head>[Hh]ospital|[Cc]linic|[Mm]osque|[Cc]hurch|[Cc]athedral|[Tt]emple|[Ss]chool|[Cc]ollege|"
    r"[Uu]niversity|Square|[Ss]tadium|[Aa]irport|[Pp]rison|[Mm]arket|[Hh]otel|Bridge|Road|Street|Avenue)(?![\w-])"
)


def find_dateline_places(text: str, taken: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) of the place each dateline opens with, where no suggestion (``taken``) stands."""
    spans = sorted(taken)
    out = []
    for m in _DATELINE.finditer(text):
        name = m.group("name").rstrip(".")
        if len(name.replace(" ", "")) < 3 or any(w in _NOT_DATELINE for w in name.split()):
            continue
        start = m.start("name")
        end = start + len(name)
        if not overlaps_nearby(spans, start, end):
            out.append((start, end))
    return out


def find_facilities(text: str, taken: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) of named facilities ("Kadugli Hospital") where no span of ``taken`` stands."""
    from annotator.services.suggestions.place_names import TitleCaseLines  # place_names imports this module

    spans = sorted(taken)
    headlines = TitleCaseLines(text)
    out = []
    for m in _FACILITY.finditer(text):
        words = m.group("name").split()
        if words[0] in NOT_PLACE or words[0] in WHEN or any(w.endswith(("'s", "’s")) for w in words):
            continue  # "The hospital", "Catholic Church", "Conakry's hospital": no facility's own name
        if any(demonym(w) for w in words) or headlines.holds(m.start()):
            continue  # "Rwandan Camp", a headline set in title case
        if not str(syntax.lexicon().get(words[0].lower(), "NN")).startswith(("NN", "JJ")):
            continue  # "But hospital", "As Shells Hit Packed Stadium": a sentence's first word, no name
        if not overlaps_nearby(spans, m.start(), m.end()):
            out.append((m.start(), m.end()))
    return out


def repeat_places(
    text: str, names: Iterable[str], taken: Iterable[tuple[int, int]], places: Iterable[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """(start, end) of each later whole-word use of ``names`` (or their title case: "CHACALTE" gives
    "Chacalte") that no span of ``taken`` overlaps and no capitalised word continues. A use that owns what follows
    ("Ingushetia's security council") need only miss the ``places``: the gold tags the place inside the ACTOR."""
    owners = sorted(places)
    wanted = {n for name in names for n in (name, title_case(name)) if len(n) > 2}
    if not wanted:
        return []
    spans = sorted(taken)
    pattern = re.compile(
        r"(?<![\w’'.-])(?:"
        + "|".join(re.escape(n) for n in sorted(wanted, key=len, reverse=True))
        + r")(?![\w-])(?![’'](?!s\b))"
    )
    out = []
    for m in pattern.finditer(text):
        owner = text.startswith(("'s", "’s"), m.end())
        if _LONGER_NAME.match(text, m.end()) or overlaps_nearby(owners if owner else spans, m.start(), m.end()):
            continue
        bisect.insort(spans, (m.start(), m.end()))
        bisect.insort(owners, (m.start(), m.end()))
        out.append((m.start(), m.end()))
    return out


def more_places(
    text: str,
    found: list[Suggestion],
    raw: Iterable[Suggestion],
    *,
    label: str = "LOCATION",
    type_attr: str | None = "place_type",
) -> list[Suggestion]:
    """Dateline places and the later mentions of the places ``found`` by context (their names, without a
    head noun), given every suggestion so far (``raw``)."""
    taken = [(s.start, s.end) for s in raw] + [(s.start, s.end) for s in found]
    attrs = {type_attr: "city/town"} if type_attr else {}
    places = [(s.start, s.end) for s in raw if s.label == label] + [(s.start, s.end) for s in found]
    facilities = find_facilities(text, places)
    dated = find_dateline_places(text, taken + facilities)
    names = [text[a:b] for a, b in dated]
    for s in found:
        words = text[s.start : s.end].split()
        if words and words[-1].islower():
            words = words[:-1]  # "Tirah valley": the name without its head
        if words and not any(demonym(w) for w in words):  # "in Kyrgyz neighbourhoods": a people's adjective
            names.append(" ".join(words))
    spans = facilities + dated + repeat_places(text, names, taken + dated + facilities, places + dated + facilities)
    return [Suggestion(label=label, start=a, end=b, attrs=dict(attrs), source=SOURCE) for a, b in sorted(spans)]
