"""CASUALTY by mechanism, not by wording (issue 12, round 7): harm verbs by lemma, counts by the shape of the clause,
and the people who did the harm kept out. Every sentence here is made up."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.services.suggestions.casualty import find_casualties
from annotator.services.suggestions.harm_verbs import HARMS, harm_of
from annotator.services.suggestions.verb_forms import conjugate


def _found(text: str) -> list[tuple[str, dict]]:
    return [(text[s.start : s.end], s.attrs) for s in find_casualties(text)]


def _only(text: str) -> tuple[str, dict]:
    found = _found(text)
    assert len(found) == 1, found
    return found[0]


# --- 1. harm verbs by lemma ---------------------------------------------------------------


def test_conjugation_makes_every_form_from_the_lemma():
    assert conjugate("kill") == ("kill", "kills", "killing", "killed", "killed")
    assert conjugate("massacre") == ("massacre", "massacres", "massacring", "massacred", "massacred")
    assert conjugate("kidnap")[2:] == ("kidnapping", "kidnapped", "kidnapped")
    assert conjugate("slay")[3:] == ("slew", "slain")
    assert conjugate("take")[3:] == ("took", "taken")


def test_a_verb_with_a_particle_counts_only_with_it():
    shot_dead = harm_of("shot", " dead in the street")
    assert shot_dead is not None and shot_dead[0].category == "killed" and shot_dead[2] == len(" dead")
    shot = harm_of("shot", " at the crowd")  # "shot" alone wounds
    assert shot is not None and shot[0].category == "injured"
    hostage = harm_of("taken", " hostage by the gang")
    assert hostage is not None and hostage[0].category == "missing"


@pytest.mark.parametrize(
    "harm",
    [
        h
        for h in HARMS
        if h.category in {"killed", "injured", "missing"} and not h.intransitive and not h.particle.startswith("by")
    ],
    ids=str,
)
def test_every_form_of_every_harm_verb_before_a_figure_is_a_count(harm):
    for form in conjugate(harm.lemma)[:4]:
        verb = f"{form} {harm.particle}" if harm.particle else form
        verb = verb.replace("(?:the\\s+)?", "the ").replace("\\s+", " ").replace("(?:hostage|captive)", "hostage")
        verb = verb.replace("(?:alive|to death)", "alive").replace("(?:alive|to\\s+death)", "alive")
        text = f"Yesterday gunmen {verb} 23 farmers near the river."
        span, attrs = _only(text)
        assert span.endswith("23 farmers") and attrs["count_min"] == 23, (text, span)
        assert attrs["category"] == harm.category


@pytest.mark.parametrize(
    ("text", "span", "attrs"),
    [
        ("Rebels kill 48 police during raid on village", "kill 48 police", {"count_min": 48, "count_max": 48}),
        (
            "Gangs slaughtered more than 400 peasants in the hills.",
            "slaughtered more than 400 peasants",
            {"count_min": 401},
        ),
        ("Officials blamed militants for the murder of 19 people on Sunday.", "murder of 19 people", {"count_max": 19}),
        (
            "Medics said the death toll exceeded 300.",
            "death toll exceeded 300",
            {"qualifier": "more than", "count_min": 301},
        ),
        ("A party said it learned the death toll was 150.", "death toll was 150", {"count_min": 150, "count_max": 150}),
        ("Violence elsewhere killed another 72 people.", "killed another 72 people", {"count_min": 72}),
        ("Raiders Slit Throats Of At Least 87 In Night Raid", "Slit Throats Of At Least 87", {"qualifier": "at least"}),
        ("Bandits gunned down 12 traders on the road.", "gunned down 12 traders", {"category": "killed"}),
        ("Fighters took hostage 30 farmers.", "took hostage 30 farmers", {"category": "missing"}),
        ("Twelve villagers were taken hostage by the gang.", "Twelve villagers were taken hostage", {"count_min": 12}),
    ],
)
def test_harm_verbs_in_any_form_and_order(text, span, attrs):
    found_span, found_attrs = _only(text)
    assert found_span == span
    assert attrs.items() <= found_attrs.items()


# --- 2. counts without a number, by the shape of the clause ----------------------------------


@pytest.mark.parametrize(
    ("text", "span", "category", "count"),
    [
        ("Several guards were killed on Tuesday in the north.", "Several guards were killed", "killed", None),
        ("Several guards killed in border raid\n\nThe army said", "Several guards killed", "killed", None),
        ("Hours later one soldier was killed in the valley.", "one soldier was killed", "killed", 1),
        (
            "Witnesses said seven of the attackers were also killed.",
            "seven of the attackers were also killed",
            "killed",
            7,
        ),
        ("Ahmed Musa Bello was gravely wounded in the blast.", "Ahmed Musa Bello was gravely wounded", "injured", 1),
        ("A number of civilians were killed in the crossfire.", "A number of civilians were killed", "killed", None),
        ("Several others were wounded in the attack.", "Several others were wounded", "injured", None),
    ],
)
def test_counts_by_shape(text, span, category, count):
    found_span, attrs = _only(text)
    assert found_span == span
    assert attrs["category"] == category and attrs["qualifier"] == "exact"
    assert attrs.get("count_min") == count and attrs.get("count_max") == count


# --- 3. precision: who did it, hedges, questions, clause ends -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The roughly 50 marauders left only when the army arrived.",
        "Two gunmen escaped while the police gave chase.",
        "So many people are being killed in this war, she said.",
        "Nobody knows how many were killed in the attack.",
        "But many of the people killed were young boys, he said.",
        "Several soldiers could have been killed, the officer said.",
        "The soldiers were praised for their courage.",
        "The governor of Kano State was wounded in the blast.",
    ],
)
def test_no_count(text):
    assert _found(text) == []


def test_the_people_who_did_it_are_not_the_victims():
    text = "Two gunmen riding a motorcycle opened fire and killed two traffic officers."
    spans = [span for span, _ in _found(text)]
    assert len(spans) == 1 and spans[0].startswith("killed two"), spans


def test_a_figure_stops_at_but():
    text = "The bodies of two rebels were found, but officials said the death toll could be much higher."
    assert all("but" not in span for span, _ in _found(text))


def test_a_second_verb_after_and_keeps_its_own_victim():
    text = "It killed two defence volunteers and injured a policeman."
    spans = [span for span, _ in _found(text)]
    assert "injured a policeman" in spans and all("injured" not in s for s in spans if "two" in s)


@settings(max_examples=40, deadline=None)
@given(
    before=st.text(alphabet="abc xyz,.\n", max_size=30),
    after=st.text(alphabet="abc xyz,.\n", max_size=30),
    sentence=st.sampled_from(
        [
            "Several soldiers were killed on Tuesday.",
            "Rebels kill 48 police in raid.",
            "Two members of one family were killed.",
        ]
    ),
)
def test_offsets_point_at_the_text_whatever_comes_around(before, after, sentence):
    text = f"{before}\n\n{sentence}\n\n{after}"
    suggestions = find_casualties(text)
    assert suggestions, text
    start = text.index(sentence)
    inside = [s for s in suggestions if start <= s.start and s.end <= start + len(sentence)]
    assert inside, text
    for s in inside:
        assert text[s.start : s.end] in sentence


def test_a_second_clause_shares_the_first_clauses_auxiliary():
    spans = [span for span, _ in _found("Two people were killed and several others injured.")]
    assert spans == ["Two people were killed", "several others injured"]


def test_the_victims_are_any_plural_noun_the_tagger_finds():
    span, attrs = _only("Gunmen abducted 20 schoolgirls on Monday.")
    assert span == "abducted 20 schoolgirls" and attrs["victims"] == "schoolgirls"
    span, attrs = _only("Insurgents executed three young hostages, the group said.")
    assert span == "executed three young hostages" and attrs["category"] == "killed"


# --- dev7's lesson, by mechanism: one person, two people, the object of the verb, the act named ---------


@pytest.mark.parametrize(
    ("text", "span", "count"),
    [
        ("A 40-year-old farmer also died in the attack.", "A 40-year-old farmer also died", 1),
        ("He said five of them died later in hospital.", "five of them died", 5),
        ("A local teacher and a nurse were killed on Friday.", "A local teacher and a nurse were killed", 2),
        ("It said an engineer and driver were wounded.", "an engineer and driver were wounded", 2),
        ("Troops shot dead a guerrilla near the border.", "shot dead a guerrilla", 1),
        ("Police also shot another gunman dead on Monday.", "shot another gunman dead", 1),
        ("The blast left another person dead and two injured.", "left another person dead", 1),
        ("Roadside bomb kills Kenyan policeman\n\nA bomb went off.", "kills Kenyan policeman", 1),
        ("Police fatally shot four of the knife-wielding attackers.", "shot four of the knife-wielding attackers", 4),
        ("Rebels blamed for death of policeman in ambush", "death of policeman", 1),
        ("The feud began with the murder of a herdsman in June.", "murder of a herdsman", 1),
    ],
)
def test_people_counted_by_the_shape_around_the_verb(text, span, count):
    found = [(s, a) for s, a in _found(text) if s == span]
    assert found, _found(text)
    assert found[0][1]["count_min"] == count == found[0][1]["count_max"]


def test_fatally_makes_a_wound_a_death():
    _, attrs = _only("Police fatally shot four of the knife-wielding attackers.")
    assert attrs["category"] == "killed"


@pytest.mark.parametrize(
    "text",
    [
        "After the attack, some people fled into the forest.",  # no figure: displacement needs one
        "He said most of the victims died from gunshot wounds.",  # a part of a count given already
        "The rebels fled when the army arrived.",
    ],
)
def test_no_count_by_shape(text):
    assert _found(text) == []


@pytest.mark.parametrize(
    ("text", "span", "count"),
    [
        (
            "A police captain who was shot in the head during a protest died yesterday.",
            "A police captain who was shot in the head during a protest died",
            1,
        ),
        ("Ahmed Musa Bello, 41, was shot in the chest.", "Ahmed Musa Bello, 41, was shot", 1),
        ("The bomb had left another person dead, police said.", "left another person dead", 1),
        ("On Monday at least six people were hit by bullets.", "at least six people were hit by bullets", 6),
    ],
)
def test_around_a_relative_clause_an_age_or_a_perfect(text, span, count):
    found = [(s, a) for s, a in _found(text) if s == span]
    assert found, _found(text)
    assert found[0][1].get("count_min") == count


def test_the_gunmen_who_shot_are_not_counted():
    text = "They said five gunmen landed a boat near the hut, shot him dead and then set fire to it."
    assert all("gunmen" not in span for span, _ in _found(text))


def test_attackers_who_died_are_counted():
    span, attrs = _only("Three other attackers died when they set off the bombs.")
    assert span == "Three other attackers died" and attrs["count_min"] == 3
