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

import re
from collections.abc import Iterable
from functools import lru_cache

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
    r"(?:North|South|East|West|Northern|Southern|Eastern|Western|Upper|Lower|North-?[Ee]ast|North-?[Ww]est|"
    r"South-?[Ee]ast|South-?[Ww]est)"
)
_COMPASS_NAME = re.compile(rf"(?<![\w’'.-])(?P<name>{COMPASS}[ \t]+(?P<word>[A-Z][a-z]{{3,}}))(?![\w’'-])")
# words of place names that name no place of their own after a compass word ("Western Union", "North Star")
_NOT_REGION_WORDS = frozenset(
    """Union Bank Star Side Pole Korea Sea Coast Wind Gate Street Road Avenue Hills Park Station Field University
    College School Church Army Front Command Division Regiment Brigade District Province Region County State""".split()
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
    return re.compile(r"(?<![\w’'.-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w’'-]|\.\w)")


def find_country_aliases(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, name, "country") for each alias in ``text``; not inside a longer capitalised name."""
    out = []
    for m in _alias_pattern().finditer(text):
        if m.group().replace(".", "").isupper() and _NOUN_AFTER.match(text, m.end()):
            continue  # "the US embassy", "U.S. Defence Secretary": the country's, a modifier
        if _NAME_AFTER.match(text, m.end()) and not m.group().isupper():
            continue  # "America Movil", "Palestine Liberation Organization": a longer name
        if re.search(r"[A-Z][\w’'-]*[ \t]+$", text[max(0, m.start() - 30) : m.start()]) and not m.group().isupper():
            continue  # "Radio Free America": the end of a longer name
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


def find_compass_regions(text: str, known: frozenset[str]) -> list[tuple[int, int, str, str]]:
    """(start, end, name, "region") for "West Timor", "South Ossetia": a compass word and a word of a known place."""
    out = []
    for m in _COMPASS_NAME.finditer(text):
        word = m.group("word")
        if word in _NOT_REGION_WORDS or word not in known or word.endswith(("ese", "ian", "ans", "ish")):
            continue
        if _NAME_AFTER.match(text, m.end()):
            continue  # "South Sudan People's Defence Forces", "North Ossetia University": a longer name
        out.append((m.start("name"), m.end("name"), m.group("name"), "region"))
    return out
