"""The agreement report: every measure, overall, per label, per pair and per document.

``compute_report`` works on plain data (``DocData``) and returns a JSON-ready dict;
``build_report`` reads that data from the database first. Undefined measures are ``None``.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any

from annotator.services.agreement import measures as M
from annotator.services.agreement.load import AttrInfo, DocData, SpanRec
from annotator.services.agreement.tokens import OUTSIDE, TOKENISATION, decode_code, joint_token_counts, tokenize

VARIANTS: dict[str, tuple[str, bool]] = {
    "f1_exact": ("exact", True),
    "f1_overlap": ("overlap", True),
    "f1_exact_unlabeled": ("exact", False),
    "f1_overlap_unlabeled": ("overlap", False),
}
LABELLED = ("f1_exact", "f1_overlap")
NONE = "(none)"  # the confusion matrix's row/column for a span the other side lacks
LEVELS = {"enum": "nominal", "integer": "interval"}


def _round(value: float | None, places: int = 6) -> float | None:
    return None if value is None else round(value, places)


def _norm(kind: str, value: Any) -> Any:
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


def speakers_agree(a: Sequence[tuple], b: Sequence[tuple]) -> bool:
    """Do two sets of linked spans (e.g. a QUOTE's speakers) name the same things?

    Each linked span is ``(start, end, text[, canonical])``. Two correspond when they
    overlap, have the same text, or have the same non-empty canonical name (case and spacing
    aside): the speaker may be linked at different mentions ("Guterres" / "Antonio Guterres").
    """
    if len(a) != len(b):
        return False
    norm = lambda t: " ".join(str(t).split()).casefold()  # noqa: E731

    def same(x: tuple, y: tuple) -> bool:
        if min(x[1], y[1]) > max(x[0], y[0]) or norm(x[2]) == norm(y[2]):
            return True
        cx, cy = (norm(x[3]) if len(x) > 3 else ""), (norm(y[3]) if len(y) > 3 else "")
        return bool(cx) and cx == cy

    free = list(b)
    for x in a:
        hit = next((y for y in free if same(x, y)), None)
        if hit is None:
            return False
        free.remove(hit)
    return True


@dataclass
class _AttrAcc:
    """Matched-span attribute values for one label (pooled over pairs or for one pair)."""

    values: dict[str, list[tuple[Any, Any]]] = field(default_factory=dict)

    def add(self, attrs: dict[str, AttrInfo], a: SpanRec, b: SpanRec) -> None:
        for name, info in attrs.items():
            if info.kind == "link":
                va = tuple(sorted(a.links.get(name, ())))
                vb = tuple(sorted(b.links.get(name, ())))
                if va or vb:
                    self.values.setdefault(name, []).append((va, vb))
            else:
                va, vb = _norm(info.kind, a.attrs.get(name)), _norm(info.kind, b.attrs.get(name))
                if va is not None or vb is not None:
                    self.values.setdefault(name, []).append((va, vb))

    def merge(self, other: _AttrAcc) -> None:
        for name, vals in other.values.items():
            self.values.setdefault(name, []).extend(vals)

    def result(self, attrs: dict[str, AttrInfo]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, info in attrs.items():
            vals = self.values.get(name, [])
            if info.kind == "link":
                agreed = sum(speakers_agree(va, vb) for va, vb in vals)
                out[name] = {
                    "kind": "link",
                    "percent": _round(M.percent_agreement(agreed, len(vals))),
                    "n": {"units": len(vals)},
                }
                continue
            agreed = sum(va == vb for va, vb in vals)
            entry: dict[str, Any] = {"kind": info.kind, "percent": _round(M.percent_agreement(agreed, len(vals)))}
            level = LEVELS.get(info.kind)
            both = [(va, vb) for va, vb in vals if va is not None and vb is not None]
            if level is not None:
                if level == "interval" and any(not isinstance(v, int) for pair in both for v in pair):
                    alpha = None
                else:
                    alpha = (
                        M.krippendorff_alpha([[va for va, _ in both], [vb for _, vb in both]], level) if both else None
                    )
                entry["level"] = level
                entry["alpha"] = _round(alpha)
            entry["n"] = {"units": len(vals), "pairable": len(both)}
            out[name] = entry
        return out


@dataclass
class _Pair:
    a: str
    b: str
    documents: int = 0
    spans_a: int = 0
    spans_b: int = 0
    counts: dict[str, M.F1Counts] = field(default_factory=lambda: {v: M.F1Counts() for v in VARIANTS})
    by_label: dict[str, dict[str, M.F1Counts]] = field(default_factory=lambda: {v: {} for v in LABELLED})
    tokens: Counter = field(default_factory=Counter)  # (tag a, tag b) -> n
    label_tokens: dict[str, Counter] = field(default_factory=dict)  # label -> (bool, bool) -> n
    label_tokens_tagged: dict[str, Counter] = field(default_factory=dict)  # the same, tokens a or b tagged
    attrs: dict[str, _AttrAcc] = field(default_factory=dict)
    confusion: Counter = field(default_factory=Counter)


def _compare_pair(sa: list[SpanRec], sb: list[SpanRec]) -> dict[str, Any]:
    """Everything span-level for one pair on one document."""
    ta, tb = [s.tuple for s in sa], [s.tuple for s in sb]
    found = M.match_all(ta, tb)
    counts = {}
    for v, (mode, labelled) in VARIANTS.items():
        tp = len(found[mode if labelled else f"{mode}_unlabeled"])
        counts[v] = M.F1Counts(tp, len(ta) - tp, len(tb) - tp)
    n_a = Counter(t[2] for t in ta)
    n_b = Counter(t[2] for t in tb)
    by_label = {}
    for v in LABELLED:
        tp = Counter(ta[i][2] for i, _j in found[VARIANTS[v][0]])
        by_label[v] = {
            lab: M.F1Counts(tp[lab], n_a[lab] - tp[lab], n_b[lab] - tp[lab]) for lab in sorted(set(n_a) | set(n_b))
        }
    matched = found["overlap"]
    relabelled = found["relabelled"]
    # confusion: first the same-label matches, then position-only matches among the rest
    confusion: Counter = Counter()
    for i, j in matched + relabelled:
        confusion[(ta[i][2], tb[j][2])] += 1
    done_a = {i for i, _ in matched + relabelled}
    done_b = {j for _, j in matched + relabelled}
    for i, t in enumerate(ta):
        if i not in done_a:
            confusion[(t[2], NONE)] += 1
    for j, t in enumerate(tb):
        if j not in done_b:
            confusion[(NONE, t[2])] += 1
    return {"counts": counts, "by_label": by_label, "matched": matched, "confusion": confusion}


class _Continuum:
    """α_u of every label on one continuum (documents end to end), fed a document at a time."""

    def __init__(self, coders: Sequence[str], labels: Sequence[str]) -> None:
        self.coders = list(coders)
        self.tallies = {lab: M.UnitizingTally(len(self.coders)) for lab in labels}
        self.documents = 0
        self.length = 0

    def add(self, length: int, units: dict[str, dict[str, list[tuple[int, int]]]], observed: dict[str, dict]) -> None:
        """``units``: label -> coder -> merged units; ``observed``: label -> (a, b) -> Σδ²."""
        self.documents += 1
        self.length += length
        pairs = list(combinations(self.coders, 2))
        for lab, tally in self.tallies.items():
            tally.add([units[lab][c] for c in self.coders], length, sum(observed[lab][p] for p in pairs))

    def result(self) -> tuple[dict[str, M.UnitizingResult], float | None]:
        per_label = {lab: tally.result() for lab, tally in self.tallies.items()}
        return per_label, M.overall_unitizing(per_label.values())


def _unitizing_entry(result: M.UnitizingResult) -> dict[str, Any]:
    return {"d_o": _round(float(result.d_o), 8), "d_e": _round(float(result.d_e), 8)}


def _fleiss_block(rows: Counter, tagged_rows: Counter) -> dict[str, Any]:
    """Fleiss' κ and nominal α on distinct token rows (category counts -> number of tokens)."""
    fleiss, alpha = M.fleiss_and_alpha_weighted(rows) if rows else (None, None)
    fleiss_t, alpha_t = M.fleiss_and_alpha_weighted(tagged_rows) if tagged_rows else (None, None)
    return {
        "fleiss_kappa": _round(fleiss.kappa) if fleiss else None,
        "fleiss_kappa_tagged": _round(fleiss_t.kappa) if fleiss_t else None,
        "alpha_nominal_tokens": _round(alpha),
        "alpha_nominal_tokens_tagged": _round(alpha_t),
    }


def _tagged_rows(rows: Counter) -> Counter:
    """The rows of tokens someone tagged (not every rating is the last category, O)."""
    return Counter({r: w for r, w in rows.items() if r[-1] < sum(r)})


def _decoded(cache: dict[int, tuple[str, int]], code: int, labels: Sequence[str]) -> tuple[str, int]:
    got = cache.get(code)
    if got is None:
        got = cache[code] = decode_code(code, labels)
    return got


def _tagged(table: Counter, outside: Any) -> Counter:
    return Counter({k: v for k, v in table.items() if k != (outside, outside)})


def compute_report(
    annotators: Sequence[str],
    documents: Iterable[DocData],
    labels: Sequence[str],
    label_attrs: dict[str, dict[str, AttrInfo]] | None = None,
    *,
    all_status: bool = False,
) -> dict[str, Any]:
    """The full agreement report (see the module docstring for what each scope means)."""
    annotators = list(annotators)
    labels = list(labels)
    label_attrs = {lab: dict((label_attrs or {}).get(lab, {})) for lab in labels}
    categories = labels + [OUTSIDE]
    cat_index = {c: k for k, c in enumerate(categories)}
    pairs = {(a, b): _Pair(a, b) for a, b in combinations(annotators, 2)}
    # token level: counts of distinct rows, never one entry per token
    # α_u: one continuum of all annotators, one per pair; only counts kept, never the spans
    everyone = frozenset(annotators)
    u_all = _Continuum(annotators, labels)
    u_pairs = {pair: _Continuum(pair, labels) for pair in pairs}
    # the token combinations seen, per set of annotators taking part; derived tables at the end
    joint_by_present: dict[tuple[str, ...], Counter] = {}
    rows_of: dict[tuple[int, ...], tuple[int, ...]] = {}  # token combination -> category counts
    tags_of: dict[int, tuple[str, int]] = {}  # code -> (tag, label mask)
    doc_entries: list[dict[str, Any]] = []
    per_doc: list[dict[str, Any]] = []
    spans_by_annotator: Counter = Counter()
    spans_by_label_annotator: dict[str, Counter] = {lab: Counter() for lab in labels}
    n_tokens = 0

    for doc in documents:
        present = [a for a in annotators if a in doc.annotators]
        spans = {a: [s for s in doc.spans.get(a, []) if s.label in label_attrs] for a in present}
        tuples = {a: [s.tuple for s in spans[a]] for a in present}
        for a in present:
            spans_by_annotator[a] += len(spans[a])
            for s in spans[a]:
                spans_by_label_annotator[s.label][a] += 1
        length = len(doc.text)
        units = {lab: {a: [] for a in present} for lab in labels}
        for a in present:
            for s, e, lab in tuples[a]:
                units[lab][a].append((s, e))
        units = {lab: {a: M.merged_units(u, length) for a, u in by_coder.items()} for lab, by_coder in units.items()}
        observed = {
            lab: {(a, b): M.pair_observed(units[lab][a], units[lab][b]) for a, b in combinations(present, 2)}
            for lab in labels
        }
        doc_u = _Continuum(present, labels)
        doc_u.add(length, units, observed)
        _u, doc_alpha = doc_u.result()
        if everyone <= set(present):
            u_all.add(length, units, observed)
        for pair in combinations(present, 2):
            u_pairs[pair].add(length, units, observed)

        tokens = tokenize(doc.text)
        # the tokens as distinct combinations of the annotators' codes (IO tag, label mask), counted
        joint = joint_token_counts(tokens, [tuples[a] for a in present], labels)
        joint_by_present.setdefault(tuple(present), Counter()).update(joint)
        doc_rows: Counter = Counter()
        for key, weight in joint.items():
            row = rows_of.get(key)
            if row is None:
                counts = [0] * len(categories)
                for code in key:
                    counts[cat_index[_decoded(tags_of, code, labels)[0]]] += 1
                row = rows_of[key] = tuple(counts)
            doc_rows[row] += weight
        doc_tagged = _tagged_rows(doc_rows)
        n_tokens += len(tokens)
        where = {a: k for k, a in enumerate(present)}

        doc_pairs = []
        for a, b in combinations(present, 2):
            acc = pairs[(a, b)]
            acc.documents += 1
            acc.spans_a += len(spans[a])
            acc.spans_b += len(spans[b])
            got = _compare_pair(spans[a], spans[b])
            for v in VARIANTS:
                acc.counts[v] = acc.counts[v] + got["counts"][v]
            for v in LABELLED:
                for lab, c in got["by_label"][v].items():
                    acc.by_label[v][lab] = acc.by_label[v].get(lab, M.F1Counts()) + c
            for i, j in got["matched"]:
                lab = spans[a][i].label
                acc.attrs.setdefault(lab, _AttrAcc()).add(label_attrs[lab], spans[a][i], spans[b][j])
            acc.confusion.update(got["confusion"])
            ia, ib = where[a], where[b]
            doc_table: Counter = Counter()  # (tag a, tag b) -> tokens
            for key, weight in joint.items():
                doc_table[(tags_of[key[ia]][0], tags_of[key[ib]][0])] += weight
            doc_pairs.append((got["counts"], M.cohen_kappa_counts(doc_table)))

        f1 = {v: M.mean_defined(c[v].f1 for c, _k in doc_pairs) for v in VARIANTS}
        unmatched = sum(c["f1_exact"].fp + c["f1_exact"].fn for c, _k in doc_pairs)
        doc_entries.append(
            {
                "id": doc.id,
                "uid": doc.uid,
                "title": doc.title,
                "annotators": present,
                "length": len(doc.text),
                "tokens": len(tokens),
            }
        )
        per_doc.append(
            {
                "id": doc.id,
                "uid": doc.uid,
                "title": doc.title,
                "annotators": present,
                "disagreement": _round(1 - f1["f1_exact"] if f1["f1_exact"] is not None else 0.0),
                "unmatched_spans": unmatched,
                **{v: _round(f1[v]) for v in VARIANTS},
                "alpha_unitizing": _round(doc_alpha),
                "cohen_kappa": _round(M.mean_defined(k for _c, k in doc_pairs)),
                **_fleiss_block(doc_rows, doc_tagged),
                "n": {"pairs": len(doc_pairs), "tokens": len(tokens), "spans": {a: len(spans[a]) for a in present}},
            }
        )

    per_doc.sort(key=lambda d: (-d["disagreement"], -d["unmatched_spans"], d["id"]))
    for rank, entry in enumerate(per_doc, 1):
        entry["rank"] = rank

    # ---- token tables from the combinations seen: Fleiss/α rows overall and per label, pairs
    fleiss_rows: Counter = Counter()  # (count per category, O last) -> tokens
    label_rows: dict[str, Counter] = {lab: Counter() for lab in labels}  # ((no, yes), anyone tagged) -> tokens
    for present_t, joint in joint_by_present.items():
        where = {a: k for k, a in enumerate(present_t)}
        for key, weight in joint.items():
            row = rows_of[key]
            fleiss_rows[row] += weight
            someone = row[-1] < len(key)
            masks = [tags_of[code][1] for code in key]
            for bit, lab in enumerate(labels):
                yes = sum(mask >> bit & 1 for mask in masks)
                label_rows[lab][((len(key) - yes, yes), someone)] += weight
        for a, b in combinations(present_t, 2):
            acc = pairs[(a, b)]
            ia, ib = where[a], where[b]
            for key, weight in joint.items():
                (tag_a, mask_a), (tag_b, mask_b) = tags_of[key[ia]], tags_of[key[ib]]
                acc.tokens[(tag_a, tag_b)] += weight
                someone = tag_a != OUTSIDE or tag_b != OUTSIDE
                for bit, lab in enumerate(labels):
                    pair = (bool(mask_a >> bit & 1), bool(mask_b >> bit & 1))
                    acc.label_tokens.setdefault(lab, Counter())[pair] += weight
                    if someone:
                        acc.label_tokens_tagged.setdefault(lab, Counter())[pair] += weight
    n_tagged = sum(_tagged_rows(fleiss_rows).values())

    # ---- α_u continua
    u_labels, u_overall = u_all.result()
    u_length = u_all.length

    # ---- pairs
    pair_out = []
    for (a, b), acc in pairs.items():
        pu_labels, pu_overall = u_pairs[(a, b)].result()
        pu_length = u_pairs[(a, b)].length
        table = acc.tokens
        overall = {
            **{v: _round(acc.counts[v].f1) for v in VARIANTS},
            "alpha_unitizing": _round(pu_overall),
            "cohen_kappa": _round(M.cohen_kappa_counts(table)),
            "cohen_kappa_tagged": _round(M.cohen_kappa_counts(_tagged(table, OUTSIDE))),
            "counts": {v: acc.counts[v].as_dict() for v in VARIANTS},
            "n": {
                "documents": acc.documents,
                "spans": {a: acc.spans_a, b: acc.spans_b},
                "tokens": sum(table.values()),
                "tokens_tagged": sum(_tagged(table, OUTSIDE).values()),
                "unitizing_length": pu_length,
            },
        }
        per_label = {}
        for lab in labels:
            lt = acc.label_tokens.get(lab, Counter())
            counts = {v: acc.by_label[v].get(lab, M.F1Counts()) for v in LABELLED}
            per_label[lab] = {
                **{v: _round(counts[v].f1) for v in LABELLED},
                "alpha_unitizing": _round(pu_labels[lab].alpha),
                "cohen_kappa": _round(M.cohen_kappa_counts(lt)),
                "cohen_kappa_tagged": _round(M.cohen_kappa_counts(acc.label_tokens_tagged.get(lab, Counter()))),
                "counts": {v: counts[v].as_dict() for v in LABELLED},
                "attributes": acc.attrs.get(lab, _AttrAcc()).result(label_attrs[lab]),
            }
        pair_out.append(
            {"a": a, "b": b, "overall": overall, "per_label": per_label, "confusion": _confusion(acc.confusion, labels)}
        )

    # ---- overall and per label: means over pairs, pooled counts
    def pooled(getter) -> dict[str, int]:
        total = M.F1Counts()
        for acc in pairs.values():
            total = total + getter(acc)
        return total.as_dict()

    overall_out = {
        **{v: _round(M.mean_defined(p["overall"][v] for p in pair_out)) for v in VARIANTS},
        "alpha_unitizing": _round(u_overall),
        "cohen_kappa": _round(M.mean_defined(p["overall"]["cohen_kappa"] for p in pair_out)),
        "cohen_kappa_tagged": _round(M.mean_defined(p["overall"]["cohen_kappa_tagged"] for p in pair_out)),
        **_fleiss_block(fleiss_rows, _tagged_rows(fleiss_rows)),
        "counts": {v: pooled(lambda acc, v=v: acc.counts[v]) for v in VARIANTS},
        "unitizing": {
            **_unitizing_entry(
                M.UnitizingResult(
                    sum((r.d_o for r in u_labels.values()), Fraction(0)),
                    sum((r.d_e for r in u_labels.values()), Fraction(0)),
                )
            ),
            "documents": u_all.documents,
            "length": u_length,
        },
        "n": {
            "documents": len(doc_entries),
            "annotators": len(annotators),
            "pairs": sum(1 for p in pairs.values() if p.documents),
            "spans": sum(spans_by_annotator.values()),
            "spans_by_annotator": {a: spans_by_annotator[a] for a in annotators},
            "tokens": n_tokens,
            "tokens_tagged": n_tagged,
        },
    }
    per_label_out: dict[str, Any] = {}
    for lab in labels:
        rows: Counter = Counter()
        tagged_rows: Counter = Counter()
        for (row, someone), weight in label_rows[lab].items():
            rows[row] += weight
            if someone:
                tagged_rows[row] += weight
        pooled_attrs = _AttrAcc()
        for acc in pairs.values():
            if lab in acc.attrs:
                pooled_attrs.merge(acc.attrs[lab])
        per_label_out[lab] = {
            **{v: _round(M.mean_defined(p["per_label"][lab][v] for p in pair_out)) for v in LABELLED},
            "alpha_unitizing": _round(u_labels[lab].alpha),
            "cohen_kappa": _round(M.mean_defined(p["per_label"][lab]["cohen_kappa"] for p in pair_out)),
            "cohen_kappa_tagged": _round(M.mean_defined(p["per_label"][lab]["cohen_kappa_tagged"] for p in pair_out)),
            **_fleiss_block(rows, tagged_rows),
            "counts": {v: pooled(lambda acc, v=v, lab=lab: acc.by_label[v].get(lab, M.F1Counts())) for v in LABELLED},
            "unitizing": _unitizing_entry(u_labels[lab]),
            "attributes": pooled_attrs.result(label_attrs[lab]),
            "n": {
                "spans": sum(spans_by_label_annotator[lab].values()),
                "spans_by_annotator": {a: spans_by_label_annotator[lab][a] for a in annotators},
                "tokens_with_label": sum(w for r, w in rows.items() if r[1] > 0),
            },
        }

    total_confusion: Counter = Counter()
    for acc in pairs.values():
        total_confusion.update(acc.confusion)

    return {
        "annotators": annotators,
        "labels": labels,
        "status": "all" if all_status else "done",
        "tokenisation": dict(TOKENISATION),
        "unitizing_variant": "Krippendorff 1995/2004 (Content Analysis 2nd ed., pp. 251-256), as DKPro Statistics",
        "documents": doc_entries,
        "overall": overall_out,
        "per_label": per_label_out,
        "pairs": pair_out,
        "per_document": per_doc,
        "confusion": _confusion(total_confusion, labels),
    }


def _confusion(counts: Counter, labels: Sequence[str]) -> dict[str, Any]:
    axis = list(labels) + [NONE]
    matrix = {la: {lb: counts.get((la, lb), 0) for lb in axis} for la in axis}
    mismatches = sorted(
        ({"a": la, "b": lb, "count": c} for (la, lb), c in counts.items() if la != lb and NONE not in (la, lb) and c),
        key=lambda m: (-m["count"], m["a"], m["b"]),
    )
    return {
        "basis": "spans matched by overlap (same label first, then position only); rows: first annotator of each pair, columns: second; (none) = no counterpart",
        "labels": axis,
        "matrix": matrix,
        "mismatches": mismatches,
    }


def build_report(
    session: Any, *, annotators: Sequence[str] = (), labels: Sequence[str] = (), all_status: bool = False
) -> dict[str, Any]:
    """Read the chosen annotators' spans from the database and compute the report."""
    from annotator.errors import UserError
    from annotator.services.agreement.load import choose_annotators, iter_documents, label_catalogue

    known, attrs = label_catalogue(session)
    if labels:
        unknown = [lab for lab in labels if lab not in known]
        if unknown:
            raise UserError(f"--label: unknown label {', '.join(map(repr, unknown))} (known: {', '.join(known)})")
        chosen_labels = list(dict.fromkeys(labels))
    else:
        chosen_labels = known
    chosen = choose_annotators(session, annotators)
    names = [a.name for a in chosen]
    return compute_report(
        names, iter_documents(session, chosen, chosen_labels, all_status), chosen_labels, attrs, all_status=all_status
    )
