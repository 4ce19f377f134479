"""Who said it, where the attribution's shape tells: helpers of the QUOTE rule (``quotes.py``).

- ``inverted_speaker``: "said [the] <role words> NAME", "said the spokesman, NAME.", "..., killing a
  50-year-old man, said <role> NAME": the person's name that ends the phrase after the verb.
- ``subject_next_to_verb``: "X ordered ..., the government announced": of the candidates before a
  verb, the one right before it when a comma sets the others off in a clause of their own.
- ``person_since``: "he said" goes to the last named person mentioned since the last attribution
  ("government spokesman X offered ... . He said: “...”"), not to the speaker before a non-speech verb.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from annotator.services.suggestions.base import ABBREVIATIONS
from annotator.services.suggestions.person_mentions import ROLES

Key = tuple[str, int, int]
Candidate = tuple[Key, bool]  # (ACTOR key, is a person)

_STOP = re.compile(r"[.;:!?“”\"«»„″\n]")
# the stops of abbreviations end no phrase: "said U.N. military spokesman Lt. Col. NAME"
_ABBREVIATED = re.compile(
    r"(?<![\w.])(?:(?:[A-Za-z]\.){2,}|(?:"
    + "|".join(sorted((a for a in ABBREVIATIONS if "." not in a), key=len, reverse=True))
    + r")\.)",
    re.IGNORECASE,
)
_GAP_WORD = re.compile(r"[\w’'.-]+")
# what may stand between "said" and the name: "the", "another,", "60-year-old", "regional", a role, a capitalised word
_LEAD_WORD = re.compile(rf"(?:the|a|an|another|one|\d+-year-old|[A-Z][\w’'.-]*|(?i:{ROLES})|[a-z]+(?:al|ary|ic|ian))")
# after the name: punctuation or a preposition, past the rest of a name ("Abdel Aziz el-Nur Ashr")
_AFTER_NAME = re.compile(
    r"(?:\s+(?:el|al|ad|as|bin|ibn|abu|de|da|du|del|van|von|le|la)-[A-Z][\w’']*(?:\s+[A-Z][\w’']*)*)?\s*(?:[,.;:!?)]|$|(?:on|in|at|who|from|to|during|after|before)\b)"
)
_SUBJECT_GAP = re.compile(r"[\s]*(?:(?:has|have|had|also|later|then|further)\s+)*")
# "on behalf of the President", "to X", "with X": a name after these is no subject
_OBJECT_BEFORE = re.compile(r"(?:^|\s)(?:of|to|by|with|for|against|from|in|at|on|about|as|than|like)\s+(?:the\s+)?$")


def inverted_speaker(
    text: str, verb_end: int, candidates: Sequence[Candidate], verb: Callable[[str], bool]
) -> Key | None:
    """The named person that ends the noun phrase after a speech verb, or None.

    ``candidates`` are the ACTOR mentions after the verb in text order; ``verb`` tells whether a
    stretch of text holds a speech verb (the phrase ends there)."""
    cursor, chosen, commas = verb_end, None, 0
    for key, is_person in candidates:
        gap = text[cursor : key[1]]
        words = _GAP_WORD.findall(_ABBREVIATED.sub("", gap))  # titles count for nothing: "Lt. Col."
        if (
            _STOP.search(_ABBREVIATED.sub("", text[verb_end : key[1]]))
            or verb(gap)
            or len(words) > (6 if cursor == verb_end else 3)
        ):
            break
        if cursor == verb_end and not all(_LEAD_WORD.fullmatch(w) for w in words):
            break  # "said the attack killed X": X is no speaker
        commas += gap.count(",")
        if commas > 1:
            break
        if is_person and not text[key[1] : key[2]].islower() and _AFTER_NAME.match(text, key[2]):
            chosen = key
        cursor = key[2]
    return chosen


def subject_next_to_verb(text: str, candidates: Sequence[Candidate], verb_start: int) -> list[Candidate]:
    """The candidate right before the verb alone, when a comma sets the earlier ones apart."""
    if len(candidates) < 2:
        return list(candidates)
    last, before = candidates[-1], candidates[-2]
    gap = text[before[0][2] : last[0][1]]
    # "Amnesty International, the rights group, said": an apposition, not a clause of its own
    if _SUBJECT_GAP.fullmatch(text[last[0][2] : verb_start]) and "," in gap and len(_GAP_WORD.findall(gap)) >= 3:
        return [last]
    return list(candidates)


def paragraph_before(text: str, since: int, until: int) -> int:
    """Where the paragraph before ``until``'s starts (a newline's offset; 0 for the text's first), or ``since`` if
    later. The searches stop at ``since``: the cost is the text between, not the text before."""
    para = text.rfind("\n", since, until)
    para = text.rfind("\n", since, max(0, para - 1)) if para > 0 else 0
    return max(since, para)


def person_since(
    text: str, persons: Sequence[Key], since: int, until: int, inside_quote: Callable[[int], bool]
) -> Key | None:
    """The last named person mentioned in [since, until), as a subject (not after a preposition),
    outside quotes, in the paragraph of ``until`` or the one before."""
    lo = paragraph_before(text, since, until)
    found = None
    for key in persons:
        start, end = key[1], key[2]
        if not lo <= start < until or end > until or inside_quote(start) or text[start:end].islower():
            continue
        if _OBJECT_BEFORE.search(text, max(0, start - 24), start):
            continue
        found = key
    return found


def choose(
    candidates: list[tuple[tuple[str, int, int], bool]], pronoun: str | None, text: str = ""
) -> list[tuple[str, int, int]]:
    """The speaker among an attribution's candidates (key, is_person), for a ``pronoun`` if it stands for one."""
    persons = [k for k, is_person in candidates if is_person]
    orgs = [k for k, is_person in candidates if not is_person]
    if len(persons) > 1 and text and pronoun not in {"he", "she"}:  # the name, not its apposition ("a farmer")
        named = [k for k in persons if not text[k[1] : k[2]].islower()]
        persons = named if named else persons
    if pronoun in {"he", "she"}:
        if len(persons) > 1 and text:  # "Zabihullah Amani, a spokesman for the governor, told": the name
            named = [k for k in persons if not text[k[1] : k[2]].islower()]
            persons = named if named else persons
        return persons if len(persons) == 1 else []
    if pronoun in {"it", "they", "we"}:
        return orgs[:1] or persons
    return persons or orgs[:1]
