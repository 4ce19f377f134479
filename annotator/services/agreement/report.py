"""The agreement report: every measure, overall, per label, per pair and per document.

``compute_report`` works on plain data (``DocData``) and returns a typed ``AgreementReport``
(``model``; its ``to_json()`` is ``--format json``); ``build_report`` reads that data from the
database first. Undefined measures are ``None``.

Scopes, in one place:
- Span F1 (four variants) for a pair pools TP/FP/FN over the documents both took part in
  (micro); overall and per-label F1 is the mean over pairs; per document, the mean over the
  pairs on that document.
- α_u runs on one continuum: the documents' texts end to end in document-id order, in code
  points. Overall: the documents every chosen annotator took part in; per pair: the
  documents both did; per document: that text alone, with the annotators who did it.
- Token κ/α: Cohen's κ per pair (mean over pairs overall); Fleiss' κ and nominal α over all
  annotators, each token rated by the annotators taking part in its document. Each is also
  given restricted to the tokens someone in the comparison tagged (``*_tagged``); per label
  the tags are binary (this label or not) and the restriction is to tokens someone tagged
  with any label.
- Attributes: compared on the spans matched by labelled overlap, pooled over pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any

from sqlmodel import Session

from annotator.services.agreement import measures as M
from annotator.services.agreement.attributes import AttributeTally, rounded
from annotator.services.agreement.load import AttrInfo, DocData, SpanRec
from annotator.services.agreement.model import (
    AgreementReport,
    DocumentAgreement,
    DocumentInfo,
    LabelReport,
    Overall,
    PairLabel,
    PairOverall,
    PairReport,
    TokenFigures,
    UnitizingSummary,
)
from annotator.services.agreement.pairs import (
    LABELLED,
    VARIANTS,
    BoundaryTally,
    Continuum,
    PairComparison,
    Units,
    compare_pair,
    confusion_of,
)
from annotator.services.agreement.tokens import OUTSIDE, TOKENISATION, decode_code, joint_token_counts, tokenize

Row = tuple[int, ...]  # how many annotators gave each category to a token (O last)


@dataclass
class _Pair:
    a: str
    b: str
    documents: int = 0
    spans_a: int = 0
    spans_b: int = 0
    counts: dict[str, M.F1Counts] = field(default_factory=lambda: {v: M.F1Counts() for v in VARIANTS})
    by_label: dict[str, dict[str, M.F1Counts]] = field(default_factory=lambda: {v: {} for v in LABELLED})
    tokens: Counter[tuple[str, str]] = field(default_factory=Counter)  # (tag a, tag b) -> n
    label_tokens: dict[str, Counter[tuple[bool, bool]]] = field(default_factory=dict)  # label -> (a, b) -> n
    label_tokens_tagged: dict[str, Counter[tuple[bool, bool]]] = field(default_factory=dict)  # a or b tagged
    attrs: dict[str, AttributeTally] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, got: PairComparison, sa: Sequence[SpanRec], sb: Sequence[SpanRec], attrs: Mapping[str, Any]) -> None:
        self.documents += 1
        self.spans_a += len(sa)
        self.spans_b += len(sb)
        for v in VARIANTS:
            self.counts[v] = self.counts[v] + got.counts[v]
        for v in LABELLED:
            for lab, c in got.by_label[v].items():
                self.by_label[v][lab] = self.by_label[v].get(lab, M.F1Counts()) + c
        for i, j in got.matched:
            lab = sa[i].label
            self.attrs.setdefault(lab, AttributeTally()).add(attrs[lab], sa[i], sb[j])
        self.confusion.update(got.confusion)


def _unitizing(result: M.UnitizingResult, documents: int | None = None, length: int | None = None) -> UnitizingSummary:
    return UnitizingSummary(rounded(float(result.d_o), 8), rounded(float(result.d_e), 8), documents, length)


def _token_figures(rows: Mapping[Row, int], tagged_rows: Mapping[Row, int]) -> TokenFigures:
    """Fleiss' κ and nominal α on distinct token rows (category counts -> number of tokens)."""
    fleiss, alpha = M.fleiss_and_alpha_weighted(rows) if rows else (None, None)
    fleiss_t, alpha_t = M.fleiss_and_alpha_weighted(tagged_rows) if tagged_rows else (None, None)
    return TokenFigures(
        rounded(fleiss.kappa) if fleiss else None,
        rounded(fleiss_t.kappa) if fleiss_t else None,
        rounded(alpha),
        rounded(alpha_t),
    )


def _tagged_rows(rows: Mapping[Row, int]) -> Counter[Row]:
    """The rows of tokens someone tagged (not every rating is the last category, O)."""
    return Counter({r: w for r, w in rows.items() if r[-1] < sum(r)})


def _decoded(cache: dict[int, tuple[str, int]], code: int, labels: Sequence[str]) -> tuple[str, int]:
    got = cache.get(code)
    if got is None:
        got = cache[code] = decode_code(code, labels)
    return got


def _tagged(table: Mapping[tuple[str, str], int]) -> Counter[tuple[str, str]]:
    return Counter({k: v for k, v in table.items() if k != (OUTSIDE, OUTSIDE)})


def _kappa(table: Mapping[Any, int]) -> float | None:
    return rounded(M.cohen_kappa_counts(table))


def _mean(values: Iterable[float | None]) -> float | None:
    return rounded(M.mean_defined(values))


class _Documents:
    """The per-document pass: feeds the pairs, continua and token tables, keeps each document's figures."""

    def __init__(self, annotators: Sequence[str], labels: Sequence[str], attrs: Mapping[str, Any]) -> None:
        self.annotators = list(annotators)
        self.labels = list(labels)
        self.attrs = attrs
        self.categories = [*labels, OUTSIDE]
        self.cat_index = {c: k for k, c in enumerate(self.categories)}
        self.pairs = {(a, b): _Pair(a, b) for a, b in combinations(annotators, 2)}
        # α_u: one continuum of all annotators, one per pair; only counts kept, never the spans
        self.everyone = frozenset(annotators)
        self.u_all = Continuum(annotators, labels)
        self.u_pairs = {pair: Continuum(pair, labels) for pair in self.pairs}
        # token level: counts of distinct rows, never one entry per token; per set of annotators present
        self.joint_by_present: dict[tuple[str, ...], Counter[tuple[int, ...]]] = {}
        self.rows_of: dict[tuple[int, ...], Row] = {}  # token combination -> category counts
        self.tags_of: dict[int, tuple[str, int]] = {}  # code -> (tag, label mask)
        self.infos: list[DocumentInfo] = []
        self.entries: list[dict[str, Any]] = []  # per-document figures before ranking
        self.spans_by_annotator: Counter[str] = Counter()
        self.spans_by_label_annotator: dict[str, Counter[str]] = {lab: Counter() for lab in labels}
        self.n_tokens = 0
        self.boundaries = BoundaryTally()

    def add(self, doc: DocData) -> None:
        labels = self.labels
        present = [a for a in self.annotators if a in doc.annotators]
        spans = {a: [s for s in doc.spans.get(a, []) if s.label in self.attrs] for a in present}
        for a in present:
            self.spans_by_annotator[a] += len(spans[a])
            for s in spans[a]:
                self.spans_by_label_annotator[s.label][a] += 1
        length = len(doc.text)
        raw: dict[str, dict[str, list[tuple[int, int]]]] = {lab: {a: [] for a in present} for lab in labels}
        for a in present:
            for s in spans[a]:
                raw[s.label][a].append((s.start, s.end))
        units: Units = {lab: {a: M.merged_units(u, length) for a, u in by.items()} for lab, by in raw.items()}
        observed = {
            lab: {(a, b): M.pair_observed(units[lab][a], units[lab][b]) for a, b in combinations(present, 2)}
            for lab in labels
        }
        doc_u = Continuum(present, labels)
        doc_u.add(length, units, observed)
        _u, doc_alpha = doc_u.result()
        if self.everyone <= set(present):
            self.u_all.add(length, units, observed)
        for pair in combinations(present, 2):
            self.u_pairs[pair].add(length, units, observed)

        tokens = tokenize(doc.text)
        # the tokens as distinct combinations of the annotators' codes (IO tag, label mask), counted
        joint = joint_token_counts(tokens, [[s.tuple for s in spans[a]] for a in present], labels)
        self.joint_by_present.setdefault(tuple(present), Counter()).update(joint)
        doc_rows: Counter[Row] = Counter()
        for key, weight in joint.items():
            row = self.rows_of.get(key)
            if row is None:
                counts = [0] * len(self.categories)
                for code in key:
                    counts[self.cat_index[_decoded(self.tags_of, code, labels)[0]]] += 1
                row = self.rows_of[key] = tuple(counts)
            doc_rows[row] += weight
        self.n_tokens += len(tokens)
        where = {a: k for k, a in enumerate(present)}

        doc_pairs: list[tuple[dict[str, M.F1Counts], float | None]] = []
        for a, b in combinations(present, 2):
            got = compare_pair(spans[a], spans[b])
            self.pairs[(a, b)].add(got, spans[a], spans[b], self.attrs)
            self.boundaries.add(doc.text, a, b, spans[a], spans[b], got.matched)
            ia, ib = where[a], where[b]
            doc_table: Counter[tuple[str, str]] = Counter()  # (tag a, tag b) -> tokens
            for key, weight in joint.items():
                doc_table[(self.tags_of[key[ia]][0], self.tags_of[key[ib]][0])] += weight
            doc_pairs.append((got.counts, M.cohen_kappa_counts(doc_table)))

        f1 = {v: M.mean_defined(c[v].f1 for c, _k in doc_pairs) for v in VARIANTS}
        exact = f1["f1_exact"]
        self.infos.append(DocumentInfo(doc.id, doc.uid, doc.title, tuple(present), length, len(tokens)))
        self.entries.append(
            {
                "id": doc.id,
                "uid": doc.uid,
                "title": doc.title,
                "annotators": tuple(present),
                "disagreement": rounded(1 - exact if exact is not None else 0.0) or 0.0,
                "unmatched_spans": sum(c["f1_exact"].fp + c["f1_exact"].fn for c, _k in doc_pairs),
                "f1": {v: rounded(f1[v]) for v in VARIANTS},
                "alpha_unitizing": rounded(doc_alpha),
                "cohen_kappa": _mean(k for _c, k in doc_pairs),
                "token": _token_figures(doc_rows, _tagged_rows(doc_rows)),
                "pairs": len(doc_pairs),
                "tokens": len(tokens),
                "spans": {a: len(spans[a]) for a in present},
            }
        )

    def ranked(self) -> tuple[DocumentAgreement, ...]:
        entries = sorted(self.entries, key=lambda d: (-d["disagreement"], -d["unmatched_spans"], d["id"]))
        return tuple(DocumentAgreement(**entry, rank=rank) for rank, entry in enumerate(entries, 1))

    def token_tables(self) -> tuple[Counter[Row], dict[str, Counter[tuple[Row, bool]]]]:
        """Fleiss/α rows overall and per label (binary: (no, yes), anyone tagged); fills the pairs' tables."""
        labels = self.labels
        fleiss_rows: Counter[Row] = Counter()
        label_rows: dict[str, Counter[tuple[Row, bool]]] = {lab: Counter() for lab in labels}
        for present_t, joint in self.joint_by_present.items():
            where = {a: k for k, a in enumerate(present_t)}
            for key, weight in joint.items():
                row = self.rows_of[key]
                fleiss_rows[row] += weight
                someone = row[-1] < len(key)
                masks = [self.tags_of[code][1] for code in key]
                for bit, lab in enumerate(labels):
                    yes = sum(mask >> bit & 1 for mask in masks)
                    label_rows[lab][((len(key) - yes, yes), someone)] += weight
            for a, b in combinations(present_t, 2):
                acc = self.pairs[(a, b)]
                ia, ib = where[a], where[b]
                for key, weight in joint.items():
                    (tag_a, mask_a), (tag_b, mask_b) = self.tags_of[key[ia]], self.tags_of[key[ib]]
                    acc.tokens[(tag_a, tag_b)] += weight
                    someone = tag_a != OUTSIDE or tag_b != OUTSIDE
                    for bit, lab in enumerate(labels):
                        pair = (bool(mask_a >> bit & 1), bool(mask_b >> bit & 1))
                        acc.label_tokens.setdefault(lab, Counter())[pair] += weight
                        if someone:
                            acc.label_tokens_tagged.setdefault(lab, Counter())[pair] += weight
        return fleiss_rows, label_rows


def _pair_report(acc: _Pair, u: Continuum, labels: Sequence[str], attrs: Mapping[str, Any]) -> PairReport:
    pu_labels, pu_overall = u.result()
    table = acc.tokens
    overall = PairOverall(
        {v: rounded(acc.counts[v].f1) for v in VARIANTS},
        rounded(pu_overall),
        _kappa(table),
        _kappa(_tagged(table)),
        dict(acc.counts),
        acc.documents,
        {acc.a: acc.spans_a, acc.b: acc.spans_b},
        sum(table.values()),
        sum(_tagged(table).values()),
        u.length,
    )
    per_label = {}
    for lab in labels:
        counts = {v: acc.by_label[v].get(lab, M.F1Counts()) for v in LABELLED}
        per_label[lab] = PairLabel(
            {v: rounded(counts[v].f1) for v in LABELLED},
            rounded(pu_labels[lab].alpha),
            _kappa(acc.label_tokens.get(lab, Counter())),
            _kappa(acc.label_tokens_tagged.get(lab, Counter())),
            counts,
            acc.attrs.get(lab, AttributeTally()).result(attrs[lab]),
        )
    return PairReport(acc.a, acc.b, overall, per_label, confusion_of(acc.confusion, labels))


def compute_report(
    annotators: Sequence[str],
    documents: Iterable[DocData],
    labels: Sequence[str],
    label_attrs: Mapping[str, Mapping[str, AttrInfo]] | None = None,
    *,
    all_status: bool = False,
) -> AgreementReport:
    """The full agreement report (see the module docstring for what each scope means)."""
    annotators = list(annotators)
    labels = list(labels)
    attrs = {lab: dict((label_attrs or {}).get(lab, {})) for lab in labels}
    docs = _Documents(annotators, labels, attrs)
    for doc in documents:
        docs.add(doc)
    fleiss_rows, label_rows = docs.token_tables()
    pairs = docs.pairs
    pair_out = tuple(_pair_report(acc, docs.u_pairs[key], labels, attrs) for key, acc in pairs.items())

    u_labels, u_overall = docs.u_all.result()
    overall = Overall(
        {v: _mean(p.overall.f1[v] for p in pair_out) for v in VARIANTS},
        rounded(u_overall),
        _mean(p.overall.cohen_kappa for p in pair_out),
        _mean(p.overall.cohen_kappa_tagged for p in pair_out),
        _token_figures(fleiss_rows, _tagged_rows(fleiss_rows)),
        {v: sum((acc.counts[v] for acc in pairs.values()), M.F1Counts()) for v in VARIANTS},
        _unitizing(
            M.UnitizingResult(
                sum((r.d_o for r in u_labels.values()), Fraction(0)),
                sum((r.d_e for r in u_labels.values()), Fraction(0)),
            ),
            docs.u_all.documents,
            docs.u_all.length,
        ),
        len(docs.infos),
        len(annotators),
        sum(1 for p in pairs.values() if p.documents),
        sum(docs.spans_by_annotator.values()),
        {a: docs.spans_by_annotator[a] for a in annotators},
        docs.n_tokens,
        sum(_tagged_rows(fleiss_rows).values()),
    )
    per_label: dict[str, LabelReport] = {}
    for lab in labels:
        rows: Counter[Row] = Counter()
        tagged_rows: Counter[Row] = Counter()
        for (row, someone), weight in label_rows[lab].items():
            rows[row] += weight
            if someone:
                tagged_rows[row] += weight
        pooled_attrs = AttributeTally()
        for acc in pairs.values():
            if lab in acc.attrs:
                pooled_attrs.merge(acc.attrs[lab])
        per_label[lab] = LabelReport(
            {v: _mean(p.per_label[lab].f1[v] for p in pair_out) for v in LABELLED},
            rounded(u_labels[lab].alpha),
            _mean(p.per_label[lab].cohen_kappa for p in pair_out),
            _mean(p.per_label[lab].cohen_kappa_tagged for p in pair_out),
            _token_figures(rows, tagged_rows),
            {
                v: sum((acc.by_label[v].get(lab, M.F1Counts()) for acc in pairs.values()), M.F1Counts())
                for v in LABELLED
            },
            _unitizing(u_labels[lab]),
            pooled_attrs.result(attrs[lab]),
            sum(docs.spans_by_label_annotator[lab].values()),
            {a: docs.spans_by_label_annotator[lab][a] for a in annotators},
            sum(w for r, w in rows.items() if r[1] > 0),
        )

    total_confusion: Counter[tuple[str, str]] = Counter()
    for acc in pairs.values():
        total_confusion.update(acc.confusion)
    return AgreementReport(
        tuple(annotators),
        tuple(labels),
        "all" if all_status else "done",
        dict(TOKENISATION),
        tuple(docs.infos),
        overall,
        per_label,
        pair_out,
        docs.ranked(),
        confusion_of(total_confusion, labels),
        docs.boundaries.result(),
    )


def build_report(
    session: Session, *, annotators: Sequence[str] = (), labels: Sequence[str] = (), all_status: bool = False
) -> AgreementReport:
    """Read the chosen annotators' spans from the database and compute the report."""
    from annotator.errors import UserError
    from annotator.services.agreement.load import choose_annotators, iter_documents, label_catalogue

    known, attrs = label_catalogue(session)
    if labels:
        unknown = [lab for lab in labels if lab not in known]
        if unknown:
            raise UserError(
                f"unknown label {', '.join(map(repr, unknown))} (known: {', '.join(known)})", field="labels"
            )
        chosen_labels = list(dict.fromkeys(labels))
    else:
        chosen_labels = known
    chosen = choose_annotators(session, annotators)
    names = [a.name for a in chosen]
    return compute_report(
        names, iter_documents(session, chosen, chosen_labels, all_status), chosen_labels, attrs, all_status=all_status
    )
