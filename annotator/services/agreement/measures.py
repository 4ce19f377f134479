"""Agreement measures as pure functions on plain tuples: no database, no UI.

Every measure returns ``None`` where it is undefined (nothing to compare, or no variation so
that chance agreement is total): never 0 or 1 in its place. Definitions and the published
examples they are tested against are in ``shared/notes/agreement-measures.md`` and the README.

Spans are ``(start, end, label)`` tuples, end exclusive, in any order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from annotator.services.agreement.spans import (
    F1Counts,
    SpanTuple,
    f1_score,
    match_all,
    match_spans,
    mean_defined,
    span_f1,
    span_f1_by_label,
)
from annotator.services.agreement.unitizing import (
    UnitizingResult,
    UnitizingTally,
    merged_units,
    overall_unitizing,
    pair_observed,
    unitizing_alpha,
    unitizing_category,
)

# span matching and F1, and unitizing α, live in their own modules (spans, unitizing); they are
# re-exported here so that ``measures as M`` stays the one name for every measure
__all__ = [
    "F1Counts",
    "FleissResult",
    "SpanTuple",
    "UnitizingResult",
    "UnitizingTally",
    "cohen_kappa",
    "cohen_kappa_counts",
    "cohen_kappa_matrix",
    "f1_score",
    "fleiss_and_alpha_weighted",
    "fleiss_kappa",
    "fleiss_kappa_weighted",
    "krippendorff_alpha",
    "krippendorff_alpha_counts",
    "krippendorff_alpha_weighted",
    "match_all",
    "match_spans",
    "mean_defined",
    "merged_units",
    "overall_unitizing",
    "pair_observed",
    "percent_agreement",
    "span_f1",
    "span_f1_by_label",
    "unitizing_alpha",
    "unitizing_category",
]


# --------------------------------------------------------------------------- kappas


def cohen_kappa_counts(table: Mapping[Any, int]) -> float | None:
    """Cohen's κ from counts of (A's category, B's category) pairs (any hashable categories)."""
    n = sum(table.values())
    if n == 0:
        return None
    agree = sum(c for (x, y), c in table.items() if x == y)
    rows: Counter[Hashable] = Counter()
    cols: Counter[Hashable] = Counter()
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
        matrix = np.array([[np.nan if v is None else float(codes[v]) for v in col] for col in pairable]).T
        domain: list[float] = [float(k) for k in range(len(codes))]
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
