"""Span-level comparison of two annotators on one document, α_u continua, the confusion matrix, and
how matched spans' boundaries differ (the verdict's material)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from annotator.services.agreement import measures as M
from annotator.services.agreement.load import SpanRec
from annotator.services.agreement.model import NONE, BoundaryShift, Confusion, Mismatch

VARIANTS: dict[str, tuple[str, bool]] = {
    "f1_exact": ("exact", True),
    "f1_overlap": ("overlap", True),
    "f1_exact_unlabeled": ("exact", False),
    "f1_overlap_unlabeled": ("overlap", False),
}
LABELLED = ("f1_exact", "f1_overlap")
QUOTATION_MARKS = frozenset("\"'«»‹›“”„‟‘’‚‛「」『』")
Units = dict[str, dict[str, list[tuple[int, int]]]]  # label -> coder -> merged units


@dataclass(frozen=True, slots=True)
class PairComparison:
    """Everything span-level for one pair on one document."""

    counts: dict[str, M.F1Counts]  # VARIANTS -> counts
    by_label: dict[str, dict[str, M.F1Counts]]  # LABELLED -> label -> counts
    matched: list[tuple[int, int]]  # same-label overlap matches (index into a's, b's spans)
    confusion: Counter[tuple[str, str]]


def compare_pair(sa: Sequence[SpanRec], sb: Sequence[SpanRec]) -> PairComparison:
    ta, tb = [s.tuple for s in sa], [s.tuple for s in sb]
    found = M.match_all(ta, tb)
    counts = {}
    for v, (mode, labelled) in VARIANTS.items():
        hits = len(found[mode if labelled else f"{mode}_unlabeled"])
        counts[v] = M.F1Counts(hits, len(ta) - hits, len(tb) - hits)
    n_a = Counter(t[2] for t in ta)
    n_b = Counter(t[2] for t in tb)
    by_label = {}
    for v in LABELLED:
        tp = Counter(ta[i][2] for i, _j in found[VARIANTS[v][0]])
        by_label[v] = {
            lab: M.F1Counts(tp[lab], n_a[lab] - tp[lab], n_b[lab] - tp[lab]) for lab in sorted(set(n_a) | set(n_b))
        }
    matched = found["overlap"]
    relabelled = found["relabelled"]
    # confusion: first the same-label matches, then position-only matches among the rest
    confusion: Counter[tuple[str, str]] = Counter()
    for i, j in matched + relabelled:
        confusion[(ta[i][2], tb[j][2])] += 1
    done_a = {i for i, _ in matched + relabelled}
    done_b = {j for _, j in matched + relabelled}
    for i, t in enumerate(ta):
        if i not in done_a:
            confusion[(t[2], NONE)] += 1
    for j, t in enumerate(tb):
        if j not in done_b:
            confusion[(NONE, t[2])] += 1
    return PairComparison(counts, by_label, matched, confusion)


def confusion_of(counts: Mapping[tuple[str, str], int], labels: Sequence[str]) -> Confusion:
    axis = (*labels, NONE)
    matrix = {la: {lb: counts.get((la, lb), 0) for lb in axis} for la in axis}
    mismatches = sorted(
        (Mismatch(la, lb, c) for (la, lb), c in counts.items() if la != lb and NONE not in (la, lb) and c),
        key=lambda m: (-m.count, m.a, m.b),
    )
    return Confusion(axis, matrix, tuple(mismatches))


class Continuum:
    """α_u of every label on one continuum (documents end to end), fed a document at a time."""

    def __init__(self, coders: Sequence[str], labels: Sequence[str]) -> None:
        self.coders = list(coders)
        self.tallies = {lab: M.UnitizingTally(len(self.coders)) for lab in labels}
        self.documents = 0
        self.length = 0

    def add(self, length: int, units: Units, observed: Mapping[str, Mapping[tuple[str, str], int]]) -> None:
        """``units``: label -> coder -> merged units; ``observed``: label -> (a, b) -> Σδ²."""
        self.documents += 1
        self.length += length
        pairs = list(combinations(self.coders, 2))
        for lab, tally in self.tallies.items():
            tally.add([units[lab][c] for c in self.coders], length, sum(observed[lab][p] for p in pairs))

    def result(self) -> tuple[dict[str, M.UnitizingResult], float | None]:
        per_label = {lab: tally.result() for lab, tally in self.tallies.items()}
        return per_label, M.overall_unitizing(per_label.values())


def difference_kind(text: str) -> str:
    """What the characters between two boundaries are: quotation mark(s), punctuation, space or text."""
    stripped = text.strip()
    if not stripped:
        return "space"
    if all(ch in QUOTATION_MARKS or ch.isspace() for ch in stripped):
        return "quotation mark"
    if all(unicodedata.category(ch).startswith("P") or ch.isspace() for ch in stripped):
        return "punctuation"
    return "text"


@dataclass
class _Side:
    matched: int = 0
    shorter: int = 0
    longer: int = 0
    shorter_by: Counter[str] = field(default_factory=Counter)
    longer_by: Counter[str] = field(default_factory=Counter)


class BoundaryTally:
    """For each (annotator, other, label, side): how often the annotator's matched span stops short of
    or reaches past the other's, and what lies between (quotation marks, punctuation, space, text)."""

    def __init__(self) -> None:
        self.sides: dict[tuple[str, str, str, str], _Side] = {}

    def _side(self, who: str, other: str, label: str, side: str) -> _Side:
        key = (who, other, label, side)
        got = self.sides.get(key)
        if got is None:
            got = self.sides[key] = _Side()
        return got

    def add(
        self,
        text: str,
        a: str,
        b: str,
        sa: Sequence[SpanRec],
        sb: Sequence[SpanRec],
        matched: Sequence[tuple[int, int]],
    ) -> None:
        for i, j in matched:
            x, y = sa[i], sb[j]
            for side, (xa, yb) in (("start", (x.start, y.start)), ("end", (x.end, y.end))):
                # x is shorter at the start when it starts later; shorter at the end when it ends earlier
                inside_x = xa > yb if side == "start" else xa < yb
                kind = difference_kind(text[min(xa, yb) : max(xa, yb)]) if xa != yb else ""
                for who, other, shorter in ((a, b, inside_x), (b, a, not inside_x)):
                    tally = self._side(who, other, x.label, side)
                    tally.matched += 1
                    if xa == yb:
                        continue
                    if shorter:
                        tally.shorter += 1
                        tally.shorter_by[kind] += 1
                    else:
                        tally.longer += 1
                        tally.longer_by[kind] += 1

    def result(self) -> tuple[BoundaryShift, ...]:
        return tuple(
            BoundaryShift(
                who, other, label, side, s.matched, s.shorter, s.longer, dict(s.shorter_by), dict(s.longer_by)
            )
            for (who, other, label, side), s in sorted(self.sides.items())
        )
