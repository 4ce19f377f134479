"""Attributes compared on matched spans: values normalised by kind, linked spans by correspondence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from annotator.services.agreement import measures as M
from annotator.services.agreement.load import AttrInfo, SpanRec
from annotator.services.agreement.model import AttributeAgreement

Level = Literal["nominal", "interval"]
LEVELS: dict[str, Level] = {"enum": "nominal", "integer": "interval"}


def rounded(value: float | None, places: int = 6) -> float | None:
    return None if value is None else round(value, places)


def normalised(kind: str, value: Any) -> Any:
    """The value compared for one attribute kind: integers as int, text with case and spacing aside."""
    if value is None or value == "":
        return None
    if kind == "integer":
        try:
            return int(value)
        except (TypeError, ValueError):
            return str(value)
    if kind == "text":
        return " ".join(str(value).split()).casefold()
    return value


def _words(value: object) -> str:
    return " ".join(str(value).split()).casefold()


def speakers_agree(a: Sequence[tuple[Any, ...]], b: Sequence[tuple[Any, ...]]) -> bool:
    """Do two sets of linked spans (e.g. a QUOTE's speakers) name the same things?

    Each linked span is ``(start, end, text[, canonical])``. Two correspond when they
    overlap, have the same text, or have the same non-empty canonical name (case and spacing
    aside): the speaker may be linked at different mentions ("Guterres" / "Antonio Guterres").
    """
    if len(a) != len(b):
        return False

    def same(x: tuple[Any, ...], y: tuple[Any, ...]) -> bool:
        if min(x[1], y[1]) > max(x[0], y[0]) or _words(x[2]) == _words(y[2]):
            return True
        cx, cy = (_words(x[3]) if len(x) > 3 else ""), (_words(y[3]) if len(y) > 3 else "")
        return bool(cx) and cx == cy

    free = list(b)
    for x in a:
        hit = next((y for y in free if same(x, y)), None)
        if hit is None:
            return False
        free.remove(hit)
    return True


@dataclass
class AttributeTally:
    """Matched-span attribute values for one label (pooled over pairs or for one pair)."""

    values: dict[str, list[tuple[Any, Any]]] = field(default_factory=dict)

    def add(self, attrs: Mapping[str, AttrInfo], a: SpanRec, b: SpanRec) -> None:
        for name, info in attrs.items():
            if info.kind == "link":
                la = tuple(sorted(a.links.get(name, ())))
                lb = tuple(sorted(b.links.get(name, ())))
                if la or lb:
                    self.values.setdefault(name, []).append((la, lb))
            else:
                va, vb = normalised(info.kind, a.attrs.get(name)), normalised(info.kind, b.attrs.get(name))
                if va is not None or vb is not None:
                    self.values.setdefault(name, []).append((va, vb))

    def merge(self, other: AttributeTally) -> None:
        for name, vals in other.values.items():
            self.values.setdefault(name, []).extend(vals)

    def result(self, attrs: Mapping[str, AttrInfo]) -> dict[str, AttributeAgreement]:
        out: dict[str, AttributeAgreement] = {}
        for name, info in attrs.items():
            vals = self.values.get(name, [])
            if info.kind == "link":
                agreed = sum(speakers_agree(va, vb) for va, vb in vals)
                out[name] = AttributeAgreement("link", rounded(M.percent_agreement(agreed, len(vals))), len(vals))
                continue
            agreed = sum(va == vb for va, vb in vals)
            percent = rounded(M.percent_agreement(agreed, len(vals)))
            both = [(va, vb) for va, vb in vals if va is not None and vb is not None]
            level = LEVELS.get(info.kind)
            alpha = None
            if level == "interval" and any(not isinstance(v, int) for pair in both for v in pair):
                alpha = None
            elif level is not None and both:
                alpha = M.krippendorff_alpha([[va for va, _ in both], [vb for _, vb in both]], level)
            out[name] = AttributeAgreement(info.kind, percent, len(vals), len(both), level, rounded(alpha))
        return out
