"""Every agreement measure against published worked examples, hand-made span cases and the
cases where a measure is undefined (None, never 0 or 1)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from annotator.services.agreement import measures as M
from annotator.services.agreement.tokens import OUTSIDE, io_tags, label_mask, tokenize

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": observers A-D x 12 units
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
# Wikipedia, Fleiss' kappa: 10 subjects, 5 categories, 14 raters
FLEISS_WIKIPEDIA = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]
# Krippendorff (2004, p. 254): continuum [150, 450), units as (start, length, category)
UNITIZING_2004 = [
    [(225, 70, "c"), (370, 30, "c"), (180, 60, "k"), (300, 50, "k")],
    [(220, 80, "c"), (355, 20, "c"), (400, 20, "c"), (180, 60, "k"), (300, 50, "k")],
]


def _units(coder):
    return [(s, s + n, c) for s, n, c in coder]


# --------------------------------------------------------------------------- published examples


@pytest.mark.parametrize(
    "level, expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_krippendorff_2011_example(level, expected):
    assert M.krippendorff_alpha(KRIPPENDORFF_2011, level) == pytest.approx(expected, abs=5e-4)


def test_krippendorff_nominal_accepts_strings():
    as_text = [[None if v is None else f"v{v}" for v in row] for row in KRIPPENDORFF_2011]
    assert M.krippendorff_alpha(as_text, "nominal") == pytest.approx(0.743, abs=5e-4)


@pytest.mark.parametrize(
    "matrix, expected",
    [([[20, 5], [10, 15]], 0.4), ([[45, 15], [25, 15]], 0.1304), ([[25, 35], [5, 35]], 0.2593)],
)
def test_cohen_wikipedia_examples(matrix, expected):
    assert M.cohen_kappa_matrix(matrix) == pytest.approx(expected, abs=5e-5)


def test_cohen_on_sequences_matches_the_table():
    # [[20, 5], [10, 15]] as 50 rated items: A yes/no in rows, B in columns
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert M.cohen_kappa(a, b) == pytest.approx(0.4)
    assert M.cohen_kappa(b, a) == pytest.approx(0.4)


def test_fleiss_wikipedia_example():
    result = M.fleiss_kappa(FLEISS_WIKIPEDIA)
    assert result.p_bar == pytest.approx(0.378, abs=5e-4)
    assert result.p_e == pytest.approx(0.213, abs=5e-4)
    assert result.kappa == pytest.approx(0.210, abs=5e-4)
    assert result.subjects == 10


def test_krippendorff_alpha_from_counts_equals_reliability_data():
    # the 2011 example as units x values counts: same nominal alpha
    values = [1, 2, 3, 4, 5]
    counts = [[sum(1 for row in KRIPPENDORFF_2011 if row[u] == v) for v in values] for u in range(12)]
    assert M.krippendorff_alpha_counts(counts) == pytest.approx(0.743, abs=5e-4)


def test_unitizing_2004_example():
    per_label, overall = M.unitizing_alpha([_units(c) for c in UNITIZING_2004], 150, 450, ["c", "k"])
    c, k = per_label["c"], per_label["k"]
    assert float(c.d_o) == pytest.approx(0.0144, abs=5e-5)
    assert float(c.d_e) == pytest.approx(0.0532, abs=5e-5)
    assert c.alpha == pytest.approx(0.7286, abs=5e-5)
    assert float(k.d_o) == 0.0 and float(k.d_e) == pytest.approx(0.0490, abs=5e-5)
    assert k.alpha == 1.0
    assert overall == pytest.approx(0.85867, abs=5e-5)
    assert round(overall, 3) == 0.859


def test_unitizing_is_symmetric_in_coders_and_shift_invariant():
    forward, o1 = M.unitizing_alpha([_units(c) for c in UNITIZING_2004], 150, 450)
    backward, o2 = M.unitizing_alpha([_units(c) for c in reversed(UNITIZING_2004)], 150, 450)
    shifted, o3 = M.unitizing_alpha(
        [[(s - 150, e - 150, c) for s, e, c in _units(cd)] for cd in UNITIZING_2004], 0, 300
    )
    assert o1 == o2 == o3
    assert forward["c"].alpha == backward["c"].alpha == shifted["c"].alpha


# --------------------------------------------------------------------------- unitizing: hand cases


def test_unitizing_perfect_agreement_and_three_coders():
    coders = [[(10, 20, "A"), (40, 45, "B")]] * 3
    per_label, overall = M.unitizing_alpha(coders, 0, 100)
    assert per_label["A"].alpha == 1.0 and per_label["B"].alpha == 1.0 and overall == 1.0


def test_unitizing_hand_computed_observed_disagreement():
    # L = 10, two coders; coder 0 unit [2, 5), coder 1 unit [3, 5) -> Δstart² + Δend² = 1
    result = M.unitizing_category([[(2, 5)], [(3, 5)]], 0, 10)
    assert result.d_o == Fraction(2 * 1, 2 * 1 * 100)
    # a unit the other coder leaves in a gap costs its length squared
    lonely = M.unitizing_category([[(2, 5)], []], 0, 10)
    assert lonely.d_o == Fraction(2 * 9, 2 * 1 * 100)
    assert lonely.alpha is not None and lonely.alpha < 0.5


def test_unitizing_merges_one_coders_overlapping_units():
    nested = M.unitizing_category([[(0, 10), (2, 5)], [(0, 10)]], 0, 20)
    assert nested.alpha == 1.0


def test_unitizing_undefined_without_units_or_coders():
    per_label, overall = M.unitizing_alpha([[], []], 0, 100, ["A"])
    assert per_label["A"].alpha is None and overall is None
    assert M.unitizing_category([[(0, 5)]], 0, 10).alpha is None  # one coder
    assert M.unitizing_category([[], []], 0, 0).alpha is None  # empty continuum


# --------------------------------------------------------------------------- span F1: hand cases


def test_exact_and_overlap_f1():
    a = [(0, 6, "ACTOR"), (10, 16, "LOCATION"), (20, 40, "CASUALTY")]
    b = [(0, 6, "ACTOR"), (10, 16, "ACTOR"), (25, 40, "CASUALTY"), (50, 55, "QUOTE")]
    exact = M.span_f1(a, b, mode="exact")
    assert exact.as_dict() == {"tp": 1, "fp": 2, "fn": 3} and exact.f1 == pytest.approx(2 / 7)
    assert M.span_f1(a, b, mode="overlap").as_dict() == {"tp": 2, "fp": 1, "fn": 2}
    assert M.span_f1(a, b, mode="exact", labelled=False).as_dict() == {"tp": 2, "fp": 1, "fn": 2}
    assert M.span_f1(a, b, mode="overlap", labelled=False).f1 == pytest.approx(2 * 3 / 7)
    by_label = M.span_f1_by_label(a, b, mode="overlap")
    assert by_label["CASUALTY"].f1 == 1.0 and by_label["LOCATION"].f1 == 0.0 and by_label["QUOTE"].f1 == 0.0
    assert by_label["ACTOR"].as_dict() == {"tp": 1, "fp": 0, "fn": 1}


def test_overlap_matching_is_one_to_one_and_greedy_by_largest_overlap():
    a = [(0, 10, "X")]
    b = [(0, 3, "X"), (2, 10, "X")]
    assert M.match_spans(a, b, mode="overlap") == [(0, 1)]  # 8 shared characters beat 3
    # two spans of A inside one span of B: only one can match it
    a2 = [(0, 4, "X"), (5, 10, "X")]
    b2 = [(0, 10, "X")]
    assert M.match_spans(a2, b2, mode="overlap") == [(1, 0)]
    assert M.span_f1(a2, b2, mode="overlap").as_dict() == {"tp": 1, "fp": 1, "fn": 0}
    # touching is not overlapping (end exclusive)
    assert M.match_spans([(0, 5, "X")], [(5, 9, "X")], mode="overlap") == []


def test_unlabelled_matching_prefers_the_same_label_on_ties():
    a = [(0, 5, "ACTOR")]
    b = [(0, 5, "LOCATION"), (0, 5, "ACTOR")]
    assert M.match_spans(a, b, mode="exact", labelled=False) == [(0, 1)]


def test_f1_is_symmetric():
    a = [(0, 6, "A"), (8, 12, "B"), (20, 30, "A")]
    b = [(1, 6, "A"), (8, 12, "A")]
    for mode in ("exact", "overlap"):
        for labelled in (True, False):
            assert M.span_f1(a, b, mode=mode, labelled=labelled).f1 == M.span_f1(b, a, mode=mode, labelled=labelled).f1


# --------------------------------------------------------------------------- undefined cases


def test_undefined_measures_are_none():
    assert M.f1_score(0, 0, 0) is None
    assert M.span_f1([], []).f1 is None
    assert M.span_f1([(0, 1, "A")], []).f1 == 0.0  # defined: one side has a span
    assert M.cohen_kappa(["O", "O", "O"], ["O", "O", "O"]) is None  # p_e = 1
    assert M.cohen_kappa([], []) is None
    assert M.cohen_kappa(["A", "A"], ["A", "B"]) == 0.0  # defined (p_e < 1) and zero
    assert M.fleiss_kappa([[3, 0], [3, 0]]).kappa is None
    assert M.fleiss_kappa([[1, 0]]).kappa is None  # fewer than two raters
    assert M.krippendorff_alpha([[1, 1, 1], [1, 1, 1]]) is None  # no variation
    assert M.krippendorff_alpha([[1, None], [None, 2]]) is None  # nothing pairable
    assert M.krippendorff_alpha_counts([[2, 0], [2, 0]]) is None
    assert M.percent_agreement(0, 0) is None
    assert M.mean_defined([None, None]) is None and M.mean_defined([None, 0.5, 1.0]) == 0.75


def test_perfect_agreement_with_variation_is_one():
    assert M.cohen_kappa(["A", "B", "O"], ["A", "B", "O"]) == 1.0
    assert M.krippendorff_alpha([[1, 2, 3], [1, 2, 3]], "interval") == pytest.approx(1.0)


# --------------------------------------------------------------------------- tokens


def test_tokenisation_and_io_tags():
    text = "Seleka rebels left Bangui, U.N. said."
    tokens = tokenize(text)
    assert [text[s:e] for s, e in tokens] == [
        "Seleka",
        "rebels",
        "left",
        "Bangui",
        ",",
        "U",
        ".",
        "N",
        ".",
        "said",
        ".",
    ]
    spans = [(0, 13, "ACTOR"), (0, 25, "QUOTE"), (19, 23, "LOCATION")]  # LOCATION cuts "Bangui" mid-token
    tags = io_tags(tokens, spans)
    assert tags[:5] == ["ACTOR", "ACTOR", "QUOTE", "LOCATION", OUTSIDE]
    assert label_mask(tokens, spans, "QUOTE")[:5] == [True, True, True, True, False]


def test_tokenisation_counts_code_points():
    text = "«Él» ¡ya! 😀 ok"
    assert [text[s:e] for s, e in tokenize(text)] == ["«", "Él", "»", "¡", "ya", "!", "😀", "ok"]
