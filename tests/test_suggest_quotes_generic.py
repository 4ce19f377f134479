"""QUOTE patterns and speaker links beyond the bundled articles. Made-up sentences."""

from __future__ import annotations

import pytest

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions.engine import Sources, suggest


@pytest.fixture(scope="module")
def sources():
    return Sources.build(load_default_schema())


def _quotes(text, sources):
    found = suggest(text, sources)
    return [
        (text[s.start : s.end], [text[found[i].start : found[i].end] for i in s.links.get("speaker", ())])
        for s in found
        if s.label == "QUOTE"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # single quotation marks, curly and straight, and two apostrophes for a double mark
        ("‘We have nothing left,’ said Amina Bello, a farmer.", [("‘We have nothing left,’", ["Amina Bello"])]),
        ("'We don't know where they are,' said the mayor.", [("'We don't know where they are,'", ["mayor"])]),
        (
            "''We ran all night through the bush,'' Umar Kyari said.",
            [("''We ran all night through the bush,''", ["Umar Kyari"])],
        ),
        # a long appositive between the quote and the verb
        (
            "“The camps are full,” Jean Mbeko, president of the local Red Cross society, told Reuters.",
            [("“The camps are full,”", ["Jean Mbeko"])],
        ),
        # a title before the name after the verb
        ("“We treated 40 patients,” said Dr. Rafiqul Islam.", [("“We treated 40 patients,”", ["Rafiqul Islam"])]),
        (
            "“The road is closed to everyone,” said Major Ali Musa.",
            [("“The road is closed to everyone,”", ["Ali Musa"])],
        ),
        ("“Nobody came to help us,” Father Bernard Kinvi said.", [("“Nobody came to help us,”", ["Bernard Kinvi"])]),
        ("“We reject these claims entirely,” Mr Machar said.", [("“We reject these claims entirely,”", ["Machar"])]),
        # a speaker no list knows, named by its description
        (
            "“The attack was repelled,” the communications ministry said.",
            [("“The attack was repelled,”", ["communications ministry"])],
        ),
        # "X quoted Y as saying"
        (
            "“The roads are closed to aid convoys,” Xinhua quoted Stephane Dujarric as saying.",
            [("“The roads are closed to aid convoys,”", ["Stephane Dujarric"])],
        ),
        # a reported condemnation goes to the one who condemned, not the reporter
        (
            "A UN spokesperson said Ban Ki-moon condemned “the senseless killing of civilians” in the town.",
            [("“the senseless killing of civilians”", ["Ban Ki-moon"])],
        ),
        # a quoted phrase in a sentence with a reporting verb
        (
            "Human Rights Watch described the raids as “targeted killings of civilians” in its report.",
            [("“targeted killings of civilians”", ["Human Rights Watch"])],
        ),
    ],
)
def test_quote_patterns(text, expected, sources):
    assert _quotes(text, sources) == expected


def test_he_said_after_a_non_speech_verb_is_its_subject(sources):
    text = "“We are ready to talk,” said John Kerry.\nRiek Machar denied the allegation. “There was no coup,” he said."
    assert _quotes(text, sources) == [
        ("“We are ready to talk,”", ["John Kerry"]),
        ("“There was no coup,”", ["Riek Machar"]),
    ]


def test_an_unnamed_person_speaker_takes_he_and_she(sources):
    text = "“We buried them at dawn,” said Ahmed Bukar.\n“The road is cut,” said the source. He added, “Nobody can reach the town.”"
    assert _quotes(text, sources) == [
        ("“We buried them at dawn,”", ["Ahmed Bukar"]),
        ("“The road is cut,”", ["source"]),
        ("“Nobody can reach the town.”", ["source"]),  # "he" is the source, not the last named speaker
    ]


def test_a_described_speaker_with_a_relative_clause(sources):
    text = (
        "“We lost everything,” said Ali Traore, the mayor.\n"
        "A brother of one of the victims, who asked not to be named, confirmed the toll. “They came at night,” he said."
    )
    assert _quotes(text, sources) == [("“We lost everything,”", ["Ali Traore"]), ("“They came at night,”", ["brother"])]


def test_apostrophes_are_not_quotes(sources):
    text = "The Rohingyas' homes burned. It's the villagers' land, and they won't leave, the elders said."
    assert _quotes(text, sources) == []


def test_a_quote_left_open_mid_paragraph_runs_to_its_end(sources):
    text = (
        "The governor said on Monday: “We will rebuild every house and every school in this district\nThe rains came."
    )
    assert _quotes(text, sources) == [("“We will rebuild every house and every school in this district", ["governor"])]
