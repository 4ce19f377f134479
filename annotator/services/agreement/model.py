"""The agreement report as typed, frozen values; ``to_json`` gives the ``--format json`` shape.

Every figure is already rounded (6 places; D_o/D_e 8) as the JSON shows it, and ``None`` where the
measure is undefined. ``boundaries`` (how matched spans differ at their ends) feeds the verdict and is
not part of the JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from annotator.services.agreement.spans import F1Counts

Figure = float | None
JSON = dict[str, Any]

VARIANTS = ("f1_exact", "f1_overlap", "f1_exact_unlabeled", "f1_overlap_unlabeled")
LABELLED = ("f1_exact", "f1_overlap")
NONE = "(none)"  # the confusion matrix's row/column for a span the other side lacks
CONFUSION_BASIS = (
    "spans matched by overlap (same label first, then position only); rows: first annotator of each pair, "
    "columns: second; (none) = no counterpart"
)
UNITIZING_VARIANT = "Krippendorff 1995/2004 (Content Analysis 2nd ed., pp. 251-256), as DKPro Statistics"


def _counts(counts: Mapping[str, F1Counts]) -> JSON:
    return {v: c.as_dict() for v, c in counts.items()}


@dataclass(frozen=True, slots=True)
class TokenFigures:
    """Fleiss' κ and nominal α on tokens, over all tokens and over the tokens someone tagged."""

    fleiss_kappa: Figure
    fleiss_kappa_tagged: Figure
    alpha_nominal_tokens: Figure
    alpha_nominal_tokens_tagged: Figure

    def to_json(self) -> JSON:
        return {
            "fleiss_kappa": self.fleiss_kappa,
            "fleiss_kappa_tagged": self.fleiss_kappa_tagged,
            "alpha_nominal_tokens": self.alpha_nominal_tokens,
            "alpha_nominal_tokens_tagged": self.alpha_nominal_tokens_tagged,
        }


@dataclass(frozen=True, slots=True)
class AttributeAgreement:
    """One attribute compared on matched spans; ``level``/``alpha`` only for enum and integer,
    ``pairable`` (both sides have a value) not for links."""

    kind: str
    percent: Figure
    units: int
    pairable: int | None = None
    level: str | None = None
    alpha: Figure = None

    def to_json(self) -> JSON:
        out: JSON = {"kind": self.kind, "percent": self.percent}
        if self.kind == "link":
            out["n"] = {"units": self.units}
            return out
        if self.level is not None:
            out["level"] = self.level
            out["alpha"] = self.alpha
        out["n"] = {"units": self.units, "pairable": self.pairable}
        return out


def _attributes(attributes: Mapping[str, AttributeAgreement]) -> JSON:
    return {name: a.to_json() for name, a in attributes.items()}


@dataclass(frozen=True, slots=True)
class Mismatch:
    a: str
    b: str
    count: int


@dataclass(frozen=True, slots=True)
class Confusion:
    """Matched spans' labels, rows the first annotator of a pair; ``NONE`` = no counterpart."""

    labels: tuple[str, ...]
    matrix: Mapping[str, Mapping[str, int]]
    mismatches: tuple[Mismatch, ...]

    def to_json(self) -> JSON:
        return {
            "basis": CONFUSION_BASIS,
            "labels": list(self.labels),
            "matrix": {la: dict(row) for la, row in self.matrix.items()},
            "mismatches": [{"a": m.a, "b": m.b, "count": m.count} for m in self.mismatches],
        }


@dataclass(frozen=True, slots=True)
class PairOverall:
    f1: Mapping[str, Figure]  # VARIANTS -> F1 pooled over the pair's documents
    alpha_unitizing: Figure
    cohen_kappa: Figure
    cohen_kappa_tagged: Figure
    counts: Mapping[str, F1Counts]
    documents: int
    spans: Mapping[str, int]  # a and b -> their spans
    tokens: int
    tokens_tagged: int
    unitizing_length: int

    def to_json(self) -> JSON:
        return {
            **self.f1,
            "alpha_unitizing": self.alpha_unitizing,
            "cohen_kappa": self.cohen_kappa,
            "cohen_kappa_tagged": self.cohen_kappa_tagged,
            "counts": _counts(self.counts),
            "n": {
                "documents": self.documents,
                "spans": dict(self.spans),
                "tokens": self.tokens,
                "tokens_tagged": self.tokens_tagged,
                "unitizing_length": self.unitizing_length,
            },
        }


@dataclass(frozen=True, slots=True)
class PairLabel:
    f1: Mapping[str, Figure]  # LABELLED -> F1
    alpha_unitizing: Figure
    cohen_kappa: Figure
    cohen_kappa_tagged: Figure
    counts: Mapping[str, F1Counts]
    attributes: Mapping[str, AttributeAgreement]

    def to_json(self) -> JSON:
        return {
            **self.f1,
            "alpha_unitizing": self.alpha_unitizing,
            "cohen_kappa": self.cohen_kappa,
            "cohen_kappa_tagged": self.cohen_kappa_tagged,
            "counts": _counts(self.counts),
            "attributes": _attributes(self.attributes),
        }


@dataclass(frozen=True, slots=True)
class PairReport:
    a: str
    b: str
    overall: PairOverall
    per_label: Mapping[str, PairLabel]
    confusion: Confusion

    def to_json(self) -> JSON:
        return {
            "a": self.a,
            "b": self.b,
            "overall": self.overall.to_json(),
            "per_label": {lab: m.to_json() for lab, m in self.per_label.items()},
            "confusion": self.confusion.to_json(),
        }


@dataclass(frozen=True, slots=True)
class UnitizingSummary:
    d_o: Figure
    d_e: Figure
    documents: int | None = None  # overall only: the documents everyone did, and their length
    length: int | None = None

    def to_json(self) -> JSON:
        out: JSON = {"d_o": self.d_o, "d_e": self.d_e}
        if self.documents is not None:
            out["documents"] = self.documents
            out["length"] = self.length
        return out


@dataclass(frozen=True, slots=True)
class Overall:
    f1: Mapping[str, Figure]  # VARIANTS -> mean over pairs
    alpha_unitizing: Figure
    cohen_kappa: Figure
    cohen_kappa_tagged: Figure
    token: TokenFigures
    counts: Mapping[str, F1Counts]  # pooled over pairs
    unitizing: UnitizingSummary
    documents: int
    annotators: int
    pairs: int
    spans: int
    spans_by_annotator: Mapping[str, int]
    tokens: int
    tokens_tagged: int

    def to_json(self) -> JSON:
        return {
            **self.f1,
            "alpha_unitizing": self.alpha_unitizing,
            "cohen_kappa": self.cohen_kappa,
            "cohen_kappa_tagged": self.cohen_kappa_tagged,
            **self.token.to_json(),
            "counts": _counts(self.counts),
            "unitizing": self.unitizing.to_json(),
            "n": {
                "documents": self.documents,
                "annotators": self.annotators,
                "pairs": self.pairs,
                "spans": self.spans,
                "spans_by_annotator": dict(self.spans_by_annotator),
                "tokens": self.tokens,
                "tokens_tagged": self.tokens_tagged,
            },
        }


@dataclass(frozen=True, slots=True)
class LabelReport:
    f1: Mapping[str, Figure]  # LABELLED -> mean over pairs
    alpha_unitizing: Figure
    cohen_kappa: Figure
    cohen_kappa_tagged: Figure
    token: TokenFigures
    counts: Mapping[str, F1Counts]
    unitizing: UnitizingSummary
    attributes: Mapping[str, AttributeAgreement]
    spans: int
    spans_by_annotator: Mapping[str, int]
    tokens_with_label: int

    def to_json(self) -> JSON:
        return {
            **self.f1,
            "alpha_unitizing": self.alpha_unitizing,
            "cohen_kappa": self.cohen_kappa,
            "cohen_kappa_tagged": self.cohen_kappa_tagged,
            **self.token.to_json(),
            "counts": _counts(self.counts),
            "unitizing": self.unitizing.to_json(),
            "attributes": _attributes(self.attributes),
            "n": {
                "spans": self.spans,
                "spans_by_annotator": dict(self.spans_by_annotator),
                "tokens_with_label": self.tokens_with_label,
            },
        }


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    id: int
    uid: str
    title: str
    annotators: tuple[str, ...]
    length: int
    tokens: int

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "uid": self.uid,
            "title": self.title,
            "annotators": list(self.annotators),
            "length": self.length,
            "tokens": self.tokens,
        }


@dataclass(frozen=True, slots=True)
class DocumentAgreement:
    """One document's figures; ``rank`` 1 = the most disagreement (1 − F1 exact, then unmatched spans)."""

    id: int
    uid: str
    title: str
    annotators: tuple[str, ...]
    disagreement: float
    unmatched_spans: int
    f1: Mapping[str, Figure]  # VARIANTS -> mean over the pairs on this document
    alpha_unitizing: Figure
    cohen_kappa: Figure
    token: TokenFigures
    pairs: int
    tokens: int
    spans: Mapping[str, int]
    rank: int

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "uid": self.uid,
            "title": self.title,
            "annotators": list(self.annotators),
            "disagreement": self.disagreement,
            "unmatched_spans": self.unmatched_spans,
            **self.f1,
            "alpha_unitizing": self.alpha_unitizing,
            "cohen_kappa": self.cohen_kappa,
            **self.token.to_json(),
            "n": {"pairs": self.pairs, "tokens": self.tokens, "spans": dict(self.spans)},
            "rank": self.rank,
        }


@dataclass(frozen=True, slots=True)
class BoundaryShift:
    """How one annotator's spans of one label sit against another's where they overlap (same label).

    ``side`` is ``start`` or ``end``; ``shorter`` counts the matches where ``annotator``'s span is
    inside the other's at that side, ``longer`` where it reaches past it, out of ``matched``.
    ``shorter_by`` holds the characters left out at that side, counted (e.g. ``{'"': 9}``).
    """

    annotator: str
    other: str
    label: str
    side: str
    matched: int
    shorter: int
    longer: int
    shorter_by: Mapping[str, int]
    longer_by: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Missing:
    """Spans of ``label`` by ``annotator`` that ``other`` has no counterpart for, on documents both did."""

    annotator: str
    other: str
    label: str
    count: int
    of: int


@dataclass(frozen=True, slots=True)
class AgreementReport:
    annotators: tuple[str, ...]
    labels: tuple[str, ...]
    status: str  # "done" or "all"
    tokenisation: Mapping[str, str]
    documents: tuple[DocumentInfo, ...]
    overall: Overall
    per_label: Mapping[str, LabelReport]
    pairs: tuple[PairReport, ...]
    per_document: tuple[DocumentAgreement, ...]  # most disagreement first
    confusion: Confusion
    boundaries: tuple[BoundaryShift, ...] = ()
    missing: tuple[Missing, ...] = ()

    def to_json(self) -> JSON:
        """What ``annotator agreement --format json`` prints (``boundaries``/``missing`` are the verdict's)."""
        return {
            "annotators": list(self.annotators),
            "labels": list(self.labels),
            "status": self.status,
            "tokenisation": dict(self.tokenisation),
            "unitizing_variant": UNITIZING_VARIANT,
            "documents": [d.to_json() for d in self.documents],
            "overall": self.overall.to_json(),
            "per_label": {lab: m.to_json() for lab, m in self.per_label.items()},
            "pairs": [p.to_json() for p in self.pairs],
            "per_document": [d.to_json() for d in self.per_document],
            "confusion": self.confusion.to_json(),
        }
