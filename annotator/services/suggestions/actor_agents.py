"""ACTOR noun phrases found by their shape, not by their wording (issue 12, round 7).

A word list of group nouns misses the next text's "hospital workers", "Maoists", "drug
traffickers" or "Ingush colleagues"; and a bare "villagers" is sometimes an actor ("villagers
said", "Shaken villagers who fled ...") and sometimes a victim ("villagers were killed").
The tagger and chunker of ``syntax`` give the shape that tells them apart:

- **Who acts**: a noun phrase that is the subject of an active verb (the verb chunk right
  after it, or after a parenthetical ", ... ,", or after "who"), or the source after
  "according to", whose head names people or a body: an agent noun ("-ers", "-ists", "-ants",
  "-ians", "-men": villagers, insurgents, Maoists, Papuans, gunmen), a capitalised plural
  (an ethnonym: "Serbs"), or one of ``PEOPLE`` (residents, witnesses, police, troops...).
  A passive verb ("were killed", "had been taken") or a verb of dying makes the phrase a
  victim, not an actor. Each phrase of a list ("Villagers and hospital workers") is one
  actor. The span is the head with the modifiers that say which group it is ("hospital
  workers", "Russian news agencies"); determiners, figures and words of number or state
  ("Other", "Many", "Dazed") are left out, as the guidelines' examples leave them.
- **Institutions by their noun**: "the governor's office", "the governorate", "his
  government", "the agency", subject of a verb, as above.

Everything here is skipped where another rule already found an ACTOR or a place; victims
inside a casualty figure are dropped afterwards by the engine. One pass over the chunks:
linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from annotator.services.suggestions import syntax
from annotator.services.suggestions.base import Suggestion, overlaps_nearby

SOURCE = "rules:actors"

# plural heads that always name people or a body of people
PEOPLE = frozenset(
    """residents witnesses survivors police troops forces authorities officials militants rebels gunmen soldiers
    guards militias militiamen insurgents guerrillas fighters assailants attackers jihadists terrorists extremists
    activists analysts colleagues allies individuals parties agencies sources media newspapers leaders elders
    men women crowds gangs mobs bandits vigilantes herders herdsmen nomads separatists marauders raiders
    kidnappers abductors captors pirates smugglers traffickers personnel reinforcements volunteers authorities
    diplomats donors investigators prosecutors monitors observers delegates lawmakers legislators ministers
    """.split()
)
# agent-shaped plurals that are no people
NOT_PEOPLE = frozenset(
    """numbers others orders papers matters borders waters centers centres quarters headquarters letters powers corners
    layers members chambers shelters barriers containers computers headlines plans meters metres kilometers kilometres
    liters litres dollars towers rivers hours minutes years months weeks days tanks grenades rockets mortars ants
    actors parents children victims civilians patients refugees migrants hostages bodies casualties dead wounded injured
    prisoners detainees captives passengers pilgrims worshippers people airstrikes helicopters trawlers tankers""".split()
)
# heads that name anybody: only with a modifier that says which ("unknown individuals", "Hooded men"); words of
# age ("youths", "boys") name no party at all (dev tags none: "killed three local youths")
NEEDS_MODIFIER = frozenset("individuals men women groups families crowds".split())
_AGENT_SHAPE = re.compile(r"(?:[a-z]{3,}(?:er|or|ist|ant|ian|an|ee)s|[a-z]*men)$")
# singular institutions, with "the" or a possessive before them
INSTITUTIONS = frozenset(
    """government governorate office agency ministry military army police administration commission council committee
    municipality prefecture presidency junta regime""".split()
)
# one person by the part played, a subject with "a", "the", "one" ("The bomber detonated", "one villager who had seen")
ONE_PERSON = frozenset(
    """bomber attacker assailant gunman militant rebel insurgent sniper fighter villager resident survivor witness
    governor mayor commander prosecutor ombudsman""".split()
)
# outlets by their kind, with a word that says which ("Government radio reported", "Chad's national television")
MEDIA = frozenset("radio television tv broadcaster newspaper daily media".split())
_RELIGION = re.compile(
    r"(?:Muslim|Christian|Buddhist|Hindu|Jew|Jewish|Sunni|Shia|Shiite|Catholic|Protestant|Orthodox|Sikh|Baptist|"
    r"Evangelist|Evangelical|Pentecostal|Animist|Anglican|Methodist|Lutheran)s?$"
)
_ONE = frozenset("a an the one another".split())
_DETERMINERS = frozenset("the his her its their our this that these those".split())
# words of number or state before a head: no part of the group's name
_NOT_MODIFIERS = frozenset(
    """other others many several some most all few more numerous various both such any each every about around nearly
    almost roughly up to least at over only dazed shaken terrified frightened fleeing grieving angry remaining
    first last same own""".split()
)
_BE = frozenset("is are was were be been being 's get got gets getting".split())
# the verbs of victims: dying, fleeing, staying behind, hiding ("residents fled", "many people remained behind")
_VICTIM_VERB = re.compile(
    r"(?:die[ds]?|dying|perish\w*|drown\w*|starv\w*|suffer\w*|surrender\w*|fle[de]s?|fleeing|remain\w*|hid|hid(?:e|es|ing)|"
    r"sought|seek\w*|shelter\w*|stay\w*|lost|lose|went\s+missing)$",
    re.IGNORECASE,
)
_DYING = re.compile(r"(?:die[ds]|perish\w*|drown\w*)$", re.IGNORECASE)
# a participle right after the noun that makes it a victim ("the people killed", "70 policemen stationed")
_PASSIVE_PARTICIPLE = re.compile(
    r"(?:killed|wounded|injured|hurt|taken|abducted|kidnapped|displaced|trapped|held|stationed|arrested|detained|"
    r"slain|massacred|executed|beheaded|shot|captured|rescued|evacuated|deployed|sent|trained|employed|hidden|linked|"
    r"disguised|armed|based)$",
    re.IGNORECASE,
)
# the word before a subject: no verb ("There were 70 policemen", "We have eye witnesses") and no preposition
_NOT_BEFORE_SUBJECT = frozenset(
    "of in on at by with for from into among between against like than including as to".split()
)
_QUANTITY_BEFORE = frozenset("about around to than nearly over some roughly approximately almost least up".split())
_SAYS = re.compile(
    r"(?:said|says|added|reported|claimed|stated|warned|insisted|announced|believed?|believes|feared?|fears|thinks?|"
    r"thought|knew|know|added)$"
)
_PLACE_PREPOSITIONS = frozenset("in from on at near across".split())
_OWN_SIDE = frozenset("our my your we".split())
_VERB_TAGS = frozenset("VB VBD VBG VBN VBP VBZ MD".split())
_MAX_PARENTHETICAL = 10  # tokens in ", relating gruesome details of the slaughter,"


def _suggest(label: str, start: int, end: int, attrs: dict[str, Any]) -> Suggestion:
    return Suggestion(label=label, start=start, end=end, attrs=dict(attrs), source=SOURCE)


def _verb_chunk(parsed: syntax.Parsed, chunk_index: int) -> syntax.Chunk | None:
    """The verb chunk that starts right after token ``chunk_index``'s chunk (an adverb between may stand)."""
    chunks = parsed.chunks
    if chunk_index + 1 >= len(chunks):
        return None
    following = chunks[chunk_index + 1]
    if following.first != chunks[chunk_index].last + 1:
        return None
    if following.kind == "ADVP" and chunk_index + 2 < len(chunks):
        after = chunks[chunk_index + 2]
        following = after if after.first == following.last + 1 else following
    return following if following.kind == "VP" else None


def _active(parsed: syntax.Parsed, verb: syntax.Chunk) -> bool:
    """An active verb of doing or saying: no "were killed", "had been taken", "died"."""
    words = parsed.tokens[verb.first : verb.last + 1]
    seen_be = False
    for token in words:
        if token.text.lower() in _BE:
            seen_be = True
        elif seen_be and token.tag in {"VBN", "VBD"}:
            return False
    main = next((t for t in reversed(words) if t.tag in _VERB_TAGS), None)
    if main is None or _VICTIM_VERB.match(main.text) or main.text.lower() in _BE | {"am", "become", "became"}:
        return False  # a copula describes ("Muslims are a majority", "the soldiers were on patrol"), it does not act
    if words[0].tag in {"VBN", "VBD"} and _PASSIVE_PARTICIPLE.match(words[0].text) and len(words) == 1:
        # "the people killed]" is a victim; "a bomber killed 27 people" has an object after the verb
        after = verb.last + 1
        return after < len(parsed.tokens) and parsed.tokens[after].phrase == "NP"
    return True


def passive_subject(parsed: syntax.Parsed, index: int) -> bool:
    """The noun chunk at ``index`` is the subject of a passive verb of harm or of a verb of victims ("were
    killed", "had been taken", "died"); "were seen fleeing", "killed 16 of the assailants" are no such verb."""
    verb = _verb_chunk(parsed, index)
    if verb is None:
        return False
    words = parsed.tokens[verb.first : verb.last + 1]
    main = next((t for t in reversed(words) if t.tag in _VERB_TAGS), None)
    if main is None:
        return False
    if _DYING.match(main.text):
        return True
    passive = any(t.text.lower() in _BE for t in words[:-1]) and main.tag in {"VBN", "VBD"}
    return passive and _PASSIVE_PARTICIPLE.match(main.text) is not None


def subject_verb(parsed: syntax.Parsed, index: int) -> syntax.Chunk | None:
    """The verb of which the noun chunk at ``index`` is the subject, or None."""
    chunks, tokens = parsed.chunks, parsed.tokens
    before = chunks[index].first - 1
    if before >= 0:
        word = tokens[before].text.lower()
        counted = tokens[chunks[index].first].tag == "CD" and word in _QUANTITY_BEFORE  # "up to 60 insurgents"
        reported = tokens[before].tag in _VERB_TAGS and _SAYS.match(word) is not None  # "said his government had"
        if not (counted or reported) and (tokens[before].tag in _VERB_TAGS or word in _NOT_BEFORE_SUBJECT):
            return None  # an object or a predicate ("There were 70 policemen"), not a subject
    return _predicate(parsed, index, 0)


def acts(parsed: syntax.Parsed, index: int) -> bool:
    """The noun chunk at ``index`` is the subject of an active verb, whatever stands before it."""
    return _predicate(parsed, index, 0) is not None


def _predicate(parsed: syntax.Parsed, index: int, depth: int) -> syntax.Chunk | None:
    """The active verb that the noun chunk at ``index`` is the subject of, looking past a conjoined noun phrase
    ("activists and government officials discovered"), a relative pronoun, a parenthetical and a place after it."""
    chunks, tokens = parsed.chunks, parsed.tokens
    verb = _verb_chunk(parsed, index)
    if verb is not None:
        return verb if _active(parsed, verb) else None
    after = chunks[index].last + 1
    if after + 1 >= len(tokens):
        return None
    word, following = tokens[after].text.lower(), tokens[after + 1]
    if word in {"and", "or"} and following.phrase == "NP" and depth < 3 and index + 1 < len(chunks):
        return _predicate(parsed, index + 1, depth + 1) if chunks[index + 1].first == after + 1 else None
    if word == "," and following.text.lower() in {"who", "which"} and after + 2 < len(tokens):
        word, following = following.text.lower(), tokens[after + 2]
    if word in {"who", "which", "that"} and following.phrase == "VP":
        verb = parsed.chunk_at(following.start)
    elif word == "," and tokens[after - 1].tag != "CD":  # "Dazed survivors, relating gruesome details ..., said"
        stop = min(len(tokens), after + _MAX_PARENTHETICAL + 2)
        close = next((i for i in range(after + 1, stop) if tokens[i].text in {",", ".", ";", "“", "”", '"'}), None)
        if close is None or tokens[close].text != "," or close + 1 >= len(tokens) or tokens[close + 1].phrase != "VP":
            return None
        if any(t.tag in {"NNP", "CD"} or t.text.lower() in {"and", "or"} for t in tokens[after + 1 : close]):
            return None  # "Kabul, Kandahar and Herat", "rebels, 12, were": a list or an age, no parenthetical
        verb = parsed.chunk_at(tokens[close + 1].start)
    elif word in _PLACE_PREPOSITIONS and index + 2 < len(chunks) and chunks[index + 1].kind == "PP":
        place = chunks[index + 2]  # "Newspapers in Algiers said", "Officers on patrol nearby heard"
        if place.kind != "NP" or place.first != chunks[index + 1].last + 1 or depth > 0:
            return None
        verb = _verb_chunk(parsed, index + 2)
    else:
        return None
    return verb if verb is not None and verb.kind == "VP" and _active(parsed, verb) else None


def _after_according_to(parsed: syntax.Parsed, first: int) -> bool:
    tokens = parsed.tokens
    return first >= 2 and tokens[first - 1].text.lower() == "to" and tokens[first - 2].text.lower() == "according"


_PARTY_BEFORE = re.compile(
    r"(?:by|between|against|among|blamed|blaming|accused|accusing|condemned|condemning|crush|crushed|blamed\s+on|"
    r"linked\s+to|attacked|attacking|targeted|targeting|fought|fighting|battled|battling|clash(?:es|ed)?\s+with|"
    r"standoff\s+with|fighting\s+with|shot\s+at|fired\s+(?:on|at))$",
    re.IGNORECASE,
)


def _party(parsed: syntax.Parsed, first: int) -> bool:
    """The doer after a passive verb or an act ("ambushed by men from two rival tribes", "a barricade set up by
    demonstrators"), a side of a conflict ("violence between Muslims and Christians", "clashes between protesters
    and the security forces"), who is blamed or accused ("blamed the attacks on radicals", "accused Beijing")."""
    tokens = parsed.tokens
    if first < 1:
        return False
    word = tokens[first - 1].text
    if first >= 2 and tokens[first - 1].text.lower() in {"on", "to", "with", "at"}:
        word = tokens[first - 2].text + " " + word
    return _PARTY_BEFORE.search(word) is not None


def _told(parsed: syntax.Parsed, chunk: syntax.Chunk) -> tuple[int, int] | None:
    """Whom a source told: an outlet or a name ("told the Guardian", "told The Jakarta Post", "told state radio")."""
    tokens = parsed.tokens
    if chunk.first < 1 or tokens[chunk.first - 1].text.lower() not in {"told", "tells", "telling"}:
        return None
    first = chunk.first + (tokens[chunk.first].text.lower() == "the")
    words = tokens[first : chunk.last + 1]
    if not words:
        return None
    if all(t.tag in {"NNP", "NNPS"} and t.text[:1].isupper() for t in words) or (
        words[-1].text.lower() in MEDIA and len(words) > 1
    ):
        return first, chunk.last
    return None


def _is_people(token: syntax.Token, sentence_start: bool) -> bool:
    word = token.text.lower()
    if word in NOT_PEOPLE:
        return False
    if token.tag in {"NNS", "NNPS"} or (token.tag == "NNP" and word.endswith("s")):
        if word in PEOPLE or _AGENT_SHAPE.search(word):
            return True
        # a capitalised plural inside a sentence is an ethnonym or a group ("the Serbs", "the Maoists")
        return (
            not sentence_start
            and token.text[:1].isupper()
            and token.text[1:].islower()
            and word.endswith("s")
            and len(word) > 4
        )
    return False


def _group_span(
    tokens: tuple[syntax.Token, ...], first: int, last: int, sentence_first: int
) -> tuple[int, int, str] | None:
    """(first, last, kind) of the phrase's head with its modifiers, or None if its head names nobody."""
    head = tokens[last]
    if any(t.text.lower() in _OWN_SIDE for t in tokens[first:last]):
        return None  # "our forces": the speaker's own side, told in a quote
    starts = last == sentence_first or last > 0 and tokens[last - 1].text in {"“", '"', "-", "—", ":"}
    if _is_people(head, starts):
        kind = "people"
    elif head.text.lower() in INSTITUTIONS and head.tag.startswith("NN") and first < last:
        kind = "institution"
    elif head.text.lower() in MEDIA and head.tag.startswith("NN") and first < last:
        kind = "media"
    elif head.text.lower() in ONE_PERSON and head.tag.startswith("NN") and tokens[first].text.lower() in _ONE:
        kind = "person"
    else:
        return None
    begin = first
    while begin < last:
        token = tokens[begin]
        word = token.text.lower()
        if (
            word in _DETERMINERS
            or word in _NOT_MODIFIERS
            or token.tag in {"DT", "CD", "PRP$", "RB", "IN", "TO", "PDT", "WDT", "POS"}
            or (token.tag in {"VBN", "VBD"} and begin == first)
        ):
            begin += 1
            continue
        break
    while (
        kind != "institution"
        and begin < last
        and tokens[begin].text[:1].isupper()
        and tokens[begin].text.endswith(("'s", "’s"))
    ):
        begin += 1  # "Chad’s national television": the country is a place, the outlet the actor
    if kind == "media" and begin == last:
        return None  # "the radio" is nobody in particular
    if kind == "institution":
        determiner = tokens[begin - 1].text.lower() if begin > first else ""
        possessive = begin < last and tokens[begin].text.lower().endswith(("'s", "’s"))
        if determiner not in _DETERMINERS and not possessive:
            return None  # "government forces" has its own rule; "a government" is nobody in particular
    if any(t.tag in {"CD", "DT"} for t in tokens[begin:last]):
        return None
    if kind == "people" and begin == last and head.text.lower() in NEEDS_MODIFIER:
        return None
    sides = (
        first >= 1
        and tokens[first - 1].text.lower() in {"between", "and"}
        and "between" in (t.text.lower() for t in tokens[max(0, first - 6) : first])
    )
    if kind == "people" and not sides and any(_RELIGION.match(t.text) for t in tokens[begin : last + 1]):
        return None  # "Muslims", "the Protestants": communities of faith, victims more often than not; sides of a
        # conflict between them are parties ("violence between Muslims and Christians")
    if kind == "people" and begin < last and tokens[last].tag == "NNPS" and tokens[last - 1].tag == "NNP":
        return None  # "United Nations", "Revolutionary Armed Forces": a name, for the name rules
    return begin, last, kind


def _type_of(head: str, phrase: str, kind: str) -> str:
    low = phrase.lower()
    if kind == "person":
        return (
            "person"
            if not re.search(r"(?:rebel|militant|insurgent|gunm|fighter|attacker|assailant|bomber)", head)
            else "armed group"
        )
    if kind == "media":
        return "government" if re.search(r"(?i:government|state|national|official)", phrase) else "NGO"
    if kind == "institution" or head in {"officials", "authorities", "ministers", "lawmakers", "legislators"}:
        return "government"
    if head in {"police", "troops", "soldiers", "forces", "guards", "personnel", "reinforcements"}:
        return "state force" if "rebel" not in low and "insurgent" not in low else "armed group"
    if head in {"agencies", "media", "newspapers", "sources", "workers", "activists", "analysts", "volunteers"}:
        return "NGO"
    if head in {"militias", "militiamen", "vigilantes", "mobs", "gangs"}:
        return "militia"
    if re.search(r"(?:rebel|militant|insurgent|gunm|fighter|attacker|assailant|jihadist|terrorist|guerrilla)", head):
        return "armed group"
    return "community"


def find_acting_groups(
    text: str, taken: Iterable[Suggestion] = (), *, label: str = "ACTOR", type_attr: str | None = "actor_type"
) -> list[Suggestion]:
    """Noun phrases naming people or a body that act (subject of an active verb, "according to" them)."""
    taken = list(taken)
    spans = sorted((s.start, s.end) for s in taken if s.label == label or s.label == "LOCATION")
    # a person's last name that ends in "s" ("Later Contreras said") is no ethnonym
    surnames = {
        text[s.start : s.end].split()[-1]
        for s in taken
        if s.label == label and s.attrs.get(type_attr or "") == "person" and s.end > s.start
    }
    parsed = syntax.parse(text)
    tokens = parsed.tokens
    out: list[Suggestion] = []
    for index, chunk in enumerate(parsed.chunks):
        if chunk.kind != "NP":
            continue
        told = _told(parsed, chunk)
        if told is not None:
            start, end = tokens[told[0]].start, tokens[told[1]].end
            if not overlaps_nearby(spans, start, end):
                kind = "media" if tokens[told[1]].text.lower() in MEDIA else "outlet"
                outlet = "government" if kind == "media" and "state" in text[start:end] else "NGO"
                out.append(_suggest(label, start, end, {type_attr: outlet} if type_attr else {}))
            continue
        acting = subject_verb(parsed, index) is not None or _party(parsed, chunk.first)
        if not acting and not _after_according_to(parsed, chunk.first):
            continue
        for first, last in syntax.conjuncts(tokens, chunk.first, chunk.last):
            found = _group_span(tokens, first, last, parsed.sentences[chunk.sentence][0])
            if found is None:
                continue
            begin, end_token, kind = found
            if not acting and begin == end_token and begin == chunk.first:
                continue  # "according to witnesses": a bare plural is nobody in particular; "aid workers" are
            start, end = tokens[begin].start, tokens[end_token].end
            if overlaps_nearby(spans, start, end) or text[start:end][:1].isupper() and text[start:end] in surnames:
                continue
            head = tokens[end_token].text.lower()
            typed = _type_of(head, text[start:end], kind)
            out.append(_suggest(label, start, end, {type_attr: typed} if type_attr else {}))
    return out
