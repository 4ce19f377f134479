"""Krippendorff's unitizing α (α_u, 1995/2004 form, as DKPro Statistics) in exact integer/rational arithmetic.

``None`` where it is undefined (no expected disagreement), never 0 or 1 in its place.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from annotator.services.agreement.spans import SpanTuple

# --------------------------------------------------------------------------- unitizing alpha


@dataclass(frozen=True)
class UnitizingResult:
    d_o: Fraction
    d_e: Fraction

    @property
    def alpha(self) -> float | None:
        if self.d_e == 0:
            return None
        return float(1 - self.d_o / self.d_e)


def _merged(units: Iterable[tuple[int, int]], begin: int, end: int) -> list[tuple[int, int]]:
    """One coder's units of one category, clipped to the continuum, overlapping ones merged
    (the 1995 model has no overlapping units of one category within one coder)."""
    out: list[list[int]] = []
    for s, e in sorted((max(s, begin), min(e, end)) for s, e in units):
        if e <= s:
            continue
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _pair_observed(u1: list[tuple[int, int]], u2: list[tuple[int, int]]) -> int:
    """Σδ² over one ordered-free pair of coders: overlapping units cost Δstart² + Δend², a unit
    lying wholly in the other coder's gap costs its length², everything else 0."""
    total = 0
    ends2 = [e for _s, e in u2]
    hit2 = [False] * len(u2)
    for s1, e1 in u1:
        k = bisect_right(ends2, s1)  # first unit of coder 2 ending after s1
        overlapped = False
        while k < len(u2) and u2[k][0] < e1:
            s2, e2 = u2[k]
            total += (s1 - s2) ** 2 + (e1 - e2) ** 2
            hit2[k] = True
            overlapped = True
            k += 1
        if not overlapped:
            total += (e1 - s1) ** 2
    total += sum((e - s) ** 2 for (s, e), hit in zip(u2, hit2) if not hit)
    return total


def unitizing_category(coders: Sequence[Iterable[tuple[int, int]]], begin: int, end: int) -> UnitizingResult:
    """D_o and D_e of Krippendorff's α_u for one category (1995/2004 form, as in DKPro).

    ``coders``: each coder's ``(start, end)`` units of this category on the continuum
    ``[begin, end)``. Computed in exact integer/rational arithmetic.
    """
    m = len(coders)
    length = end - begin
    if m < 2 or length <= 0:
        return UnitizingResult(Fraction(0), Fraction(0))
    units = [_merged(c, begin, end) for c in coders]
    observed = sum(_pair_observed(units[i], units[j]) for i in range(m) for j in range(i + 1, m))
    d_o = Fraction(2 * observed, m * (m - 1) * length * length)

    lengths = [e - s for coder in units for s, e in coder]
    gaps: list[int] = []
    for coder in units:
        pos = begin
        for s, e in coder:
            if s > pos:
                gaps.append(s - pos)
            pos = e
        if end > pos:
            gaps.append(end - pos)
    gaps.sort()
    suffix = [0] * (len(gaps) + 1)  # suffix[k] = Σ gaps[k:]
    for k in range(len(gaps) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + gaps[k]
    n_c = len(lengths)
    numerator = 0
    for ell in lengths:
        k = bisect_left(gaps, ell)  # gaps g >= ell
        fits = suffix[k] - (ell - 1) * (len(gaps) - k)  # Σ (g - ell + 1)
        numerator += (n_c - 1) * ell * (ell - 1) * (2 * ell - 1) // 3 + ell * ell * fits
    denominator = length * (m * length * (m * length - 1) - sum(ell * (ell - 1) for ell in lengths))
    if numerator == 0 or denominator <= 0:
        return UnitizingResult(d_o, Fraction(0))
    return UnitizingResult(d_o, Fraction(2 * numerator, denominator))


def unitizing_alpha(
    coders: Sequence[Iterable[SpanTuple]], begin: int, end: int, labels: Iterable[str] | None = None
) -> tuple[dict[str, UnitizingResult], float | None]:
    """α_u per label and overall (1 − ΣD_o / ΣD_e over labels).

    ``coders``: each coder's ``(start, end, label)`` units on the continuum ``[begin, end)``.
    """
    per_coder = [list(c) for c in coders]
    wanted = list(labels) if labels is not None else sorted({u[2] for c in per_coder for u in c})
    results: dict[str, UnitizingResult] = {}
    for label in wanted:
        results[label] = unitizing_category(
            [[(s, e) for s, e, lab in c if lab == label] for c in per_coder], begin, end
        )
    return results, overall_unitizing(results.values())


def overall_unitizing(results: Iterable[UnitizingResult]) -> float | None:
    results = list(results)
    d_e = sum((r.d_e for r in results), Fraction(0))
    if d_e == 0:
        return None
    return float(1 - sum((r.d_o for r in results), Fraction(0)) / d_e)


def merged_units(units: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """One coder's units of one category on a segment ``[0, length)``: clipped, overlapping
    ones merged (as ``unitizing_category`` does on its continuum)."""
    return _merged(units, 0, length)


def pair_observed(u1: list[tuple[int, int]], u2: list[tuple[int, int]]) -> int:
    """Σδ² between two coders' merged units of one category (see ``unitizing_category``)."""
    return _pair_observed(u1, u2)


class UnitizingTally:
    """α_u's D_o and D_e for one category on a continuum fed one segment (document) at a time.

    The same values as ``unitizing_category`` on the segments laid end to end, with memory
    that does not grow with the continuum: observed disagreement is a sum over segments (no
    unit crosses a segment's end), and expected disagreement needs only how many units have
    each length and how many gaps each length, a coder's gap running on across segments
    where it has no unit. ``add`` takes each coder's *merged* units of the segment
    (``merged_units``, offsets from the segment's start) and their pairwise Σδ² summed over
    the pairs of these coders (``pair_observed``), so a caller can share both between scopes.
    """

    __slots__ = ("coders", "length", "observed", "lengths", "gaps", "pending")

    def __init__(self, coders: int) -> None:
        self.coders = coders
        self.length = 0
        self.observed = 0
        self.lengths: Counter[int] = Counter()
        self.gaps: Counter[int] = Counter()
        self.pending = [0] * coders  # each coder's open gap since their last unit

    def add(self, units: Sequence[Sequence[tuple[int, int]]], length: int, observed: int) -> None:
        if len(units) != self.coders:
            raise ValueError("one list of units per coder")
        self.length += length
        self.observed += observed
        lengths, gaps = self.lengths, self.gaps
        for k, coder in enumerate(units):
            pos = 0
            gap = self.pending[k]
            for s, e in coder:
                gap += s - pos
                if gap > 0:
                    gaps[gap] += 1
                lengths[e - s] += 1
                gap = 0
                pos = e
            self.pending[k] = gap + (length - pos)

    def result(self) -> UnitizingResult:
        m, length = self.coders, self.length
        if m < 2 or length <= 0:
            return UnitizingResult(Fraction(0), Fraction(0))
        d_o = Fraction(2 * self.observed, m * (m - 1) * length * length)
        gaps = Counter(self.gaps)
        for gap in self.pending:
            if gap > 0:
                gaps[gap] += 1
        # Σ_(g >= ell) (g − ell + 1) = G(ell) − (ell − 1)·N(ell), from the largest gap down
        distinct = sorted(gaps)
        n_c = sum(self.lengths.values())
        numerator = 0
        above_n = above_sum = 0
        k = len(distinct)
        for ell in sorted(self.lengths, reverse=True):
            while k > 0 and distinct[k - 1] >= ell:
                k -= 1
                above_n += gaps[distinct[k]]
                above_sum += gaps[distinct[k]] * distinct[k]
            fits = above_sum - (ell - 1) * above_n
            numerator += self.lengths[ell] * ((n_c - 1) * ell * (ell - 1) * (2 * ell - 1) // 3 + ell * ell * fits)
        spread = sum(count * ell * (ell - 1) for ell, count in self.lengths.items())
        denominator = length * (m * length * (m * length - 1) - spread)
        if numerator == 0 or denominator <= 0:
            return UnitizingResult(d_o, Fraction(0))
        return UnitizingResult(d_o, Fraction(2 * numerator, denominator))
