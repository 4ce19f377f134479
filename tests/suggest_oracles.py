"""The quadratic reference versions of ``sentence_start``/``sentence_end`` and ``combine``,
as they were before the sentence index and the sort-and-sweep (git 57cc2f0), kept only as
test oracles: the linear versions must give exactly their results."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.schemas.labels import LabelSchema
from annotator.services.suggestions.base import _BREAK, Suggestion, _is_abbrev_stop
from annotator.services.suggestions.engine import _fits, _priority


def sentence_start(text: str, pos: int) -> int:
    best = 0
    for m in _BREAK.finditer(text, 0, pos):
        if m.group() == "\n" or not _is_abbrev_stop(text, m.start()):
            best = m.end()
    while best < len(text) and text[best].isspace():
        best += 1
    return min(best, pos)


def sentence_end(text: str, pos: int) -> int:
    for m in _BREAK.finditer(text, pos):
        if m.group() == "\n":
            return m.start()
        if not _is_abbrev_stop(text, m.start()):
            return m.end()
    return len(text)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def combine(
    raw: list[Suggestion],
    schema: LabelSchema,
    *,
    existing: Iterable[tuple[str, int, int]] = (),
    rejected: Iterable[tuple[str, int, int]] = (),
) -> list[Suggestion]:
    # 1. merge exact duplicates
    merged: dict[tuple[str, int, int], Suggestion] = {}
    for s in sorted(raw, key=lambda s: _priority(s.source)):
        if s.end <= s.start:
            continue
        s = _fits(schema, s)
        if s is None:
            continue
        if s.key in merged:
            kept = merged[s.key]
            for k, v in s.attrs.items():
                kept.attrs.setdefault(k, v)
            for k, v in s.link_keys.items():
                kept.link_keys.setdefault(k, v)
        else:
            merged[s.key] = Suggestion(s.label, s.start, s.end, dict(s.attrs), {}, s.source, dict(s.link_keys))
    # 2. same-label overlaps: the longer (then higher-priority) one stays
    kept: list[Suggestion] = []
    replaced: dict[tuple[str, int, int], tuple[str, int, int]] = {}
    by_label: dict[str, list[Suggestion]] = {}
    for s in sorted(merged.values(), key=lambda s: (-(s.end - s.start), _priority(s.source), s.start)):
        clash = next((k for k in by_label.get(s.label, []) if _overlaps((s.start, s.end), (k.start, k.end))), None)
        if clash is not None:
            replaced[s.key] = clash.key
            continue
        by_label.setdefault(s.label, []).append(s)
        kept.append(s)
    # 3. what the annotator already has (same label, overlapping) or rejected
    existing_by_label: dict[str, list[tuple[int, int]]] = {}
    existing_keys = set()
    for label, start, end in existing:
        existing_by_label.setdefault(label, []).append((start, end))
        existing_keys.add((label, start, end))
    rejected_keys = set(rejected)
    final = [
        s
        for s in kept
        if s.key not in rejected_keys
        and not any(_overlaps((s.start, s.end), e) for e in existing_by_label.get(s.label, ()))
    ]
    final.sort(key=lambda s: (s.start, -s.end, s.label))
    index = {s.key: i for i, s in enumerate(final)}
    for s in final:
        links: dict[str, tuple[int, ...]] = {}
        outside: dict[str, tuple[tuple[str, int, int], ...]] = {}
        for attr, keys in s.link_keys.items():
            for key in keys:
                key = replaced.get(key, key)
                if key in index:
                    links[attr] = links.get(attr, ()) + (index[key],)
                elif key in existing_keys or any(
                    _overlaps((key[1], key[2]), e) for e in existing_by_label.get(key[0], ())
                ):
                    outside[attr] = outside.get(attr, ()) + (key,)  # an existing span: stored by offsets
        s.links = {a: tuple(dict.fromkeys(v)) for a, v in links.items()}
        s.link_keys = outside
    return final
