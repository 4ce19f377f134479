"""How good are the suggestions? Precision, recall and F1 per label against a reference.

Two matchings: ``exact`` (same document, label, start and end) and ``overlap`` (same
document and label, overlapping text; one-to-one, the largest overlaps paired first).
A label with nothing predicted has precision 0.0, nothing to find recall 0.0, and F1 is
0.0 whenever precision + recall is 0.

The suggestions are computed for nobody in particular: the reference annotator's own spans
never feed them (no propagation from the reference, nothing excluded because the
reference tagged it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlmodel import col

from annotator.store.models import stored_id

Key = tuple[Any, str, int, int]  # (document, label, start, end)
# (document, quote start, quote end, ((speaker start, speaker end), ...))
Quote = tuple[Any, int, int, tuple[tuple[int, int], ...]]


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def _overlap_tp(pred: list[tuple[int, int]], ref: list[tuple[int, int]]) -> int:
    pairs = []
    for i, (a, b) in enumerate(pred):
        for j, (c, d) in enumerate(ref):
            size = min(b, d) - max(a, c)
            if size > 0:
                pairs.append((-size, i, j))
    pairs.sort()
    used_p, used_r, tp = set(), set(), 0
    for _, i, j in pairs:
        if i not in used_p and j not in used_r:
            used_p.add(i)
            used_r.add(j)
            tp += 1
    return tp


def score(
    predicted: Iterable[Key], reference: Iterable[Key], labels: Iterable[str] = ()
) -> dict[str, dict[str, dict[str, Any]]]:
    """``{"overlap": {LABEL: {precision, recall, f1, tp, fp, fn}}, "exact": {...}}``."""
    pred = set(predicted)
    ref = set(reference)
    all_labels = list(dict.fromkeys([*labels, *sorted({k[1] for k in pred | ref})]))
    grouped_p: dict[tuple[Any, str], list[tuple[int, int]]] = defaultdict(list)
    grouped_r: dict[tuple[Any, str], list[tuple[int, int]]] = defaultdict(list)
    for doc, label, start, end in pred:
        grouped_p[(doc, label)].append((start, end))
    for doc, label, start, end in ref:
        grouped_r[(doc, label)].append((start, end))
    out: dict[str, dict[str, dict[str, Any]]] = {"overlap": {}, "exact": {}}
    for label in all_labels:
        n_pred = sum(1 for k in pred if k[1] == label)
        n_ref = sum(1 for k in ref if k[1] == label)
        exact_tp = sum(1 for k in pred if k[1] == label and k in ref)
        overlap_tp = sum(
            _overlap_tp(grouped_p.get((doc, lab), []), spans) for (doc, lab), spans in grouped_r.items() if lab == label
        )
        out["exact"][label] = _prf(exact_tp, n_pred - exact_tp, n_ref - exact_tp)
        out["overlap"][label] = _prf(overlap_tp, n_pred - overlap_tp, n_ref - overlap_tp)
    return out


def speaker_accuracy(predicted: Iterable[Quote], reference: Iterable[Quote]) -> dict[str, Any]:
    """``{"gold_quotes": n, "right": k, "accuracy": k/n}`` over the reference quotes with a speaker.

    A reference quote is right when a predicted quote overlapping it has a speaker that
    overlaps one of the reference quote's speakers.
    """
    by_doc: dict[Any, list[Quote]] = defaultdict(list)
    for quote in predicted:
        by_doc[quote[0]].append(quote)
    gold = right = 0
    for doc, start, end, speakers in reference:
        if not speakers:
            continue
        gold += 1
        if any(
            p_start < end and start < p_end and any(a < d and c < b for a, b in p_speakers for c, d in speakers)
            for _doc, p_start, p_end, p_speakers in by_doc.get(doc, ())
        ):
            right += 1
    return {"gold_quotes": gold, "right": right, "accuracy": round(right / gold, 4) if gold else 0.0}


def evaluate(
    session: Any,
    reference: str,
    sources: Any,
    *,
    propagate_from: str | None = None,
) -> dict[str, Any]:
    """Suggestions on every document the ``reference`` annotator has spans on, scored against them.

    ``propagate_from`` names another annotator whose spans may feed propagation (never the
    reference itself).
    """
    from sqlmodel import select

    from annotator.errors import UserError
    from annotator.services.annotations import spans_for
    from annotator.services.corpus import find_annotator
    from annotator.services.suggestions.propagation import tagged_by
    from annotator.services.suggestions.store import compute_for_document
    from annotator.store.models import Document, Span

    ref = find_annotator(session, reference)
    if ref is None:
        raise UserError(f"no annotator named {reference!r} in this database", field="reference")
    tagged = None
    if propagate_from and propagate_from != reference:
        other = find_annotator(session, propagate_from)
        if other is None:
            raise UserError(f"no annotator named {propagate_from!r} in this database", field="annotator")
        tagged = tagged_by(session, stored_id(other), exclude=[stored_id(ref)])  # never the reference's own spans
    model_left_out = False
    if getattr(sources, "trained", None) is not None and reference in sources.trained.meta.get("annotators", []):
        import dataclasses

        sources, model_left_out = dataclasses.replace(sources, trained=None), True  # it learnt the reference's spans
    doc_ids = sorted(
        set(session.exec(select(col(Span.document_id)).where(col(Span.annotator_id) == ref.id).distinct()))
    )
    predicted: list[Key] = []
    reference_keys: list[Key] = []
    predicted_quotes: list[Quote] = []
    reference_quotes: list[Quote] = []
    labels = sources.schema.label_names
    for doc_id in doc_ids:
        document = session.get(Document, doc_id)
        found = compute_for_document(session, document, None, sources, tagged=tagged, propagation=tagged is not None)
        for s in found:
            predicted.append((doc_id, s.label, s.start, s.end))
            if s.links:
                targets = tuple((found[i].start, found[i].end) for ids in s.links.values() for i in ids)
                predicted_quotes.append((doc_id, s.start, s.end, targets))
        ref_spans = spans_for(session, doc_id, stored_id(ref))
        by_id = {sp.id: sp for sp in ref_spans}
        for sp in ref_spans:
            if sp.label in labels:
                reference_keys.append((doc_id, sp.label, sp.start, sp.end))
            if sp.links:
                targets = tuple((by_id[i].start, by_id[i].end) for ids in sp.links.values() for i in ids if i in by_id)
                reference_quotes.append((doc_id, sp.start, sp.end, targets))
    result: dict[str, Any] = score(predicted, reference_keys, labels)
    result["speakers"] = speaker_accuracy(predicted_quotes, reference_quotes)
    result["reference"] = reference
    result["trained_model_left_out"] = model_left_out
    result["documents"] = len(doc_ids)
    return result
