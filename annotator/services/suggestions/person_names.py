"""Persons named with no title and no speech verb (issue 12, round 8): "Anwar Artykov needs medical help",
"Bilal Abu Salah, 40, was shot", "Dos Santos fled the camps".

``find_untitled_names`` is the finder; the speaker rules may call it to link "he said" to such a name.
A name is a run of two to four capitalised tokens the tagger calls proper nouns (NNP) that

- no other suggestion covers (a place, an organisation, a person found by a title or a verb);
- holds no word of a place (a country's name or adjective: "Kyrgyz", "Georgian"), no word that
  names a body, a title or a time (``actor_names``' list: "Ministry", "Minister", "Monday"...), and
  no word the tagger's lexicon knows as a common word when it starts a sentence ("Later", "Police");
- is not a line of a headline set in title case.

Later mentions by the last word alone come from the surname rule. Round 9 adds two signs of a person: a role
noun in apposition ("Anwar Artykov, a farmer,", "Sidi Kone, the village chief") and, for one word, being
the subject of a speech verb ("Thamarat said", "Angki also said") where the word is no common word, no time
and no place. One pass over the chunks and one regex pass: linear.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import lru_cache

from annotator.services.suggestions import syntax
from annotator.services.suggestions.actor_names import name_token
from annotator.services.suggestions.actor_nouns import HARM_AFTER
from annotator.services.suggestions.base import Suggestion, overlaps_nearby
from annotator.services.suggestions.place_context import WHEN
from annotator.services.suggestions.place_names import TitleCaseLines
from annotator.services.suggestions.victim_nouns import demonym, is_person_noun

SOURCE = "rules:actors"
_MIN_WORDS, _MAX_WORDS = 2, 4
_PARTICLES = frozenset("Abu Bin Ibn Al El Dos Da De Van Von Le La".split())
_PLACE_BEFORE = frozenset("in at near from of called outside into to towards around inside across".split())
_PLACE_WORD_BEFORE = re.compile(r"(?<![\w-])(?:in|at|near|from|called|outside|into|to)\s+(?:El\s+|Al\s+)?$")
_WORD = re.compile(r"(?<![\w’'-])[A-Z][\w’'-]*")
_OTHER_USES = 8  # uses of a word looked at, however often it recurs
# a capitalised run before these is an organisation or a thing, not a person ("Save the Children Fund")
_BODY_AFTER = re.compile(
    r"[ \t]+(?:of|for)[ \t]+[A-Z]|[ \t]*\((?:[A-Z]{2,})\)|[ \t]+(?:group|agency|company|party|organi[sz]ation|"
    r"movement|network|daily|newspaper|radio|channel|brand|project|programme|program|operation|district|province|"
    r"region|village|town|camp|city|county|state|river|mountains?|hills?|valley|street|road|square)\b"
    r"|[ \t]+(?i:mosque|hospital|church|hotel|school|university|market|airport|prison|stadium|clinic|bridge)\b"
)


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    from annotator.services.suggestions.place_index import load_index

    index = load_index()
    words = set()
    for name in [*index["countries"], *index.get("adjectives", ()), *index.get("world", {})]:
        words.update(name.split())
    return frozenset(words)


def _common_word(word: str) -> bool:
    """The tagger's lexicon knows the lower-case form as a word that is no proper noun ("Later", "Police")."""
    tag = syntax.lexicon().get(word.lower())
    return tag is not None and not str(tag).startswith("NNP")


_LISTED_BEFORE = re.compile(r"(?:\d{1,3},|--|—|:)\s+$")
_AGE_AFTER = re.compile(r",[ \t]+\d{1,3},")
# the next sentence goes on with the person: "Anwar Artykov needs medical help. He is in a state of shock."
_NEXT_SENTENCE_PRONOUN = re.compile(r"[^.!?\n]{0,300}[.!?][\"”’']?\s+(?:He|She|His|Her)\b")
# a named victim is counted by the casualty figure it stands in, not an actor ("killing A B, 58,", "A B was shot")
_HARM_BEFORE = re.compile(
    r"(?:killing|killed|shot|wounding|wounded|murdering|murdered|injuring)\s+(?:[A-Z][\w’'-]*\s+){0,3}?"
    r"(?:[A-Z][\w’'-]*,\s+\d{1,3},\s+and\s+)?$"
)


# a role noun in apposition: "Anwar Artykov, a farmer,", "Sidi Kone, the local chief of ..."
_APPOSED_ROLE = re.compile(
    r",[ \t]+(?:a|an|the)[ \t]+(?:[\w’'-]+[ \t]+){0,3}?(?P<noun>[a-z][\w-]*)(?=[ \t]*[,.;]|[ \t]+(?:of|in|at|from|for|who)\b)"
)
# one capitalised word that says: "Thamarat said", "Angki also said", "JEM's Ashr said"
_SAYS = re.compile(
    r"(?<![\w’'.-])(?P<name>[A-Z][a-z’']+(?:-[A-Z][a-z]+)?)(?:[ \t]+(?:also|further|later|earlier|then))?[ \t]+"
    r"(?:said|says|told|added|stated|explained|confirmed|denied|insisted|warned|claimed)\b"
)


def _role_apposed(text: str, end: int) -> bool:
    m = _APPOSED_ROLE.match(text, end)
    return m is not None and is_person_noun(m.group("noun"))


def find_speaking_names(text: str, taken: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) of one-word names that are the subject of a speech verb where no span of ``taken`` stands."""
    spans = sorted(taken)
    places = _place_words()
    out = []
    for m in _SAYS.finditer(text):
        start, end = m.span("name")
        word = m.group("name")
        if word in WHEN or word in places or demonym(word) or syntax.lexicon().get(word.lower()) is not None:
            continue  # "Monday said", "Police said", "Reuters"-like words the lexicon knows
        if overlaps_nearby(spans, start, end):
            continue
        bisect.insort(spans, (start, end))
        out.append((start, end))
    return out


def _a_person(text: str, start: int, end: int, words: list[str], positions: dict[str, list[int]]) -> bool:
    """Evidence that the name is a person's: an age after it ("Bilal Abu Salah, 40,"), a personal pronoun in
    the text that follows ("... He is in a state of shock"), or one of its words used alone elsewhere
    ("Anwar doesn't know", "Dos Santos fled")."""
    if _HARM_BEFORE.search(text, max(0, start - 60), start) or HARM_AFTER.match(text, end):
        return False
    if _AGE_AFTER.match(text, end) and _LISTED_BEFORE.search(text, max(0, start - 12), start):
        return False  # "four people -- A B, 26, C D, 27, ...": the victims a figure lists
    if _AGE_AFTER.match(text, end) or _NEXT_SENTENCE_PRONOUN.match(text, end) or _role_apposed(text, end):
        return True
    for word in words:
        if word in _PARTICLES or len(word) < 3:
            continue
        others = [at for at in positions.get(word, ())[: _OTHER_USES + len(words)] if not start <= at < end]
        if others and not any(_PLACE_WORD_BEFORE.search(text, max(0, at - 12), at) for at in others[:_OTHER_USES]):
            return True  # "Anwar doesn't know"; not "a settlement called El Aguacate" (a place elsewhere)
    return False


def untitled_name_spans(text: str, taken: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) of each untitled personal name in ``text`` that overlaps none of ``taken``."""
    spans = sorted(taken)
    parsed = syntax.parse(text)
    tokens = parsed.tokens
    places = _place_words()
    headlines = TitleCaseLines(text)
    positions: dict[str, list[int]] = {}
    for word in _WORD.finditer(text):  # where each word stands, for "a word of the name used alone"
        positions.setdefault(word.group(), []).append(word.start())
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if not name_token(tokens[i]):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and name_token(tokens[j + 1]) and tokens[j + 1].start - tokens[j].end <= 1:
            j += 1
        first, last = i, j
        i = j + 1
        words = [t.text for t in tokens[first : last + 1]]
        if not _MIN_WORDS <= len(words) <= _MAX_WORDS:
            continue
        if first > 0 and tokens[first - 1].text[:1].isupper() and tokens[first - 1].tag.startswith("NNP"):
            continue  # the run goes on with a word the name rules refuse ("President Anwar Artykov")
        if any(w in places or w.rstrip("s") in places for w in words if w not in _PARTICLES):
            continue
        starts_sentence = (
            first == 0
            or tokens[first - 1].text in {".", "!", "?", "“", '"', "\n"}
            or ("\n" in text[tokens[first - 1].end : tokens[first].start])
        )
        if starts_sentence and _common_word(words[0]):
            continue  # "Later Contreras", "Police Chief": a sentence's first word
        if any(_common_word(w) for w in words if w not in _PARTICLES):
            continue  # "Human Rights", "Cyclone Idai": words, no name
        if first > 0 and tokens[first - 1].text.lower() in _PLACE_BEFORE:
            continue  # "in Seuneubok Teungah", "a settlement called El Aguacate": the place rules'

        start, end = tokens[first].start, tokens[last].end
        if _BODY_AFTER.match(text, end) or headlines.holds(start):
            continue
        if last + 1 < len(tokens) and tokens[last + 1].tag in {"NN", "NNS"}:
            continue  # "a Roman Catholic priest", "Sinn Fein deputy leader": the name modifies a noun
        if not _a_person(text, start, end, words, positions):
            continue
        if overlaps_nearby(spans, start, end):
            continue
        bisect.insort(spans, (start, end))
        out.append((start, end))
    return out


def find_untitled_names(
    text: str, taken: Iterable[Suggestion] = (), *, label: str = "ACTOR", type_attr: str | None = "actor_type"
) -> list[Suggestion]:
    """ACTOR suggestions (persons) for ``untitled_name_spans``, given every suggestion found so far."""
    attrs = {type_attr: "person"} if type_attr else {}
    spans = [(s.start, s.end) for s in taken]
    found = untitled_name_spans(text, spans)
    found += find_speaking_names(text, spans + found)
    return [Suggestion(label=label, start=a, end=b, attrs=dict(attrs), source=SOURCE) for a, b in found]
