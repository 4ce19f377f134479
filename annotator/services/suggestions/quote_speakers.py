"""Who may have said a quote: the ACTOR candidates of the QUOTE rule (``quotes.py``).

``Speakers`` holds the ACTOR suggestions other sources made, the names the attribution shows
("said Joanne Mariner", "Wahdat, said") and the speaker phrases ``speaker_subjects`` finds
("one villager who had seen the bodies said"), each a ``(key, is_person)`` candidate.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence

from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.persons import NAME_RE, TITLES, clean_name
from annotator.services.suggestions.quote_marks import Quote, Quotes
from annotator.services.suggestions.speaker_subjects import SUBJECT_GAP

SOURCE = "rules:quotes"
SUBJECT_SOURCE = "rules:speaker-subjects"

TITLE_WORDS = frozenset(re.sub(r"\\s\+|\\\.|\[- \]", " ", TITLES).replace("|", " ").split()) | {
    "Prime",
    "Minister",
    "Defense",
    "Defence",
}


# "a source in the government in Darfur said": a name after a place preposition is no speaker
# "a resident of Nyaung Kone said": nor after "of"
_PLACE_BEFORE = re.compile(r"(?:^|\s)(?:in|at|from|near|into|across|outside|inside|around|of)\s+(?:the\s+)?$")
# "a teacher in the capital, Tskhinvali, said": a name in apposition to a place noun is the place, no speaker
_PLACE_NOUN_BEFORE = re.compile(
    r"(?<![\w-])(?:capital|city|town|village|hamlet|province|region|district|county|state|country|area|suburb|"
    r"neighbou?rhood|camp|island|port|valley|enclave|municipality|settlement|border\s+town)\s*,\s*$",
    re.IGNORECASE,
)
_DOTTED = re.compile(r"(?:[A-Z]\.)+[A-Z]?\.?")
# "Birhanu, a farmer, said": a one-word name with its apposition before the verb
_APPOSITION_TAIL = re.compile(
    r",\s+(?:(?:an?|the)\s+[^,.;!?“”\"]{1,60}|(?:who|whose)\s+[^,;!?“”\"]{1,90}),\s*"
)  # or a relative clause: "Okafor, who returned from exile after the Feb. 3 vote, said"
# "the Shi'ite Hazara community": a name that modifies a group noun is no person
_GROUP_AFTER = re.compile(
    r"\s+(?:communit(?:y|ies)|villages?|towns?|district|province|region|state|camps?|people|forces|militias?|"
    r"rebels|fighters|government|authorities|army|police|refugees|residents|ministry|tribe|clan)\b"
)
# "X, the Catholic Church's aid agency, said": a possessor is no speaker
_POSSESSOR = re.compile(r"['’]s\s+[a-z]")


def _start_and_order(item: tuple[int, int, Suggestion]) -> tuple[int, int]:
    return item[0], item[1]


def _order(item: tuple[int, int, Suggestion]) -> int:
    return item[1]


class Speakers:
    """ACTOR candidates: the suggestions other sources made, plus names found here."""

    def __init__(self, text: str, existing: list[Suggestion], actor_label: str, type_attr: str | None):
        self.text = text
        self.actor_label = actor_label
        self.type_attr = type_attr
        self.actors = sorted((s for s in existing if s.label == actor_label), key=lambda s: (s.start, -s.end))
        self.others = [s for s in existing if s.label != actor_label]
        self.new: dict[tuple[int, int], Suggestion] = {}
        self.offered: set[tuple[int, int]] = set()
        # for ``in_range``: the actors' starts (``actors`` is sorted by start), the new names by (start, order made)
        self._actor_starts = [s.start for s in self.actors]
        self._new_by_start: list[tuple[int, int, Suggestion]] = []
        # for ``_name_parts``: every other source's suggestion by start, and the longest one's length
        self._all = sorted(self.actors + self.others, key=lambda s: s.start)
        self._all_starts = [s.start for s in self._all]
        self._longest = max((s.end - s.start for s in self._all), default=0)
        # descriptions without a name in them ("the rights group"), not "the Amnesty International report"
        self.descriptions = {
            s.key for s in self.actors if s.source == "rules:actors" and text[s.start : s.end].islower()
        }

    def add(self, start: int, end: int, person: bool, *, offer: bool = False) -> tuple[tuple[str, int, int], bool]:
        """A speaker phrase no other source suggested ("villager"), as a candidate; ``offer``: an ACTOR
        suggestion even if no quote links it (the subject of a speech verb: "villagers said yesterday")."""
        if offer:
            self.offered.add((start, end))
        if (start, end) not in self.new:
            attrs = {self.type_attr: "person"} if self.type_attr and person else {}
            self._keep_new(Suggestion(self.actor_label, start, end, attrs=attrs, source=SUBJECT_SOURCE))
        return (self.actor_label, start, end), person

    def _keep_new(self, s: Suggestion) -> None:
        insort(self._new_by_start, (s.start, len(self.new), s), key=_start_and_order)
        self.new[(s.start, s.end)] = s

    def starting_in(self, start: int, end: int) -> list[Suggestion]:
        """The actors, then the new names, that start in [start, end], each in the order ``actors + new`` has them."""
        actors = self.actors[bisect_left(self._actor_starts, start) : bisect_right(self._actor_starts, end)]
        lo = bisect_left(self._new_by_start, (start, -1), key=_start_and_order)
        hi = bisect_right(self._new_by_start, (end, len(self.new)), key=_start_and_order)
        made = sorted(self._new_by_start[lo:hi], key=_order)
        return actors + [s for _start, _order, s in made]

    def is_person(self, s: Suggestion) -> bool:
        return (s.attrs or {}).get(self.type_attr or "", None) == "person" or s.source == SOURCE

    def in_range(
        self, start: int, end: int, *, adjacent: str | None = None, quotes: Sequence[Quote] = ()
    ) -> list[tuple[tuple[str, int, int], bool]]:
        """Actors (and names) in text[start:end], outside quotes, in text order."""
        found: list[Suggestion] = []
        taken: list[tuple[int, int]] = []
        for s in self.starting_in(start, end):
            if (
                s.start >= start
                and s.end <= end
                and not inside_quote(s.start, quotes)
                and not any(a <= s.start < b for a, b in taken)
            ):
                found.append(s)
                taken.append((s.start, s.end))
        for m in NAME_RE.finditer(self.text, start, end):
            if inside_quote(m.start(), quotes):
                continue
            for s_, e_ in self._name_parts(m.start(), m.end()):
                cleaned = clean_name(self.text, s_, e_)
                if not cleaned:
                    continue
                s_, e_ = cleaned
                words = self.text[s_:e_].split()
                if any(w in TITLE_WORDS for w in words) or _DOTTED.fullmatch(self.text, s_, e_ + 1):
                    continue  # a title; "U.N.", "U.S.": an abbreviation, no person
                tail = self.text[e_:end]  # "“...,” Wahdat, said": a whole one-word name, then a comma
                single_ok = (
                    adjacent == "before"
                    and (
                        not tail.strip()
                        or not tail.strip(" ,")
                        and s_ == m.start()
                        or bool(_APPOSITION_TAIL.fullmatch(tail))
                        and not self.text[start:s_].strip(' “"')
                    )
                    or adjacent == "after"
                    and not self.text[start:s_].strip()
                )
                if len(words) < 2 and not single_ok:
                    continue
                if not words[0][0].isupper():
                    continue
                if (
                    _PLACE_BEFORE.search(self.text, max(0, s_ - 16), s_)
                    or _PLACE_NOUN_BEFORE.search(self.text, max(0, s_ - 24), s_)
                    or _GROUP_AFTER.match(self.text, e_)
                    or _POSSESSOR.match(self.text, e_)
                ):
                    continue
                key = (s_, e_)
                if key not in self.new:
                    attrs = {self.type_attr: "person"} if self.type_attr else {}
                    self._keep_new(Suggestion(self.actor_label, s_, e_, attrs=attrs, source=SOURCE))
                found.append(self.new[key])
        found.sort(key=lambda s: s.start)
        return [((s.label, s.start, s.end), self.is_person(s)) for s in found]

    def untaken(self, start: int, end: int) -> bool:
        """No other source's suggestion overlaps [start, end) (a place, an organisation, a mention)."""
        near = self._all[bisect_right(self._all_starts, start - self._longest) : bisect_left(self._all_starts, end)]
        return not any(s.end > start for s in near)

    def place_before(self, verb_start: int) -> tuple[int, int] | None:
        """A place standing for its people or government as the verb's subject ("“...,” Jamaica said",
        "Colombo says"): the place right before the verb."""
        for s in self.others:
            if s.label == "LOCATION" and s.end <= verb_start and SUBJECT_GAP.fullmatch(self.text, s.end, verb_start):
                return s.start, s.end
        return None

    def _first_name(self, s: Suggestion, start: int, end: int) -> bool:
        """A place that is one word opening a name of two or three words nothing else covers ("Douglas Hurd")."""
        if s.label == self.actor_label or s.start != start or " " in self.text[s.start : s.end]:
            return False
        rest = self.text[s.end : end].split()
        # no other suggestion starts in [s.end, end)
        return 1 <= len(rest) <= 2 and bisect_left(self._all_starts, s.end) == bisect_left(self._all_starts, end)

    def _name_parts(self, start: int, end: int) -> list[tuple[int, int]]:
        """Parts of a capitalised run not covered by another suggestion (a place, an org)."""
        near = self._all[
            bisect_right(self._all_starts, start - self._longest) : bisect_left(self._all_starts, end)
        ]  # all that may overlap [start, end): none longer than ``_longest`` starts before start - _longest
        covered = [
            (s.start, s.end) for s in near if s.end > start and s.start < end and not self._first_name(s, start, end)
        ]
        parts, cursor = [], start
        for a, b in sorted(covered):
            if a > cursor:
                parts.append((cursor, a))
            cursor = max(cursor, b)
        if cursor < end:
            parts.append((cursor, end))
        # drop title words at the start of each part
        out = []
        for s_, e_ in parts:
            words = list(re.finditer(r"\S+", self.text[s_:e_]))
            while words and words[0].group().rstrip(".,") in TITLE_WORDS:
                words.pop(0)
            if words:
                out.append((s_ + words[0].start(), e_))
        return out


def inside_quote(pos: int, quotes: Sequence[Quote]) -> bool:
    if isinstance(quotes, Quotes):
        return quotes.covers(pos)  # what ``scan`` found: a binary search
    return any(q.start <= pos < q.end for q in quotes)
