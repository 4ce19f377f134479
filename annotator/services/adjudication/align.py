"""Alignment: the annotators' spans of a document as groups (see the package docstring)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.services.adjudication.context import JACCARD_SAME_TEXT
from annotator.services.records import SpanData

# ---------------------------------------------------------------------------- alignment


@dataclass
class Group:
    """One place where annotators' spans are compared (see the module docstring)."""

    key: str  # "start-end" of the annotators' spans in it: stable while they do not change
    start: int
    end: int
    versions: dict[str, tuple[SpanData, ...]]  # annotator -> their spans here (maybe none)
    agreed: bool
    reason: str  # "" when agreed, else what differs
    gold: tuple[SpanData, ...] = ()
    state: str = "open"  # open, accepted or rejected
    matches: tuple[str, ...] = ()  # annotators whose version gold now equals

    @property
    def labels(self) -> set[str]:
        return {s.label for spans in self.versions.values() for s in spans}

    @property
    def is_open(self) -> bool:
        return self.state == "open"


@dataclass
class ReviewDoc:
    """One document as the review screen shows it."""

    id: int
    uid: str
    title: str
    text: str
    annotators: tuple[str, ...]  # the compared annotators taking part here (others: missing)
    spans: dict[str, list[SpanData]]
    gold: list[SpanData]
    groups: list[Group]
    gold_status: str
    decisions: int

    @property
    def disagreements(self) -> list[Group]:
        return [g for g in self.groups if not g.agreed]

    @property
    def open_groups(self) -> list[Group]:
        return [g for g in self.groups if g.is_open]

    def group(self, key: str) -> Group | None:
        return next((g for g in self.groups if g.key == key), None)

    def extra_gold(self) -> list[SpanData]:
        """Gold spans that belong to no group (added by the lead)."""
        inside = {s.id for g in self.groups for s in g.gold}
        return [s for s in self.gold if s.id not in inside]


Position = tuple[str, int, int]  # label, start, end


def position(span: SpanData) -> Position:
    return (span.label, span.start, span.end)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = _overlap(a, b)
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def _related(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    ra, rb = (a[1], a[2]), (b[1], b[2])
    if not _overlap(ra, rb):
        return False
    return a[0] == b[0] or _jaccard(ra, rb) >= JACCARD_SAME_TEXT


Signature = tuple[Any, ...]  # comparable data: equal when two versions are the same


def _signature(span: SpanData, where: dict[int, tuple[str, int, int]]) -> Signature:
    """A span as comparable data: position, attributes, and links by the linked spans' positions."""
    links = tuple(
        sorted(
            (name, tuple(sorted(where.get(c, ("?", -1, c)) for c in children)))
            for name, children in span.links.items()
            if children
        )
    )
    attrs = tuple(sorted((k, str(v)) for k, v in (span.attrs or {}).items() if v not in (None, "")))
    return (position(span), attrs, links)


def _version_signature(spans: Iterable[SpanData], where: dict[int, tuple[str, int, int]]) -> Signature:
    return tuple(sorted(_signature(s, where) for s in spans))


def _describe(versions: dict[str, tuple[SpanData, ...]], where: dict[int, tuple[str, int, int]]) -> str:
    having = [n for n, v in versions.items() if v]
    if len(having) < len(versions):
        return "only " + ", ".join(having)
    positions = {tuple(sorted((s.start, s.end) for s in v)) for v in versions.values()}
    labels = {tuple(sorted(s.label for s in v)) for v in versions.values()}
    if len(positions) > 1 and len(labels) > 1:
        return "labels and boundaries differ"
    if len(positions) > 1:
        return "boundaries differ"
    if len(labels) > 1:
        return "labels differ"
    attrs = {tuple(sorted(_signature(s, where)[1] for s in v)) for v in versions.values()}
    if len(attrs) > 1:
        return "attributes differ"
    return "links differ"


def align(
    annotators: Sequence[str],
    spans: Mapping[str, Sequence[SpanData]],
    gold: Sequence[SpanData] = (),
    rejected: Iterable[str] = (),
) -> list[Group]:
    """Group the annotators' spans (see the module docstring) and place the gold spans."""
    names = list(annotators)
    where: dict[int, tuple[str, int, int]] = {}
    for name in names:
        for s in spans.get(name, ()):
            where[s.id] = position(s)
    for s in gold:
        where[s.id] = position(s)
    candidates: dict[tuple[str, int, int], dict[str, list[SpanData]]] = {}
    for name in names:
        for s in spans.get(name, ()):
            candidates.setdefault(position(s), {}).setdefault(name, []).append(s)
    everyone = set(names)
    keys = sorted(candidates, key=lambda p: (p[1], -p[2], p[0]))
    position_agreed = [p for p in keys if set(candidates[p]) >= everyone and len(names) > 1]
    loose = [p for p in keys if p not in set(position_agreed)]

    # union-find over the loose candidates (sweep in start order: only overlapping ones can join)
    parent = {p: p for p in loose}

    def find(p: Position) -> Position:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    active: list[tuple[str, int, int]] = []
    for p in sorted(loose, key=lambda p: (p[1], p[2], p[0])):
        active = [q for q in active if q[2] > p[1]]
        for q in active:
            if _related(p, q):
                parent[find(p)] = find(q)
        active.append(p)
    clusters: dict[tuple[str, int, int], list[tuple[str, int, int]]] = {}
    for p in loose:
        clusters.setdefault(find(p), []).append(p)

    groups: list[Group] = []
    for members in [[p] for p in position_agreed] + list(clusters.values()):
        versions = {n: tuple(s for p in members for s in candidates[p].get(n, ())) for n in names}
        start, end = min(p[1] for p in members), max(p[2] for p in members)
        sigs = {_version_signature(v, where) for v in versions.values()}
        agreed = len(sigs) == 1 and all(versions.values())
        reason = "" if agreed else _describe(versions, where)
        groups.append(Group(f"{start}-{end}", start, end, versions, agreed, reason))
    # two groups can share an extent (e.g. nested spans of different labels): keep keys unique
    seen: dict[str, int] = {}
    groups.sort(key=lambda g: (g.start, -g.end, sorted(g.labels)))
    for g in groups:
        n = seen.get(g.key, 0)
        seen[g.key] = n + 1
        if n:
            g.key = f"{g.key}#{n + 1}"
    _place_gold(groups, gold, where, set(rejected))
    return groups


def _place_gold(groups: list[Group], gold: Sequence[SpanData], where: dict[int, Position], rejected: set[str]) -> None:
    exact: dict[tuple[str, int, int], Group] = {}
    for g in groups:
        for v in g.versions.values():
            for s in v:
                exact.setdefault(position(s), g)
    owned: dict[str, list[SpanData]] = {}
    for s in gold:
        target = exact.get(position(s))
        if target is None:
            best, score = None, 0.0
            for g in groups:
                if not _overlap((s.start, s.end), (g.start, g.end)):
                    continue
                if s.label in g.labels or _jaccard((s.start, s.end), (g.start, g.end)) >= JACCARD_SAME_TEXT:
                    value = _jaccard((s.start, s.end), (g.start, g.end)) + (1 if s.label in g.labels else 0)
                    if value > score:
                        best, score = g, value
            target = best
        if target is not None:
            owned.setdefault(target.key, []).append(s)
    for g in groups:
        g.gold = tuple(owned.get(g.key, ()))
        if g.gold:
            g.state = "accepted"
            mine = _version_signature(g.gold, where)
            g.matches = tuple(n for n, v in g.versions.items() if _version_signature(v, where) == mine)
        elif g.key in rejected:
            g.state = "rejected"
            g.matches = tuple(n for n, v in g.versions.items() if not v)
        else:
            g.state = "open"
            g.matches = ()
