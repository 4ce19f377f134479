"""Agreement measures as pure functions on plain tuples: no database, no UI.

Every measure returns ``None`` where it is undefined (nothing to compare, or no variation so
that chance agreement is total): never 0 or 1 in its place. Definitions and the published
examples they are tested against are in ``shared/notes/agreement-measures.md`` and the README.

Spans are ``(start, end, label)`` tuples, end exclusive, in any order.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

SpanTuple = tuple[int, int, str]


# --------------------------------------------------------------------------- span matching


def _candidates(a: Sequence[SpanTuple], b: Sequence[SpanTuple], *, overlap: bool, labelled: bool):
    """Every admissible (a, b) pairing, as sortable keys: largest overlap first, then same
    label, then the closest boundaries, then text order (so the result is deterministic)."""
    out: list[tuple[int, int, int, int, int]] = []
    if not a or not b:
        return out
    if not overlap:
        by_offsets: dict[tuple[int, int], list[int]] = {}
        for j, (s, e, _l) in enumerate(b):
            by_offsets.setdefault((s, e), []).append(j)
        for i, (s, e, la) in enumerate(a):
            for j in by_offsets.get((s, e), ()):
                lb = b[j][2]
                if labelled and la != lb:
                    continue
                out.append((-(e - s), 0 if la == lb else 1, 0, i, j))
        return out
    order = sorted(range(len(b)), key=lambda j: b[j][0])
    starts = [b[j][0] for j in order]
    longest = max(e - s for s, e, _l in b)
    for i, (s1, e1, la) in enumerate(a):
        # b spans that can overlap [s1, e1) start in [s1 - longest + 1, e1)
        lo = bisect_left(starts, s1 - longest + 1)
        hi = bisect_left(starts, e1)
        for k in range(lo, hi):
            j = order[k]
            s2, e2, lb = b[j]
            if labelled and la != lb:
                continue
            shared = min(e1, e2) - max(s1, s2)
            if shared <= 0:
                continue
            out.append((-shared, 0 if la == lb else 1, abs(s1 - s2) + abs(e1 - e2), i, j))
    return out


def match_spans(
    a: Sequence[SpanTuple],
    b: Sequence[SpanTuple],
    *,
    mode: Literal["exact", "overlap"] = "exact",
    labelled: bool = True,
    exclude_a: Iterable[int] = (),
    exclude_b: Iterable[int] = (),
) -> list[tuple[int, int]]:
    """One-to-one matching of ``a``'s spans to ``b``'s, as ``(index in a, index in b)`` pairs.

    ``exact``: same start and end (and label if ``labelled``). ``overlap``: the spans share at
    least one character (and the label if ``labelled``); pairs are taken greedily by largest
    overlap, ties going to the same label, then to the closest boundaries.
    """
    candidates = sorted(_candidates(a, b, overlap=(mode == "overlap"), labelled=labelled))
    return _greedy(candidates, False, set(exclude_a), set(exclude_b))  # labels already filtered


def _greedy(cands: list, same_label_only: bool, used_a: set[int], used_b: set[int]) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    for _size, other_label, _dist, i, j in cands:
        if (same_label_only and other_label) or i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j))
    pairs.sort()
    return pairs


def match_all(a: Sequence[SpanTuple], b: Sequence[SpanTuple]) -> dict[str, list[tuple[int, int]]]:
    """Every matching the report needs, from two candidate lists instead of one per matching:
    ``exact``/``overlap`` (labelled), ``exact_unlabeled``/``overlap_unlabeled``, and
    ``relabelled``: position-only overlap matches among the spans ``overlap`` left over.
    Each equals the corresponding ``match_spans`` call (a labelled matching's candidates are
    the unlabelled ones with the same label, in the same order)."""
    exact = sorted(_candidates(a, b, overlap=False, labelled=False))
    overlap = sorted(_candidates(a, b, overlap=True, labelled=False))
    out = {
        "exact": _greedy(exact, True, set(), set()),
        "exact_unlabeled": _greedy(exact, False, set(), set()),
        "overlap": _greedy(overlap, True, set(), set()),
        "overlap_unlabeled": _greedy(overlap, False, set(), set()),
    }
    out["relabelled"] = _greedy(overlap, False, {i for i, _ in out["overlap"]}, {j for _, j in out["overlap"]})
    return out


@dataclass(frozen=True)
class F1Counts:
    """Matched spans (tp), spans of A not matched (fp), spans of B not matched (fn)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: F1Counts) -> F1Counts:
        return F1Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def f1(self) -> float | None:
        return f1_score(self.tp, self.tp + self.fp, self.tp + self.fn)

    def as_dict(self) -> dict[str, int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn}


def f1_score(tp: int, n_a: int, n_b: int) -> float | None:
    """Pairwise span F1 = 2·TP / (|A| + |B|); undefined when neither side has a span."""
    if n_a + n_b == 0:
        return None
    return 2 * tp / (n_a + n_b)


def span_f1(
    a: Sequence[SpanTuple],
    b: Sequence[SpanTuple],
    *,
    mode: Literal["exact", "overlap"] = "exact",
    labelled: bool = True,
) -> F1Counts:
    tp = len(match_spans(a, b, mode=mode, labelled=labelled))
    return F1Counts(tp, len(a) - tp, len(b) - tp)


def span_f1_by_label(
    a: Sequence[SpanTuple], b: Sequence[SpanTuple], *, mode: Literal["exact", "overlap"] = "exact"
) -> dict[str, F1Counts]:
    """Labelled matching, counted per label (a match always has one label on both sides)."""
    pairs = match_spans(a, b, mode=mode, labelled=True)
    tp = Counter(a[i][2] for i, _j in pairs)
    n_a = Counter(s[2] for s in a)
    n_b = Counter(s[2] for s in b)
    return {lab: F1Counts(tp[lab], n_a[lab] - tp[lab], n_b[lab] - tp[lab]) for lab in sorted(set(n_a) | set(n_b))}


def mean_defined(values: Iterable[float | None]) -> float | None:
    """Mean of the defined values; undefined if none is."""
    got = [v for v in values if v is not None]
    return sum(got) / len(got) if got else None


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
        self.lengths: Counter = Counter()
        self.gaps: Counter = Counter()
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


# --------------------------------------------------------------------------- kappas


def cohen_kappa_counts(table: Mapping[tuple[Hashable, Hashable], int]) -> float | None:
    """Cohen's κ from counts of (A's category, B's category) pairs."""
    n = sum(table.values())
    if n == 0:
        return None
    agree = sum(c for (x, y), c in table.items() if x == y)
    rows: Counter = Counter()
    cols: Counter = Counter()
    for (x, y), c in table.items():
        rows[x] += c
        cols[y] += c
    chance = sum(rows[k] * cols[k] for k in rows)  # p_e · n²
    if chance == n * n:
        return None
    return (agree * n - chance) / (n * n - chance)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    if len(a) != len(b):
        raise ValueError("both raters must rate the same items")
    return cohen_kappa_counts(Counter(zip(a, b)))


def cohen_kappa_matrix(matrix: Sequence[Sequence[int]]) -> float | None:
    """Cohen's κ from a square confusion matrix (rows: rater A, columns: rater B)."""
    return cohen_kappa_counts({(i, j): c for i, row in enumerate(matrix) for j, c in enumerate(row)})


@dataclass(frozen=True)
class FleissResult:
    kappa: float | None
    p_bar: float | None
    p_e: float | None
    subjects: int


def fleiss_kappa(counts: Sequence[Sequence[int]] | Any) -> FleissResult:
    """Fleiss' κ from a subjects × categories matrix of how many raters chose each category.

    Subjects may have different numbers of raters (missing raters); those with fewer than
    two are left out. With a constant number of raters this is exactly Fleiss (1971).
    """
    import numpy as np

    table = np.asarray(counts, dtype=np.int64)
    if table.ndim != 2 or table.size == 0:
        return FleissResult(None, None, None, 0)
    n_i = table.sum(axis=1)
    table, n_i = table[n_i >= 2], n_i[n_i >= 2]
    if len(table) == 0:
        return FleissResult(None, None, None, 0)
    p_i = ((table * table).sum(axis=1) - n_i) / (n_i * (n_i - 1))
    p_bar = float(p_i.mean())
    totals = table.sum(axis=0)
    p_j = totals / totals.sum()
    p_e = float((p_j * p_j).sum())
    if np.count_nonzero(totals) < 2:  # every rating in one category: p_e = 1
        return FleissResult(None, p_bar, 1.0, len(table))
    return FleissResult((p_bar - p_e) / (1 - p_e), p_bar, p_e, len(table))


def _row_sums(rows: Mapping[tuple[int, ...], int]) -> tuple[dict[int, tuple[int, int]], list[int], int]:
    """Sufficient statistics of weighted count rows, rows rated fewer than twice left out:
    raters per row m -> (Σ weight, Σ weight·Σ_c n_c²), per-category totals, Σ weight."""
    by_m: dict[int, list[int]] = {}
    totals: list[int] = []
    subjects = 0
    for row, weight in rows.items():
        m = sum(row)
        if m < 2 or weight <= 0:
            continue
        if len(totals) < len(row):
            totals.extend([0] * (len(row) - len(totals)))
        acc = by_m.setdefault(m, [0, 0])
        acc[0] += weight
        acc[1] += weight * sum(n * n for n in row)
        for c, n in enumerate(row):
            if n:
                totals[c] += weight * n
        subjects += weight
    return {m: (w, sq) for m, (w, sq) in by_m.items()}, totals, subjects


def fleiss_kappa_weighted(rows: Mapping[tuple[int, ...], int]) -> FleissResult:
    """Fleiss' κ from *distinct* rows of category counts, each with how many subjects have it.

    The same value as ``fleiss_kappa`` on the expanded subjects × categories matrix, computed
    in exact integer arithmetic with one correctly rounded division at the end: memory and
    time depend on the number of distinct rows, not of subjects (tokens).
    """
    return _fleiss_from_sums(*_row_sums(rows))


def krippendorff_alpha_weighted(rows: Mapping[tuple[int, ...], int]) -> float | None:
    """Nominal α from *distinct* rows of value counts (units × values), each with its number
    of units: the same value as ``krippendorff_alpha_counts`` on the expanded matrix.

    The coincidence matrix is a sum over units, so for nominal data only two sums are
    needed: Σ_c≠k o_ck = Σ_m Σ w·(m² − Σn²) / (m − 1) and the value totals n_c; then
    α = 1 − (n − 1)·Σ_c≠k o_ck / (n² − Σ n_c²). Exact, with one rounding at the end.
    """
    return _alpha_from_sums(*_row_sums(rows))


def fleiss_and_alpha_weighted(rows: Mapping[tuple[int, ...], int]) -> tuple[FleissResult, float | None]:
    """``fleiss_kappa_weighted`` and ``krippendorff_alpha_weighted`` of the same rows, summed once."""
    sums = _row_sums(rows)
    return _fleiss_from_sums(*sums), _alpha_from_sums(*sums)


def _fleiss_from_sums(by_m: dict[int, tuple[int, int]], totals: list[int], subjects: int) -> FleissResult:
    if not subjects:
        return FleissResult(None, None, None, 0)
    # p̄ = Σ_m (Σ w·Σn² − m·Σ w) / (m(m−1)) / W, over a common denominator L = lcm of m(m−1)
    lcm = 1
    for m in by_m:
        lcm = math.lcm(lcm, m * (m - 1))
    p_num = sum((sq - m * w) * (lcm // (m * (m - 1))) for m, (w, sq) in by_m.items())  # p̄ = p_num / (L·W)
    n = sum(totals)
    t2 = sum(t * t for t in totals)  # p_e = t2 / n²
    p_bar = p_num / (lcm * subjects)
    if sum(1 for t in totals if t) < 2:  # every rating in one category: p_e = 1
        return FleissResult(None, p_bar, 1.0, subjects)
    kappa = (p_num * n * n - t2 * lcm * subjects) / (lcm * subjects * (n * n - t2))  # int / int: correctly rounded
    return FleissResult(kappa, p_bar, t2 / (n * n), subjects)


def _alpha_from_sums(by_m: dict[int, tuple[int, int]], totals: list[int], _subjects: int) -> float | None:
    if sum(1 for t in totals if t) < 2:
        return None  # nothing pairable, or no variation: D_e = 0
    lcm = 1
    for m in by_m:
        lcm = math.lcm(lcm, m - 1)
    observed = sum((w * m * m - sq) * (lcm // (m - 1)) for m, (w, sq) in by_m.items())  # Σ_c≠k o_ck · L
    n = sum(totals)
    expected = (n * n - sum(t * t for t in totals)) * lcm
    return (expected - (n - 1) * observed) / expected  # 1 − (n−1)·Σo/(L·(n² − Σn_c²)), int / int: correctly rounded


# --------------------------------------------------------------------------- Krippendorff's alpha


def _finite(value: float) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def krippendorff_alpha(
    data: Sequence[Sequence[Any]], level: Literal["nominal", "ordinal", "interval", "ratio"] = "nominal"
) -> float | None:
    """Krippendorff's α (via the ``krippendorff`` package) on coders × units data, ``None`` =
    missing. Nominal values may be any hashable; the other levels need numbers."""
    import krippendorff
    import numpy as np

    rows = [list(r) for r in data]
    if len(rows) < 2:
        return None
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    pairable = [col for col in zip(*rows) if sum(v is not None for v in col) >= 2]
    values = {v for col in pairable for v in col if v is not None}
    if not pairable or len(values) < 2:
        return None  # nothing to pair, or no variation: D_e = 0
    if level == "nominal":
        codes = {v: k for k, v in enumerate(sorted(values, key=repr))}
        matrix = np.array([[np.nan if v is None else codes[v] for v in col] for col in pairable], dtype=float).T
        domain = list(range(len(codes)))
    else:
        matrix = np.array([[np.nan if v is None else float(v) for v in col] for col in pairable], dtype=float).T
        domain = sorted(float(v) for v in values)
    try:
        return _finite(
            float(krippendorff.alpha(reliability_data=matrix, value_domain=domain, level_of_measurement=level))
        )
    except (ValueError, ZeroDivisionError):
        return None


def krippendorff_alpha_counts(value_counts: Sequence[Sequence[int]] | Any) -> float | None:
    """Nominal α from a units × categories matrix of counts (the same input as Fleiss' κ)."""
    import krippendorff
    import numpy as np

    table = np.asarray(value_counts, dtype=np.int64)
    if table.ndim != 2 or table.size == 0:
        return None
    table = table[table.sum(axis=1) >= 2]
    if len(table) == 0 or np.count_nonzero(table.sum(axis=0)) < 2:
        return None
    try:
        return _finite(float(krippendorff.alpha(value_counts=table, level_of_measurement="nominal")))
    except (ValueError, ZeroDivisionError):
        return None


def percent_agreement(agreed: int, total: int) -> float | None:
    return agreed / total if total else None
