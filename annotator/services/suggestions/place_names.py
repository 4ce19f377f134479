"""Country names in the forms news copy writes them, and regions named by a compass word (issue 12, round 8).

- **Country aliases**: the common and official names of ``pycountry`` ("Bolivia", "Syria", "Laos",
  "Vietnam", "Republic of Moldova") and a short table of the short forms and older names news copy
  uses that no list has (``ALIASES``: "Bosnia", "East Timor", "E.Timor", "US", "U.S.", "Britain",
  "the Solomons", "PNG", "Yugoslavia"). Each is a LOCATION wherever it stands as a name; a name that
  only modifies an actor ("US troops") is left to the caller's check, as for any country.
- **Sub-national regions by a compass word**: "West Timor", "South Ossetia", "Southeast Sulawesi",
  "West Aceh": a compass word (North, South-East, Upper...) and a capitalised word that is a word of
  a place the document's countries hold (their towns and regions, with alternate names), or of any
  country's name ("Timor" in "Timor-Leste").

Both are a regex or a token pass over the text: linear in its length.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from annotator.services.suggestions import place_repeats, syntax
from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.place_context import NOT_PLACE
from annotator.services.suggestions.victim_nouns import demonym

SOURCE = "rules:places"

# short forms and older names of countries, beside pycountry's names; sources: the AP Stylebook's country
# entries and the UN's country names (the short names the wire services use)
ALIASES = {
    "Bosnia": "BA",
    "Herzegovina": "BA",
    "East Timor": "TL",
    "E.Timor": "TL",
    "E. Timor": "TL",
    "US": "US",
    "U.S.": "US",
    "USA": "US",
    "U.S.A.": "US",
    "America": "US",
    "Britain": "GB",
    "Great Britain": "GB",
    "U.K.": "GB",
    "Solomons": "SB",
    "PNG": "PG",
    "Yugoslavia": "RS",
    "Macedonia": "MK",
    "Swaziland": "SZ",
    "Cape Verde": "CV",
    "Czech Republic": "CZ",
    "Holland": "NL",
    "Congo-Brazzaville": "CG",
    "Congo-Kinshasa": "CD",
    "Zaire": "CD",
    "Burma": "MM",
    "Kampuchea": "KH",
    "Ivory Coast": "CI",
    "Palestine": "PS",
    "Vatican": "VA",
}
# an alias followed by one of these is part of a longer name ("US Army" is the caller's, "America Movil")
_NAME_AFTER = re.compile(r"[ \t]+[A-Z][a-z]")
# an upper-case short form before a word modifies it, unless the word is a verb or a function word
_NOUN_AFTER = re.compile(
    r"[ \t]+(?!(?:and|or|has|have|had|is|was|are|were|will|would|to|in|on|at|for|from|said|says|but|as|with|did|does|"
    r"could|should|may|might|must|can|sent|send|sends|led)\b)[A-Za-z]"
)
COMPASS = (
    r"(?:Central|North|South|East|West|Northern|Southern|Eastern|Western|Upper|Lower|North-?[Ee]ast|North-?[Ww]est|"
    r"South-?[Ee]ast|South-?[Ww]est)"
)
_COMPASS_NAME = re.compile(rf"(?<![\w’'.-])(?P<name>{COMPASS}[ \t]+(?P<word>[A-Z][a-z]{{3,}}))(?![\w’'-])")
# words of place names that name no place of their own after a compass word ("Western Union", "North Star")
_NOT_REGION_WORDS = frozenset(
    """Union Bank Star Side Pole Korea Sea Coast Wind Gate Street Road Avenue Hills Park Station Field University
    College School Church Army Front Command Committee Asia America Europe Africa Market Prison Hospital Division Regiment Brigade District Province Region County State""".split()
)


@lru_cache(maxsize=1)
def country_aliases() -> dict[str, str]:
    """Every name above -> ISO alpha-2: pycountry's common and official names, then ``ALIASES``."""
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value and not value.startswith("the "):
                names.setdefault(value, country.alpha_2)
    names.update(ALIASES)
    return names


@lru_cache(maxsize=1)
def _alias_pattern() -> re.Pattern[str]:
    names = sorted(country_aliases(), key=len, reverse=True)
    return re.compile(r"(?<![\w’'.-])(?:" + "|".join(re.escape(n) for n in names) + r")(?=['’]s\b|[^\w’'-]|$)(?!\.\w)")


_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w’'-]*[ \t]+$")
_STARTS = re.compile(r"(?:^|[.!?\n][\"”’']?\s*)$")


def find_country_aliases(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, name, "country") for each alias in ``text``; not inside a longer capitalised name."""
    out = []
    for m in _alias_pattern().finditer(text):
        if m.group().replace(".", "").isupper() and _NOUN_AFTER.match(text, m.end()):
            continue  # "the US embassy", "U.S. Defence Secretary": the country's, a modifier
        if _NAME_AFTER.match(text, m.end()) and not m.group().isupper():
            continue  # "America Movil", "Palestine Liberation Organization": a longer name
        lo = max(0, m.start() - 30)
        before = _CAPITALISED_BEFORE.search(text, lo, m.start())
        if before and not m.group().isupper() and not _STARTS.search(text, max(0, before.start() - 4), before.start()):
            continue  # "Radio Free America": the end of a longer name (not a headline's first word)
        out.append((m.start(), m.end(), m.group(), "country"))
    return out


def place_words(names: Iterable[str]) -> frozenset[str]:
    """The capitalised words of place names ("Timor" of "Timor-Leste", "Ossetia" of "Nord-Ossetia")."""
    words: set[str] = set()
    for name in names:
        for word in re.split(r"[\s\-–,()]+", name):
            if len(word) > 3 and word[:1].isupper() and word[1:].islower():
                words.add(word)
    return frozenset(words)


def find_compass_regions(text: str, known: Callable[[str], bool]) -> list[tuple[int, int, str, str]]:
    """(start, end, name, "region") for "West Timor", "South Ossetia": a compass word and a word of a known place."""
    out = []
    for m in _COMPASS_NAME.finditer(text):
        word = m.group("word")
        if word in _NOT_REGION_WORDS or word.endswith(("ese", "ian", "ans", "ish")) or not known(word):
            continue
        if word in _adjectives() or m.group("name") in _adjectives():  # "Central American", "South African"
            continue
        if _NAME_AFTER.match(text, m.end()):
            continue  # "South Sudan People's Defence Forces", "North Ossetia University": a longer name
        out.append((m.start("name"), m.end("name"), m.group("name"), "region"))
    return out


# a capitalised name after a place preposition or a unit noun: "in Chacalte", "near Masiaka", "the eastern suburb
# of Sinkor", "the settlement of Shilo"
_UNIT_OF = (
    r"(?:suburbs?|outskirts|village|villages|town|towns|city|settlement|district|province|region|republic|"
    r"neighbou?rhood|area|enclave|island|capital)\s+of"
    # round 9: a place named by what it is called, or by who lives there ("a settlement called X", "residents of X")
    r"|(?:settlement|village|town|hamlet|slum|place|area|neighbou?rhood|district)\s+(?:called|named|known\s+as)"
    r"|(?:residents|inhabitants|villagers|natives)\s+of"
)
PREPOSITIONS = r"in|near|outside|at|into|to|from|towards?|around|across|inside|through|via"
_AFTER_PREPOSITION = re.compile(
    rf"(?<![\w’'-])(?P<prep>{PREPOSITIONS}|{_UNIT_OF})\s+(?:the\s+)?"
    r"(?P<name>[A-Z][a-z’'-]+(?:[ \t]+[A-Z][a-z’'-]+){0,2})(?![\w’'-])(?P<after>[ \t]+[A-Z]|['’]s\b)?"
)
_NOT_PLACE_WORDS = frozenset(
    """The A An This That These Those Its Their His Her Our Some Many Most Other Several Both Each Every One Two
    Three Four Five Six Seven Eight Nine Ten Local Government State Capital Mission Ministry Islamic Army Police
    Military Rebel Refugee Western Eastern Northern Southern Central Muslim Christian Catholic Protestant Arab
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Christmas Easter Ramadan God Allah Parliament Congress Court Council
    Internet Facebook Twitter Telegram January Today Yesterday Tomorrow Mr Mrs Ms Dr President Prime Minister
    General Colonel Secretary He She It They We I You Human Amnesty Reuters Jan Feb Mar Apr Jun Jul Aug Sep Sept
    Oct Nov Dec""".split()
)
# a lower-case noun after the name makes it a modifier ("the Pacific nation", "Basque areas", "Serb positions")
_MODIFIES = re.compile(
    r"[ \t]+(?:nations?|country|areas?|villages?|towns?|capital|positions?|suburbs?|side|states?|regions?|territor\w+|"
    r"islands?|forces|troops|people|government|authorities|community|communities|militias?|rebels|fighters|"
    r"soldiers|police|army|officials?|leaders?|refugees)\b"
)
_LOWER_WORD_AFTER = re.compile(r"[ \t]+([a-z]+)\b")
_TIME_WORDS = frozenset("overnight yesterday today tonight late early last this next".split())
# a place's own head after its name ("Tirah valley", "Amarula hotel", "Rechelim settlement")
_PLACE_HEADS = frozenset(
    """valley hills hill mountains mountain hotel hospital settlement camp front post checkpoint crossing bridge market
    mosque church square road highway river lake island coast airport port prison stadium school university
    district region province area village town city county state neighbourhood neighborhood suburb quarter""".split()
)


_TITLE_WORD = re.compile(r"[A-Za-z][\w’'-]*")


class TitleCaseLines:
    """The lines of a text set in title case (a headline: most words capitalised), found in one pass; each
    lookup is a bisection, so a rule may ask at every match of a long one-line text."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.title: list[bool] = []
        for line in re.finditer(r"[^\n]*", text):
            words = _TITLE_WORD.findall(line.group())
            self.starts.append(line.start())
            self.title.append(len(words) >= 4 and sum(w[:1].isupper() for w in words) > 0.6 * len(words))

    def holds(self, pos: int) -> bool:
        """Whether ``pos`` is on a title-case line."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and self.title[i]


def find_after_prepositions(
    text: str, taken: Iterable[tuple[str, int, int]], *, adjectives: frozenset[str] = frozenset()
) -> list[tuple[int, int, str]]:
    """(start, end, preposition) of capitalised names after a place preposition that no suggestion (``taken``:
    label, start, end) covers, and whose words are no ACTOR's (a person "to Anwar", a body "from Merlin")."""
    spans = sorted((a, b) for _label, a, b in taken)
    actor_words = {  # the words of names ("Anwar Artykov", "Merlin"), not of descriptions ("Swat and local officials")
        w
        for label, a, b in taken
        if label != "LOCATION" and all(w[:1].isupper() for w in text[a:b].split())
        for w in text[a:b].split()
    }
    out = []
    headlines = TitleCaseLines(text)
    for m in _AFTER_PREPOSITION.finditer(text):
        if m.group("after"):
            continue  # "in Human Rights Watch's", "at Bakti Rahayu hospital" handled elsewhere; a longer name
        start, end = m.start("name"), m.end("name")
        words = m.group("name").split()
        if words[-1].endswith(("'s", "’s")) or any(re.search(r"-[a-z]", w) for w in words):
            continue  # "Tuesday’s attack", "Serb-held suburbs": no place's name
        after = _LOWER_WORD_AFTER.match(text, end)
        if after and after.group(1) in _PLACE_HEADS:
            end = after.end()  # "the Tirah valley", "Salmaniya hospital": the place with its head
        elif (
            after
            and after.group(1) not in _TIME_WORDS
            and str(syntax.lexicon().get(after.group(1), "")).startswith(("NN", "JJ"))
        ):
            continue  # "the Darfur rebel movement", "Kyrgyz neighbourhoods": the name modifies a noun
        if _MODIFIES.match(text, end) or text.startswith(".", end) and words[0][:3] in _NOT_PLACE_WORDS:
            continue
        unit = " " in m.group("prep")  # "suburb of", "residents of": the unit noun, no name, stands before it
        if not unit and re.search(r"[A-Z][\w’'-]*[ \t]+$", text[max(0, m.start() - 30) : m.start()]):
            continue  # "Awareness to Save the Artibonite", "People in Arms": inside a longer name
        if headlines.holds(start):
            continue  # a headline in title case: every word is capitalised
        if (
            words[0] in _NOT_PLACE_WORDS
            or words[0] in NOT_PLACE
            or words[0] in adjectives
            or any(w in actor_words for w in words)
        ):
            continue
        if any(w.rstrip("s") in adjectives or w in adjectives or demonym(w) for w in words):
            continue  # "to Palestinians", "in the Uzbek town of": a people's name or adjective
        i = bisect.bisect_left(spans, (end, end))
        if any(a < end and start < b for a, b in spans[max(0, i - 8) : i]):
            continue
        out.append((start, end, m.group("prep").split()[0].lower()))
    return out


@lru_cache(maxsize=1)
def _adjectives() -> frozenset[str]:
    from annotator.services.suggestions.place_index import load_index

    return frozenset(load_index().get("adjectives", ()))


def find_places_after_prepositions(
    text: str, raw: Iterable[Suggestion], *, label: str = "LOCATION", type_attr: str | None = "place_type"
) -> list[Suggestion]:
    """LOCATION suggestions for ``find_after_prepositions``, given every suggestion found so far."""
    raw = list(raw)
    taken = [(s.label, s.start, s.end) for s in raw]
    attrs = {type_attr: "city/town"} if type_attr else {}
    found = [
        Suggestion(label=label, start=a, end=b, attrs=dict(attrs), source=SOURCE)
        for a, b, _prep in find_after_prepositions(text, taken, adjectives=_adjectives())
    ]
    # round 9: a dateline's place, and the later uses of the names found here
    return found + place_repeats.more_places(text, found, raw, label=label, type_attr=type_attr)
