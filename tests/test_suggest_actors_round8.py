"""Round 8 of issue 12: ACTOR group nouns by class, untitled personal names, LOCATION aliases, compass regions and
names after a place preposition, and one short-form finder.

Made-up sentences with invented names (or real countries in invented sentences); each mechanism is driven through
``engine.suggest`` (the real rule set) and, where it helps to see one rule alone, through its own function."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.work import lines_run

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions import actor_groups, actor_nouns, person_names, place_names, syntax
from annotator.services.suggestions.actor_acronyms import find_short_forms
from annotator.services.suggestions.actor_groups import find_group_mentions
from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.engine import Sources, suggest
from annotator.services.suggestions.person_names import untitled_name_spans
from tests.support.suggested import label_texts


@pytest.fixture(scope="module")
def sources():
    return Sources.build(load_default_schema(), trained=False)


# --- group nouns for people, wherever they act or are acted upon --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Soldiers moved the Velmic refugees out of the valley on Monday.", "Velmic refugees"),
        ("Refugees cross the river as shelling goes on\n\nThe road was closed.", "Refugees"),
        ("The police told the settlers to leave their farms by dawn.", "settlers"),
        ("Medics treated survivors near the well, a nurse said.", "survivors"),
        ("The governor urged displaced people to return before the rains.", "displaced people"),
        ("Border guards turned back many Tajiks at the crossing.", "Tajiks"),
        ("Roadblocks kept the Sudanese from reaching the clinic.", "Sudanese"),
        ("The Norland-led force reached the harbour on Friday.", "Norland-led force"),
    ],
)  # fmt: skip
def test_a_group_noun_is_an_actor_wherever_it_stands(sources, text, phrase):
    found = label_texts(sources, text, "ACTOR")
    assert phrase in found, (phrase, found)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("At least 40 refugees were killed when the truck overturned.", "refugees"),
        ("The dead were civilians, the mayor of Tarvel said.", "civilians"),
        ("The minister told reporters the bridge had been repaired.", "reporters"),
        ("The villagers’ houses burned overnight.", "villagers"),
        ("Thousands of frightened residents sheltered in the school.", "residents"),
        ("The rally ended after Friday prayers in the old town.", "prayers"),
        ("MARBEL (Reuters) - The dam broke at night.", "Reuters"),
    ],
)  # fmt: skip
def test_counted_described_possessing_and_thing_nouns_are_no_group(sources, text, phrase):
    found = label_texts(sources, text, "ACTOR")
    assert not any(phrase in f for f in found), (phrase, found)


def test_a_group_carries_its_type():
    text = "Troops escorted the villagers while the militiamen withdrew."
    types = {text[s.start : s.end]: s.attrs["actor_type"] for s in find_group_mentions(text)}
    assert types == {"Troops": "state force", "villagers": "community", "militiamen": "militia"}


# --- persons named with no title and no speech verb -------------------------------------------------------------


def test_an_untitled_name_with_evidence_of_a_person_is_an_actor(sources):
    text = "Border guards stopped Tarvo Penlak at the gate. He had walked for two days."
    assert "Tarvo Penlak" in label_texts(sources, text, "ACTOR")
    text = "The convoy stopped near the dam. Imre Valdosk, 52, waited by the road with his sons."
    assert "Imre Valdosk" in label_texts(sources, text, "ACTOR")


def test_an_untitled_name_needs_evidence_and_is_no_named_victim():
    assert untitled_name_spans("The convoy passed Orvel Dunmark at noon and then stopped.") == []
    text = "A shell hit the market, killing Arna Velic, 58, and Doro Maksen, 18, and wounding three."
    assert untitled_name_spans(text) == []
    text = "Lira Montek was shot dead at the gate. Her family said she was a teacher."
    assert untitled_name_spans(text) == []


def test_a_surname_followed_by_a_harm_verb_is_no_actor():
    text = "Police named the victim. Later Montek was killed near the gate."
    person = Suggestion("ACTOR", 0, 0, {"actor_type": "person"})
    named = Suggestion("ACTOR", len(text), len(text) + len("Lira Montek"), {"actor_type": "person"})
    full = text + "Lira Montek"
    assert actor_nouns.find_surnames(full, [named], [person]) == []


# --- LOCATION: aliases, compass regions, names after a place preposition ----------------------------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Aid convoys returned to Bosnia after the winter.", "Bosnia"),
        ("Escaped E.Timor fishermen reach port", "E.Timor"),
        ("Talks on the dam were held in Britain last week.", "Britain"),
        ("Russian monitors said shelling drove families out of South Ossetia.", "South Ossetia"),
        ("Monitors flew over West Timor before the vote.", "West Timor"),
        ("The rebels withdrew to Velmora after the ceasefire.", "Velmora"),
        ("Shells fell on the northern suburb of Kastrel overnight.", "Kastrel"),
        ("Fighting spread through the Darnak valley by evening.", "Darnak valley"),
    ],
)  # fmt: skip
def test_places_by_alias_compass_and_preposition(sources, text, place):
    found = label_texts(sources, text, "LOCATION")
    assert place in found, (place, found)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("A guard stood outside the US embassy all night.", "US"),
        ("He was wounded in Tuesday’s attack on the depot.", "Tuesday"),
        ("Fighters joined the Velmora rebel movement in May.", "Velmora"),
        ("Dozens Slain in Attack on Mountain Village", "Attack"),
        ("Members of the Union for Peace in Arms marched.", "Arms"),
    ],
)  # fmt: skip
def test_modifiers_possessives_names_and_headlines_are_no_place(sources, text, word):
    found = label_texts(sources, text, "LOCATION")
    assert not any(word in f for f in found), (word, found)


def test_a_compass_word_needs_a_known_place_and_no_demonym():
    known = frozenset({"Ossetia", "Timor"}).__contains__
    assert place_names.find_compass_regions("North Ossetia and West Timor.", known) == [
        (0, 13, "North Ossetia", "region"),
        (18, 28, "West Timor", "region"),
    ]
    assert place_names.find_compass_regions("West Varnok and the Central American bloc.", known) == []


# --- one short-form finder ----------------------------------------------------------------------------------------


def test_the_short_form_finder_covers_round_three_and_round_seven_forms(sources):
    text = (
        "The Free Volunteers of Zembla (Vazo) handed out food. Vazo said more was coming. "
        "The National Movement for Reform and Growth (NMRG) met the Tarsk Liberation Front (TLF). "
        "NMRG and TLF signed. The rights group ORDK, said the deal held."
    )
    found = label_texts(sources, text, "ACTOR")
    assert found.count("Vazo") == 2, found
    assert "National Movement for Reform and Growth" in found
    assert found.count("NMRG") == 2 and found.count("TLF") == 2, found
    assert "ORDK" in found
    # the one finder alone: round 3's forms (a mixed-case short form after a body's name the rules found, a body
    # no rule found named before its short form) beside round 7's (after an ACTOR, after a body noun)
    volunteers = Suggestion("ACTOR", 4, 29, {"actor_type": "NGO"}, source="rules:actors")
    front = Suggestion("ACTOR", text.index("Tarsk"), text.index(" (TLF)"), {"actor_type": "armed group"})
    alone = [text[s.start : s.end] for s in find_short_forms(text, [volunteers, front], [volunteers, front])]
    assert alone.count("Vazo") == 2 and alone.count("NMRG") == 2 and alone.count("TLF") == 2, alone
    assert "National Movement for Reform and Growth" in alone and "ORDK" in alone


def test_a_full_name_after_an_upper_case_actor():
    text = "JNIX (Group to Support the Faithful) claimed the raid."
    actor = Suggestion("ACTOR", 0, 4, {"actor_type": "armed group"}, source="gazetteer")
    found = [text[s.start : s.end] for s in find_short_forms(text, [actor], [actor])]
    assert found == ["Group to Support the Faithful"]


# --- offsets and linear work on any text ---------------------------------------------------------------------------

_WORDS = st.sampled_from(
    "Refugees refugees the Velmic soldiers in Velmora West Timor Bosnia’s Tarvo Penlak , . He said 40 were killed "
    "(Vazo) Volunteers of Zembla -led force \u201c \u201d \n".split(" ")
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, max_size=40))
def test_offsets_hold_on_any_text(sources, words):
    text = " ".join(words)
    for s in suggest(text, sources):
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == text[s.start : s.end].strip() or s.label == "QUOTE"


def test_title_case_lines_are_found_once_on_a_long_line():
    line = "fighting in Velmora and " * 4000
    lines = place_names.TitleCaseLines(line)
    assert not lines.holds(0) and not lines.holds(len(line) - 1)
    found = place_names.find_after_prepositions(line, [])
    assert len(found) == 4000 and all(re.fullmatch("Velmora", line[a:b]) for a, b, _p in found)


LINEAR = 15  # ten times the text: at most fifteen times the work (as tests/test_suggest_scaling.py counts it)


def _ratio(module, run, unit: str, small: int) -> float:
    texts = [unit * small, unit * small * 10]
    for text in texts:
        syntax.parse(text)  # the tagger's work is not this module's
    small_work, large_work = (lines_run(module, lambda t=text: run(t)) for text in texts)
    return large_work / small_work


@pytest.mark.parametrize(
    ("module", "run", "unit"),
    [
        (person_names, untitled_name_spans, "Tarvo Penlak waited near Orvel Dunmark. He was tired. "),
        (actor_groups, find_group_mentions, "Velmic refugees and soldiers, many settlers. "),
        (place_names, lambda text: place_names.find_after_prepositions(text, []), "fighting in Velmora and "),
    ],
)  # fmt: skip
def test_the_round_8_rules_do_linear_work(module, run, unit):
    assert run(unit * 3)  # the shape is one the rule finds
    assert _ratio(module, run, unit, 30) <= LINEAR
