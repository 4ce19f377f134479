"""CASUALTY patterns beyond the bundled articles: more predicates, figures after a category
noun, things and ages that are no count, and attributes read as the words mean. Made-up sentences."""

from __future__ import annotations

import pytest

from annotator.services.suggestions.casualty import find_casualties


def _one(text):
    found = find_casualties(text)
    assert len(found) == 1, [(text[s.start : s.end]) for s in found]
    return text[found[0].start : found[0].end], found[0].attrs


@pytest.mark.parametrize(
    ("text", "span", "attrs"),
    [
        (
            "Gunmen stormed the market, killing at least 95 people.",
            "killing at least 95 people",
            {"category": "killed", "count_min": 95, "qualifier": "at least"},
        ),
        (
            "Raiders struck at dawn, killing no fewer than four.",
            "killing no fewer than four",
            {"category": "killed", "count_min": 4, "qualifier": "at least"},
        ),
        (
            "Seven farmers were hacked to death near the river.",
            "Seven farmers were hacked to death",
            {"category": "killed", "count_min": 7},
        ),
        (
            "Three women were burnt alive in their hut.",
            "Three women were burnt alive",
            {"category": "killed", "count_max": 3},
        ),
        (
            "About 300 villagers sought shelter in a school.",
            "About 300 villagers sought shelter",
            {"category": "displaced", "count_min": 300, "count_max": 300},
        ),
        (
            "More than 2,000 residents were forced to leave their homes.",
            "More than 2,000 residents were forced to leave their homes",
            {"category": "displaced", "count_min": 2001},
        ),
        (
            "Officials put the death toll at 432 on Monday.",
            "death toll at 432",
            {"category": "killed", "count_min": 432},
        ),
        ("The toll has risen to 25, the army said.", "toll has risen to 25", {"category": "killed", "count_min": 25}),
        (
            "Some 3,000 refugees have arrived in the camp this week.",
            "Some 3,000 refugees have arrived",
            {"category": "fled"},
        ),
        ("Searchers found 12 bodies in the forest.", "12 bodies", {"category": "killed", "count_min": 12}),
    ],
)
def test_more_predicates_and_figures_after_a_category_noun(text, span, attrs):
    got_span, got = _one(text)
    assert got_span == span
    for key, value in attrs.items():
        assert got.get(key) == value, key


@pytest.mark.parametrize(
    "text",
    [
        "Two dozen vehicles fled the town before dawn.",  # vehicles are no victims
        "The rebels seized 500 head of cattle and fled.",
        "Hauwa Modu, 34, fled with her children.",  # an age
        "Without the peacekeepers there would have been hundreds dead.",  # a counterfactual
    ],
)
def test_what_is_no_count_of_victims(text):
    assert find_casualties(text) == []


def test_attributes_read_as_the_words_mean():
    _, got = _one("Almost 1 million people have fled the fighting.")
    assert got.get("count_max") == 1_000_000 and "count_min" not in got and got["qualifier"] == "nearly/about"
    _, got = _one("More than 400 civilians were killed.")
    assert got["count_min"] == 401 and "count_max" not in got
    _, got = _one("Two dozen people were killed.")
    assert got["count_min"] == got["count_max"] == 24
    _, got = _one("Half a dozen soldiers were wounded.")
    assert got["count_min"] == 6


def test_a_runaway_span_stops_before_a_second_figure():
    found = find_casualties("At least 20 people were killed and 40 others were wounded in the blast.")
    assert [f.attrs.get("category") for f in found] == ["killed", "injured"]
    assert found[0].end <= found[1].start
