"""Round 6 of the speaker rules (issue 12): quotation and attribution shapes read from the grown ``dev`` split.
Made-up sentences, one per pattern (each fails on the round-5 rules), and guards for what must not change."""

from __future__ import annotations

import pytest
from support.suggested import speakers_of_quotes

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions.base import sentence_end
from annotator.services.suggestions.engine import Sources, suggest
from annotator.services.suggestions.quote_marks import scan


@pytest.fixture(scope="module")
def sources():
    return Sources.build(load_default_schema(), trained=False)


def _speakers(sources, text):
    return speakers_of_quotes(sources, text)


def _speaker_of(sources, text, words):
    quotes = _speakers(sources, text)
    return next(speakers for quote, speakers in quotes.items() if words in quote)


# ---- quotation marks -------------------------------------------------------------------


def test_a_closing_mark_typed_as_the_opener_opens_a_quote():
    text = "The officer said: ”The men came at dawn and burned the huts.” Nobody was hurt."
    [q] = scan(text)
    assert text[q.start : q.end] == "The men came at dawn and burned the huts."


def test_a_closing_mark_in_a_paragraph_with_curly_openers_still_closes():
    text = "“We left at night,” she said, “and walked ” all day.”"
    assert [text[q.start : q.end] for q in scan(text)] == ["We left at night,", "and walked "]


def test_a_reversed_opener_quote_gets_its_speaker(sources):
    text = "District police chief Ahmed Musoke said: ”The rebels came and burned the market to the ground.”\n"
    assert _speaker_of(sources, text, "burned the market") == ["Ahmed Musoke"]


# ---- attributions ----------------------------------------------------------------------


def test_a_rank_abbreviation_does_not_end_the_sentence():
    text = "“They shelled the camp,” army spokesman Brig. Tomas Ferreira said Monday. Nothing else was said."
    assert sentence_end(text, text.index("army")) > text.index("Ferreira")


def test_an_attribution_after_the_quote_with_a_rank_abbreviation(sources):
    text = (
        "“The rebels shelled the camp all night,” army spokesman Brig. Tomas Ferreira said Monday. "
        "“They have nothing left but their guns.”\n"
    )
    assert _speaker_of(sources, text, "shelled the camp") == ["Tomas Ferreira"]
    assert _speaker_of(sources, text, "nothing left") == ["Tomas Ferreira"]  # the same paragraph goes on


def test_said_another_name_before_a_colon(sources):
    text = (
        "“The tanks came in at noon,” said Ilir Berisha, a farmer.\n"
        "Said another, Arben Krasniqi: “We fled to the hills, but many stayed behind.”\n"
    )
    assert _speaker_of(sources, text, "fled to the hills") == ["Arben Krasniqi"]


def test_saying_introduces_a_quoted_phrase_of_the_subject(sources):
    text = 'Governor Paul Otieno visited the camp on Monday, saying the villagers had "suffered enough already".\n'
    assert _speaker_of(sources, text, "suffered enough") == ["Paul Otieno"]


def test_quoted_as_saying_keeps_the_agent_who_quoted(sources):
    text = "The agency quoted Minister Laila Haidari as saying “the camps are full and more are coming”.\n"
    assert _speaker_of(sources, text, "camps are full") == ["Laila Haidari"]


def test_was_quoted_as_saying_goes_to_the_subject(sources):
    text = (
        "The mayor of the town, Joseph Okello, was quoted in the Daily Monitor on Monday as saying, "
        "“we cannot feed all of these people any longer.”\n"
    )
    assert _speaker_of(sources, text, "cannot feed") == ["Joseph Okello"]


def test_it_said_quoting_a_person_goes_to_the_person_and_a_later_it_to_the_organisation(sources):
    text = (
        "The Radio Okapi network accused the militia of the raid.\n"
        "“More than 50 villagers were killed overnight,” it said, quoting Didier Mbala, a local chief. "
        "This, it said, was “a massacre of the innocent.”\n"
    )
    assert _speaker_of(sources, text, "villagers were killed") == ["Didier Mbala"]
    assert _speaker_of(sources, text, "massacre of the innocent") != ["Didier Mbala"]


def test_a_possessor_in_the_apposition_is_no_speaker(sources):
    text = (
        '"Hundreds of families have fled the fighting," Christian Aid, the Anglican Church\'s aid and development '
        "agency, said in a statement.\n"
    )
    assert "Anglican Church" not in _speaker_of(sources, text, "families have fled")


def test_said_group_abbreviation_and_role_before_a_name_with_a_particle(sources):
    text = '"They burned the whole village," said Sudan Liberation Army (SLA) commander Musa Adam el-Tayeb Hamid.\n'
    [speaker] = _speaker_of(sources, text, "burned the whole village")
    assert speaker.startswith("Musa Adam")


# ---- person mentions -------------------------------------------------------------------


def _person_actors(sources, text):
    return [
        text[s.start : s.end]
        for s in suggest(text, sources)
        if s.label == "ACTOR" and s.attrs.get("actor_type") == "person"
    ]


def test_a_name_with_initials_and_its_apposition_is_a_person(sources):
    text = "K.R. Menon, superintendent of police for the district, said the men fled into the forest.\n"
    assert "K.R. Menon" in _person_actors(sources, text)


def test_an_elect_title_before_a_name(sources):
    text = "Fighters loyal to Governor-elect Tomasz Wrona clashed with the guards on Sunday.\n"
    assert "Tomasz Wrona" in _person_actors(sources, text)


def test_a_country_abbreviation_is_no_initial(sources):
    text = "U.S. Ambassador Nora Fields said the embassy would stay open.\n"
    assert not any(a.startswith("U.S.") for a in _person_actors(sources, text))


def test_a_name_given_only_as_one_word_is_a_person(sources):
    text = "The trucks were set alight, said a guard, who gave his name only as Tamba.\n"
    assert "Tamba" in _person_actors(sources, text)


def test_a_self_styled_prophet_before_a_name(sources):
    text = "The rebels, led by self-styled prophet Alice Lakwena, attacked the camp.\n"
    assert "Alice Lakwena" in _person_actors(sources, text)
