"""What a casualty figure must count: people, or their bodies and deaths (issue 12, round 8).

The figure rule finds a number and a category word in the same clause. On text it was not written against most of
its false positives counted something else: "at least two incidents in which soldiers tried to move refugees",
"two rebel raids on the capital had left", "the city of one million people was 'horrific, with dead bodies'",
"ranged in age from 19 to 63, left a total of 93 children". These checks say so by class, not by word:

- ``counts_no_people``: the noun counted (the tagger's plural head after the figure) is no person noun by
  ``victim_nouns`` and names no victims' bodies or deaths ("incidents", "raids", "vehicles");
- ``population``: the figure is a place's population ("a city of one million people", "a population of 40,000");
- ``left_without_people``: "left" in the sense of "fled" needs people as its subject ("Thousands of Muslims left
  Bangui", "more than 1,000 have left"), not an age, a raid or a total ("63, left a total of");
- ``apposition_end``: an aside between the people counted and the verb is skipped ("200 patients, mostly women
  and children, had received treatment");
- ``act_noun_after_a_verb``: a noun naming the act ("murders", "killings") counts the figure only when it follows
  it directly ("25 killings", "42 civilian deaths"), not across another verb ("One man stood up, claiming to have
  witnessed horrific murders").
"""

from __future__ import annotations

import re

from annotator.services.suggestions.casualty_people import is_people
from annotator.services.suggestions.syntax import parse
from annotator.services.suggestions.victim_nouns import person_noun

# what a figure may count besides people: their bodies, lives, deaths, the acts that killed them
BODIES_AND_ACTS = frozenset(
    """lives deaths killings murders corpses bodies remains casualties fatalities dead wounded injured victims
    abductions kidnappings executions injuries cases graves displaced homeless missing uprooted evacuated
    affected stranded trapped besieged hungry starving sick""".split()
)
_WORD = re.compile(r"[\w’'-]+")
_POPULATION = re.compile(
    r"(?<![\w-])(?:city|town|capital|country|nation|region|province|district|village|population|community|state)"
    r"\s+of\s+(?:(?:just|only|barely|some|about|around|nearly|almost|more|than|over|roughly|an|estimated)\s+){0,2}$",
    re.IGNORECASE,
)
_LEAVING = frozenset("left leaving leave leaves".split())
_AUX_ONLY = re.compile(r"\s*(?:(?:have|has|had|now|already|also|since|all|reportedly)\s+)*$", re.IGNORECASE)
_ACT_NOUNS = frozenset("murders killings deaths massacres atrocities executions".split())
# verbs that take a victim's harm as their object: "had gunshot wounds", "suffered injuries"
_HAVE_HARM = frozenset(
    """have has had having suffer suffers suffered suffering sustain sustains sustained sustaining receive receives
    received receiving treated""".split()
)


def counts_no_people(victims: str | None, people: frozenset[str]) -> bool:
    """ "incidents", "rebel raids": the plural noun after the figure (lower case: a name is another matter) is no
    person noun (nor one of the figure rule's ``people``) and names no bodies or deaths."""
    if not victims or not victims[:1].islower():
        return False
    head = _WORD.findall(victims)[-1]
    lower = head.lower()
    if lower in BODIES_AND_ACTS or lower in people or person_noun(head, plural=True) or person_noun(head, plural=False):
        return False
    return not is_people(head)


def population(text: str, start: int) -> bool:
    """ "the city of one million people": the figure right after "<place> of" is the place's population."""
    return bool(_POPULATION.search(text, max(0, start - 40), start))


def left_without_people(text: str, trigger: re.Match[str], number_end: int, victims: str | None) -> bool:
    """ "left" (fled) whose subject is no people: neither a person noun after the figure nor the bare figure right
    before it ("more than 1,000 have left")."""
    if trigger.group().split()[0].lower() not in _LEAVING:
        return False
    if victims:
        return False
    return not _AUX_ONLY.fullmatch(text, number_end, trigger.start())


def act_noun_after_a_verb(text: str, trigger: re.Match[str], after: int) -> bool:
    """An act noun ("murders") that a verb other than have/suffer separates from the people counted."""
    if trigger.group().lower() not in _ACT_NOUNS:
        return False
    parsed = parse(text)
    tokens = parsed.tokens
    k = parsed.token_index(after)
    while k < len(tokens) and tokens[k].start < trigger.start():
        token = tokens[k]
        if token.start >= after and token.tag.startswith("VB") and token.text.lower() not in _HAVE_HARM:
            return True
        k += 1
    return False


# an aside between the people counted and their verb: ", mostly women and children,", "-- NAME, 26, NAME, 27 --"
_APPOSITION = re.compile(
    r"\s*,\s*(?:mostly|mainly|largely|many|most|all|some|including|among\s+them|both)\s[^,.;:!?()\"“”\n]{1,80},"
    r"|\s+(?:--|—|–)\s[^;!?—–\n]{1,160}?\s(?:--|—|–)"
    r"|\s*\([^()\n]{1,80}\)",
    re.IGNORECASE,
)


def apposition_end(text: str, pos: int) -> int | None:
    """The end of an aside right after the people counted ("over 200 patients, mostly women and children, had
    received treatment"; "four people -- NAME, 26, NAME, 27 -- were reported missing"), or None: the predicate is
    looked for after it."""
    m = _APPOSITION.match(text, pos)
    return m.end() if m else None
