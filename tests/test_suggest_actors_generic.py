"""ACTOR suggestions beyond one conflict: the actor lists in schemas/actors.toml, descriptions,
attribution mentions, untitled persons and surnames. Made-up sentences."""

from __future__ import annotations

import pytest

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions.engine import Sources, suggest


@pytest.fixture(scope="module")
def sources():
    return Sources.build(load_default_schema())


def _actors(sources, text):
    return [(text[s.start : s.end], s.attrs.get("actor_type")) for s in suggest(text, sources) if s.label == "ACTOR"]


def _names(sources, text):
    return [t for t, _ in _actors(sources, text)]


def test_actor_lists_other_conflicts(sources):
    text = "MONUSCO and MINUSMA patrolled while Boko Haram fighters and the Rohingya fled, Reuters and OCHA reported."
    found = dict(_actors(sources, text))
    assert found["MONUSCO"] == "international force" and found["MINUSMA"] == "international force"
    assert found["Boko Haram fighters"] == "armed group"
    assert found["Rohingya"] == "community"
    assert found["OCHA"] == "UN body" and "Reuters" in found


def test_phrases_are_not_cut_short(sources):
    assert _names(sources, "The Seleka rebel coalition seized the town.") == ["Seleka rebel coalition"]
    assert _names(sources, "The U.N. refugee agency counted them.") == ["U.N. refugee agency"]
    assert _names(sources, "U.N. Secretary-General Ban Ki-moon visited.") == ["Ban Ki-moon"]  # no title (guidelines)


def test_credit_lines_and_modifiers_are_not_actors(sources):
    assert _names(sources, "A man walks past a burnt house. (AP Photo/Jane Roe) (The Associated Press)") == []
    assert "UN" not in _names(sources, "An internal UN report was leaked to the press.")
    assert "Reuters" in _names(sources, "“We fled,” she told Reuters.")


def test_group_nouns_with_their_modifiers(sources):
    text = "Anti-government forces attacked a base where local residents hid. Bangladeshi border and coast guards watched as Fulani gunmen rode past traditional hunters."
    assert _names(sources, text) == [
        "Anti-government forces",
        "local residents",
        "Bangladeshi border and coast guards",
        "Fulani gunmen",
        "traditional hunters",
    ]


def test_group_nouns_that_are_not_actors(sources):
    assert "police" not in _names(sources, "The militants burned police posts near the river.")
    assert _names(sources, "Two Indian peacekeepers were killed on Sunday.") == []  # the victims of a figure
    assert _names(sources, "Entire Muslim communities have left the towns.") == []
    assert _names(sources, "Peace needs the support of religious leaders.") == []
    assert _names(sources, "The mob violence spread.") == []


def test_collective_of_group_noun_is_one_phrase(sources):
    assert _names(sources, "Later a group of armed men arrived.") == ["group of armed men"]


def test_attribution_mentions_are_speakers(sources):
    text = "“The town is empty,” a local official said. “Nobody is left,” said the mayor."
    found = suggest(text, sources)
    actors = {(s.start, s.end): text[s.start : s.end] for s in found if s.label == "ACTOR"}
    assert sorted(actors.values()) == ["local official", "mayor"]
    speakers = [found[i] for s in found if s.label == "QUOTE" for i in s.links.get("speaker", ())]
    assert [text[s.start : s.end] for s in speakers] == ["local official", "mayor"]
    text = "“They took everything,” a 19-year-old woman in the Kokoro neighbourhood said."
    assert "19-year-old woman" in _names(sources, text)


def test_untitled_persons_and_their_surnames(sources):
    text = (
        "Joe Contreras, the acting spokesperson for the mission, said thousands had arrived. "
        "UN spokesman Stephane Dujarric said talks would resume. Later Contreras said the camp was full."
    )
    names = _names(sources, text)
    assert "Joe Contreras" in names and "Stephane Dujarric" in names
    assert names.count("Contreras") == 1  # the surname alone, later
    assert dict(_actors(sources, text))["Contreras"] == "person"


def test_apposition_needs_a_name_not_a_place_or_organisation(sources):
    assert "Upper Nile State" not in _names(sources, "Upper Nile State, a region of South Sudan, was calm.")
