"""The verdict for a lead who is not a statistician: pure data drawn from an ``AgreementReport``.

- Per label, where α_u falls among Krippendorff's conventional bands (2004, p. 241; 2019, p. 356):
  α ≥ .800 reliable, .667 ≤ α < .800 tentative conclusions only, below .667 unreliable.
- The biggest disagreements, from the data: one annotator's spans systematically shorter at their start
  or end than another's (and what lies between: quotation marks, punctuation, space, text), one label
  given where another gave a different one, and spans one annotator has that the other lacks.
- The documents to review first (the report's ranking: most disagreement first).

The words are the CLI's and the review screen's job (``cli/render/agreement.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from annotator.services.agreement.model import NONE, AgreementReport, DocumentAgreement, PairReport

RELIABLE = 0.800
TENTATIVE = 0.667
MIN_FINDING = 2  # a pattern seen once is an accident, not a pattern


class Band(Enum):
    RELIABLE = "reliable"
    TENTATIVE = "tentative"
    UNRELIABLE = "unreliable"
    UNDEFINED = "undefined"


def band(alpha: float | None) -> Band:
    if alpha is None:
        return Band.UNDEFINED
    if alpha >= RELIABLE:
        return Band.RELIABLE
    if alpha >= TENTATIVE:
        return Band.TENTATIVE
    return Band.UNRELIABLE


class Kind(Enum):
    BOUNDARY = "boundary"  # annotator's spans stop short of other's at one side
    CONFUSION = "confusion"  # where other gave other_label, annotator gave label
    MISSING = "missing"  # annotator has nothing where other has a span of label


@dataclass(frozen=True, slots=True)
class LabelVerdict:
    label: str
    alpha: float | None
    band: Band
    spans: int


@dataclass(frozen=True, slots=True)
class Finding:
    """One disagreement, ``count`` of ``of`` cases. For BOUNDARY, ``side`` is start or end and ``between``
    what the annotator leaves out there most often; for CONFUSION, ``other_label`` is the other's label."""

    kind: Kind
    annotator: str
    other: str
    label: str
    count: int
    of: int
    side: str = ""
    between: str = ""
    other_label: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    labels: tuple[LabelVerdict, ...]
    findings: tuple[Finding, ...]  # biggest first
    review_first: tuple[DocumentAgreement, ...]


def _spans_of(pair: PairReport, label: str, first: bool) -> int:
    counts = pair.per_label[label].counts["f1_overlap"] if label in pair.per_label else None
    if counts is None:
        return 0
    return counts.tp + (counts.fp if first else counts.fn)


def _pair_findings(pair: PairReport) -> list[Finding]:
    out: list[Finding] = []
    for m in pair.confusion.mismatches:
        out.append(Finding(Kind.CONFUSION, pair.b, pair.a, m.b, m.count, _spans_of(pair, m.a, True), other_label=m.a))
    matrix = pair.confusion.matrix
    for label in pair.per_label:
        a_alone = matrix.get(label, {}).get(NONE, 0)  # a's spans b has nothing for
        b_alone = matrix.get(NONE, {}).get(label, 0)
        if a_alone:
            out.append(Finding(Kind.MISSING, pair.b, pair.a, label, a_alone, _spans_of(pair, label, True)))
        if b_alone:
            out.append(Finding(Kind.MISSING, pair.a, pair.b, label, b_alone, _spans_of(pair, label, False)))
    return out


def verdict(report: AgreementReport, *, findings: int = 3, documents: int = 3) -> Verdict:
    """The verdict on ``report``: every label's band, the ``findings`` biggest disagreements, and the
    ``documents`` to review first (those with any disagreement)."""
    labels = tuple(
        LabelVerdict(lab, m.alpha_unitizing, band(m.alpha_unitizing), m.spans) for lab, m in report.per_label.items()
    )
    found: list[Finding] = []
    for shift in report.boundaries:
        if shift.shorter >= MIN_FINDING and shift.shorter > shift.longer:
            between = max(sorted(shift.shorter_by), key=lambda k: shift.shorter_by[k])
            found.append(
                Finding(
                    Kind.BOUNDARY,
                    shift.annotator,
                    shift.other,
                    shift.label,
                    shift.shorter,
                    shift.matched,
                    side=shift.side,
                    between=between,
                )
            )
    for pair in report.pairs:
        found.extend(f for f in _pair_findings(pair) if f.count >= MIN_FINDING)
    order = {Kind.BOUNDARY: 0, Kind.MISSING: 1, Kind.CONFUSION: 2}
    found.sort(key=lambda f: (-f.count, -f.count / max(f.of, 1), order[f.kind], f.annotator, f.label, f.side))
    # the biggest of each kind first (a lead learns more from three kinds than from one kind thrice)
    firsts = [next(f for f in found if f.kind is kind) for kind in Kind if any(f.kind is kind for f in found)]
    rest = [f for f in found if f not in firsts]
    found = sorted(firsts, key=found.index) + rest
    review = tuple(d for d in report.per_document if d.disagreement > 0 or d.unmatched_spans > 0)[:documents]
    return Verdict(labels, tuple(found[:findings]), review)
