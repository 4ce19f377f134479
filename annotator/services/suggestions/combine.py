"""Merge every source's raw suggestions into one clean list, in n log n.

``combine`` merges exact duplicates (same label and offsets: attributes are merged, the first
source by priority names it), drops a suggestion that overlaps another of the same label
(the longer, then the higher-priority one stays), drops what the annotator already has (a
span of the same label overlapping it) or already rejected, and returns the records in text
order with ``links`` as indexes into the returned list.

Overlap tests are bisections into sorted interval lists, not scans: a sort plus a sweep.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from itertools import accumulate

from annotator.schemas.labels import LabelSchema
from annotator.services.suggestions.base import Suggestion

Key = tuple[str, int, int]


class _Disjoint:
    """Pairwise disjoint intervals of one label, sorted by start, each no shorter than any
    interval asked about later (``combine`` offers them longest first)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.entries: list[tuple[int, int, int, Suggestion]] = []  # (start, end, order, kept)

    def first_overlap(self, start: int, end: int) -> Suggestion | None:
        """The earliest kept interval overlapping [start, end). Kept intervals are disjoint
        and at least as long, so at most two can overlap: the last two starting before end."""
        j = bisect_left(self.starts, end)
        hits = [e for e in self.entries[max(0, j - 2) : j] if e[1] > start]
        return min(hits, key=lambda e: e[2])[3] if hits else None

    def add(self, s: Suggestion, order: int) -> None:
        j = bisect_left(self.starts, s.start)
        self.starts.insert(j, s.start)
        self.entries.insert(j, (s.start, s.end, order, s))


def longest_disjoint(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """One suggestion per stretch of text, the longest (then the leftmost), in text order: each is
    kept unless it overlaps one kept before it, a bisection (``_Disjoint``), not a scan of those kept."""
    kept: list[Suggestion] = []
    lane = _Disjoint()
    for order, s in enumerate(sorted(suggestions, key=lambda s: (-(s.end - s.start), s.start))):
        if lane.first_overlap(s.start, s.end) is None:
            lane.add(s, order)
            kept.append(s)
    return sorted(kept, key=lambda s: s.start)


class Intervals:
    """Possibly overlapping intervals; ``overlaps`` answers in log n (prefix maximum of ends)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.max_end = list(accumulate((b for _, b in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        j = bisect_left(self.starts, end)  # intervals starting before ``end``
        return j > 0 and self.max_end[j - 1] > start


def combine(
    raw: list[Suggestion],
    schema: LabelSchema,
    *,
    existing: Iterable[Key] = (),
    rejected: Iterable[Key] = (),
    fits: Callable[[LabelSchema, Suggestion], Suggestion | None],
    priority: Callable[[str], int],
) -> list[Suggestion]:
    # 1. merge exact duplicates
    merged: dict[Key, Suggestion] = {}
    for s in sorted(raw, key=lambda s: priority(s.source)):
        if s.end <= s.start:
            continue
        fitted = fits(schema, s)
        if fitted is None:
            continue
        s = fitted
        if s.key in merged:
            kept = merged[s.key]
            for k, v in s.attrs.items():
                kept.attrs.setdefault(k, v)
            for k, v2 in s.link_keys.items():
                kept.link_keys.setdefault(k, v2)
        else:
            s.links = {}  # ``fits`` gave it attrs and link_keys of its own: kept as it is, not copied
            merged[s.key] = s
    # 2. same-label overlaps: the longer (then higher-priority) one stays
    kept_list: list[Suggestion] = []
    replaced: dict[Key, Key] = {}
    by_label: dict[str, _Disjoint] = {}
    for order, s in enumerate(sorted(merged.values(), key=lambda s: (-(s.end - s.start), priority(s.source), s.start))):
        lane = by_label.setdefault(s.label, _Disjoint())
        clash = lane.first_overlap(s.start, s.end)
        if clash is not None:
            replaced[s.key] = clash.key
            continue
        lane.add(s, order)
        kept_list.append(s)
    # 3. what the annotator already has (same label, overlapping) or rejected
    spans_by_label: dict[str, list[tuple[int, int]]] = {}
    existing_keys: set[Key] = set()
    for label, start, end in existing:
        spans_by_label.setdefault(label, []).append((start, end))
        existing_keys.add((label, start, end))
    existing_by_label = {label: Intervals(spans) for label, spans in spans_by_label.items()}
    rejected_keys = set(rejected)

    def covered(label: str, start: int, end: int) -> bool:
        lane = existing_by_label.get(label)
        return lane is not None and lane.overlaps(start, end)

    final = [s for s in kept_list if s.key not in rejected_keys and not covered(s.label, s.start, s.end)]
    final.sort(key=lambda s: (s.start, -s.end, s.label))
    index = {s.key: i for i, s in enumerate(final)}
    for s in final:
        links: dict[str, tuple[int, ...]] = {}
        outside: dict[str, tuple[Key, ...]] = {}
        for attr, keys in s.link_keys.items():
            for key in keys:
                key = replaced.get(key, key)
                if key in index:
                    links[attr] = links.get(attr, ()) + (index[key],)
                elif key in existing_keys or covered(*key):
                    outside[attr] = outside.get(attr, ()) + (key,)  # an existing span: stored by offsets
        s.links = {a: tuple(dict.fromkeys(v)) for a, v in links.items()}
        s.link_keys = outside
    return final
