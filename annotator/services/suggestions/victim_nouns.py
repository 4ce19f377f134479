"""Person nouns as classes, not lists: who a casualty figure may count (issue 12, round 8).

Rounds 6-7 listed the person nouns they had met ("policeman", "soldiers"); the next text brought their neighbours
("militiamen", "Palestinian", "his uncle"). A word is a person noun here when it belongs to one of three classes:

- **a demonym or people's name** built from the place data the suggestions already have (``place_index``: the country
  names of GeoNames and pycountry, the demonyms of ``countryinfo``) and the communities of the gazetteer's actors
  ("Tutsi", "Yazidis"), plus a suffix rule for the ones no package
  spells: a capitalised word in -an/-ian/-ese/-i/-ish whose stem begins a known country or region ("Timorese" from
  "Timor"), or the stem of a "-stan" country ("Uzbek", "Kazakh"). Singular or plural ("Palestinians", "Uzbeks");
- **a person noun by its morphology**: -man/-men, -ist, -ian, -ee, and -er/-or agent nouns whose stem is a verb by
  the tagger's lexicon ("settler" from "settled", "survivor" from "surviving"), checked against a stop list of
  things ("border", "number", "generator");
- **a short closed list** of kin and role nouns ("mother", "uncle", "neighbours", "colleague"), with compounds
  ending in one ("schoolgirl", "grandmother").
"""

from __future__ import annotations

import re
from functools import lru_cache

from annotator.services.suggestions import syntax

# kin and social roles: a closed class of English, not the words of one text
KIN_AND_ROLES = frozenset(
    """mother father son daughter brother sister uncle aunt nephew niece cousin wife husband child children baby babies
    grandmother grandfather grandson granddaughter grandchild grandchildren grandparent parent parents relative relatives
    neighbour neighbor friend colleague fiance fiancee sibling siblings boyfriend girlfriend widow widower orphan
    toddler infant teenager youth youths girl boy woman women man men person people guy lady gentleman kid kids
    spouse stepson stepdaughter stepfather stepmother brother-in-law sister-in-law son-in-law daughter-in-law
    family-member classmate companion comrade compatriot cop cops troops forces personnel staff crew patient tenant
    occupant participant inhabitant resident immigrant emigrant migrant servant merchant passenger pedestrian
    hostage captive prisoner detainee inmate pilgrim worshipper tourist visitor agent nun combatant veteran convict
    pilot shepherd nomad local native newborn adolescent male female couple twin""".split()
)
# the heads of compounds that are people: "schoolgirl", "grandmother", "bodyguard", "schoolchild"
_TAILS = ("girl", "boy", "woman", "mother", "father", "guard", "child")
_IRREGULAR_PLURALS = {"children": "child", "women": "woman", "men": "man", "people": "person", "babies": "baby"}
# words with a person suffix that name no person
_NOT_PEOPLE = frozenset(
    """border number order matter water paper letter corner quarter chamber member december november october september
    september summer winter power tower flower shower layer lower counter poster filter heater sweater computer printer
    container generator reactor elevator indicator detector transmitter launcher trailer tanker trawler sticker marker
    charger cutter folder holder cylinder powder thunder wonder disorder manner banner dinner answer barrier premier
    reminder recorder burner washer dryer roller scanner timer starter opener boiler cooler freezer converter adapter
    transformer controller pointer wrapper stapler eraser lighter thriller grinder blocker tracker booster router
    server scooter roster holster cover over under after other never ever rather either whether together however
    monitor motor sector factor tractor vector mirror error terror horror anchor harbour harbor honour honor labour
    favour colour rumour humour vapour armour flavour behaviour neighbourhood corridor floor door indoor outdoor
    meter metre litre liter theatre theater centre center register chapter minister sinister semester trimester
    mortar carrier barrier courier fighter bomber cruiser destroyer transporter helicopter character
    list mist fist wrist twist exist assist resist insist persist consist schist
    committee guarantee jubilee jamboree pedigree dungaree marquee chimpanzee spree coffee toffee settee decree degree
    abdomen specimen regimen acumen stamen semen ramen lumen albumen hymen cyclamen dolmen omen talisman caiman ottoman
    median meridian ocean plan span safeguard rearguard""".split()
)
_SUFFIX_PEOPLE = re.compile(r"[a-z]{2,}(?:s?man|s?men|ist|ists|ian|ians|ee|ees|eer|eers)")
_AGENT = re.compile(r"(?P<stem>[a-z]{3,}?)(?:er|or)s?")


def _verb_stem(stem: str) -> bool:
    """ "settl" (settled), "driv" (driving), "kidnapp" (kidnapped): the stem of a verb the tagger's lexicon knows."""
    lexicon = syntax.lexicon()
    for form in (stem + "ed", stem + "ing", stem + "d", stem + "es", stem):
        if lexicon.get(form, "").startswith("VB"):
            return True
    return False


@lru_cache(maxsize=4096)
def by_morphology(lower: str) -> bool:
    """A lower-case noun shaped like a person noun: "tribesman", "activists", "civilians", "detainee", "settlers"."""
    if lower in _NOT_PEOPLE or lower.rstrip("s") in _NOT_PEOPLE or len(lower) < 5:
        return False
    if _SUFFIX_PEOPLE.fullmatch(lower):
        return True
    agent = _AGENT.fullmatch(lower)
    return agent is not None and _verb_stem(agent.group("stem"))


def kin_or_role(lower: str) -> bool:
    """ "uncle", "neighbours", "schoolgirls", "grandmother": a kin or role noun, or a compound ending in one."""
    if lower in KIN_AND_ROLES:
        return True
    single = _IRREGULAR_PLURALS.get(lower) or (lower[:-1] if lower.endswith("s") else lower)
    if single in _NOT_PEOPLE:
        return False
    if single in KIN_AND_ROLES:
        return True
    return any(single.endswith(tail) and len(single) > len(tail) + 3 for tail in _TAILS) or lower.endswith(
        ("children", "people", "folk")
    )


@lru_cache(maxsize=1)
def _place_words() -> tuple[frozenset[str], dict[str, tuple[str, ...]], frozenset[str]]:
    """(demonyms of the place index, the words of country names for the suffix rule by their first three letters,
    one-word country names)."""
    try:
        from annotator.services.suggestions.place_index import load_index

        index = load_index()
    except (ImportError, OSError, ValueError):  # no place index: no demonyms, the other classes still work
        return frozenset(), {}, frozenset()
    demonyms = {name for name in index.get("adjectives", ()) if " " not in name}
    stems: set[str] = set()
    for name in index.get("countries", {}):
        for word in re.findall(r"[A-Z][a-z]{3,}", name):
            stems.add(word)
            if word.endswith("stan") and len(word) > 7:
                demonyms.add(word[: -5 if word.endswith("istan") else -4])  # "Uzbek", "Kazakh", "Tajik"
    countries = frozenset(name for name in index.get("countries", {}) if " " not in name) - demonyms
    by_prefix: dict[str, list[str]] = {}
    for stem in sorted(stems):
        by_prefix.setdefault(stem[:3], []).append(stem)
    return frozenset(demonyms - countries), {k: tuple(v) for k, v in by_prefix.items()}, countries


@lru_cache(maxsize=1)
def _communities() -> frozenset[str]:
    """One-word names of the communities the default gazetteer lists as ACTORs ("Tutsi", "Yazidis", "Kurds"), with
    their plurals: a people's name no country gives."""
    from annotator.errors import UserError
    from annotator.services.suggestions.gazetteer import default_gazetteer_path, read_config

    try:
        path = default_gazetteer_path()
        config = read_config(path)
        entries = list(config.entry) + [e for other in config.include for e in read_config(path.parent / other).entry]
    except UserError:
        return frozenset()
    names = {
        name
        for entry in entries
        if entry.attrs.get("actor_type") == "community"
        for name in entry.names
        if re.fullmatch(r"[A-Z][a-z]{2,}", name)
    }
    plurals = {name + "s" for name in names if not name.endswith("s")}
    singulars = {name[:-1] for name in names if name.endswith("s") and not name.endswith("ss") and len(name) > 4}
    return frozenset(names | plurals | singulars)


_DEMONYM_SHAPE = re.compile(r"(?P<stem>[A-Z][a-z]{2,}?)(?:ian|an|ese|i|ish)")


@lru_cache(maxsize=4096)
def demonym(word: str) -> bool:
    """ "Palestinian", "Israelis", "Uzbeks", "Timorese": a people's name, singular or plural."""
    if not word[:1].isupper() or not word[1:].islower():
        return False
    demonyms, stems, countries = _place_words()
    if word in countries:
        return False  # a place's own name ("Mali"), not its people
    single = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    if single in demonyms or word in demonyms or word in _communities():
        return True
    m = _DEMONYM_SHAPE.fullmatch(single)
    if m is None:
        return False
    stem = m.group("stem")
    return any(place.startswith(stem) and len(place) - len(stem) <= 3 for place in stems.get(stem[:3], ()))


def is_person_noun(word: str, tag: str | None = None) -> bool:
    """A person noun by class: a demonym, a kin or role noun, or (when the tagger calls it a noun, or no tag is
    given) a noun with a person suffix."""
    lower = word.lower()
    if word[:1].isupper() and demonym(word):
        return True
    if kin_or_role(lower):
        return True
    if tag is not None and tag not in {"NN", "NNS"}:
        return False
    return word.islower() and by_morphology(lower)


def _plural(lower: str) -> bool:
    return lower.endswith(("s", "men", "ese")) and not lower.endswith("ss") or lower in {"people", "children", "police"}


def person_noun(word: str, *, plural: bool, tag: str | None = None) -> bool:
    """``is_person_noun`` in the number asked for: "militiamen", "Uzbeks" (plural); "uncle", "Palestinian"
    (singular). A demonym in -ese is both."""
    if not is_person_noun(word, tag):
        return False
    lower = word.lower()
    return _plural(lower) if plural else (not _plural(lower) or lower.endswith("ese"))
