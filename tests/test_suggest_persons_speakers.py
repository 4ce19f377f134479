"""Round 5 of the suggestion rules (issue 12): person mentions found apart from the ACTOR rules
(``person_mentions.py``) and speaker links that follow them (``speaker_rules.py``, ``quotes.py``).
Made-up sentences, one per pattern (each pattern test fails on the round-4 rules), and guards for what must
not change ("left alone", the apposition before a verb)."""

from __future__ import annotations

import pytest
from support.suggested import speakers_of_quotes

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions.engine import Sources, suggest
from annotator.services.suggestions.person_mentions import find_person_mentions


@pytest.fixture(scope="module")
def sources():
    return Sources.build(load_default_schema(), trained=False)


def _mentions(text):
    return [(text[s.start : s.end], s.attrs["actor_type"]) for s in find_person_mentions(text)]


def _actors(sources, text):
    return [text[s.start : s.end] for s in suggest(text, sources) if s.label == "ACTOR"]


def _speakers(sources, text):
    return speakers_of_quotes(sources, text)


# ---- person mentions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("On Monday, government spokesman Amadou Keita offered his condolences.", "Amadou Keita"),
        ("The incident was confirmed by district Commissioner Nuru Odhiambo on Friday.", "Nuru Odhiambo"),
        ("Troops were sent in, Col. Jean-Marc Duval told reporters.", "Jean-Marc Duval"),
        ("The clinic is run by Dr. Okonkwo, who arrived in May.", "Okonkwo"),
        ("Karim al-Sayed, spokesman for the health ministry, gave no figure.", "Karim al-Sayed"),
        ("Ama Boateng, 34, a farmer from the north, lost her house.", "Ama Boateng"),
        ("Taras Melnyk posted on Telegram that the bridge was hit.", "Taras Melnyk"),
        ("“We ran,” said 45-year-old Rosa Pierre on Monday.", "Rosa Pierre"),
        ("“They came at night,” said the spokesman, Gulab Zaman.", "Gulab Zaman"),
        ("The rebels were routed by longtime dictator Omar Bakri in 1990.", "Omar Bakri"),
        ("“The town is ours,” Brigadier-General Ramon Dela Cruz said.", "Ramon Dela Cruz"),
        ("“They came at dawn,” the mayor of the district, Idris al-Hamdan, told the agency.", "Idris al-Hamdan"),
    ],
)
def test_a_name_shown_to_be_a_person_is_an_actor_without_its_title(text, name):
    assert (name, "person") in _mentions(text)


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("Eight trucks were burnt, a police officer said.", "police officer"),
        (
            "“Ten are dead,” a local gendarmerie officer who asked not to be named told the agency.",
            "local gendarmerie officer",
        ),
        (
            "“The toll can change,” the member of this governing body assured the press.",
            "member of this governing body",
        ),
        ("Two guards escaped, said the officer.", "officer"),
        ("The attack was confirmed by a local administrative official on Monday.", "local administrative official"),
        ("A senior official of the National Rights Council (NRC) confirmed the toll.", "senior official"),
        ("An interior ministry official, who asked not to be named, blamed the rebels.", "interior ministry official"),
    ],
)
def test_a_role_description_that_speaks_is_an_actor(text, description):
    assert (description, "person") in _mentions(text)


@pytest.mark.parametrize(
    "text",
    [
        "South Sudan said it would send troops.",  # a place
        "The Ministry said the road was closed.",  # a body
        "BAMAKO, Mali — Gunmen attacked a village.",  # a dateline
        "The Islamic State said it carried out the attack.",  # a group
        "Officials said the attack killed Moses Bako.",  # a victim after a clause, no attribution of his
        "A resident of Nyala Kora also said the wells were dry.",  # a place after "of"
        "Later Okafor said the camp was full.",  # a sentence adverb and a surname: no two-word name
        "It happened near the town of Kamir Dar, said the head of the police.",  # a place, then the verb
    ],
)
def test_words_that_make_no_person_are_left_alone(text):
    assert [name for name, _kind in _mentions(text) if name[0].isupper()] == []


def test_a_person_mention_is_suggested_where_no_other_rule_had_one(sources):
    text = "Police Commissioner Nuru Odhiambo confirmed the toll on Friday."
    assert "Nuru Odhiambo" in _actors(sources, text)


# ---- speaker links -----------------------------------------------------------------------


def test_he_said_goes_to_the_last_person_named_since_the_last_attribution(sources):
    text = (
        "President Moussa Diallo has ordered an inquiry after the attacks, the government announced.\n\n"
        "On Wednesday, government spokesman Amadou Keita offered his condolences to the families.\n\n"
        "He did not give details but said: “The attackers will be found and punished.”\n\n"
        "“We are sending more troops to the north,” he added.\n\n"
        "He later confirmed that the toll had risen.\n\n"
        "“This is a permanent challenge for us,” he said."
    )
    speakers = _speakers(sources, text)
    assert speakers["“The attackers will be found and punished.”"] == ["Amadou Keita"]
    assert speakers["“We are sending more troops to the north,”"] == ["Amadou Keita"]
    assert speakers["“This is a permanent challenge for us,”"] == ["Amadou Keita"]


def test_the_subject_next_to_the_verb_said_it(sources):
    text = (
        "President Moussa Diallo has ordered an inquiry into the killings, the government announced, "
        "denouncing “cowardly and criminal” acts."
    )
    assert _speakers(sources, text)["“cowardly and criminal”"] == ["government"]


def test_an_apposition_before_the_verb_leaves_the_name_the_speaker(sources):
    text = "“The camps are full,” Amnesty International, the rights group, said."
    assert _speakers(sources, text)["“The camps are full,”"] == ["Amnesty International"]


def test_the_name_that_ends_the_phrase_after_said_is_the_speaker(sources):
    text = (
        "Shells “hit the hospital twice”, killing a 40-year-old woman, said regional military administration "
        "chief Petro Bondar."
    )
    assert _speakers(sources, text)["“hit the hospital twice”"] == ["Petro Bondar"]
    text = "“He was taken alive and later found dead,” said the spokesman, Gulab Zaman."
    assert _speakers(sources, text)["“He was taken alive and later found dead,”"] == ["Gulab Zaman"]
    text = "“Two people died in the shelling,” said the head of the district’s administration, Ivan Koval."
    assert _speakers(sources, text)["“Two people died in the shelling,”"] == ["Ivan Koval"]


def test_said_adding_shares_the_subject(sources):
    text = (
        "The army said on Monday that the convoy had been ambushed twice near the old river crossing before dawn, "
        "adding: “Nobody in the convoy was spared.”"
    )
    assert _speakers(sources, text)["“Nobody in the convoy was spared.”"] == ["army"]


def test_what_they_called_a_phrase_is_the_subjects_quote(sources):
    text = "Rebel fighters later issued a statement rejecting what they called a “fabricated allegation” by the army."
    assert _speakers(sources, text)["“fabricated allegation”"] == ["Rebel fighters"]


def test_a_long_clause_between_the_quote_and_its_attribution(sources):
    text = (
        "“Several dozen fighters were killed,” and a large amount of the attackers’ weapons was seized in a "
        "counter-attack near the river, the ministry said."
    )
    assert _speakers(sources, text)["“Several dozen fighters were killed,”"] == ["ministry"]


def test_assured_is_a_speech_verb(sources):
    text = "“But this figure can change,” the member of this governing body assured reporters."
    assert _speakers(sources, text)["“But this figure can change,”"] == ["member of this governing body"]


def test_according_to_and_the_next_paragraph_reach_a_new_person_mention(sources):
    text = (
        "The bridge was destroyed overnight, “leaving the town cut off from the rest of the county,” "
        "according to police Commissioner Nuru Odhiambo."
    )
    assert _speakers(sources, text)["“leaving the town cut off from the rest of the county,”"] == ["Nuru Odhiambo"]
    text = (
        "Police Commissioner Nuru Odhiambo toured the camp on Friday. “We fled at night when the shooting "
        "started,” he said.\n\n“Our whole village burned and nobody came to help us.”"
    )
    speakers = _speakers(sources, text)
    assert speakers["“We fled at night when the shooting started,”"] == ["Nuru Odhiambo"]
    assert speakers["“Our whole village burned and nobody came to help us.”"] == ["Nuru Odhiambo"]
