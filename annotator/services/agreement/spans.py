"""Span matching and span F1 as pure functions on ``(start, end, label)`` tuples (end exclusive, any order).

Every measure returns ``None`` where it is undefined, never 0 or 1 in its place.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

SpanTuple = tuple[int, int, str]

# --------------------------------------------------------------------------- span matching


Candidate = tuple[int, int, int, int, int]  # (-overlap, other label, boundary distance, i, j): sorts best first


def _candidates(a: Sequence[SpanTuple], b: Sequence[SpanTuple], *, overlap: bool, labelled: bool) -> list[Candidate]:
    """Every admissible (a, b) pairing, as sortable keys: largest overlap first, then same
    label, then the closest boundaries, then text order (so the result is deterministic)."""
    out: list[Candidate] = []
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


def _greedy(cands: list[Candidate], same_label_only: bool, used_a: set[int], used_b: set[int]) -> list[tuple[int, int]]:
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
