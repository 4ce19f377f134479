"""The agreement report's aggregated computations equal the unaggregated ones, on random data.

The report never holds one row per token or the spans of the whole corpus: token κ/α come
from counts of distinct token rows, α_u from per-document length/gap counts, span matchings
from shared candidate lists. Each is checked here against the straightforward computation it
replaces (one row per token through numpy and the ``krippendorff`` package, α_u on the
documents laid end to end, one ``match_spans`` call per matching).
"""

from __future__ import annotations

import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.services.agreement import measures as M
from annotator.services.agreement.load import DocData, SpanRec
from annotator.services.agreement.report import compute_report
from annotator.services.agreement.tokens import (
    OUTSIDE,
    decode_code,
    io_tags,
    joint_token_counts,
    label_mask,
    token_codes,
    tokenize,
)

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LABELS = ["ACTOR", "LOCATION", "CASUALTY"]


# --------------------------------------------------------------------------- strategies


@st.composite
def count_rows(draw, min_rows=0):
    """A units × categories matrix of counts: 2-5 categories, 0-5 raters per unit (so some
    units are not pairable and some categories unused)."""
    width = draw(st.integers(2, 5))
    n_rows = draw(st.integers(min_rows, 40))
    rows = [draw(st.lists(st.integers(0, 3), min_size=width, max_size=width)) for _ in range(n_rows)]
    # repeat some rows, as tokens do
    return rows + [list(r) for r in draw(st.lists(st.sampled_from(rows), max_size=30))] if rows else rows


WORDS = st.sampled_from(["Bangui", "rebels", "10", ",", ".", "said", "élan", "x", "—", "Boda's"])


@st.composite
def documents(draw):
    """2-4 annotators, 1-6 documents; each annotator takes part in a document or not (at
    least two do); spans anywhere (nested, overlapping, one character, other labels)."""
    annotators = ["a", "b", "c", "d"][: draw(st.integers(2, 4))]
    docs = []
    for doc_id in range(1, draw(st.integers(1, 6)) + 1):
        text = " ".join(draw(st.lists(WORDS, max_size=25)))
        present = [a for a in annotators if draw(st.booleans())]
        if len(present) < 2:
            present = annotators[:2]
        spans = {}
        for a in present:
            recs = []
            if text:
                for _ in range(draw(st.integers(0, 6))):
                    start = draw(st.integers(0, len(text) - 1))
                    end = draw(st.integers(start + 1, min(len(text), start + 20)))
                    recs.append(SpanRec(start, end, draw(st.sampled_from(LABELS + ["OTHER"]))))
            spans[a] = sorted(recs, key=lambda r: (r.start, r.end))
        docs.append(DocData(doc_id, f"u{doc_id}", f"doc {doc_id}", text, present, spans))
    return annotators, docs


# --------------------------------------------------------------------------- measures


@SETTINGS
@given(count_rows())
def test_weighted_fleiss_equals_fleiss_on_every_row(rows):
    expanded = M.fleiss_kappa(rows) if rows else M.FleissResult(None, None, None, 0)
    weighted = M.fleiss_kappa_weighted(Counter(map(tuple, rows)))
    assert weighted.subjects == expanded.subjects
    for got, want in ((weighted.kappa, expanded.kappa), (weighted.p_bar, expanded.p_bar), (weighted.p_e, expanded.p_e)):
        assert (got is None) == (want is None)
        if want is not None:
            assert got == pytest.approx(want, rel=1e-9, abs=1e-12)


@SETTINGS
@given(count_rows())
def test_weighted_alpha_equals_the_krippendorff_package(rows):
    want = M.krippendorff_alpha_counts(rows) if rows else None  # krippendorff.alpha(value_counts=...)
    got = M.krippendorff_alpha_weighted(Counter(map(tuple, rows)))
    assert (got is None) == (want is None)
    if want is not None:
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12)
    fleiss, alpha = M.fleiss_and_alpha_weighted(Counter(map(tuple, rows)))
    assert alpha == got and fleiss == M.fleiss_kappa_weighted(Counter(map(tuple, rows)))


def test_weighted_measures_on_the_published_examples():
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_agreement_measures import FLEISS_WIKIPEDIA, KRIPPENDORFF_2011

    fleiss = M.fleiss_kappa_weighted(Counter(map(tuple, FLEISS_WIKIPEDIA)))
    assert (round(fleiss.kappa, 3), round(fleiss.p_bar, 3), round(fleiss.p_e, 3)) == (0.210, 0.378, 0.213)
    counts = [[sum(1 for row in KRIPPENDORFF_2011 if row[u] == v) for v in (1, 2, 3, 4, 5)] for u in range(12)]
    assert round(M.krippendorff_alpha_weighted(Counter(map(tuple, counts))), 3) == 0.743


@st.composite
def segments(draw):
    coders = draw(st.integers(1, 4))
    out = []
    for _ in range(draw(st.integers(0, 5))):
        length = draw(st.integers(0, 40))
        units = []
        for _c in range(coders):
            mine = []
            if length:
                for _ in range(draw(st.integers(0, 4))):
                    s = draw(st.integers(0, length - 1))
                    mine.append((s, draw(st.integers(s + 1, min(length, s + 12)))))
            units.append(mine)
        out.append((length, units))
    return coders, out


@SETTINGS
@given(segments())
def test_unitizing_tally_equals_alpha_u_on_the_concatenated_continuum(data):
    coders, segs = data
    continuum: list[list[tuple[int, int]]] = [[] for _ in range(coders)]
    offset = 0
    for length, units in segs:
        for k in range(coders):
            continuum[k].extend((offset + s, offset + e) for s, e in units[k])
        offset += length
    want = M.unitizing_category(continuum, 0, offset)
    tally = M.UnitizingTally(coders)
    for length, units in segs:
        merged = [M.merged_units(u, length) for u in units]
        tally.add(merged, length, sum(M.pair_observed(merged[i], merged[j]) for i, j in combinations(range(coders), 2)))
    got = tally.result()
    assert (got.d_o, got.d_e) == (want.d_o, want.d_e)  # exact fractions


spans_strategy = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from(LABELS)).map(lambda t: (t[0], t[0] + t[1], t[2])),
    max_size=10,
)


@SETTINGS
@given(spans_strategy, spans_strategy)
def test_match_all_equals_one_match_spans_call_per_matching(a, b):
    found = M.match_all(a, b)
    for mode in ("exact", "overlap"):
        assert found[mode] == M.match_spans(a, b, mode=mode, labelled=True)
        assert found[f"{mode}_unlabeled"] == M.match_spans(a, b, mode=mode, labelled=False)
    done = found["overlap"]
    assert found["relabelled"] == M.match_spans(
        a, b, mode="overlap", labelled=False, exclude_a=[i for i, _ in done], exclude_b=[j for _, j in done]
    )


@SETTINGS
@given(st.lists(WORDS, max_size=30), spans_strategy, spans_strategy)
def test_token_codes_pack_io_tags_and_label_masks(words, a, b):
    text = " ".join(words)
    tokens = tokenize(text)
    for spans in (a, b):
        codes = token_codes(tokens, spans, LABELS)
        tags = io_tags(tokens, spans)
        masks = {lab: label_mask(tokens, spans, lab) for lab in LABELS}
        for k in range(len(tokens)):
            tag, mask = decode_code(codes.get(k, 0), LABELS)
            assert tag == tags[k]
            assert [bool(mask >> bit & 1) for bit in range(len(LABELS))] == [masks[lab][k] for lab in LABELS]
    joint = joint_token_counts(tokens, [a, b], LABELS)
    assert sum(joint.values()) == len(tokens)
    ta, tb = io_tags(tokens, a), io_tags(tokens, b)
    pairs: Counter = Counter()
    for (x, y), n in joint.items():
        pairs[(decode_code(x, LABELS)[0], decode_code(y, LABELS)[0])] += n
    assert pairs == Counter(zip(ta, tb))


# --------------------------------------------------------------------------- the report


def _unaggregated(annotators, docs):
    """Token κ/α and α_u the direct way: one row per token, the spans end to end."""
    categories = LABELS + [OUTSIDE]
    rows, label_rows, label_keep, per_doc = [], {lab: [] for lab in LABELS}, {lab: [] for lab in LABELS}, {}
    pair_tags = {p: ([], []) for p in combinations(annotators, 2)}
    continuum = {p: ([[] for _ in p], [0]) for p in [tuple(annotators), *combinations(annotators, 2)]}
    for doc in docs:
        present = [a for a in annotators if a in doc.annotators]
        tuples = {a: [s.tuple for s in doc.spans[a] if s.label in LABELS] for a in present}
        tokens = tokenize(doc.text)
        tags = {a: io_tags(tokens, tuples[a]) for a in present}
        doc_rows = []
        for k in range(len(tokens)):
            doc_rows.append([sum(tags[a][k] == c for a in present) for c in categories])
            for lab in LABELS:
                yes = sum(label_mask(tokens, tuples[a], lab)[k] for a in present)
                label_rows[lab].append([len(present) - yes, yes])
                label_keep[lab].append(doc_rows[-1][-1] < len(present))
        rows.extend(doc_rows)
        per_doc[doc.id] = doc_rows
        for a, b in combinations(present, 2):
            pair_tags[(a, b)][0].extend(tags[a])
            pair_tags[(a, b)][1].extend(tags[b])
        for coders, (lists, offset) in continuum.items():
            if set(coders) <= set(present):
                for k, c in enumerate(coders):
                    lists[k].extend((offset[0] + s, offset[0] + e, lab) for s, e, lab in tuples[c])
                offset[0] += len(doc.text)
    return rows, label_rows, label_keep, per_doc, pair_tags, continuum


def _kappa(rows):
    return M.fleiss_kappa(rows).kappa if rows else None


def _alpha(rows):
    return M.krippendorff_alpha_counts(rows) if rows else None


def _close(got, want, places=6):
    assert (got is None) == (want is None), (got, want)
    if want is not None:
        assert got == pytest.approx(want, abs=1.5 * 10**-places)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_report_equals_the_unaggregated_computation(data):
    annotators, docs = data
    report = compute_report(annotators, docs, LABELS).to_json()
    rows, label_rows, label_keep, per_doc, pair_tags, continuum = _unaggregated(annotators, docs)
    o = report["overall"]
    tagged = [r for r in rows if r[-1] < sum(r)]
    _close(o["fleiss_kappa"], _kappa(rows))
    _close(o["fleiss_kappa_tagged"], _kappa(tagged))
    _close(o["alpha_nominal_tokens"], _alpha(rows))
    _close(o["alpha_nominal_tokens_tagged"], _alpha(tagged))
    assert o["n"]["tokens"] == len(rows) and o["n"]["tokens_tagged"] == len(tagged)
    for lab in LABELS:
        lr = label_rows[lab]
        kept = [r for r, keep in zip(lr, label_keep[lab]) if keep]
        entry = report["per_label"][lab]
        _close(entry["fleiss_kappa"], _kappa(lr))
        _close(entry["fleiss_kappa_tagged"], _kappa(kept))
        _close(entry["alpha_nominal_tokens"], _alpha(lr))
        _close(entry["alpha_nominal_tokens_tagged"], _alpha(kept))
        assert entry["n"]["tokens_with_label"] == sum(1 for r in lr if r[1] > 0)
    for entry in report["per_document"]:
        doc_rows = per_doc[entry["id"]]
        _close(entry["fleiss_kappa"], _kappa(doc_rows))
        _close(entry["alpha_nominal_tokens"], _alpha(doc_rows))
        _close(entry["alpha_nominal_tokens_tagged"], _alpha([r for r in doc_rows if r[-1] < sum(r)]))
    for pair in report["pairs"]:
        ta, tb = pair_tags[(pair["a"], pair["b"])]
        _close(pair["overall"]["cohen_kappa"], M.cohen_kappa(ta, tb))
        both = [(x, y) for x, y in zip(ta, tb) if OUTSIDE not in (x, y) or x != y]
        _close(
            pair["overall"]["cohen_kappa_tagged"],
            M.cohen_kappa([x for x, _ in both], [y for _, y in both]) if both else None,
        )
        lists, (length,) = continuum[(pair["a"], pair["b"])]
        per_label, overall = M.unitizing_alpha(lists, 0, length, LABELS)
        _close(pair["overall"]["alpha_unitizing"], overall)
        assert pair["overall"]["n"]["unitizing_length"] == length
        for lab in LABELS:
            _close(pair["per_label"][lab]["alpha_unitizing"], per_label[lab].alpha)
    lists, (length,) = continuum[tuple(annotators)]
    per_label, overall = M.unitizing_alpha(lists, 0, length, LABELS)
    _close(o["alpha_unitizing"], overall)
    assert o["unitizing"]["length"] == length
    for lab in LABELS:
        _close(report["per_label"][lab]["alpha_unitizing"], per_label[lab].alpha)
        assert report["per_label"][lab]["unitizing"]["d_o"] == round(float(per_label[lab].d_o), 8)
        assert report["per_label"][lab]["unitizing"]["d_e"] == round(float(per_label[lab].d_e), 8)
