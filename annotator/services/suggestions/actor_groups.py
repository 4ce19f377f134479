"""Communities and forces named by a group noun, wherever they act or are acted upon (issue 12, round 8).

The schema's ACTOR guideline ("the noun phrase that names who acts or is acted upon", "Muslim
civilians fled") and the convention settled for round 8 make group nouns for people ACTOR
spans, with the modifiers that say which group ("Hutu refugees", "Rwandan soldiers", "ethnic
Kyrgyz"), also when they are moved, attacked or told, in headlines and inside quotes; the
people counted in a casualty figure are that figure's victims (the engine drops an ACTOR
inside a CASUALTY span), and a group noun that only modifies another word ("refugee camp")
is none. Round 7's ``actor_agents`` takes such a noun only where it acts.

The class, not a word list, decides (``is_group_noun``):

- a plural common noun (the tagger's NNS) that names people by its shape: an agent or member
  noun ("-ers", "-ors", "-ists", "-ants", "-ents", "-ees", "-ians", "-men": villagers, survivors,
  settlers, residents, refugees, civilians, militiamen), less the shapes that are things
  ("numbers", "borders") and the words of the victims counted or kept (children, hostages);
- the few plural heads of that kind with no such shape (troops, police, witnesses, guerrillas,
  youths are not: age words name no party);
- "people" only with a modifier that says which ("displaced people", "Rohingya people");
- a nationality used as people: the plural of a country's demonym or of a "-stan" country's
  stem ("Palestinians", "Uzbeks", "Serbs"), or an invariant demonym ("East Timorese",
  "Kyrgyz") standing as the head of its noun phrase.

"force" with a modifier ("Australian-led force", "the UN-sanctioned force") names a body too.
One pass over the chunks of ``syntax``: linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from annotator.services.suggestions import syntax
from annotator.services.suggestions.base import Suggestion, overlaps_nearby
from annotator.services.suggestions.place_index import load_index

SOURCE = "rules:actors"

# a member or agent noun by its ending (the tagger says it is a plural noun)
_PERSON_SHAPE = re.compile(r"(?:[a-z]{3,}(?:er|or|ist|ant|ent|ee|ian|an|ite)s|[a-z]{2,}men)$")
# group heads of that class with no such ending
GROUP_HEADS = frozenset(
    """troops police witnesses guerrillas militias forces authorities gangs mobs crowds rebels militants
    refugees civilians locals natives tribes clans tribesmen clansmen""".split()
)
# shapes that are things, and people the texts count or keep rather than name as a party
NOT_GROUPS = frozenset(
    """numbers others orders papers matters borders waters centers centres quarters headquarters letters powers corners
    layers members chambers shelters barriers containers computers headlines plans meters metres kilometers kilometres
    liters litres dollars towers rivers hours minutes years months weeks days tanks grenades rockets mortars ants
    parents children victims patients hostages bodies casualties dead wounded injured prisoners detainees captives
    passengers pilgrims worshippers airstrikes helicopters trawlers tankers elements events incidents accidents
    agents talents presidents parliaments governments departments settlements documents comments statements arguments
    payments shipments treatments amendments agreements movements instruments incidents segments fragments
    commitments investments apartments compartments regiments ornaments contents percents continents ailments
    implements sediments increments lieutenants plants giants grants tenants wants assistants accountants
    consultants restaurants servants lieutenants applicants entrants participants inhabitants attendants
    defendants descendants informants sergeants merchants peasants pageants elephants grandparents parents
    tries markets targets interests weapons missiles bullets shells mines bombs explosives
    employees committees fees trees degrees guarantees nominees trustees referees requirements fingers
    prayers canisters answers dinners papers stickers posters flyers leaflets speakers computers layers
    innocents women men girls boys infants babies pensioners elderly reporters journalists""".split()
) - {"inhabitants", "peasants", "merchants", "defendants", "informants", "assistants"}
# a count or a word of number before the head: the people counted, no party named
_COUNT_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve dozen dozens hundred hundreds thousand thousands
    million millions scores""".split()
)
# vague quantities: "many refugees" names the group; "many of the refugees" counts them
_VAGUE = frozenset("several some many few more most".split())
_DETERMINERS = frozenset("the a an his her its their our my your this that these those".split())
# words of state or number before a head: no part of the group's name ("frightened refugees" -> "refugees")
_STATE = frozenset(
    """other others all both such any each every about around nearly almost roughly only dazed shaken terrified
    frightened fleeing grieving angry remaining hungry desperate exhausted first last same own""".split()
)
_PEOPLE_MODIFIERS = frozenset("displaced local ordinary indigenous".split())
_GENERIC_AFTER_OF = frozenset("leaders residents volunteers elders youths officers experts".split())
_COPULA = frozenset("is are was were be been being become became remain remained".split())
_OWN_SIDE = frozenset("our my your we".split())
_FORCE_MODIFIER = re.compile(r"[\w.]+-(?:led|sanctioned|backed|mandated|commanded|run)$|[A-Z][\w’'-]+$")
_STATE_FORCE = frozenset("troops soldiers police policemen forces force army guards gendarmes marines".split())
_ARMED = re.compile(r"(?:militia|rebel|militant|insurgent|gunm|fighter|guerrilla|jihadist|terrorist|paramilitar)")


@lru_cache(maxsize=1)
def nationalities() -> tuple[frozenset[str], frozenset[str]]:
    """(plural nouns, invariant nouns) of the nationalities the place index knows: "Palestinians", "Uzbeks",
    "Serbs"; "East Timorese", "Kyrgyz"."""
    index = load_index()
    plurals: set[str] = set()
    invariant: set[str] = {"Kyrgyz", "Turkmen", "Swiss"}
    for name in list(index["adjectives"]) + list(index["countries"]):
        if not re.fullmatch(r"(?:(?:North|South|East|West) )?[A-Z][a-z]+", name):
            continue
        if name.endswith("stan"):  # "Uzbekistan" -> "Uzbeks", "Tajikistan" -> "Tajiks"
            plurals.add(name[: -len("istan")] + "s" if name.endswith("istan") else name[:-4] + "s")
        elif name.endswith(("an", "i")) and name in index["adjectives"]:
            plurals.add(name + "s")  # "Palestinians", "Israelis"
        elif name.endswith("ese") and name in index["adjectives"]:
            invariant.add(name)  # "Sudanese", "East Timorese"
        elif name.endswith("ia") and len(name) > 5:
            plurals.add(name[:-2] + "s")  # "Serbia" -> "Serbs", "Croatia" -> "Croats"
    return frozenset(plurals), frozenset(invariant)


def is_group_noun(token: syntax.Token) -> bool:
    """Whether ``token`` is the plural head of a group of people by its class (see the module's text)."""
    word = token.text.lower()
    plurals, invariant = nationalities()
    if token.text in plurals or token.text in invariant:
        return True
    if word in NOT_GROUPS or token.tag not in {"NNS", "NNPS", "NNP"} or not word.isalpha() or word.endswith("ments"):
        return False
    if token.tag == "NNP" and not word.endswith("s"):
        return False
    return word in GROUP_HEADS or _PERSON_SHAPE.search(word) is not None


def _capitalised_inside(tokens: tuple[syntax.Token, ...], index: int, sentence_first: int) -> bool:
    """A capitalised word inside a sentence ("(Reuters)", "Volunteers of ..."): a name, no group noun."""
    token = tokens[index]
    if not token.text[:1].isupper() or index == sentence_first:
        return False
    return tokens[index - 1].text not in {"“", '"', "‘", "'", "-", "—", ":", "``"}


def _suggest(label: str, start: int, end: int, attrs: dict[str, Any]) -> Suggestion:
    return Suggestion(label=label, start=start, end=end, attrs=dict(attrs), source=SOURCE)


def _type_of(head: str, phrase: str) -> str:
    low = phrase.lower()
    if head in _STATE_FORCE and not _ARMED.search(low):
        return "international force" if re.search(r"(?:-led|-sanctioned|peace|UN\b|U\.N\.)", phrase) else "state force"
    if _ARMED.search(head):
        return "militia" if "militia" in head else "armed group"
    return "community"


def _span(tokens: tuple[syntax.Token, ...], first: int, last: int) -> tuple[int, int] | None:
    """(first, last) of the group phrase ending at ``last`` with the modifiers that say which group, or None
    when the head names nobody (a count, "people" alone, the speaker's own side)."""
    head = tokens[last]
    begin = first
    if any(t.text.lower() in _OWN_SIDE for t in tokens[first:last]):
        return None
    lead = first
    while lead > 0 and tokens[lead - 1].tag in {"JJ", "JJR", "RB", "RBR", "VBN", "VBG", "DT", "CD"}:
        lead -= 1  # the words glued before the chunk ("eight more suspected" before "Aceh rebels")
    if any(t.tag == "CD" or t.text.lower() in _COUNT_WORDS for t in tokens[lead:last]):
        return None  # "300 refugees", "six Turkish soldiers", "eight more suspected rebels": a figure's people
    before = first - 1
    while before >= 0 and tokens[before].tag in {"RB", "DT", "PDT"}:
        before -= 1  # "were all", "are mostly"
    if before >= 0 and tokens[before].text.lower() in _COPULA:
        return None  # "the victims were civilians", "most are Mozambicans": a description, no party
    if any(t.text[:1].isupper() and t.text.endswith(("'s", "’s")) for t in tokens[begin:last]):
        return None  # "the Seleka’s commanders": the possessor is the party the text names, a name's rule
    if any(t.text.lower() in {"other", "fellow"} for t in tokens[max(0, before) : last]):
        return None  # "like other witnesses": people like someone already named
    while begin < last:
        token = tokens[begin]
        word = token.text.lower()
        if (
            word in _DETERMINERS
            or word in _STATE
            or word in _VAGUE
            or token.tag in {"DT", "PRP$", "RB", "IN", "TO", "PDT", "WDT", "POS"}
        ):
            begin += 1
            continue
        break
    back = first - 1
    while back >= 0 and tokens[back].tag in {"JJ", "VBN", "VBG", "RB", "DT"}:
        back -= 1  # "thousands of terrified civilians"
    if back >= 1 and tokens[back].text.lower() == "of" and tokens[back - 1].text.lower() in _COUNT_WORDS | _VAGUE:
        return None  # "thousands of refugees", "many of the villagers"
    if (
        head.text.lower() in _GENERIC_AFTER_OF
        and back >= 1
        and tokens[back].text.lower() == "of"
        and tokens[back - 1].tag in {"NN", "NNS"}
    ):
        return None  # "the support of religious leaders": a generic plural, nobody in particular
    if first >= 1 and tokens[first - 1].tag == "CD":
        return None
    word = head.text.lower()
    if word == "people" and begin == last and last >= 1 and tokens[last - 1].text.lower() in _PEOPLE_MODIFIERS:
        begin = last - 1  # "urged displaced people": the tagger puts the participle in the verb
    if word == "people":
        if begin > first and tokens[begin - 1].text.lower() in {"a", "an"}:
            return None  # "a Turkic-speaking people": a nation described
        modifiers = list(tokens[begin:last])
        if not modifiers or not all(t.text.lower() in _PEOPLE_MODIFIERS or t.text[:1].isupper() for t in modifiers):
            return None
    if word == "force":
        if last >= 1 and _FORCE_MODIFIER.match(tokens[last - 1].text) and "-" in tokens[last - 1].text:
            begin = min(begin, last - 1)  # "the Australian-led force": the tagger leaves the modifier out
        if begin == last or not _FORCE_MODIFIER.match(tokens[last - 1].text):
            return None
    return begin, last


def find_group_mentions(
    text: str, taken: Iterable[Suggestion] = (), *, label: str = "ACTOR", type_attr: str | None = "actor_type"
) -> list[Suggestion]:
    """Group nouns for people (and "force" with a modifier) as ACTOR, where no other ACTOR or place is."""
    spans = sorted((s.start, s.end) for s in taken if s.label in (label, "LOCATION"))
    parsed = syntax.parse(text)
    tokens = parsed.tokens
    out: list[Suggestion] = []
    for chunk in parsed.chunks:
        if chunk.kind != "NP":
            continue
        for first, last in syntax.conjuncts(tokens, chunk.first, chunk.last):
            head = tokens[last]
            word = head.text.lower()
            if not (is_group_noun(head) or word in {"people", "force"}):
                continue
            nationality = head.text in nationalities()[0] or head.text in nationalities()[1]
            if not nationality and _capitalised_inside(tokens, last, parsed.sentences[chunk.sentence][0]):
                continue

            if last + 1 < len(tokens) and (
                tokens[last + 1].tag in {"NN", "NNS", "NNP", "NNPS"}
                or (tokens[last + 1].text in {"’", "'", "'s", "’s"} and tokens[last + 1].start == head.end)
            ):
                continue  # "the Serbs’ action", "U.N. forces chief": a modifier or a possessor
            if re.match(r",[ \t]+[A-Z][a-z]+[ \t]+[A-Z]", text[head.end : head.end + 40]) and head.text.islower():
                continue  # "one of the fleeing residents, Ibrahim Habibu,": the name is the actor
            found = _span(tokens, first, last)
            if found is None:
                continue
            start, end = tokens[found[0]].start, tokens[found[1]].end
            if overlaps_nearby(spans, start, end):
                continue
            attrs = {type_attr: _type_of(word, text[start:end])} if type_attr else {}
            out.append(_suggest(label, start, end, attrs))
    return out
