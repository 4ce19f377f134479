"""Round 8 (issue 12): casualty figures by noun class, lemma and shape, not by the words of one text.

Every sentence here is made up; none is copied from the evaluation texts. Each test names the mechanism it drives.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.services.suggestions.casualty import find_casualties
from annotator.services.suggestions.victim_nouns import by_morphology, demonym, is_person_noun, kin_or_role


def _found(text: str) -> list[tuple[str, dict]]:
    return [(text[s.start : s.end], s.attrs) for s in find_casualties(text)]


def _spans(text: str) -> list[str]:
    return [span for span, _ in _found(text)]


# --- 1. person nouns as classes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word", ["Chadian", "Eritreans", "Somalis", "Malians", "Tajiks", "Timorese", "Israelis", "Tutsi", "Yazidis", "Kurd"]
)
def test_a_demonym_from_the_place_data_is_a_person_noun(word):
    assert demonym(word) and is_person_noun(word)


@pytest.mark.parametrize("word", ["Mali", "Chad", "Monday", "Bank", "chadian"])
def test_a_place_name_or_a_lower_case_word_is_no_demonym(word):
    assert not demonym(word)


@pytest.mark.parametrize("word", ["settlers", "hikers", "evacuees", "librarians", "truckers", "voters", "linesmen"])
def test_a_person_suffix_with_a_verb_stem_is_a_person_noun(word):
    assert by_morphology(word)


@pytest.mark.parametrize("word", ["border", "number", "orders", "generators", "computers", "papers", "committee"])
def test_the_stop_list_keeps_things_with_a_person_suffix_out(word):
    assert not by_morphology(word)


def test_a_person_suffix_counts_only_when_the_tagger_calls_it_a_noun():
    assert is_person_noun("settlers", "NNS") and not is_person_noun("settlers", "VBZ")


@pytest.mark.parametrize(
    "word",
    ["nephew", "grandfather", "cousins", "neighbours", "schoolgirls", "colleague", "schoolchildren", "bodyguards"],
)
def test_kin_and_role_nouns_are_a_closed_class(word):
    assert kin_or_role(word)


@pytest.mark.parametrize(
    ("text", "span", "count"),
    [
        ("A Chadian was killed and two others were hurt near the market.", "A Chadian was killed", 1),
        ("Gunman kills Eritrean near the border\n\nThe attack came at dawn.", "kills Eritrean", 1),
    ],
)
def test_demonyms_and_person_suffixes_are_victims(text, span, count):
    found = dict(_found(text))
    assert span in found
    assert found[span].get("count_min") == count


@pytest.mark.parametrize(
    ("text", "span", "category"),
    [
        ("Her grandfather was shot dead outside the mosque.", "Her grandfather was shot dead", "killed"),
        ("The shell hit the yard, killing their teenage nephew.", "killing their teenage nephew", "killed"),
        ("My colleague was wounded by a stray bullet.", "My colleague was wounded", "injured"),
    ],
)
def test_a_possessive_and_a_kin_noun_count_one(text, span, category):
    found = dict(_found(text))
    assert found[span]["count_min"] == 1 and found[span]["category"] == category


def test_a_possessive_before_a_thing_counts_nothing():
    assert _spans("Their house was burned to the ground.") == []


# --- 2. a count's noun must be people -----------------------------------------------------------------------------


def test_a_figure_that_counts_things_is_no_casualty():
    text = "Police recorded four robberies in which shopkeepers were injured."
    assert not any(span.startswith("four") for span in _spans(text))


def test_a_place_population_is_no_casualty():
    text = 'He said the town of 20,000 people was "devastated, with bodies everywhere".'
    assert _spans(text) == []


def test_left_as_fled_needs_people_as_its_subject():
    assert _spans("The men, aged from 20 to 45, left a total of 12 orphans.") == []
    assert _spans("More than 2,000 have left the town since Monday.") == ["More than 2,000 have left the town"]
    assert _spans("Some 300 herders left the valley.") == ["Some 300 herders left the valley"]


def test_an_act_noun_across_another_verb_counts_no_figure():
    assert _spans("One woman stood up, saying she had seen terrible killings.") == []
    assert _spans("The agency recorded 31 killings in May.") == ["31 killings"]


# --- 3. lemma triggers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "category"),
    [
        ("Officials said at least 60 villagers had been buried in a mass grave.", "at least 60 villagers had been buried", "killed"),
        ("Thousands of residents flocked to the stadium overnight.", "Thousands of residents flocked to the stadium", "fled"),
        ("Hundreds of families are trying to cross the river.", "Hundreds of families are trying to cross", "fled"),
        ("About 30 students suffered burns in the blast.", "About 30 students suffered burns", "injured"),
        ("There are some 8,000 Somalis living in makeshift camps near the town.", "some 8,000 Somalis living in makeshift camps", "displaced"),
        ("The report lists dozens of abductions of schoolchildren.", "dozens of abductions of schoolchildren", "missing"),
    ],
)  # fmt: skip
def test_lemma_triggers(text, span, category):
    found = dict(_found(text))
    assert span in found, _found(text)
    assert found[span]["category"] == category


def test_fleeing_verbs_count_nothing_without_a_figure():
    assert _spans("Villagers fled to the hills.") == []  # "several" is a figure since round 9's convention


# --- vague partitives, named victims, bare plurals -----------------------------------------------------------------


def test_how_the_dead_of_a_count_died_is_no_new_count():
    assert _spans("The rebels say many of those killed were soldiers.") == []
    assert not any(s.startswith("many") for s in _spans("Bodies lay in the road, many of them killed by machetes."))


def test_named_victims_with_their_ages_are_counted():
    text = "Gunmen fired on the car, killing Ana Ruiz, 34, and Pedro Lopez, 61, late on Friday."
    found = dict(_found(text))
    assert found["killing Ana Ruiz, 34, and Pedro Lopez, 61"]["count_min"] == 2


@pytest.mark.parametrize(
    "text",
    [
        "Soldiers shot dead a smuggler near the border.",  # the smuggler is the victim ("shot dead a smuggler")
        "The women watched as their sons and daughters were abducted.",
        "Civilians are killed every day.",
    ],
)
def test_no_bare_plural_count_when_they_did_it_or_a_determiner_or_a_habit(text):
    spans = _spans(text)
    assert not any(span.startswith(("Soldiers", "sons", "Civilians")) for span in spans), spans


# --- offsets --------------------------------------------------------------------------------------------------------


_WORDS = st.sampled_from(
    "A Chadian his uncle was were killed killing many of them maimed have wounds Women and children 34 , . "
    "the town of 2,000 people left suffered burns flocked to living in camps Ana Ruiz\n".split(" ")
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, max_size=40))
def test_every_span_lies_in_the_text_and_holds_a_count_or_none(words):
    text = " ".join(words)
    for s in find_casualties(text):
        assert 0 <= s.start < s.end <= len(text)
        assert s.attrs.get("count_min", 0) <= s.attrs.get("count_max", 10**9)


def test_a_witness_saw_them_being_harmed():
    assert "her cousin being shot dead" in _spans("The girl saw her cousin being shot dead.")
    assert _spans("Many people are being killed in the north.") == []  # what goes on, not an event counted


def test_the_round8_shapes_are_linear_in_the_text():
    """Work counted (lines run, ``support.work``) at two sizes ten times apart, as tests/test_suggest_scaling.py."""
    from support.work import lines_run

    from annotator.services.suggestions import casualty_checks, casualty_phrases, syntax

    unit = (
        "Refugees came, many of them maimed. Many of the pilgrims here have deep burns. "
        "Shells fell, killing Ana Ruiz, 34, and Pedro Lopez, 61. Two raids had left. One man saw killings. "
    )
    texts = [unit * 20, unit * 200]
    for text in texts:
        syntax.parse(text)  # the tagger's work is not these modules'
    assert casualty_phrases.vague_and_named(unit, "CASUALTY", [])  # the shapes are ones the rules count
    for module, run in (
        (casualty_phrases, lambda t: casualty_phrases.vague_and_named(t, "CASUALTY", [])),
        (casualty_checks, find_casualties),
    ):
        small, large = (lines_run(module, lambda t=text, r=run: r(t)) for text in texts)
        assert large / small <= 15, module.__name__


@pytest.mark.parametrize(
    ("text", "span", "category"),
    [
        ("Maria Lopez was hit in the leg and was martyred.", "Maria Lopez was hit in the leg and was martyred", "killed"),
        ("Doctors said some 40 patients had received treatment for burns.", "some 40 patients had received treatment for burns", "injured"),
        ("About 25 passengers were treated for cuts.", "About 25 passengers were treated for cuts", "injured"),
    ],
)  # fmt: skip
def test_a_second_participle_shares_the_subject_and_treatment_is_an_injury(text, span, category):
    found = dict(_found(text))
    assert span in found, _found(text)
    assert found[span]["category"] == category


@pytest.mark.parametrize("word", ["safeguards", "vanguard", "regard"])
def test_a_compound_that_is_no_person_is_no_kin_or_role(word):
    assert not kin_or_role(word)


@pytest.mark.parametrize(
    ("text", "span", "category"),
    [
        ("Officials said 12 guards embraced martyrdom in the assault.", "12 guards embraced martyrdom", "killed"),
        ("Two gunmen who opened fire on the patrol were liquidated.", "Two gunmen who opened fire on the patrol were liquidated", "killed"),
        ("Some 9,000 villagers have migrated from the valley.", "Some 9,000 villagers have migrated from the valley", "fled"),
        ("About 40 shoppers were rushed to hospital.", "About 40 shoppers were rushed to hospital", "injured"),
    ],
)  # fmt: skip
def test_more_lemmas_of_the_same_categories(text, span, category):
    found = dict(_found(text))
    assert span in found, _found(text)
    assert found[span]["category"] == category


def test_the_number_of_dead_put_at_a_figure_is_a_toll():
    found = dict(_found("The agency put the number of dead at eleven, but others gave more."))
    assert found["number of dead at eleven"]["count_min"] == 11


def test_a_town_of_just_so_many_people_is_its_population():
    assert _spans("The toll in Lomara, a town of just over 80,000 people near the coast, counted victims killed.") == []


def test_a_partitive_with_a_figure_and_an_injury():
    found = dict(_found("A nurse said 14 of the wounded were in critical condition, six of them with burns."))
    assert found["14 of the wounded were in critical condition"]["count_min"] == 14
    assert found["six of them with burns"]["category"] == "injured"


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("He said over 60 pupils, mostly girls, had received treatment for burns.", "over 60 pupils, mostly girls, had received treatment for burns"),
        ("At least three men -- Ali Omar, 40, and Musa Idi, 35 -- were reported missing.", "At least three men -- Ali Omar, 40, and Musa Idi, 35 -- were reported missing"),
    ],
)  # fmt: skip
def test_an_aside_between_the_people_counted_and_their_verb_is_skipped(text, span):
    assert span in _spans(text)
