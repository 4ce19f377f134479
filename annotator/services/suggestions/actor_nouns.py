"""ACTOR mentions that are no name in any list: descriptions, attribution mentions, untitled
persons, and later mentions of a person by surname.

- **Group nouns with their modifiers** ("government forces", "Anti-government forces",
  "Bangladeshi border and coast guards", "Fulani gunmen", "traditional hunters", "local
  residents"): a head noun from ``HEADS`` and the modifiers right before it (capitalised
  words, hyphenated words and the adjectives in ``MODIFIERS``, joined by "and"), without a
  determiner. Heads that name anybody (``NEEDS_MODIFIER``: residents, people, civilians,
  leaders, groups...) need a modifier; a figure before the phrase makes it a casualty's
  victims, not an actor.
- **Attribution mentions** ("a local official said", "the report said", "said the
  mayor", "according to the source"): the speaker noun with its modifiers, so a quote's
  speaker link has a target.
- **Untitled persons**: two to four capitalised words followed by an apposition (", a
  ...", ", the ...", ", who ...", ", one of ...") or after a role noun ("spokesman Stephane
  Dujarric", "administrator Donat Kibwana").
- **Surnames**: a person's last name alone elsewhere in the text ("Contreras said").

Each is a regex pass over the text with bounded look-behind windows: linear in its length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from annotator.services.suggestions.base import Suggestion, overlaps_nearby
from annotator.services.suggestions.persons import NOT_NAMES

SOURCE = "rules:actors"

HEADS = frozenset(
    """forces force troops soldiers gunmen militants insurgents rebels fighters assailants attackers jihadists terrorists
    extremists militiamen militia militias peacekeepers police policemen army authorities officials leaders residents
    mob mobs hunters guards volunteers groups group elders youths men officers agency government ministry military herders
    herdsmen vigilantes bandits junta separatists gangs occupiers perpetrators activists regime coalition governments
    experts administration movement nomads guerrillas marines investigators personnel organizations organisations
    """.split()
) | {"gang members", "gang-members", "cartel members"}
# heads that name anybody: only with a modifier ("local residents", "armed men"); victims
# ("civilians", "people", "villagers", "communities") are left to the CASUALTY figures
NEEDS_MODIFIER = frozenset(
    "leaders residents volunteers groups group elders youths men officers agency government ministry military force forces "
    "regime coalition governments experts administration movement nomads personnel organizations organisations".split()
)
RELIGIONS = frozenset("muslim christian buddhist hindu jewish sunni shia shiite catholic".split())
# a head followed by one of these modifies it ("police posts", "army spokesman", "mob violence")
_NOUN_AFTER = re.compile(
    r"[ \t]+(?:violence|posts?|stations?|bases?|sites?|camps?|positions?|headquarters|chiefs?|spokes(?:man|woman|person)|vehicles?|"
    r"attacks?|commanders?|leaders?|officials?|officers?|units?|operations?|patrols?|offensive|uniforms?|checkpoints?|"
    r"source|sources|members?|rule|control|raids?|barracks|convoys?|lines?|strongholds?|territory|pressure|crackdown|"
    r"official|ministers?|fighters?|groups?|forces?|coalition|activity|activities)(?![\w-])"
    r"|[ \t]+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|on|in|at)\b)[A-Z][a-z]"
)
# a speaker noun that is one person ("the official said", then "he said")
_PERSON_NOUN = re.compile(
    r"(?:man|woman|mother|father|brother|sister|son|daughter|wife|husband|uncle|aunt|neighbou?r|villager|student|worker|"
    r"journalist|activist|lawyer|priest|pastor|imam|cousin|relative|survivor|resident|farmer|doctor|nurse|teacher|elder|witness|spokes\w+|mayor|"
    r"governor|administrator|commander|minister|chief|leader|official|source)$",
    re.IGNORECASE,
)
_COLLECTIVE_BEFORE = re.compile(
    r"(?<![\w-])(?P<noun>(?:group|coalition|band|gang|crowds?|unit|contingent)s?)\s+of\s+$", re.IGNORECASE
)
# "accuse the military of ...", "Ethiopia’s government.": the institution itself, no modifier needed
_BARE_INSTITUTION = re.compile(
    r"(?i:military|government|army|coalition|regime|junta)(?=\s*[.,;:)]|\s+(?:of|said|says|and|to|which|that|who|denied|"
    r"accused|launched|claimed|blamed|announced|confirmed|rejected|responded|insisted|has|have|had|was|were|will|"
    r"would|continued|continues|fired|shelled|attacked|killed|arrested|deployed|carried|began|said|takes|denies|"
    r"(?:[a-z]+ly\s+)?[a-z]{3,}ed)\b)"
)
_BARE_OF_BEFORE = re.compile(r"[a-z]+\s+of\s+$")
_NAME_AFTER = re.compile(r",?[ \t]+[A-Z]")
_SENTENCE_START = re.compile(r"(?:^|[.!?\n\"“”(]\s*)$")
_DEMONYM = re.compile(r"^[A-Z][a-z’'-]*(?:an|ese|ish|i|ic)$")
MODIFIERS = frozenset(
    """armed government anti-government pro-government opposition rebel security local rival traditional military police
    border coast civilian community senior state federal national regional district religious ethnic islamist jihadist
    militia self-defence self-defense vigilante tribal civil rights human humanitarian aid international foreign news
    joint task defence defense elite special presidential allied unidentified unknown masked suspected youth army air
    naval navy interim transitional village camp refugee displaced christian muslim buddhist hindu paramilitary
    militant regime medical intelligence""".split()
)
SPEAKERS = (
    r"group|organi[sz]ation|agency|report|statement|officials?|spokes(?:man|woman|person)|sources?|witness(?:es)?|"
    r"mayor|governor|administrator|commander|minister|ministry|government|army|military|police|mission|cousin|"
    r"relative|survivor|resident|woman|man|mother|father|brother|sister|son|daughter|wife|husband|uncle|aunt|neighbou?r|"
    r"villager|student|worker|journalist|activist|lawyer|priest|pastor|imam|farmer|doctor|nurse|teacher|elder|leader|chief|official|"
    r"officer"
)
_DET = r"(?:the|a|an|one|another|a\s+senior|the\s+senior)"
_MOD_WORD = r"(?:[A-Z][\w’'-]*|[a-z]+(?:-[a-z]+)*|\d+-year-old)"
_ATTRIBUTION_BEFORE = re.compile(
    rf"(?<![\w-]){_DET}[ \t]+(?P<np>(?:{_MOD_WORD}[ \t]+){{0,4}}?(?:{SPEAKERS}))(?:\s+(?:in|from|at|of)\s+(?:the\s+)?(?:[\w’'-]+\s+){{0,7}}?[\w’'-]+)?"
    r"(?:\s*,\s+who\s+[^,.;!?“”\"]{1,60},)?\s*,?\s+(?:also\s+)?(?:said|says|told|added|reported|confirmed|stated|explained|warned|"
    r"spoke|speaking|declined|requested|asked|insisted|denied)(?![\w-])",
    re.IGNORECASE,
)
_ATTRIBUTION_AFTER = re.compile(
    rf"(?<![\w-])(?:said|says|told|added|according\s+to)\s+{_DET}[ \t]+(?P<np>(?:{_MOD_WORD}[ \t]+){{0,4}}?(?:{SPEAKERS}))(?![\w-])",
    re.IGNORECASE,
)
# a thing after a speaker noun makes it an adjective ("an official notice", "the government report")
THING_AFTER = re.compile(
    r"[ \t]+(?:notice|statement|report|document|letter|figures?|toll|count|list|website|account|channel|media|visit|"
    r"trip|data|tally|estimate|records?|communiqu[eé]|announcement|bulletin|letterhead|[a-z]+(?:tion|ment|ance|ence))\b"
)
_HEAD_RE = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(HEADS, key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([\w’'.-]+)(\s+)$")
_NUMBER = re.compile(
    r"^(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|millions?|scores?|several|some|many|few|more|other)$",
    re.IGNORECASE,
)
_NAME_WORD = r"[A-Z][a-z’']+(?:-[A-Z]?[a-z’']+)*"
_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:de|da|du|van|von|al|el|bin|ibn)\s+)?{_NAME_WORD}){{1,3}}"
_APPOSITION = re.compile(
    rf"(?<![\w’'-])(?P<name>{_NAME}),\s+(?:a|an|the|who|one\s+of|another|president|head|chief|administrator|director|spokes(?:man|woman|person)|mayor|governor|leader|member)\b"
)
_ROLES = (
    r"spokes(?:man|woman|person)|official|administrator|commander|envoy|coordinator|director|chief|leader|mayor|"
    r"governor|president|minister|farmer|resident|survivor|elder|head"
)
# "UN Spokesman Stephane Dujarric", "local resident Alex Josue"
_ROLE_BEFORE = re.compile(rf"(?<![\w-])(?i:{_ROLES})\s+(?P<name>{_NAME})(?![\w’'-])")
# "the governor of the Centre-Nord region, Casimir Segueda, said": the name after its role
_ROLE_COMMA_NAME = re.compile(
    rf"(?<![\w-])(?:{_ROLES})s?(?:\s+(?:of|for|in|at)\s+[^,.;“”\"\n]{{1,60}}?)?,\s+(?P<name>{_NAME})(?=\s*,|\s+(?:said|says|told|added))"
)
# "Joana Martins of Anonymous Volunteers of Mozambique": a name, then the body the person is from
_NAME_OF_BODY = re.compile(rf"(?<![\w’'.-])(?P<name>{_NAME})\s+of\s+(?:the\s+)?[A-Z][\w’'-]+")
# named bodies no list has: "Ministry of Defense", "Government of National Accord", "Ombudsman's Office"
_INSTITUTION = re.compile(
    r"(?<![\w-])(?:(?:Ministry|Government|Department|Commission|Council)\s+of\s+(?:the\s+)?"
    r"[A-Z][\w’'-]+(?:\s+(?:and\s+|of\s+|for\s+)?[A-Z][\w’'-]+){0,3}"
    r"|[A-Z][\w-]+(?:['’]s)?\s+Office)(?![\w-])"
)
# "Ammar Hekmat, the deputy governor of ..., confirmed": an apposition to a name is not tagged
_NAME_COMMA_BEFORE = re.compile(r"(?:^|[.!?]\s+|\n\s*|,\s+)(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3}),\s*$")
_NOT_PERSON_WORDS = NOT_NAMES | frozenset(
    "State County Region Province Territory District Camp Village Town City Army Forces Agency News Mission Nations "
    "University Bank Institute Department Democratic Republic Kingdom Lake".split()
)
# a named victim after a name: "A B, 40, was shot", "A B was fatally wounded" (counted by its casualty figure)
HARM_AFTER = re.compile(
    r"(?:,[ \t]+\d{1,3})?,?\s+(?:was|were|had\s+been|has\s+been)\s+(?:\w+\s+)?(?:killed|shot|wounded|injured|hit|"
    r"murdered|stabbed|beheaded|martyred|fatally)\b"
)


def _suggest(label: str, start: int, end: int, attrs: dict[str, Any]) -> Suggestion:
    return Suggestion(label=label, start=start, end=end, attrs=dict(attrs), source=SOURCE)


def _modifiers_before(text: str, head_start: int, window: int = 80) -> int:
    """Where the modifiers of the head at ``head_start`` begin (``head_start`` if none)."""
    start = head_start
    lo = max(0, head_start - window)
    pending_and: int | None = None
    while start > lo:
        m = _WORD_BEFORE.search(text, lo, start)
        if m is None or "\n" in m.group(2):
            break
        word = m.group(1)
        plain = word.strip(".’'")
        if plain.lower() == "and" and pending_and is None and start != head_start:
            pending_and = start
            start = m.start(1)
            continue
        capitalised = plain[:1].isupper() and plain not in NOT_NAMES and plain.isalpha() and not word.endswith(".")
        if (
            capitalised
            and plain.lower() not in MODIFIERS
            and _SENTENCE_START.search(text, max(0, m.start(1) - 3), m.start(1))
        ):
            capitalised = bool(_DEMONYM.match(plain))  # "Entire", "Several" start a sentence; "Fulani" may too
        is_modifier = (
            plain.lower() in MODIFIERS
            or capitalised
            or (
                "-" in plain
                and plain.replace("-", "").isalpha()
                and plain.split("-")[0].lower() in {"anti", "pro", "self", "non"}
            )
        )
        if not is_modifier:
            break
        start = m.start(1)
        pending_and = None
    if pending_and is not None:  # a trailing "and" with nothing before it
        start = pending_and
        while start < head_start and text[start].isspace():
            start += 1
    return start


def find_group_nouns(
    text: str, taken: Iterable[Suggestion] = (), *, label: str = "ACTOR", type_attr: str | None = "actor_type"
) -> list[Suggestion]:
    """Group-noun phrases whose head is in no ACTOR already found (other rules shaped those)."""
    spans = sorted((s.start, s.end) for s in taken if s.label == label)
    out = []
    for m in _HEAD_RE.finditer(text):
        head = m.group()
        if head[:1].isupper() and head.lower() in NEEDS_MODIFIER:
            continue  # "Army", "Government" in a name other sources handle
        start = _modifiers_before(text, m.start())
        if start == m.start() and head.lower() in NEEDS_MODIFIER and not _bare_institution(text, m.start()):
            continue
        if _NOUN_AFTER.match(text, m.end()) or head.lower() in {"group", "agency"} and _NAME_AFTER.match(text, m.end()):
            continue  # "police posts"; "rights group, Human Rights Watch" (the name is the actor)
        modifiers = [w.lower() for w in text[start : m.start()].split()]
        if (
            head.lower() in NEEDS_MODIFIER - {"government", "ministry", "military"}
            and any(w in RELIGIONS for w in modifiers)
            and all(w in RELIGIONS or w in {"and", "local", "entire"} for w in modifiers)
        ):
            continue  # "Muslim residents", "Christian groups": communities as victims
        before = _WORD_BEFORE.search(text, max(0, start - 30), start)
        if before is not None and _NUMBER.match(before.group(1).strip(".,")):
            continue  # "two Indian peacekeepers were killed": a figure's victims
        if before is not None and re.fullmatch(r"[a-z]+", before.group(1)) and start == m.start():
            two = _WORD_BEFORE.search(text, max(0, before.start(1) - 30), before.start(1))
            if two is not None and _NUMBER.match(two.group(1).strip(".,")) and re.match(r"\d|[a-z]", two.group(1)):
                continue  # "two customs officials": a count with a noun before the head
        words = text[start : m.end()].split()
        if words[0].lower() == "and":
            continue
        collective = _COLLECTIVE_BEFORE.search(text, max(0, start - 30), start)
        if collective:  # "group of armed men": one phrase
            start = collective.start("noun")
        elif head.lower() in NEEDS_MODIFIER and _BARE_OF_BEFORE.search(text, max(0, start - 30), start):
            continue  # "the support of religious leaders": a generic plural, nobody in particular
        if overlaps_nearby(spans, m.start(), m.end()):
            continue  # the head is in a name or phrase found already
        if any(b in (start - 1, start) for _a, b in spans):
            continue  # "the Ombudsman's Office rights group": the name is the actor
        attrs = {type_attr: _type_of(head.lower(), text[start : m.end()])} if type_attr else {}
        out.append(_suggest(label, start, m.end(), attrs))
    return out


def _bare_institution(text: str, start: int) -> bool:
    return bool(
        re.search(r"(?:\bthe|['’]s)\s+$", text[max(0, start - 6) : start]) and _BARE_INSTITUTION.match(text, start)
    )


def _type_of(head: str, phrase: str) -> str:
    low = phrase.lower()
    if head in {"peacekeepers"}:
        return "international force"
    if (
        head in {"police", "policemen", "army", "troops", "soldiers", "guards", "military"}
        or "security" in low
        or "government" in low
        and "anti" not in low
    ):
        return "state force"
    if head in {"militia", "militias", "militiamen", "hunters", "vigilantes", "mob", "mobs"}:
        return "militia"
    if head in {"authorities", "officials", "government", "ministry"}:
        return "government"
    if head in {
        "residents",
        "villagers",
        "people",
        "civilians",
        "community",
        "communities",
        "leaders",
        "elders",
        "volunteers",
        "herders",
        "herdsmen",
    }:
        return "community"
    if head in {"agency", "groups", "group"} and (
        "rights" in low or "aid" in low or "news" in low or "humanitarian" in low
    ):
        return "NGO"
    return "armed group"


def find_attribution_mentions(
    text: str, *, label: str = "ACTOR", type_attr: str | None = "actor_type"
) -> list[Suggestion]:
    out = []
    for pattern in (_ATTRIBUTION_BEFORE, _ATTRIBUTION_AFTER):
        for m in pattern.finditer(text):
            start, end = m.start("np"), m.end("np")
            if pattern is _ATTRIBUTION_AFTER and text.startswith(" of ", end):
                continue  # "said a group of armed men": the group-noun rule has the phrase
            if THING_AFTER.match(text, end):
                continue  # "said an official notice": the noun is an adjective there
            if re.search(r"(?:group|agency|organi[sz]ation)$", text[start:end], re.IGNORECASE) and _NAME_AFTER.match(
                text, end
            ):
                continue  # "told the news agency Reuters": the name is the actor
            name = _NAME_COMMA_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if (
                pattern is _ATTRIBUTION_BEFORE
                and name
                and "," in text[end : m.end()]
                and not any(w in NOT_NAMES for w in name.group("name").split())
            ):
                continue  # "Birhanu, a farmer, said": the name is the speaker, its apposition no actor
            attrs = (
                {type_attr: "person" if _PERSON_NOUN.search(text, start, end) else "government"} if type_attr else {}
            )
            out.append(_suggest(label, start, end, attrs))
    return out


def find_untitled_persons(
    text: str, taken: Iterable[Suggestion] = (), *, label: str = "ACTOR", type_attr: str | None = "actor_type"
) -> list[Suggestion]:
    """Names shown to be persons by an apposition or a role noun before them."""
    spans = sorted((s.start, s.end) for s in taken)
    out = []
    for pattern in (_APPOSITION, _ROLE_BEFORE, _ROLE_COMMA_NAME, _NAME_OF_BODY):
        for m in pattern.finditer(text):
            start, end = m.start("name"), m.end("name")
            words = text[start:end].split()
            if any(w.strip("’'") in _NOT_PERSON_WORDS for w in words):
                continue
            if overlaps_nearby(spans, start, end):
                continue
            spans = sorted([*spans, (start, end)])
            out.append(_suggest(label, start, end, {type_attr: "person"} if type_attr else {}))
    return out


def find_institutions(
    text: str, taken: Iterable[Suggestion] = (), *, label: str = "ACTOR", type_attr: str | None = "actor_type"
) -> list[Suggestion]:
    """Named bodies no list has ("Ministry of Defense", "Ombudsman's Office"), where nothing else is."""
    spans = sorted((s.start, s.end) for s in taken if s.label == label)
    out = []
    for m in _INSTITUTION.finditer(text):
        if not overlaps_nearby(spans, m.start(), m.end()):
            out.append(_suggest(label, m.start(), m.end(), {type_attr: "government"} if type_attr else {}))
    return out


def find_surnames(
    text: str, persons: Iterable[Suggestion], taken: Iterable[Suggestion] = (), *, label: str = "ACTOR"
) -> list[Suggestion]:
    """A person's last name alone elsewhere in the text, with the person's attributes."""
    surnames: dict[str, dict[str, Any]] = {}
    for s in persons:
        words = text[s.start : s.end].split()
        if len(words) >= 2 and words[-1][:1].isupper() and len(words[-1]) > 2 and words[-1] not in NOT_NAMES:
            surnames.setdefault(words[-1], dict(s.attrs))
    if not surnames:
        return []
    spans = sorted((s.start, s.end) for s in [*taken, *persons])
    pattern = re.compile(
        r"(?<![\w’'-])(?:" + "|".join(re.escape(n) for n in sorted(surnames, key=len, reverse=True)) + r")(?![\w-])"
    )
    out = []
    for m in pattern.finditer(text):
        if overlaps_nearby(spans, m.start(), m.end()) or HARM_AFTER.match(text, m.end()):
            continue  # "Abu Salah was killed": a named victim, counted by its casualty figure
        out.append(_suggest(label, m.start(), m.end(), surnames[m.group()]))
    return out
