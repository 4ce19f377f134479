"""Round 9 of the quote and speaker rules (issue 12): the reporting verbs as a class, quotes with no speech verb next
to them (the sentence, the sentence before or after, a noun of saying, headlines), a quote whose opening mark is
missing, "the statement read". Made-up sentences, one or more per mechanism (each fails on the round-8 rules), and
guards for what must not change."""

from __future__ import annotations

import pytest
from support.suggested import quotes_with_speakers, speaker_of

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions import speech_verbs
from annotator.services.suggestions.engine import Sources, suggest
from annotator.services.suggestions.verb_forms import conjugate


@pytest.fixture(scope="module")
def sources():
    return Sources.build(load_default_schema(), trained=False)


def _quotes(sources: Sources, text: str) -> list[str]:
    return [text[s.start : s.end] for s in suggest(text, sources) if s.label == "QUOTE"]


# ---- 1. the reporting verbs as a class ------------------------------------------------------------------------------


def test_every_form_of_the_reporting_verbs_is_generated_by_rule():
    forms = speech_verbs.forms()
    for form in ("admitted", "admitting", "pleads", "pleaded", "denies", "denied", "swore", "sworn", "told", "wrote"):
        assert form in forms
    for wrong in ("admited", "sayed", "telled", "denyed"):
        assert wrong not in forms
    assert not {"reports", "remarks", "claims", "demands"} & forms  # plural nouns as often as verbs
    assert not set(speech_verbs.LEMMAS) & {"order", "call", "charge", "question"}  # mostly not saying


def test_one_conjugator_serves_the_harm_and_the_speech_verbs():
    # verb_forms.conjugate: -es after a sibilant ("stresses", "perishes"), never "perishs"
    assert conjugate("stress")[1] == "stresses" and "stresses" in speech_verbs.forms()
    assert conjugate("perish") == ("perish", "perishes", "perishing", "perished", "perished")
    assert conjugate("sob")[3] == "sobbed" and conjugate("say")[3] == "said"


@pytest.mark.parametrize("verb", ["whispered", "pleaded", "alleged", "screamed", "conceded", "retorted", "sobbed"])
def test_a_reporting_verb_outside_the_old_list_attributes_its_quote(sources, verb):
    text = (
        "The ferry sank near the island on Sunday.\n\n"
        f"Later that night Halima Osei {verb} “the crew left the passengers on the lower deck” and walked away."
    )
    assert speaker_of(sources, text, "the crew left") == ["Halima Osei"]


def test_a_chant_after_a_colon_mid_paragraph_is_a_quote(sources):
    text = (
        "Mourners marched past the courthouse in the rain, chanting: “No more dead in our streets, no more silence "
        "now!” Police watched from the steps."
    )
    assert "“No more dead in our streets, no more silence now!”" in _quotes(sources, text)


def test_a_reporting_participle_shares_its_sentences_subject(sources):  # a guard: the round-8 rules agree
    text = (
        "Tomas Berrio, the mayor, spoke in the square.\n\n"
        "“The water is poisoned,” Berrio said at the briefing, lamenting that “nobody in the capital listens to us.”"
    )
    assert speaker_of(sources, text, "nobody in the capital") == ["Berrio"]


# ---- 2. quotes with no speech verb next to them ----------------------------------------------------------------------


def test_a_speech_verb_anywhere_in_the_sentence_attributes_the_quote(sources):
    text = (
        "Fighting went on near the river.\n\n"
        "“Four gunmen who refused to surrender were neutralised” in the clash near the old river crossing on the "
        "road to the northern garrison town late on Tuesday night, an officer of the regional garrison said."
    )
    assert "“Four gunmen who refused to surrender were neutralised”" in _quotes(sources, text)
    assert speaker_of(sources, text, "Four gunmen") == ["officer"]


def test_the_attribution_in_the_next_sentence_attributes_a_passage(sources):
    text = (
        "The convoy waited at the river for two days.\n\n“The bridge had been blown apart during the night” and "
        "nobody came to repair it. Kofi Arhin, a driver, told reporters on Monday."
    )
    assert speaker_of(sources, text, "The bridge had been") == ["Kofi Arhin"]


def test_a_headline_quote_takes_the_speaker_of_the_body_quote_holding_its_words(sources):
    text = (
        "Villagers ‘left to starve’ in the northern valley\n\n"
        "Aid has not reached the valley for a month.\n\n"
        "“We were left to starve by everyone,” said Amina Diallo, a farmer."
    )
    assert "‘left to starve’" in _quotes(sources, text)
    assert speaker_of(sources, text, "left to starve’") == ["Amina Diallo"]


def test_a_name_in_a_headline_and_a_sentence_are_no_headline_quotes(sources):
    text = "Operation ‘Desert Shield’ ends in the north\n\nThe soldiers went home ‘quietly’ on Friday."
    assert _quotes(sources, text) == []


def test_a_second_name_after_known_as_is_no_quote(sources):
    text = "The militia, known as the Valley Guard or ‘Those who guard the valley’, burned the market, a witness said."
    assert _quotes(sources, text) == []


# ---- 3. a quote whose opening mark is missing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        (
            "The mayor spoke at the market on Monday.\n\n"
            "The roads are cut and the bridge is gone, there is no food left here,” the mayor said.\n\nShe left.",
            "The roads are cut and the bridge is gone, there is no food left here,”",
            "mayor",
        ),
        (
            'He said nothing more.\n\nWe buried nine people this week and more are missing," said Paul Okello.',
            'We buried nine people this week and more are missing,"',
            "Paul Okello",
        ),
    ],
)
def test_a_closing_mark_with_an_attribution_and_no_opening_mark_closes_a_quote(sources, text, quote, speaker):
    assert dict(quotes_with_speakers(sources, text))[quote] == [speaker]


def test_a_closing_mark_after_an_opening_one_is_unchanged(sources):
    text = "Paul Okello spoke. “We buried nine people,” he said, “and more are missing,” he added."
    assert _quotes(sources, text) == ["“We buried nine people,”", "“and more are missing,”"]


# ---- 4. "the statement read" -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The harbour authority’s statement read: “The ferries will not sail until the storm has passed.”",
        "“The ferries will not sail until the storm has passed,” the harbour authority’s statement read.",
    ],
)
def test_a_documents_owner_is_the_speaker_of_what_it_read(sources, text):
    assert speaker_of(sources, text, "The ferries") == ["harbour authority"]


def test_read_is_no_speech_verb_without_a_document(sources):
    text = "The teacher read “the names of all the dead of the village” aloud in the hall."
    assert _quotes(sources, text) == []


def test_a_noun_of_saying_in_the_sentence_attributes_a_quote(sources):
    text = (
        "In a statement on Friday, the port authority promised “swift and harsh action against the smugglers who "
        "use the beach at night”."
    )
    assert "“swift and harsh action against the smugglers who use the beach at night”" in _quotes(sources, text)


def test_the_word_frame_after_a_one_word_quote_attributes_it(sources):
    text = "The families fled across the hills at night to escape the “terror”, the one word the villagers all used."
    assert "“terror”" in _quotes(sources, text)


# ---- 5. speakers: a one-word name opening a sentence in apposition, for "she said" ----------------------------------


def test_a_one_word_name_in_apposition_is_the_person_a_pronoun_names(sources):
    text = (
        "Fighting spread to the border town last week.\n\n"
        "Amadou, a retired teacher from the coast, now sleeps in a school across the river.\n\n"
        "“We left everything behind us on the road,” he told reporters on Friday."
    )
    assert speaker_of(sources, text, "We left everything") == ["Amadou"]
