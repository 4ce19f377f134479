"""Who said it, by the shape of the sentence: the noun phrase that is a speech verb's subject.

The QUOTE rule (``quotes.py``) links a quote to an ACTOR mention near its attribution; a word
list of roles misses the speaker it has never seen ("one villager who had seen the bodies
said", "a gang leader was heard saying", "The office said", "one of those who escaped told").
Here the tags and chunks of ``syntax.parse`` name the phrase instead:

- ``subject_before``: the noun phrase before the verb, over the auxiliaries between ("was
  heard saying"), a relative clause ("who had seen the bodies"), an apposition set off by
  commas or dashes ("one woman - the sole survivor of her family - told") and prepositional
  phrases ("a relief worker with the charity said"); the span is the head noun with its
  modifiers and no determiner, number or possessor ("villager", "gang leader", "the country's
  police minister" -> "police minister"), as the guidelines tag a speaker, and runs on over the
  prepositional phrases; "one of those who escaped" keeps its partitive and clause.
- ``subject_after``: "said a nurse, her blouse splattered": the noun phrase right after the
  verb ("told X" never: X is the one told).
- ``named_in_apposition``: "a 35-year-old man who would give only his first name, Amar": the
  name the phrase gives, which the guidelines link rather than the description.
- ``main_verb``: the sentence's first finite verb, whose subject a phrase quote after it is
  attributed to ("The minister decries the ‘worst payback killing’").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from annotator.services.suggestions.person_mentions import ROLES
from annotator.services.suggestions.syntax import Parsed, Token, parse

# what may stand between a subject and its verb: "was heard saying", "has also said"
_AUX = frozenset(
    "was were is are has have had been be being also later then further heard quoted reportedly still "
    "again repeatedly once here there".split()
)
# the verbs whose subject is a speaker whether or not a quote follows ("villagers said yesterday")
SPEECH_VERBS = frozenset(
    "said says told tells added adds warned stated explained noted reported announced recalled recounted testified "
    "saying".split()
)
# between a subject and its verb: "Police yesterday killed", "X has also said"
SUBJECT_GAP = re.compile(r"\s+(?:(?:has|have|had|also|later|then|yesterday|today|on\s+\w+day)\s+)*")
_TIME_WORDS = frozenset("yesterday today tonight also".split())
_RELATIVE = frozenset({"who", "which", "that", "whose", "where"})
_POSSESSIVE = ("’s", "'s")
_PREPOSITIONS = frozenset("in at from of with for on near among amongst inside outside".split())
_NP_TAGS = frozenset({"NN", "NNS", "JJ", "DT", "CD", "PRP$", "VBN"})
_DASHES = frozenset({"-", "—", "–"})
_QUANTIFIERS = frozenset("one two three some many several another each none most few".split())
_BOUNDARY_WORDS = frozenset({"and", "but", "while", "as", "then", "so"})
_PRONOUNS = frozenset("he she it they we i you who this that these those there latter former".split())
# document nouns speak for their issuer ("the statement said"): ``quotes.py`` links the issuer
DOCUMENT_NOUNS = frozenset(
    "statement communique communiqué release text declaration message letter video post tweet".split()
)
# not a speaker whatever the verb: a time, an event, a figure
_NOT_SPEAKERS = frozenset(
    "attack attacks incident toll figure figures number day week month year time morning night evening "
    "violence fighting shooting explosion blast bomb killing killings death deaths".split()
)
_PERSON_HEAD = re.compile(
    rf"(?:{ROLES}|man|woman|men|women|boy|girl|survivor|witness|eyewitness|source|villager|resident|local|"
    r"relative|neighbou?r|cousin|brother|sister|son|daughter|husband|wife|victim|one|those|person|"
    r"[a-z]+(?:man|woman|person|ist|ian|eer))s?",  # by morphology: "policeman", "medic"-ist, "physician", "volunteer"
    re.IGNORECASE,
)
_CLOSERS = frozenset({",", "-", "—", "–", "”", '"', "’", "“", "'", ".", ";", ":", "(", ")", "!", "?"})


@dataclass(frozen=True)
class Subject:
    """A speaker phrase: the span to tag, and whether it names a person."""

    start: int
    end: int
    person: bool


def _nounish(tokens: tuple[Token, ...], i: int) -> bool:
    """A common noun, or a word the tagger took for a verb after a determiner ("The governorate") or for an
    adjective before a verb ("A local chief condemned")."""
    token = tokens[i]
    if not token.text[:1].islower() or not token.text.isalpha():
        return False
    if token.tag in ("NN", "NNS"):
        return True
    if (
        token.tag == "JJ"
        and 0 < i < len(tokens) - 1
        and tokens[i - 1].tag in ("DT", "JJ", "NN", "PRP$", "CD")
        and tokens[i + 1].tag in ("VBD", "VBN", "VBZ", "VBP")
    ):
        return True  # "A local chief condemned": no adjective stands right before its verb
    return (
        token.tag in ("VB", "VBP", "VBZ")
        and i > 0
        and tokens[i - 1].tag == "DT"
        and not token.text.endswith(("ed", "ing"))
    )


def _skip_back(tokens: tuple[Token, ...], i: int, lo: int) -> int:
    """From ``i`` back over the auxiliaries, an apposition and a relative clause to the phrase's head."""
    steps = 0
    while i >= lo and steps < 4 and (tokens[i].text.lower() in _AUX or tokens[i].tag in ("RB", "MD")):
        i, steps = i - 1, steps + 1
    if i >= lo and tokens[i].text in _DASHES | {","}:  # "one woman - the sole survivor of her family - told"
        closer = tokens[i].text
        for j in range(i - 1, max(lo - 1, i - 16), -1):
            word = tokens[j].text
            if word in ("“", "”", '"', ".", ";", ":", "!", "?"):
                break
            if word == closer or closer in _DASHES and word in _DASHES:
                if j - 1 >= lo and tokens[j - 1].text not in _DASHES:
                    i = j - 1
                break
    for j in range(i, max(lo - 1, i - 10), -1):  # "one villager who had seen the bodies said"
        word = tokens[j].text
        if word in _CLOSERS:
            break
        if word.lower() in _RELATIVE and tokens[j + 1].tag == "PRP":
            return lo - 1  # "the children, which he described as": the clause has a subject of its own
        if word.lower() in _RELATIVE and tokens[j].tag in ("WP", "WP$", "WDT", "WRB", "IN", "DT") and j - 1 >= lo:
            if _nounish(tokens, j - 1) or tokens[j - 1].text.lower() == "those":
                return j - 1
            break
    return i


def _over_prepositions(tokens: tuple[Token, ...], i: int, lo: int) -> int:
    """From the noun ending a prepositional phrase back to the noun it belongs to: "a teacher from the
    town", "the mother of one of the victims", "a source in the government in Darfur"."""
    head, cursor = i, i
    for _ in range(3):
        j = cursor
        while j - 1 >= lo and (tokens[j - 1].tag in _NP_TAGS or tokens[j - 1].tag.startswith("NNP")):
            j -= 1
        if not (j - 2 >= lo and tokens[j - 1].tag == "IN" and tokens[j - 1].text.lower() in _PREPOSITIONS):
            break
        cursor = j - 2
        if _nounish(tokens, cursor):
            head = cursor
        elif not (tokens[cursor].tag == "CD" or tokens[cursor].text.lower() in _QUANTIFIERS):
            break
    return head


def _phrase_start(tokens: tuple[Token, ...], head: int, lo: int, *, coordinated: bool = True) -> int | None:
    """The first modifier of the head noun (no determiner, no number); None when the phrase does
    not start a clause (it is the object of something else)."""
    first = head
    while first - 1 >= lo and (
        (tokens[first - 1].tag in ("NN", "NNS", "JJ", "VBN", "VBG") or tokens[first - 1].tag.startswith("NNP"))
        and tokens[first - 1].text.lower() not in _QUANTIFIERS | _AUX
        and not tokens[first - 1].text.endswith(_POSSESSIVE)
    ):
        first -= 1
    before = first - 1
    if before >= lo and (tokens[before].tag == "POS" or tokens[before].text.endswith(_POSSESSIVE)):
        # "The country's police minister": the possessor stands for the determiner, the span starts after it
        before -= 1 if tokens[before].tag != "POS" else 2
        while before >= lo and (tokens[before].tag in ("NN", "NNS", "JJ") or tokens[before].tag.startswith("NNP")):
            before -= 1
    if before >= lo and (tokens[before].tag in ("DT", "PRP$", "CD") or tokens[before].text.lower() in _QUANTIFIERS):
        before -= 1
    if before < lo or tokens[before].text in _CLOSERS or coordinated and tokens[before].text.lower() in _BOUNDARY_WORDS:
        return first
    return None


def _stop(sentence: tuple[int, int]) -> int:
    return sentence[1]


def _sentence_of(parsed: Parsed, index: int) -> tuple[int, int]:
    """The sentence (first token, last + 1) holding token ``index``: a binary search, the sentences tile the tokens."""
    found = bisect_right(parsed.sentences, index, key=_stop)
    if found < len(parsed.sentences) and parsed.sentences[found][0] <= index:
        return parsed.sentences[found]
    return index, index + 1


def subject_before(text: str, verb_start: int) -> Subject | None:
    """The common-noun phrase that is the subject of the verb starting at ``verb_start``."""
    parsed = parse(text)
    tokens = parsed.tokens
    v = parsed.token_index(verb_start)
    if v >= len(tokens) or tokens[v].start != verb_start:
        return None
    lo, _stop = _sentence_of(parsed, v)
    head = _skip_back(tokens, v - 1, lo)
    if head >= lo and tokens[head].tag == "CC":  # "The governorate did not give ... but blamed": the clause's subject
        first_verb = next(
            (j for j in range(lo, head) if tokens[j].tag in ("VBD", "VBZ", "VBP", "MD") and not _nounish(tokens, j)),
            None,
        )
        head = _skip_back(tokens, first_verb - 1, lo) if first_verb is not None else lo - 1
    if head < lo:
        return None
    end_of_phrase = head  # "a source in the government in Darfur": the span runs to the phrase's end
    head = _over_prepositions(tokens, head, lo)
    word = tokens[head].text.lower()
    if word == "those" and head - 2 >= lo and tokens[head - 1].text == "of":  # "one of those who escaped told"
        quantifier = head - 2
        if tokens[quantifier].text.lower() not in _QUANTIFIERS:
            return None
        end = v - 1
        while end > head and (tokens[end].text.lower() in _AUX or tokens[end].text in _CLOSERS):
            end -= 1
        start = _phrase_start(tokens, quantifier + 1, lo)
        if start is None:
            return None
        return Subject(tokens[quantifier].start, tokens[end].end, True)
    partitive = _partitive(tokens, head, lo)  # "one of his colleagues said", "two of the survivors told"
    if partitive is not None and _nounish(tokens, head) and word not in _NOT_SPEAKERS | DOCUMENT_NOUNS:
        return Subject(tokens[partitive].start, tokens[end_of_phrase].end, bool(_PERSON_HEAD.fullmatch(word)))
    opens = head == lo and tokens[head].tag in ("NN", "NNS") and tokens[head].text.isalpha()  # "Doctors ... said"
    if not (_nounish(tokens, head) or opens) or word in _PRONOUNS or word in _NOT_SPEAKERS or word in DOCUMENT_NOUNS:
        return None
    # "the security of lives and property in X said": after a prepositional phrase "and" joins no subject
    start = _phrase_start(tokens, head, lo, coordinated=head == end_of_phrase)
    if start is None:
        return None
    return Subject(tokens[start].start, tokens[end_of_phrase].end, bool(_PERSON_HEAD.fullmatch(word)))


def _partitive(tokens: tuple[Token, ...], head: int, lo: int) -> int | None:
    """The quantifier of "one of his colleagues" / "some of the residents" before the head noun, when it starts
    a clause; None otherwise."""
    first = head
    while first - 1 >= lo and tokens[first - 1].tag in ("NN", "NNS", "JJ", "VBN"):
        first -= 1
    k = first - 1
    if k >= lo and tokens[k].tag in ("DT", "PRP$"):
        k -= 1
    if not (k - 1 >= lo and tokens[k].text.lower() == "of"):
        return None
    quantifier = k - 1
    if not (tokens[quantifier].text.lower() in _QUANTIFIERS or tokens[quantifier].tag == "CD"):
        return None
    before = quantifier - 1
    starts = before < lo or tokens[before].text in _CLOSERS or tokens[before].text.lower() in _BOUNDARY_WORDS
    return quantifier if starts else None


def subject_after(text: str, verb_end: int) -> Subject | None:
    """ "said a nurse, ...", "said the local official.": the common-noun phrase right after the verb."""
    parsed = parse(text)
    tokens = parsed.tokens
    i = parsed.token_index(verb_end)
    if i >= len(tokens):
        return None
    _lo, stop = _sentence_of(parsed, i)
    if tokens[i].tag in ("DT", "PRP$") or tokens[i].text.lower() in _QUANTIFIERS:
        i += 1
    first = i
    while i < stop and (
        tokens[i].tag in ("JJ", "NN", "NNS", "VBN", "CD")
        and not tokens[i].text[:1].isupper()
        or tokens[i].text == "-"
        and i > first
        and tokens[i - 1].tag == "CD"  # "a 35-year-old man"
    ):
        i += 1
    head = i - 1
    if head < first or not _nounish(tokens, head):
        return None
    if i < stop and tokens[i].text not in _CLOSERS and tokens[i].text.lower() not in _PREPOSITIONS | {"who"}:
        return None  # "said the spokesman Ahmed": the name is; "said 21 people were killed": a clause
    word = tokens[head].text.lower()
    if word in _NOT_SPEAKERS or word in DOCUMENT_NOUNS:
        return None
    return Subject(tokens[first].start, tokens[head].end, bool(_PERSON_HEAD.fullmatch(word)))


_GAVE_NAME = re.compile(
    r"\s*(?:,\s*)?who\s+(?:would\s+|only\s+)?(?:gave|give|identified|named|called|introduced)\b[^.;!?“”\"]{0,60}?"
    r"(?:name|herself|himself)\b[^.;!?“”\"]{0,20}?(?:,|\s+as)\s+(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})"
)


def named_in_apposition(text: str, end: int) -> tuple[int, int] | None:
    """ "a 35-year-old man who would give only his first name, Amar": the name's span, after ``end``."""
    m = _GAVE_NAME.match(text, end)
    return (m.start("name"), m.end("name")) if m else None


def main_verb(text: str, at: int) -> int | None:
    """Where the first finite verb of the sentence holding ``at`` starts, if it comes before ``at``."""
    parsed = parse(text)
    tokens = parsed.tokens
    index = parsed.token_index(at)
    if index >= len(tokens):
        return None
    lo, _stop = _sentence_of(parsed, index)
    for j in range(lo, index):
        before = j - 1
        if before > lo and tokens[before].text.lower() in _TIME_WORDS:  # "Carlos Belo yesterday described"
            before -= 1
        finite = tokens[j].tag in ("VBD", "VBZ", "VBP") or (  # "Wilfried Houngbedji offered", tagged VBN
            tokens[j].tag == "VBN" and before >= lo and tokens[before].tag in ("NNP", "NNPS", "PRP")
        )
        if finite and not _nounish(tokens, j):
            return tokens[j].start
    return None
