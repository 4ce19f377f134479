"""Who a CASUALTY count by shape counts: person nouns and the noun phrases round 8 reads as victims (issue 12).

``is_people`` says whether a word is a person noun (the lists of rounds 6-7 and, since round 8, the classes of
``victim_nouns``). ``possessed``, ``perceived`` and ``shared_subject`` are round 8's shapes for ``casualty_counts``:
"his little sister", "saw his neighbours being shot dead", "were dragged out of homes and chopped to death".
"""

from __future__ import annotations

import re

from annotator.services.suggestions.casualty_victims import PERSON_NOUNS
from annotator.services.suggestions.syntax import Token
from annotator.services.suggestions.victim_nouns import kin_or_role, person_noun

NP_TAGS = frozenset("DT PDT JJ JJS JJR CD NN NNS PRP$ FW VBN".split())  # the tags of a noun phrase's words

_PLURAL_PEOPLE = frozenset(
    "people police children women men peasants civilians villagers families relatives worshippers pilgrims others"
    " personnel staff crew".split()  # round 9: collective person nouns count as plurals ("100 military personnel")
)
_MORE_PEOPLE = frozenset(
    "guerrilla hostage demonstrator passenger pedestrian tourist pilgrim worshipper inmate prisoner detainee".split()
)
BE = frozenset("was were is are been be being got get gotten".split())
AUX = BE | frozenset("had has have also reportedly allegedly later then subsequently all either both brutally".split())


def _person(lower: str) -> bool:
    # a listed person noun, or one by its shape: "tribesman", "guardsman", "motorcyclist", "activist"
    return lower in PERSON_NOUNS or lower in _MORE_PEOPLE or re.fullmatch(r"[a-z]{2,}(?:s?man|ist)", lower) is not None


def is_people(word: str, *, plural: bool = True) -> bool:
    """A person noun: plural ("soldiers", "policemen", "police") or, with ``plural=False``, singular."""
    lower = word.lower()
    if person_noun(word, plural=plural):
        return True  # by class: a demonym, a kin or role noun, a person suffix ("Palestinians", "uncle")
    if not plural:
        return _person(lower)
    if lower in _PLURAL_PEOPLE:
        return True
    if lower.endswith("men") and _person(lower[:-3] + "man"):
        return True
    return lower.endswith("s") and (_person(lower[:-1]) or _person(lower[:-2]))


def possessed(words: tuple[Token, ...]) -> tuple[str, int | None] | None:
    """ "mother", "little sister", "neighbours" after a possessive: one person (singular) or some (plural), when the
    head is a kin or person noun and the words before it are adjectives."""
    head = words[-1]
    if any(t.tag not in {"JJ", "NN", "VBN"} for t in words[:-1]) or not kin_or_role(head.text.lower()):
        return None
    victims = " ".join(t.text for t in words)
    if person_noun(head.text, plural=False):
        return victims, 1
    return (victims, None) if person_noun(head.text, plural=True) else None


def shared_subject(text: str, tokens: tuple[Token, ...], j: int) -> tuple[int, set[str]] | None:
    """The subject of the passive before "and" (token ``j``) that a second participle shares: "Women and children
    were dragged out of homes and chopped to death", "He was hit in the chest and was martyred". (the last token of
    the subject, the first verb's auxiliaries) or None; within the sentence and 12 tokens."""
    for k in range(j - 1, max(0, j - 12), -1):
        token = tokens[k]
        if token.text in {".", ";", ":", "!", "?", "“", "”", '"'} or "\n" in text[token.end : tokens[k + 1].start]:
            return None
        if token.tag in {"VBN", "VBD"} and tokens[k - 1].text.lower() in {"was", "were"}:
            m = k - 1
            while m >= 0 and (tokens[m].text.lower() in AUX or tokens[m].tag == "RB"):
                m -= 1
            return (m, {t.text.lower() for t in tokens[m + 1 : k]}) if m >= 0 else None
    return None


_PERCEPTION = frozenset("saw seen see sees seeing watched watch watching witnessed witness witnessing".split())


def perceived(tokens: tuple[Token, ...], j: int) -> bool:
    """ "saw his neighbours being shot dead": the object of a verb of seeing, then "being" and the harm: an event
    a witness saw, not what goes on."""
    k = j
    while k >= 0 and j - k < 4 and tokens[k].tag in NP_TAGS:
        k -= 1
    return k < j and k >= 0 and tokens[k].text.lower() in _PERCEPTION
