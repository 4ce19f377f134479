"""CASUALTY counts found by the shape of the clause, not by a numeral (issue 12, round 7).

A harm verb (any form of a lemma in ``harm_verbs``) with the people it befell:

- the subject of a passive harm verb: "Several soldiers were killed", "others had been taken hostage", "Many of the
  victims were beheaded", "All members of one family were killed", "the policemen were killed", "one soldier was
  killed", "seven of the attackers were also killed", "some have been reported missing"; in a headline the auxiliary
  may be missing ("Several soldiers killed");
- the object of an active harm verb: "killed the non combatant civilians", "killing several villagers".

The subject or object must be a count of people: a quantifier (several, some, many, dozens, all, others...) alone or
before a person noun, a partitive ("many of the victims", "seven of the attackers"), "the" with a plural person
noun, or a numeral with a person noun. A hedged clause ("could have been killed") is no count. Words are tagged by
``syntax.parse`` (Penn tags), so "killed" as a verb and the nouns around it are told apart by shape.

The figure rule keeps its own precision check here too: ``perpetrators_acting`` says when the people counted before a
harm word are the ones who did it ("two gunmen ... opened fire and killed two officials", "roughly 50 marauders
left").
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from typing import Any

from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.casualty_people import AUX as _AUX
from annotator.services.suggestions.casualty_people import BE as _BE
from annotator.services.suggestions.casualty_people import NP_TAGS as _NP_TAGS
from annotator.services.suggestions.casualty_people import is_people as is_people  # casualty.py's
from annotator.services.suggestions.casualty_people import perceived, possessed, shared_subject
from annotator.services.suggestions.combine import Intervals
from annotator.services.suggestions.harm_verbs import HARMS, Harm, harm_of
from annotator.services.suggestions.numbers import parse_number
from annotator.services.suggestions.syntax import Token, parse
from annotator.services.suggestions.verb_forms import conjugate
from annotator.services.suggestions.victim_nouns import demonym

SOURCE = "rules:casualty"

# not "most": "most of the victims died" is a part of a count given already
QUANTIFIERS = frozenset("several some many dozens scores hundreds thousands all others numerous".split())
_ALONE = frozenset("some others several".split())  # a quantifier that is the subject by itself
_ONE = frozenset("a an another".split())
_HEDGE = frozenset("would could might may must should can".split())
_REPORTED = frozenset("reported feared presumed confirmed believed listed".split())
_STATES = {"missing": "missing", "dead": "killed"}
# people whose leaving or killing the figure counts as the act, not the harm: they did it
PERPETRATORS = frozenset(
    """militants gunmen attackers assailants marauders raiders insurgents rebels fighters militiamen jihadists
    terrorists bandits kidnappers abductors killers perpetrators suspects""".split()
)
_OBJECT_AFTER = re.compile(
    r"\s+(?:\d|(?:him|them|the|their|his|her|its|two|three|four|five|six|seven|eight|nine|ten|several|dozens|scores|hundreds)\s"
    r"(?!(?:day|night|week|month|year|morning|evening|afternoon|previous|following|next|same)\b))",
    re.IGNORECASE,
)
# an adverb between the auxiliary and the participle keeps it passive: "Five militants were also killed" (round 9)
_PASSIVE_BEFORE = re.compile(
    r"(?:\b(?:was|were|been|be|being|are|is|got)\s+(?:(?:\w+ly|also|later|then|all|both|since|now|just|still|too)\s+){0,2})$",
    re.IGNORECASE,
)


def perpetrators_acting(text: str, counted: str, trigger: re.Match[str], category: str | None) -> bool:
    """The people counted (``counted``: the words between the figure and the harm word) did it: they left, or the
    harm word is an active verb with an object."""
    if category == "fled" and any(word.lower() in PERPETRATORS for word in re.findall(r"[\w-]+", counted)[:4]):
        return True
    if category not in {"killed", "injured", "missing"}:
        return False
    if _PASSIVE_BEFORE.search(text, max(0, trigger.start() - 30), trigger.start()):
        return False
    verb = harm_of(trigger.group().split()[0])
    words = re.findall(r"[\w-]+", counted)[:3]
    if verb is not None and not verb[0].intransitive and any(word.lower() in PERPETRATORS for word in words):
        return True  # "five gunmen landed a boat ..., shot him dead": an active verb, its subject did it
    return trigger.group().lower().endswith("ed") and bool(_OBJECT_AFTER.match(text, trigger.end()))


def plural_head(text: str, start: int, limit: int) -> int | None:
    """End of a plural noun phrase starting at ``start`` ("schoolgirls", "young hostages"), by its tags, or None."""
    tokens = parse(text).tokens
    index = parse(text).token_index(start)
    for k in range(index, min(index + 4, len(tokens))):
        token = tokens[k]
        if token.end > limit or not token.text[:1].islower():
            return None
        if token.tag == "NNS":
            return token.end
        if token.tag not in {"JJ", "NN", "VBN"}:
            return None
    return None


Harmed = tuple[str, int, int, bool, "int | None"]  # category, form index, end, intransitive, a separated "dead"


_HARM_FORMS = frozenset(form for h in HARMS for form in conjugate(h.lemma))
_DEAD_FORMS = frozenset(form for h in HARMS if h.particle == "dead" for form in conjugate(h.lemma))


def _separated_dead(text: str, tokens: tuple[Token, ...], i: int) -> int | None:
    """ "shot another rebel dead", "left another person dead": the token index of the "dead" after the object."""
    if tokens[i].text.lower() not in _DEAD_FORMS:
        return None
    for k in range(i + 1, min(i + 6, len(tokens))):
        if tokens[k].text.lower() == "dead" and k > i + 1:
            return k
        if tokens[k].tag not in _NP_TAGS | {"NNP", "PRP"} or "\n" in text[tokens[k - 1].end : tokens[k].start]:
            return None
    return None


def _harm_at(text: str, tokens: tuple[Token, ...], i: int) -> Harmed | None:
    """The harm verb at token ``i``, if any; "reported missing" counts as one."""
    token = tokens[i]
    lower = token.text.lower()
    if lower in _REPORTED and i + 1 < len(tokens) and tokens[i + 1].text.lower() in _STATES:
        return _STATES[tokens[i + 1].text.lower()], 4, tokens[i + 1].end, False, None
    if lower not in _HARM_FORMS:
        return None
    found: tuple[Harm, int, int] | None = harm_of(token.text, text[token.end : token.end + 40])
    dead = _separated_dead(text, tokens, i) if found is None or not found[2] else None
    if dead is not None:  # the tagger may call "shot" a noun; "shot ... dead" is the verb
        return "killed", 3, tokens[dead].end, False, dead
    verb = token.tag.startswith("VB") or found is not None and found[2]
    if found is not None and not verb and token.tag == "NN":  # "police fatally shot four of the ...": a verb
        verb = (i > 0 and (tokens[i - 1].tag == "RB" or tokens[i - 1].text.lower() in _BE)) or (
            i + 1 < len(tokens) and tokens[i + 1].tag in {"DT", "CD"}
        )
    if found is None or not verb:
        return None
    harm, index, particle = found
    if harm.category == "fled":
        return None  # a verb of fleeing is the figure rule's predicate: no count without a figure
    fatally = i > 0 and tokens[i - 1].text.lower() in {"fatally", "mortally"}
    category = "killed" if fatally and harm.category == "injured" else harm.category
    return category, index, token.end + particle, harm.intransitive, None


def _phrase_before(text: str, tokens: tuple[Token, ...], end: int) -> tuple[int, int | None]:
    """First token of the noun phrase ending at token ``end`` (inclusive), and the index of a partitive "of"."""
    first = end + 1
    of_at: int | None = None
    while first - 1 >= 0 and end - first < 7:
        token = tokens[first - 1]
        if first <= end and "\n" in text[token.end : tokens[first].start]:
            break  # a phrase never runs over a line break (a headline, a paragraph)
        if token.tag in _NP_TAGS | {"NNP", "NNPS"} or token.text.lower() in QUANTIFIERS:
            first -= 1
        elif first == end + 1 and token.text.lower() == "them":
            first -= 1  # "four of them died"
        elif (
            token.text == "-"
            and first <= end
            and token.start == tokens[first - 2].end
            and token.end == tokens[first].start
        ):
            first -= 1  # "A 57-year-old man": the tokeniser splits "57-year-old" at its first hyphen
        elif token.text.lower() == "of" and of_at is None and first <= end and first - 2 >= 0:
            of_at = first - 1
            first -= 1
        else:
            break
    if of_at is not None and of_at == first:  # "of" without a phrase before it
        first, of_at = of_at + 1, None
    return first, of_at


def _count_of(
    tokens: tuple[Token, ...], first: int, last: int, of_at: int | None, definite: bool, bare: bool = False
) -> Any:
    """(victims text, count or None) when tokens ``first..last`` count people, else None."""
    words = [t.text for t in tokens[first : last + 1]]
    lead = words[0].lower()
    if [w.lower() for w in words[:2]] == ["a", "number"] and of_at is not None and is_people(tokens[last].text):
        return tokens[last].text, None  # "a number of civilians": a quantifier
    number = parse_number(words[0]) if tokens[first].tag == "CD" or lead == "one" else None
    head_index = of_at - 1 if of_at is not None and of_at - 1 > first else last
    head = tokens[head_index].text
    if of_at is not None and of_at - 1 == first:
        head = tokens[last].text  # "many of the victims", "seven of the attackers": the head is after "of"
    if lead in _ONE and of_at is None and first < last:
        return (tokens[last].text, 1) if is_people(tokens[last].text, plural=False) else None
    if (
        bare
        and of_at is None
        and tokens[first].tag in {"NN", "NNP", "JJ"}
        and is_people(tokens[last].text, plural=False)
    ):
        return tokens[last].text, 1  # a headline's "kills Northern Ireland policeman"
    if tokens[first].tag == "PRP$" and of_at is None and first < last and last - first <= 3:
        return possessed(tokens[first + 1 : last + 1])  # "his mother", "killing his little sister"
    if lead in QUANTIFIERS:
        if first == last and lead in _ALONE:
            return lead, None
        if is_people(head) or (head_index != last and is_people(tokens[last].text)) or head.lower() == "them":
            return (tokens[last].text if of_at == first + 1 else " ".join(words[1:])), None
        return None
    if number is not None and number[0] == number[1] and number[0] >= 1:
        if number[0] == 1 and of_at is None and first + 1 == last and is_people(head, plural=False):
            return head, 1
        if number[0] > 1 and of_at is not None and (is_people(head) or head.lower() == "them"):
            return head, number[0]
        return None
    if definite and lead == "the" and of_at is None and 1 <= last - first <= 3 and is_people(head):
        return " ".join(words[1:]), None
    return None


def _suggestion(label: str, start: int, end: int, category: str, victims: str, count: int | None) -> Any:
    if count == 1 and category not in {"killed", "injured", "missing"}:
        return None  # "A 19-year-old Muslim woman was raped": the schema's own example of no figure
    attrs: dict[str, Any] = {"qualifier": "exact", "category": category, "victims": victims}
    if count is not None:
        attrs["count_min"] = attrs["count_max"] = count
    return Suggestion(label=label, start=start, end=end, attrs=attrs, source=SOURCE)


def _shares_be(text: str, tokens: tuple[Token, ...], first: int) -> bool:
    """ "Two people were killed and several others injured": the second clause shares the first one's "were"."""
    if first == 0 or tokens[first - 1].text.lower() != "and":
        return False
    before = tokens[max(0, first - 10) : first - 1]
    return (
        any(t.text.lower() in {"was", "were"} for t in before)
        and "\n" not in text[before[0].start : tokens[first].start]
    )


def _coordinated(text: str, tokens: tuple[Token, ...], first: int, last: int) -> tuple[int, str, int] | None:
    """ "an official and security guard", "A Venezuelan National Guardsman and a motorcyclist": two people, each a
    singular person noun, the first with "a"/"an": (first token, victims, 2)."""
    if first < 2 or tokens[first - 1].text.lower() != "and":
        return None
    second = _count_of(tokens, first, last, None, definite=False, bare=True)
    start, _ = _phrase_before(text, tokens, first - 2)
    one = _count_of(tokens, start, first - 2, None, definite=False) if start <= first - 2 else None
    if second is None or one is None or second[1] != 1 or one[1] != 1 or tokens[start].text.lower() not in _ONE:
        return None
    return start, f"{one[0]} and {second[0]}", 2


def _relative_before(text: str, tokens: tuple[Token, ...], j: int) -> int | None:
    """The "who" of a relative clause that ends at token ``j`` (its subject is the main verb's), within 20 tokens."""
    for k in range(j, max(0, j - 20), -1):
        word = tokens[k].text
        if word.lower() == "who" and k > 0 and tokens[k - 1].tag in {"NN", "NNP"}:
            return k
        if word in {".", ";", ":", "“", "”", '"'} or "\n" in text[tokens[k - 1].end : tokens[k].start]:
            return None
    return None


def _passive(text: str, tokens: tuple[Token, ...], i: int, harm: Harmed, label: str) -> Any:
    category, index, end, intransitive, dead = harm
    if index < 3 or dead is not None:
        return None
    j = i - 1
    while j >= 0 and (tokens[j].text.lower() in _AUX or (tokens[j].tag == "RB" and tokens[j].text.endswith("ly"))):
        j -= 1
    chain = {t.text.lower() for t in tokens[j + 1 : i]}
    if j > 0 and tokens[j].text.lower() == "and":  # "were dragged out of homes and chopped to death"
        shared = shared_subject(text, tokens, j)
        if shared is not None:
            j, chain = shared[0], chain | shared[1]
    if j < 0 or chain & _HEDGE or tokens[j].text.lower() in _HEDGE:
        return None
    if ("being" in chain and not perceived(tokens, j)) or (chain & {"is", "are"} and "been" not in chain):
        return None  # "many people are being killed": what goes on, not a count of an event
    if j >= 1 and tokens[j - 1].text.lower() == "how" or j >= 2 and tokens[j - 2].text.lower() == "how":
        return None  # "how many were killed": a question
    if j >= 3 and tokens[j].text == "," and tokens[j - 1].tag == "CD" and tokens[j - 2].text == ",":
        j -= 3  # "Mamadou Bela Balde, 30, was shot": the age between the name and the verb
    if tokens[j].tag == "NNP" and (chain & {"was"} or intransitive) and not demonym(tokens[j].text):
        return _named(text, tokens, j, end, category, label)
    who = _relative_before(text, tokens, j)
    if who is not None:  # "A National Guard captain who was shot in the head ... died"
        first, _ = _phrase_before(text, tokens, who - 1)
        counted = _count_of(tokens, first, who - 1, None, definite=False) if first < who else None
        if counted is not None and counted[1] == 1 and (chain & {"was", "has"} or intransitive):
            return _suggestion(label, tokens[first].start, end, category, counted[0], counted[1])
    if tokens[j].tag not in _NP_TAGS | _PLURAL_TAGS and tokens[j].text.lower() not in QUANTIFIERS | {"them"}:
        return None
    first, of_at = _phrase_before(text, tokens, j)
    if first > j:
        return None
    pair = _coordinated(text, tokens, first, j) if of_at is None else None
    if pair is not None:
        return _suggestion(label, tokens[pair[0]].start, end, category, pair[1], pair[2])
    has_be = bool(chain & _BE) or _shares_be(text, tokens, first)
    counted = _count_of(tokens, first, j, of_at, definite=has_be and not intransitive)
    if counted is None and of_at is None:
        bare = _bare_plural(text, tokens, first, j, end, has_be and not intransitive)
        if bare is not None:
            return _suggestion(label, tokens[bare[0]].start, end, category, bare[1], None)
    if counted is None:
        return None
    if (
        not has_be
        and not intransitive
        and (
            tokens[first].text.lower() not in QUANTIFIERS
            or first == j
            or _last_visible(text, tokens[first].start) not in "\n"
        )
    ):
        return None  # without an auxiliary only a headline's "Several soldiers killed", not "many of the people killed were"
    if not has_be and i + 1 < len(tokens) and tokens[i + 1].tag in {"DT", "CD", "PRP$", "NNS"}:
        return None  # "Several gunmen killed the driver": active, the subject did it
    return _suggestion(label, tokens[first].start, end, category, counted[0], counted[1])


_PLURAL_TAGS = frozenset({"NNS", "NNP", "NNPS"})  # the tagger calls a capitalised first word a name ("Herders")


def _bare_plural(
    text: str, tokens: tuple[Token, ...], first: int, j: int, end: int, has_be: bool
) -> tuple[int, str] | None:
    """ "Militiamen were killed", "Women and children were dragged out ... and chopped to death", a headline's "East
    Timor militiamen killed": a plural person noun with no determiner or figure (two of them joined by "and"), as the
    subject of a passive harm verb or of a headline's participle. (first token, victims) or None."""
    if tokens[j].tag not in _PLURAL_TAGS or not is_people(tokens[j].text) or j - first > 2:
        return None
    if tokens[first].tag in {"DT", "CD", "PRP$", "PDT"} or tokens[first].text.lower() in QUANTIFIERS:
        return None
    if (
        first >= 2
        and first == j
        and tokens[first - 1].text.lower() == "and"
        and tokens[first - 2].tag in _PLURAL_TAGS
        and is_people(tokens[first - 2].text)
    ):
        first -= 2  # "Women and children"
        if first and tokens[first - 1].tag in {"DT", "CD", "PRP$", "PDT"}:
            return None  # "their husbands and children": not bare
    if not has_be and _last_visible(text, tokens[first].start) not in "\n":
        return None  # without an auxiliary only at the start of a headline
    if not has_be and _OBJECT_AFTER.match(text, end) or re.match(r"\s+(?:an?|another)\s", text[end : end + 10]):
        return None  # "Troops shot dead a guerrilla": active, the subject did it
    return first, text[tokens[first].start : tokens[j].end]


def _named(text: str, tokens: tuple[Token, ...], j: int, end: int, category: str, label: str) -> Any:
    """ "Yunus-Bek Yevkurov was gravely wounded": one person, named (up to four capitalised words)."""
    first = j
    while first - 1 >= 0 and j - first < 3 and tokens[first - 1].tag == "NNP" and tokens[first - 1].text[:1].isupper():
        first -= 1
    before = tokens[first - 1] if first else None
    if before is not None and (before.tag in {"DT", "IN", "POS"} or before.text in {"'s", "’s"}):
        return None  # "the Red Cross", "of Nigeria": an institution or a place, not one person
    if first == j:
        return None  # one word alone is as often a place or a group ("Kabul was hit")
    name = text[tokens[first].start : tokens[j].end]
    return _suggestion(label, tokens[first].start, end, category, name, 1)


def names_a_person(suggestion: Suggestion) -> bool:
    """A count of one whose victim is named (``_named``): the name is an ACTOR as well as the victim."""
    victims = str(suggestion.attrs.get("victims") or "")
    return suggestion.attrs.get("count_max") == 1 and victims[:1].isupper() and " " in victims


_OBJECT_TAGS = _NP_TAGS | {"NNP", "NNPS"}


def _active(text: str, tokens: tuple[Token, ...], i: int, harm: Harmed, label: str) -> Any:
    """The object of an active harm verb: "killed the non combatant civilians", "killing several villagers",
    "shot dead a guerrilla", "fatally shot eight of the machete-wielding assailants", a headline's "kills policeman",
    "shot another rebel dead"."""
    category, index, end, intransitive, dead = harm
    if intransitive or (index == 4 and dead is None) or (i > 0 and tokens[i - 1].text.lower() in _BE):
        return None
    k = i + 1
    while dead is None and k < len(tokens) and tokens[k].start < end:
        k += 1  # past the particle ("shot dead")
    last, of_at = k, None
    stop = dead if dead is not None else min(len(tokens), k + 7)
    while last < stop and "\n" not in text[tokens[last - 1].end : tokens[last].start]:
        word = tokens[last].text.lower()
        if (
            word == "of"
            and of_at is None
            and last == k + 1
            and (tokens[k].tag == "CD" or tokens[k].text.lower() in QUANTIFIERS)
        ):
            of_at = last  # "eight of the assailants"
        elif tokens[last].tag not in _OBJECT_TAGS and word != "non":
            break
        last += 1
        if tokens[last - 1].tag == "NNS" or (
            tokens[last - 1].tag == "NN" and is_people(tokens[last - 1].text, plural=False)
        ):
            break
    if last == k or (dead is not None and last != dead):
        return None
    counted = _count_of(tokens, k, last - 1, of_at, definite=True, bare=index == 1)
    if counted is None or counted[0].lower() in _ALONE:
        return None
    if tokens[k].tag == "CD" and of_at is None:
        return None  # "killed 21 civilians": the figure rule's
    span_end = end if dead is not None else tokens[last - 1].end
    return _suggestion(label, tokens[i].start, span_end, category, counted[0], counted[1])


def _act_nouns() -> dict[str, str]:
    nouns = {noun: harm.category for harm in HARMS for noun in harm.nouns if noun != "lives"}
    return {**nouns, "death": "killed", "deaths": "killed"}


_ACT_NOUNS = _act_nouns()


def _act_of(text: str, tokens: tuple[Token, ...], i: int, label: str) -> Any:
    """ "the murder of a tribesman", a headline's "death of policeman": the act named, "of", one person."""
    category = _ACT_NOUNS.get(tokens[i].text.lower())
    if category is None or not tokens[i].tag.startswith("NN") or i + 2 >= len(tokens) or tokens[i + 1].text != "of":
        return None
    harm: Harmed = (category, 1, tokens[i + 1].end, False, None)
    found = _active(text, tokens, i + 1, harm, label)
    if found is None or found.attrs.get("count_max") != 1:
        return None  # "the killing of the civilians" would be counted again by what follows; one person only
    return Suggestion(label=label, start=tokens[i].start, end=found.end, attrs=found.attrs, source=SOURCE)


def _last_visible(text: str, end: int) -> str:
    """The last character before ``end`` that is no space or tab ("" if none): ``text[:end].strip(" \t")[-1:]``
    without copying the text before ``end``."""
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    return text[end - 1] if end > 0 else ""


def counts_by_shape(text: str, label: str, taken: list[Suggestion]) -> list[Suggestion]:
    """The counts above that no earlier rule's suggestion overlaps."""
    tokens = parse(text).tokens
    earlier = Intervals((s.start, s.end) for s in taken)
    # what is kept: spans that do not overlap one another, by start (in ``starts``, sorted), in the order found
    kept: dict[int, Suggestion] = {}
    starts: list[int] = []
    for i in range(len(tokens)):
        harm = _harm_at(text, tokens, i)
        if harm is None:
            found = _act_of(text, tokens, i, label)
        else:
            found = _passive(text, tokens, i, harm, label) or _active(text, tokens, i, harm, label)
        if found is None or earlier.overlaps(found.start, found.end):
            continue
        # the main verb after a relative clause's own ("A captain who was shot ... died") widens the same count
        same = kept.get(found.start)
        if same is not None and same.end < found.end:
            del kept[found.start]
            del starts[bisect_left(starts, found.start)]
        # the kept spans do not overlap: the one starting last before ``found`` ends is the only one that may
        before = bisect_left(starts, found.end) - 1
        if before < 0 or kept[starts[before]].end <= found.start:
            kept[found.start] = found
            insort(starts, found.start)
    return list(kept.values())
