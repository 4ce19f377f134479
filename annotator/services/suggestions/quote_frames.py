"""Frames that introduce a phrase quote without a speech verb next to it: a helper of ``quotes.py``.

"Bishop X described the aftermath of the fighting in the town last month as “worse than hell”",
"the ministry branded the protesters “terrorists”", "the word the refugees used was “horror”":
the quote is the words of the framing verb's subject, however far the verb stands from the mark.
The verbs are lemmas ("describe", "brand", "label", ...) whose forms are generated as
``harm_verbs.conjugate`` generates the casualty verbs', never a list of the forms one text used.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol, TypeVar

from annotator.services.suggestions import speaker_subjects
from annotator.services.suggestions.base import sentence_start
from annotator.services.suggestions.quote_marks import Quote
from annotator.services.suggestions.quote_speakers import Speakers
from annotator.services.suggestions.verb_forms import conjugate


class _Positioned(Protocol):
    pos: int


_E = TypeVar("_E", bound=_Positioned)

# verbs that frame "VERB X as “...”" (a characterisation in the subject's words)
_AS_LEMMAS = (
    "describe characterise characterize brand label term dismiss denounce condemn decry portray depict "
    "deride hail praise slam criticise criticize refer regard view".split()
)
_FORMS = sorted({form for lemma in _AS_LEMMAS for form in conjugate(lemma)} | {"labelled", "labelling"}, key=len)
_FORM_RE = "|".join(re.escape(form) for form in reversed(_FORMS))
# the frame verb, then at most 30 words with no sentence end and no quote mark, then "as" right before the mark
_AS_FRAME = re.compile(
    rf"(?<![\w-])(?P<verb>{_FORM_RE})(?![\w-])(?:\s+[^\s.!?;“”\"«»]+){{0,30}}?\s+as\s+(?:an?\s+|the\s+)?$",
    re.IGNORECASE,
)
# "the word they used was “...”", "the one word the refugees all used:": the user of the word said it
_WORD_FRAME = re.compile(
    r"(?<![\w-])(?:words?|term|phrase)\s+(?P<who>(?:[\w’'-]+\s+){0,4}?[\w’'-]+)\s+(?:all\s+|kept\s+|have\s+)?"
    r"(?:used|use|uses|chose|choose|repeated)(?:\s+(?:to\s+describe\s+[^.!?;“”\"«»]{1,60}?))?\s*(?:was|is|:|,)?\s*$",
    re.IGNORECASE,
)

_DETERMINER = re.compile(r"(?:(?:the|a|an|these|those|many|all|most|some)\s+)+", re.IGNORECASE)
_PRONOUNS = frozenset("they he she we it you i people".split())

# "Alisa Mamiyeva, 26, a teacher ... said": a name, then its age, then the phrase in apposition
APPOSED = re.compile(r"\s*,\s*(?:\d{1,3}\s*,\s*)?(?:(?:the|an?)\s+)?")


def as_frame(text: str, lo: int, open_at: int) -> int | None:
    """Where the verb of a "VERB X as “...”" frame ending at the opening mark ``open_at`` starts, or None."""
    m = _AS_FRAME.search(text, max(lo, open_at - 240), open_at)
    return m.start("verb") if m else None


def word_frame(text: str, lo: int, open_at: int) -> tuple[int, int] | None:
    """The span of who used the word in "the word <who> used was “...”", or None."""
    m = _WORD_FRAME.search(text, max(lo, open_at - 120), open_at)
    return (m.start("who"), m.end("who")) if m else None


def framed(
    text: str,
    open_at: int,
    speakers: Speakers,
    quotes: list[Quote],
    last_event_in: Callable[[int, int], list[_E]],
    resolve: Callable[[_E], list[tuple[str, int, int]]],
) -> tuple[bool, list[tuple[str, int, int]] | None]:
    """(attributed, speaker) of a quote a ``quote_frames`` frame introduces: the framing verb's subject."""
    s0 = sentence_start(text, open_at)
    verb_at = as_frame(text, s0, open_at)
    if verb_at is not None:
        event = last_event_in(verb_at, verb_at + 1)
        if event:  # "described", "branded": a verb the rule reads already
            return True, resolve(event[0]) or None
        found = speakers.in_range(s0, verb_at, adjacent="before", quotes=quotes)
        if found and speaker_subjects.SUBJECT_GAP.fullmatch(text, found[-1][0][2], verb_at):
            return True, [found[-1][0]]
        subject = speaker_subjects.subject_before(text, verb_at)
        return True, [speakers.add(subject.start, subject.end, subject.person)[0]] if subject else None
    who = word_frame(text, s0, open_at)
    if who is not None:
        found = speakers.in_range(who[0], who[1], quotes=quotes)
        if found:
            return True, [found[-1][0]]
        phrase = _DETERMINER.match(text, who[0], who[1])  # "the farmers": the noun phrase without its determiner
        start = phrase.end() if phrase else who[0]
        if start < who[1] and text[start : who[1]].lower() not in _PRONOUNS:
            return True, [speakers.add(start, who[1], False)[0]]
        return True, None
    return False, None


def indirect(text: str, open_at: int, last_event_in: Callable[[int, int], list[_E]]) -> bool:
    """A speech verb earlier in the quote's sentence, its clause running on to the mark ("said the city was")."""
    s0 = sentence_start(text, open_at)
    found = last_event_in(s0, open_at)
    return bool(found) and len(re.findall(r"\S+", text[found[-1].pos : open_at])) <= 40


def clause_subject(text: str, at: int, speakers: Speakers, quotes: list[Quote]) -> list[tuple[str, int, int]] | None:
    """The subject of the sentence's first verb before ``at``: a mention, else the subject phrase."""
    verb_at = speaker_subjects.main_verb(text, at)
    if verb_at is None:
        return None
    found = speakers.in_range(sentence_start(text, at), verb_at, adjacent="before", quotes=quotes)
    if found and speaker_subjects.SUBJECT_GAP.fullmatch(text, found[-1][0][2], verb_at):
        return [found[-1][0]]
    subject = speaker_subjects.subject_before(text, verb_at)
    named = [c for c in found if subject and c[0][1] >= subject.end and not text[c[0][1] : c[0][2]].islower()]
    if named and subject and APPOSED.fullmatch(text, subject.end, named[-1][0][1]):
        return [named[-1][0]]  # "The prime minister, NAME, visited ...": the name in the phrase's apposition
    return [speakers.add(subject.start, subject.end, subject.person)[0]] if subject else None
