"""Figure-first CASUALTY counts: every figure, its people, the nearest harm predicate in its clause (issue 12, round 9).

Each round before this one added the sentence shapes its dev text showed ("N people were killed", "killing N",
"the death toll rose to N"), and the next text brought others. Here the figure comes first, whatever the shape:

1. **Every figure** the figure rule would read (numerals, number words, "dozens", "tens of thousands", with their
   qualifier), plus "several", "a few", "a number of", and partitives ("three of them", "two of the dead").
2. **Its people**: the noun phrase after the figure (by the tagger's tags) has a person noun as its head
   (``is_people``), or names the dead or hurt ("bodies", "casualties"), or is any plural noun that a harm verb
   needing an animate patient (kill, wound, injure, abduct, rape...) befalls, unless it is a thing
   (``THINGS``); or the figure stands alone ("Five were killed").
3. **The nearest harm predicate in the same clause**, after the figure (a passive or reduced participle "were
   (also) killed", "killed in", an intransitive "died", "fled", a state "were found dead", "N dead") or just
   before it (an active verb "killing at least N", an act noun "the deaths of N", a toll "the toll rose to N"),
   found by lemma (``harm_verbs``). Adverbs ("also", "later", "reportedly") and auxiliaries between are skipped;
   a sentence end, a semicolon, a colon, a dash, a bracket or another figure ends the search. An active verb
   with an object after the figure says the people counted did it ("Five militants killed two soldiers"): no
   count for them.
4. **Breakdowns** of a figure given ("including 12 children", "among them three women", "of whom 40 were
   children") are their own spans, with the category of the figure they break down.

The span runs from the qualifier (or the predicate before the figure) through the predicate and its object or
complement (``casualty_extent``), never an adjunct. ``casualty.find_casualties`` runs this after the older rules;
where their counts overlap, the engine keeps the longest.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.casualty_checks import BODIES_AND_ACTS
from annotator.services.suggestions.casualty_counts import PERPETRATORS, is_people
from annotator.services.suggestions.casualty_extent import complement_end, count_suggestion, qualifier
from annotator.services.suggestions.casualty_predicates import (
    ACT_OF,
    ALONG,
    ANIMATE,
    BE,
    BODY_HARM,
    BREAKDOWN,
    CAUSED,
    CLAUSE_END,
    FINDING,
    HEDGE,
    LOSE,
    MOVES,
    NP,
    OBJECT_START,
    PASSIVE_BE,
    PREDICATE_NOUNS,
    RELATIVE,
    STATES,
    THINGS,
    TOLL_VERBS,
)
from annotator.services.suggestions.harm_verbs import Harm, harm_of
from annotator.services.suggestions.numbers import NumberMatch
from annotator.services.suggestions.syntax import Parsed, Token, parse
from annotator.services.suggestions.verb_forms import conjugate


@dataclass(frozen=True)
class _Head:
    end: int  # token index after the figure's noun phrase
    word: str | None  # the head noun (None: the figure stands alone or is a partitive)
    people: bool  # a person noun, a partitive or the dead themselves
    category: str | None  # a noun that is the predicate itself ("bodies", "casualties", "displaced people")
    plural: bool = False  # the tagger calls the head a plural noun (NNS)
    partitive: bool = False  # "three of the dead": a part of a count, never a count by itself


def _sentence_stop(parsed: Parsed, i: int, firsts: list[int]) -> int:
    """Token index where the sentence holding token ``i`` ends."""
    k = bisect_right(firsts, i) - 1
    return parsed.sentences[k][1] if k >= 0 else len(parsed.tokens)


_POSSESSIVES = frozenset("the their our his her its my your this these those".split())


def _is_harm_word(token: Token, text: str) -> bool:
    lower = token.text.lower()
    return lower not in PREDICATE_NOUNS and harm_of(lower, text[token.end : token.end + 40]) is not None


def _noun_run(text: str, tokens: tuple[Token, ...], j: int, stop: int, most: int = 5) -> tuple[list[int], int]:
    """The tokens of a noun phrase from ``j`` (adjectives, nouns, a possessive 's), at most ``most``."""
    words: list[int] = []
    while j < stop and len(words) < most:
        token = tokens[j]
        modifier = token.tag in {"VBN", "VBG"} and j + 1 < stop and tokens[j + 1].tag in {"NN", "NNS", "JJ"}
        if not (token.tag in NP or token.tag == "POS" or token.text.lower() in PREDICATE_NOUNS or modifier):
            break  # "a suspected suicide bomber": a participle before a noun is its modifier
        if words and _is_harm_word(token, text):
            break  # a headline's "Five Soldiers Killed": the verb, not a name's word
        words.append(j)
        j += 1
        if token.tag in {"NNS", "NNPS"} and token.text.islower() and token.text.lower() not in PREDICATE_NOUNS:
            break  # a plural common noun ends the phrase ("12 villagers Monday")
    return words, j


def _modifiers(tokens: tuple[Token, ...], j: int, stop: int, text: str) -> int:
    """Skip what may stand between the people counted and their verb: a coordinated noun phrase ("and their
    families"), one prepositional phrase ("of the security forces", "from Chechnya", "in their twenties")."""
    if j < stop and tokens[j].tag == "CC" and j + 1 < stop and tokens[j + 1].tag in NP | {"DT", "PRP$", "CD"}:
        k = j + 1
        if tokens[k].tag in {"DT", "PRP$", "CD"}:
            k += 1
        words, after = _noun_run(text, tokens, k, stop)
        if words:
            j = after
    if j + 2 < len(tokens) and tokens[j].text == "(" and tokens[j + 2].text == ")":
        j += 3  # "members of the Central Reserve Police Force (CRPF) were killed": a short form
    if j < stop and tokens[j].text.lower() in {"of", "from", "in", "with", "at", "on"}:
        k = j + 1
        if k < stop and tokens[k].tag in {"DT", "PRP$", "PRP"}:
            k += 1
            if tokens[k - 1].tag == "PRP":
                return k  # "Two others with them"
        words, after = _noun_run(
            text, tokens, k, stop, 8
        )  # "of the national paramilitary Central Reserve Police Force"
        if words:
            if after + 2 < len(tokens) and tokens[after].text == "(" and tokens[after + 2].text == ")":
                return after + 3
            return after
    return j


def _head(text: str, tokens: tuple[Token, ...], j: int, stop: int, number: NumberMatch) -> _Head:
    """The noun phrase after the figure (token ``j`` is the first after it)."""
    partitive = False
    if j < stop and tokens[j].text.lower() == "of":  # "dozens of people", "three of them", "two of the dead"
        j += 1
        if j < stop and tokens[j].text.lower() in {"them", "us", "whom", "those", "these"}:
            if tokens[j].text.lower() == "those" and j + 1 < stop and tokens[j + 1].text.lower() in RELATIVE:
                return _Head(j + 1, None, False, None)  # "one of those who escaped told ...": who they are
            return _Head(j + 1, None, True, None)
        if j < stop and tokens[j].text.lower() in _POSSESSIVES:
            partitive = True
            j += 1
    words, j = _noun_run(text, tokens, j, stop)
    if not words:
        return _Head(j, None, False, None)
    word = tokens[words[-1]].text
    lower = word.lower()
    category = next((PREDICATE_NOUNS[t] for k in words if (t := tokens[k].text.lower()) in PREDICATE_NOUNS), None)
    single = number.low == 1 and number.high == 1 and not partitive
    people = is_people(word, plural=not single) or lower in BODIES_AND_ACTS or category is not None
    if not people and not single and word[:1].isupper() and lower.endswith("s") and len(words) == 1:
        people = lower not in THINGS and not word.isupper()  # a people's name in the plural: "Karens", "Hmongs"
    return _Head(j, word, people, category, tokens[words[-1]].tag == "NNS", partitive)


def _aux_skip(tokens: tuple[Token, ...], k: int, stop: int) -> tuple[int, bool, bool]:
    """Skip adverbs, auxiliaries, a relative pronoun and a reporting frame ("who he said had been", "were reported
    to have been"): (next token, a passive auxiliary seen, a hedge seen)."""
    passive = hedge = False
    skipped = 0
    while k < stop and skipped < 8:
        token = tokens[k]
        lower = token.text.lower()
        nxt = tokens[k + 1].text.lower() if k + 1 < stop else ""
        if lower in HEDGE:
            hedge = True
        elif lower in BE:
            passive = passive or lower in PASSIVE_BE
        elif (
            lower in RELATIVE
            and token.tag != "DT"
            or lower in {"all", "both", "each"}
            or token.tag.startswith("RB")
            and lower not in {"not", "never", "n't"}
        ):
            pass
        elif lower in FINDING | {"said", "suspected", "thought", "known", "estimated"} and nxt == "to":
            pass  # "were reported to have been", "are believed to be"
        elif lower == "to" and (nxt in {"have", "be", "been"} or k + 1 < stop and tokens[k + 1].tag == "VB"):
            pass
        elif token.tag == "PRP" and nxt in {"said", "says"}:
            k += 2  # "who he said had been killed"
            skipped += 2
            continue
        else:
            break
        k += 1
        skipped += 1
    return k, passive, hedge


def _move_of(token: Token, following: str) -> tuple[Harm, bool, int] | None:
    """A predicate of ``MOVES`` at ``token``: (the entry, the form is a participle, the particle's length)."""
    lower = token.text.lower()
    for harm in MOVES:
        forms = conjugate(harm.lemma)
        if lower not in forms:
            continue
        m = re.match(rf"\s+(?:{harm.particle})(?![\w-])", following, re.IGNORECASE) if harm.particle else None
        if harm.particle and m is None:
            continue
        return harm, lower in forms[3:], m.end() if m else 0
    return None


def _forward(text: str, tokens: tuple[Token, ...], k: int, stop: int, head: _Head) -> tuple[str, int, int] | None:
    """The harm predicate after the people counted: (category, end offset, 1 if active with an object else 0)."""
    k, passive, hedge = _aux_skip(tokens, k, stop)
    if k >= stop or hedge:
        return None
    token = tokens[k]
    lower = token.text.lower()
    nxt = tokens[k + 1].text.lower() if k + 1 < stop else ""
    following = text[token.end : token.end + 60]
    if lower in FINDING and nxt in STATES:
        return STATES[nxt], tokens[k + 1].end, 0  # "were found dead", "went missing"
    if lower == "in" and nxt in {"hospital", "hospitals"} and passive:
        return "injured", tokens[k + 1].end, 0  # "are in hospital"
    if lower == "among" and nxt in {"the", "those"} and k + 2 < stop and tokens[k + 2].text.lower() in STATES:
        return STATES[tokens[k + 2].text.lower()], tokens[k + 2].end, 0  # "were among the dead"
    if lower in {"their", "his", "her"} and k > 0 and tokens[k - 1].text.lower() in {"had", "have", "has"}:
        for m in range(k + 1, min(k + 5, stop)):  # "had their throats slit", "had their ears cut off"
            part = tokens[m].text.lower()
            if part in BODY_HARM and m + 1 < stop and tokens[m + 1].tag in {"VBN", "VBD", "NN", "JJ"}:
                verb = tokens[m + 1]
                off = re.match(r"\s+(?:off|out)(?![\w-])", text[verb.end : verb.end + 8])
                return BODY_HARM[part], verb.end + (off.end() if off else 0), 0
    move = _move_of(token, following)
    if move is not None:
        harm, _participle, particle = move
        if harm.category == "fled" and head.word and head.word.lower() in PERPETRATORS:
            return None
        return harm.category, token.end + particle, 0
    found = harm_of(token.text, following)
    if found is None:
        if lower in STATES and (passive or k == head.end):
            return STATES[lower], token.end, 0  # "were missing", "three dead"
        return None
    harm, _index, particle = found
    end = token.end + particle
    if harm.intransitive or harm.category in {"fled", "displaced"}:
        if harm.category == "fled" and head.word and head.word.lower() in PERPETRATORS:
            return None  # "the gunmen fled": they did it
        return harm.category, end, 0
    forms = conjugate(harm.lemma)
    if lower not in forms[3:]:
        return harm.category, end, 1  # an active present ("five rebels kill two"): the people counted act
    after = tokens[k + 1] if k + 1 < len(tokens) else None  # past the clause: the object may be the next figure
    objected = after is not None and after.tag in OBJECT_START and after.text.lower() not in {"that", "this", "last"}
    if not passive and not particle and objected:
        return harm.category, end, 1  # "Five militants killed two soldiers": an active verb with its object
    category = (
        "killed"
        if harm.category == "injured" and k > 0 and tokens[k - 1].text.lower() in {"fatally", "mortally"}
        else harm.category
    )
    return category, end, 0


def _toll_start(tokens: tuple[Token, ...], t: int, first: int) -> int:
    """ "death toll", "casualty toll": the noun before "toll" is the toll's."""
    return tokens[t - 1].start if t - 1 >= first and tokens[t - 1].tag in {"NN", "JJ"} else tokens[t].start


def _backward(text: str, tokens: tuple[Token, ...], i: int, first: int, head: _Head) -> tuple[str, int] | None:
    """The harm predicate just before the figure (token ``i`` is the qualifier's or figure's first): (category, start
    offset)."""
    b = i - 1
    while b >= first:
        word = tokens[b].text.lower()
        if word in {"another", "a", "an", "estimated", "some", "total"}:
            b -= 1
        elif word == "of" and b - 1 >= first and tokens[b - 1].text.lower() == "total":  # "a total of"
            b -= 2
        else:
            break
    if b < first:
        return None
    token = tokens[b]
    lower = token.text.lower()
    if lower == "of" and b - 1 >= first and tokens[b - 1].text.lower() == "toll":
        return "killed", _toll_start(tokens, b - 1, first)  # "a death toll of 12"
    if lower == "of" and b - 1 >= first and tokens[b - 1].text.lower() in ACT_OF:
        return ACT_OF[tokens[b - 1].text.lower()], tokens[b - 1].start  # "the deaths of 12"
    if lower in BE and b - 1 >= first and tokens[b - 1].text.lower() in {*PREDICATE_NOUNS, "victims"}:
        noun = tokens[b - 1].text.lower()  # "Among the fatalities were 61", "the dead were three"
        return PREDICATE_NOUNS.get(noun, "killed"), tokens[b - 1].start
    if lower in TOLL_VERBS:  # "the death toll in X has risen to 13", "put the number of dead at three"
        for t in range(b, max(first - 1, b - 12), -1):
            word = tokens[t].text.lower()
            if word in {",", ";", ":"} or (
                tokens[t].tag.startswith("VB") and word not in TOLL_VERBS | BE | {"put", "brought", "rising", "risen"}
            ):
                break
            if word == "toll":
                return "killed", _toll_start(tokens, t, first)
            if (
                word == "number"
                and t + 2 <= b
                and tokens[t + 1].text.lower() == "of"
                and (
                    tokens[t + 2].text.lower() in STATES or tokens[t + 2].text.lower() in {"those", "people", "victims"}
                )
            ):
                return "killed", tokens[t].start
    if lower in LOSE and head.people:
        return "killed", token.start  # "we have lost six people", "lost a total of 53 men"
    for v in range(b, max(first - 1, b - 4), -1):  # "shot dead two", "hacked to death 19", "slit the throats of 87"
        found = harm_of(tokens[v].text, text[tokens[v].end : tokens[v].end + 40])
        if found is not None and found[2] and tokens[v].end + found[2] == token.end:
            return found[0].category, tokens[v].start
    found = harm_of(token.text)
    if found is None or found[0].particle or found[0].intransitive or found[0].category in {"fled"}:
        return None
    if b - 1 >= first and tokens[b - 1].text.lower() in PASSIVE_BE | {"by"}:
        return None  # "were killed 12 days ago" / "wounded by ..."
    return found[0].category, token.start


def figure_counts(text: str, label: str, taken: list[Suggestion], figures: list[NumberMatch]) -> list[Suggestion]:
    """A count for each figure of people with a harm predicate in its clause. ``figures`` are the figure rule's
    candidates (no dates, ages, units, identifiers, things); ``taken`` (the older rules' counts) gives a breakdown
    its category. The engine keeps the longest of overlapping counts."""
    parsed = parse(text)
    firsts = [a for a, _ in parsed.sentences]
    earlier = sorted((s.end, s.attrs.get("category")) for s in taken)  # the older counts, for a breakdown's category
    ends = [end for end, _ in earlier]
    out: list[Suggestion] = []
    last_breakdown = -1
    for n, number in enumerate(figures):
        q_start, _ = qualifier(text, number.start)
        k = bisect_right(ends, q_start) - 1
        last = max([c for c in [earlier[k] if k >= 0 else None, (out[-1].end, out[-1].attrs.get("category")) if out
                                else None] if c is not None], default=None, key=lambda c: c[0])  # fmt: skip
        joined = None  # "killed 11 soldiers along with four police", "included 100 troops and about 100 civilians"
        if last is not None and isinstance(last[1], str):
            gap = text[last[0] : q_start]
            if _ALONG.fullmatch(gap) or (last[0] == last_breakdown and _AND.fullmatch(gap)):
                joined = last[1]
        found = _count(
            text, parsed, firsts, number, figures[n + 1].start if n + 1 < len(figures) else len(text), joined
        )
        if found is None:
            continue
        start, end, category, breakdown = found
        if breakdown and category is None:  # the category of the last count ending before it in its sentence
            i = parsed.token_index(start)
            sentence_start = parsed.tokens[parsed.sentences[bisect_right(firsts, i) - 1][0]].start
            k = bisect_right(ends, start) - 1
            before = [c for c in [earlier[k] if k >= 0 else None, (out[-1].end, out[-1].attrs.get("category")) if out
                                  else None] if c is not None and sentence_start <= c[0] <= start]  # fmt: skip
            category = max(before, key=lambda c: c[0])[1] if before else None
        if not isinstance(category, str) or (out and out[-1].end > start):
            continue
        _, q = qualifier(text, number.start)
        q = "exact" if q is None and not number.vague else (q or "tens/hundreds/thousands of")
        out.append(count_suggestion(text, label, start, end, q, category, None, number))
        if breakdown:
            last_breakdown = end
    return out


_ALONG = re.compile(rf"[\s,]*(?:{ALONG})\s+", re.IGNORECASE)
_AND = re.compile(r"\s*,?\s*and\s+", re.IGNORECASE)


def _aside_end(tokens: tuple[Token, ...], j: int, stop: int) -> int:
    """After ", including women and children," or ", mostly Christians,": the token after the closing comma."""
    if (
        j < stop
        and tokens[j].text == ","
        and j + 1 < stop
        and tokens[j + 1].text.lower() in {"including", "mostly", "mainly", "among", "many", "most", "all"}
    ):
        for k in range(j + 2, min(j + 12, stop)):
            if tokens[k].text == ",":
                return k + 1
    return j


def _breakdown(
    tokens: tuple[Token, ...], qi: int, first: int, head: _Head, stop: int
) -> tuple[int, int, str | None, bool] | None:
    """ "including 12 children", "among them three women", "of whom 40 were children": a part of a figure given, its
    own span, with the category of the figure it belongs to."""
    before = tokens[qi - 1].text.lower() if qi - 1 >= first else ""
    pair = " ".join(t.text.lower() for t in tokens[max(first, qi - 2) : qi])
    copula = head.end + 1 < stop and tokens[head.end].text.lower() in {"were", "are", "was"}
    among = pair in {"among them", "among whom", "of whom"}
    if not (before in BREAKDOWN or among):
        return None
    b = qi - 2 if among else qi - 1
    named = tokens[b - 1].text.lower() if b - 1 >= first else ""
    category = STATES.get(named) or ("killed" if named in {"victims", "casualties", "fatalities"} else None)
    if before.startswith("includ") and category is None and before != "including":
        return None  # "the team included 12 doctors": no count named before the verb
    if head.word is None and copula:  # "of whom 40 were children"
        words, after = _noun_run("", tokens, head.end + 1 + (tokens[head.end + 1].tag == "DT"), stop)
        if words and is_people(tokens[words[-1]].text):
            return tokens[b].start, tokens[after - 1].end, category, True
        return None
    if not head.people or head.word is None or head.end > stop:
        return None
    start = tokens[b].start if before not in {"included", "include", "includes"} else tokens[qi].start
    return start, tokens[head.end - 1].end, head.category or category, True  # "including 12 children"


def _count(
    text: str, parsed: Parsed, firsts: list[int], number: NumberMatch, next_start: int, joined: str | None = None
) -> tuple[int, int, str | None, bool] | None:
    """(start, end, category, is a breakdown) for one figure, or None. ``joined``: the category of the count this
    figure is joined to ("along with", "and" after a breakdown)."""
    tokens = parsed.tokens
    i = parsed.token_index(number.start)
    last = parsed.token_index(max(number.start, number.end - 1))
    first = parsed.sentences[bisect_right(firsts, i) - 1][0]
    stop = _sentence_stop(parsed, i, firsts)
    q_start, _ = qualifier(text, number.start)
    qi = parsed.token_index(q_start)
    head = _head(text, tokens, last + 1, stop, number)
    aside = _aside_end(tokens, head.end, stop)
    for k in range(last + 1, stop):  # the clause: another figure, a semicolon, a dash or a bracket ends it
        short_form = (tokens[k].text == "(" and k + 2 < len(tokens) and tokens[k + 2].text == ")") or (
            tokens[k].text == ")" and tokens[k - 2].text == "("
        )  # "(CRPF)" is no clause end
        if (tokens[k].start >= next_start and k >= aside) or (tokens[k].text in CLAUSE_END and not short_form):
            stop = k
            break
    if text[number.start : number.end].lower() in {"a", "an", "another"}:
        if head.word is None or not head.people or head.category is not None:
            return None  # one person by a person noun: "a nurse was shot", never "a large number", "a motorcycle"
        if tokens[qi - 1].text.lower() in BREAKDOWN | {"was", "were", "is"} if qi - 1 >= first else False:
            return None  # "including a child" is a part of a count given; "was a young mother" says who
    else:
        breakdown = _breakdown(tokens, qi, first, head, stop)
        if breakdown is not None:
            return breakdown
    if head.word is not None and not head.people and head.word.lower() in THINGS:
        return None
    after = _modifiers(tokens, aside, stop, text) if aside == head.end else aside
    forward = _forward(text, tokens, after, stop, head) or (
        _forward(text, tokens, aside, stop, head) if after != aside else None
    )
    if forward is not None:
        category, end, active = forward
        if active:
            return None  # the people counted did it
        if head.word is not None and not head.people and (category not in ANIMATE or not head.plural):
            return None  # a thing, a name; or no person noun and a harm that needs none
        trigger = text[q_start:end].split()[-1]
        end = complement_end(text, trigger, end, tokens[stop - 1].end if stop > 0 else len(text))
        caused = qi - 1 >= first and tokens[qi - 1].text.lower() in CAUSED
        return (tokens[qi - 1].start if caused else q_start), end, category, False
    if joined is not None and head.people and head.word is not None and head.end <= stop:
        end = _modifiers(tokens, head.end, stop, text)  # "four members of the state police force"
        return q_start, tokens[end - 1].end, joined, True
    if head.partitive and head.category is not None and head.end < stop and tokens[head.end].text.lower() in BE:
        k = head.end + 1 + (head.end + 1 < stop and tokens[head.end + 1].tag == "DT")
        words, after = _noun_run(text, tokens, k, stop)  # "two of the dead were children"
        if words and is_people(tokens[words[-1]].text):
            return q_start, tokens[after - 1].end, head.category, True
    if head.category is not None and head.end - 1 >= last + 1 and head.end <= stop and not head.partitive:
        return q_start, tokens[head.end - 1].end, head.category, False  # "12 bodies", "30 casualties"
    backward = _backward(text, tokens, qi, first, head)
    if backward is None:
        return None
    category, start = backward
    if head.word is not None and not head.people and (category not in ANIMATE or not head.plural):
        return None
    end = tokens[min(head.end, stop) - 1].end if min(head.end, stop) - 1 > last else number.end
    return start, end, category, False
