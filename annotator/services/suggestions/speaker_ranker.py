"""Speaker links by a learned ranker: which ACTOR mention near a quote said it.

The rules in ``quotes.py`` find the quotes and propose a speaker; this module re-ranks every
ACTOR mention within a window around each quote (the paragraph before, the quote's own
paragraph) with a small logistic model over generic features: distance in words, which side
of the quote, same sentence / paragraph, a speech verb between them, the subject patterns
("X said", "said X", "X, a ..., said", "according to X"), the object of "told", person /
organisation / description, a title before the name, a pronoun attribution ("he said") and
whether the candidate said the previous quote, and the rules' own choice. The model is a
softmax over each quote's candidates; its weights are trained by
``tests/data/eval/train_speakers.py`` on the bundled and ``dev`` gold quotes and shipped in
``speaker_weights.py`` (no download, nothing trained at run time).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.combine import longest_disjoint
from annotator.services.suggestions.quotes import LABEL as QUOTE_LABEL
from annotator.services.suggestions.quotes import VERBS

Key = tuple[str, int, int]

FEATURES = (
    "bias",
    "after",
    "distance",
    "nearest_on_side",
    "same_sentence",
    "same_paragraph",
    "previous_paragraph",
    "verb_between",
    "x_said",
    "said_x",
    "according_to_x",
    "object_of_told",
    "after_preposition",
    "person",
    "organisation",
    "description",
    "title_before",
    "pronoun_attribution",
    "pronoun_and_previous_speaker",
    "previous_speaker",
    "rules_choice",
    "inside_other_quote_sentence",
    "last_speech_subject",
    "pronoun_and_last_speech_subject",
    "subject_of_attribution",
    "attribution_found",
)

_VERB = re.compile(rf"(?<![\w-])(?:{VERBS})(?![\w-])", re.IGNORECASE)
_X_SAID = re.compile(
    rf"^(?:\s*,\s*[^,.;!?“”\"]{{1,90}},)?\s*(?:(?:has|have|had|also|later|then|further)\s+)*(?:{VERBS})(?![\w-])",
    re.IGNORECASE,
)
_SAID_X = re.compile(
    rf"(?<![\w-])(?:{VERBS})\s+(?:(?:the|a|an)\s+)?(?:[A-Z][\w.’'-]*\s+){{0,4}}$",
    re.IGNORECASE,
)
_ACCORDING = re.compile(r"according\s+to\s+(?:the\s+)?(?:[A-Z][\w.’'-]*\s+){0,4}$", re.IGNORECASE)
_TOLD = re.compile(r"(?:told|tells|to|assured|informed)\s+(?:the\s+)?$", re.IGNORECASE)
_PREPOSITION = re.compile(r"(?:^|\s)(?:of|in|at|from|near|for|by|against|with)\s+(?:the\s+)?$", re.IGNORECASE)
_TITLE = re.compile(
    r"(?:Mr|Mrs|Ms|Dr|Gen|Col|Maj|Capt|Lt|Sgt|President|Minister|Governor|Mayor|Commissioner|Chief|Colonel|General|"
    r"Major|Brigadier-General|Brig|Father|spokesman|spokeswoman|spokesperson|chief|commander|official|head)\.?\s+$"
)
_PRONOUN_AFTER = re.compile(
    rf"^[\s,]*(?:he|she|they|it)\s+(?:(?:also|later|then|has|had)\s+)?(?:{VERBS})(?![\w-])", re.IGNORECASE
)
_PRONOUN_BEFORE = re.compile(
    rf"(?:^|\s)(?:he|she|they|it)\s+(?:(?:also|later|then|has|had)\s+)?(?:{VERBS})(?![\w-])[^.!?]{{0,40}}$",
    re.IGNORECASE,
)
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’»)]*\s+[\"“«(]*[A-Z0-9]|\n")
WINDOW_BEFORE = 400
WINDOW_AFTER = 250
ONLY_UNLINKED = True  # the rules' link stands; the ranker links the quotes they left without one
ANTECEDENTS = (
    False  # the previous quote's speaker as a candidate wherever it is: leave-one-out on dev was worse (66 vs 69 of 72)
)


@dataclass
class Candidate:
    key: Key
    vector: np.ndarray


def _tokens(text: str) -> int:
    return len(re.findall(r"\S+", text))


class QuoteSpans(list[tuple[int, int]]):
    """The quotes' (start, end), sorted: ``overlapping`` finds those that may touch a stretch by bisection."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        super().__init__(sorted(spans))
        self.starts = [a for a, _b in self]
        self.longest = max((b - a for a, b in self), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """A superset of the spans with ``a < end and b > start`` (none longer than ``longest``)."""
        return self[bisect_right(self.starts, start - self.longest) : bisect_left(self.starts, end)]


class ActorList(list[Suggestion]):
    """The mentions (sorted by start, disjoint) with a bisection for those starting in a stretch, and by key."""

    def __init__(self, actors: list[Suggestion]) -> None:
        super().__init__(actors)
        self.starts = [a.start for a in self]
        self.by_key = {a.key: a for a in self}

    def starting_in(self, lo: int, hi: int) -> list[Suggestion]:
        return self[bisect_left(self.starts, lo) : bisect_right(self.starts, hi)]

    def with_key(self, key: Key) -> Suggestion | None:
        return self.by_key.get(key)


def _outside(text: str, start: int, end: int, quotes: Sequence[tuple[int, int]]) -> str:
    """text[start:end] with the quotes in it blanked (their words are no attribution)."""
    chunk = list(text[start:end])
    for a, b in quotes.overlapping(start, end) if isinstance(quotes, QuoteSpans) else quotes:
        for i in range(max(a, start), min(b, end)):
            chunk[i - start] = " " if chunk[i - start] != "\n" else "\n"
    return "".join(chunk)


def _disjoint(actors: list[Suggestion]) -> list[Suggestion]:
    """One mention per stretch of text, the longest (as ``combine`` keeps it)."""
    return longest_disjoint(actors)  # a bisection per mention, not a scan of those kept


_OBJECT_VERBS = frozenset("told tells asked asks urged accused accuses quoted".split())
_TAIL_VERB = re.compile(rf"^[\s,]*(?:[^\s.!?“”\"]+\s+){{0,14}}?((?:{VERBS}))(?![\w-])", re.IGNORECASE)


def _attribution_verb(text: str, quote: Suggestion, quote_spans: Sequence[tuple[int, int]]) -> int | None:
    """Where the speech verb that attributes ``quote`` starts: after its closing mark (up to 14
    words on, same sentence), else the last one before its opening mark in the same sentence."""
    tail = _outside(text, quote.end, min(len(text), quote.end + 160), quote_spans)
    cut = _SENTENCE_BREAK.search(tail)
    m = _TAIL_VERB.match(tail[: cut.start() + 1] if cut else tail)
    if m:
        return quote.end + m.start(1)
    head_start = max(0, quote.start - 200)
    head = _outside(text, head_start, quote.start, quote_spans)
    breaks = list(_SENTENCE_BREAK.finditer(head))
    if breaks:
        head_start, head = head_start + breaks[-1].end() - 1, head[breaks[-1].end() - 1 :]
    verbs = list(_VERB.finditer(head))
    return head_start + verbs[-1].start() if verbs else None


def _subject_of(text: str, a: Suggestion, verb_at: int, quote_spans: Sequence[tuple[int, int]]) -> bool:
    """``a`` is the subject of the verb at ``verb_at``: "X said", "X, a ..., said", "said X"."""
    if a.end <= verb_at:
        said = _X_SAID.match(_outside(text, a.end, min(len(text), verb_at + 40), quote_spans))
        return said is not None and a.end + said.end() > verb_at and a.end + said.start() <= verb_at + 1
    verb = _VERB.match(text, verb_at)
    if verb is None or verb.group().lower() in _OBJECT_VERBS:
        return False  # "told Reuters": the one told, not the one telling
    return bool(_SAID_X.search(text[verb_at : a.start])) and _tokens(text[verb.end() : a.start]) <= 4


def candidates_for(
    text: str,
    quote: Suggestion,
    actors: list[Suggestion],
    quote_spans: Sequence[tuple[int, int]],
    type_attr: str | None,
    rules_choice: Sequence[Key],
    previous: Key | None,
) -> list[Candidate]:
    """The ACTOR mentions around ``quote`` with their feature vectors, in text order."""
    para_start = text.rfind("\n", 0, quote.start) + 1
    gap = para_start
    while gap > 0 and text[gap - 1].isspace():
        gap -= 1  # over the blank lines between paragraphs
    prev_para_start = text.rfind("\n", 0, gap) + 1 if gap > 0 else 0
    para_end = text.find("\n", quote.end)
    para_end = len(text) if para_end == -1 else para_end
    lo = max(prev_para_start, quote.start - WINDOW_BEFORE)
    hi = min(para_end, quote.end + WINDOW_AFTER)
    around = actors.starting_in(lo, hi) if isinstance(actors, ActorList) else actors
    near = [
        a for a in around if a.start >= lo and a.end <= hi and not any(qa <= a.start < qb for qa, qb in quote_spans)
    ]
    if ANTECEDENTS and previous is not None and not any(a.key == previous for a in near):
        # "he said": the antecedent, the previous quote's speaker, is a candidate wherever it is
        if isinstance(actors, ActorList):
            antecedent = actors.with_key(previous)
            named = [antecedent] if antecedent is not None else []
        else:
            named = [a for a in actors if a.key == previous]
        near = sorted(near + named, key=lambda a: a.start)
    tail = _outside(text, quote.end, min(len(text), quote.end + 60), quote_spans)
    head = _outside(text, max(0, quote.start - 80), quote.start, quote_spans)
    pronoun = bool(_PRONOUN_AFTER.match(tail)) or bool(_PRONOUN_BEFORE.search(head))
    previous_text = text[previous[1] : previous[2]] if previous else None
    before_side = [a for a in near if a.end <= quote.start]
    after_side = [a for a in near if a.start >= quote.end]
    verb_at = _attribution_verb(text, quote, quote_spans)
    subjects = [
        a
        for a in before_side
        if _X_SAID.match(_outside(text, a.end, min(len(text), a.end + 120), quote_spans))
        or _SAID_X.search(text[max(0, a.start - 60) : a.start])
    ]
    last_subject = subjects[-1] if subjects else None
    out = []
    for a in near:
        after = a.start >= quote.end
        between = (
            _outside(text, quote.end, a.start, quote_spans)
            if after
            else _outside(text, a.end, quote.start, quote_spans)
        )
        mention = text[a.start : a.end]
        lead = text[max(0, a.start - 60) : a.start]
        follow = _outside(text, a.end, min(len(text), a.end + 120), quote_spans)
        kind = (a.attrs or {}).get(type_attr or "", None)
        is_person = kind == "person" or a.source == "rules:quotes"
        is_description = mention.islower()
        same_para = "\n" not in between
        same_sentence = same_para and not _SENTENCE_BREAK.search(between.strip())
        is_previous = previous_text is not None and (
            mention == previous_text or (mention in previous_text.split() and mention[:1].isupper())
        )
        side = after_side if after else before_side
        nearest = (side[0] if after else side[-1]) is a if side else False
        values = {
            "bias": 1.0,
            "after": float(after),
            "distance": math.log1p(_tokens(between)) / 3,
            "nearest_on_side": float(nearest),
            "same_sentence": float(same_sentence),
            "same_paragraph": float(same_para),
            "previous_paragraph": float(a.start < para_start),
            "verb_between": float(bool(_VERB.search(between))),
            "x_said": float(bool(_X_SAID.match(follow))),
            "said_x": float(bool(_SAID_X.search(lead))),
            "according_to_x": float(bool(_ACCORDING.search(lead))),
            "object_of_told": float(bool(_TOLD.search(lead))),
            "after_preposition": float(bool(_PREPOSITION.search(lead))),
            "person": float(is_person and not is_description),
            "organisation": float(not is_person and not is_description),
            "description": float(is_description),
            "title_before": float(bool(_TITLE.search(lead))),
            "pronoun_attribution": float(pronoun and same_sentence),
            "pronoun_and_previous_speaker": float(pronoun and is_previous),
            "previous_speaker": float(is_previous),
            "rules_choice": float(a.key in rules_choice),
            "inside_other_quote_sentence": float(not same_sentence and same_para),
            "last_speech_subject": float(last_subject is a),
            "pronoun_and_last_speech_subject": float(pronoun and last_subject is a),
        }
        values["subject_of_attribution"] = float(verb_at is not None and _subject_of(text, a, verb_at, quote_spans))
        values["attribution_found"] = float(verb_at is not None)
        out.append(Candidate(a.key, np.array([values[f] for f in FEATURES], dtype=float)))
    return out


def rank_speakers(
    text: str,
    raw: list[Suggestion],
    weights: Sequence[float],
    *,
    speaker_attr: str,
    actor_label: str,
    type_attr: str | None,
) -> None:
    """Sets each QUOTE suggestion's speaker link to its best-scoring candidate (in place)."""
    w = np.asarray(weights, dtype=float)
    actors = ActorList(_disjoint([s for s in raw if s.label == actor_label]))
    quotes = sorted((s for s in raw if s.label == QUOTE_LABEL), key=lambda s: s.start)
    spans = QuoteSpans([(q.start, q.end) for q in quotes])
    previous: Key | None = None
    for q in quotes:
        if ONLY_UNLINKED and q.link_keys.get(speaker_attr):
            previous = q.link_keys[speaker_attr][0]
            continue
        cands = candidates_for(text, q, actors, spans, type_attr, q.link_keys.get(speaker_attr, ()), previous)
        if not cands:
            continue
        scores = np.array([c.vector @ w for c in cands])
        best = cands[int(scores.argmax())].key
        q.link_keys = {**q.link_keys, speaker_attr: (best,)}
        previous = best


def train(
    groups: list[tuple[np.ndarray, int]], *, l2: float = 0.01, steps: int = 600, rate: float = 0.5
) -> list[float]:
    """Softmax-over-candidates logistic regression: ``groups`` pairs each quote's candidate
    matrix with the index of the right candidate. Plain gradient descent (n quotes x features)."""
    w = np.zeros(len(FEATURES))
    n = max(1, len(groups))
    for _ in range(steps):
        grad = l2 * w
        for matrix, right in groups:
            scores = matrix @ w
            scores -= scores.max()
            p = np.exp(scores)
            p /= p.sum()
            grad += (matrix.T @ p - matrix[right]) / n
        w -= rate * grad
    return [round(float(x), 4) for x in w]
