"""Round 7 of the speaker rules (issue 12): speakers and quotes by the shape of the sentence, not by word lists.
Made-up sentences, one or more per mechanism (each fails on the round-6 rules), and guards for what must not change."""

from __future__ import annotations

import pytest
from support.suggested import speaker_of, speakers_of_quotes

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions.engine import Sources, suggest
from annotator.services.suggestions.quote_marks import scan
from annotator.services.suggestions.speaker_subjects import named_in_apposition, subject_after, subject_before


@pytest.fixture(scope="module")
def sources():
    return Sources.build(load_default_schema(), trained=False)


def _actors(sources, text):
    return [text[s.start : s.end] for s in suggest(text, sources) if s.label == "ACTOR"]


def _subject(text, verb):
    found = subject_before(text, text.index(f" {verb} ") + 1)
    return text[found.start : found.end] if found else None


# ---- 1. the subject noun phrase of the attribution -------------------------------------------


@pytest.mark.parametrize(
    ("text", "verb", "subject"),
    [
        ("“They burned the granary,” one herder who had lost his cattle said on Friday.", "said", "herder"),
        (
            "“Nobody will leave tonight,” a militia commander was heard saying on the radio.",
            "saying",
            "militia commander",
        ),
        (
            "“We ran to the river,” one of those who hid in the reeds told reporters.",
            "told",
            "one of those who hid in the reeds",
        ),
        ("The prefecture said that a search was under way in the hills.", "said", "prefecture"),
        ("“They took the boys,” one mother - the only adult left in the hut - told AFP.", "told", "mother"),
    ],
)
def test_the_subject_phrase_of_the_verb(text, verb, subject):
    assert _subject(text, verb) == subject


def test_a_pronoun_an_object_or_a_figure_is_no_subject_phrase():
    assert _subject("“We left at dawn,” he said on Monday.", "said") is None
    assert _subject("The attack killed ten, and the toll said little.", "said") is None
    assert _subject("Police in the town of Garo said the road was closed.", "said") is None  # a name: other rules


def test_a_herder_with_a_relative_clause_is_the_speaker(sources):
    text = (
        "Gunmen from the Northern Brigade raided the camp at night.\n\n"
        "“They burned the granary and shot the dogs,” one herder who had lost his cattle said on Friday.\n"
    )
    assert speaker_of(sources, text, "burned the granary") == ["herder"]


def test_a_passive_heard_saying_has_its_subject_as_speaker(sources):
    text = (
        "The Eastern Militia entered Kalo before dawn.\n\n"
        "“Nobody will leave tonight,” a militia commander was heard saying on the radio.\n"
    )
    assert speaker_of(sources, text, "Nobody will leave") == ["militia commander"]


def test_told_never_links_the_one_told(sources):
    text = "“We ran to the river and hid in the reeds all night,” one of those who escaped told The Daily Monitor.\n"
    assert speaker_of(sources, text, "We ran") == ["one of those who escaped"]


def test_an_apposition_between_dashes_keeps_the_head_as_speaker(sources):
    text = "“They took the boys and burned the huts,” one mother - the sole adult survivor of the raid - told AFP.\n"
    assert speaker_of(sources, text, "took the boys") == ["mother"]


def test_a_name_in_the_apposition_is_the_speaker(sources):
    """A guard: the subject phrase ("farmer") must not take the place of the name in its apposition."""
    text = "One farmer, Tesfaye, said the militia came at dawn. “I hid under the bodies of my neighbours,” he said.\n"
    assert speaker_of(sources, text, "I hid") == ["Tesfaye"]


def test_the_subject_of_a_speech_verb_is_an_actor_without_a_quote(sources):
    text = "Rebels attacked the market town overnight, and ambulance drivers said more than forty people died.\n"
    assert "ambulance drivers" in _actors(sources, text)
    text = "Rebels attacked the market town overnight. Dazed shopkeepers said the gunmen came on foot.\n"
    # the acting-group rule (actor_agents) spans the head noun without its adjective; either is the speaker
    assert any(actor.endswith("shopkeepers") for actor in _actors(sources, text))


def test_a_clause_after_said_is_no_speaker(sources):
    text = "The ministry said 21 people were killed when shells struck the market.\n"
    assert "21 people" not in _actors(sources, text)
    assert subject_after(text, text.index("said") + 4) is None


# ---- 2. the statement speaks for its issuer -------------------------------------------------


def test_the_statement_said_links_its_issuer(sources):
    text = (
        "The armed forces said in a statement that the wounded had been flown to Lima.\n\n"
        "“The Joint Command expresses its deepest condolences to the families of the fallen,” the statement said.\n"
    )
    assert speaker_of(sources, text, "deepest condolences") == ["armed forces"]


def test_a_web_site_where_statements_appear_is_the_issuer(sources):
    text = (
        "A Web site where rebel statements often appear said the ambush was planned for weeks. "
        "“There were no losses on our side,” the statement said.\n"
    )
    assert speaker_of(sources, text, "no losses") == ["Web site"]


# ---- 3. an apposition is one speaker ---------------------------------------------------------


def test_a_description_that_gives_a_name_links_the_name(sources):
    text = "“They cut the throats of the old men first,” said a 40-year-old man who would give only his first name, Kamel.\n"
    assert speaker_of(sources, text, "cut the throats") == ["Kamel"]
    end = text.index("man who") + 3
    assert named_in_apposition(text, end) == (text.index("Kamel"), text.index("Kamel") + 5)


# ---- 4. quotes the marks miss ----------------------------------------------------------------


def test_a_single_opening_mark_closed_by_a_double_one():
    text = "The officer said he could not confirm it. 'We will wait until the operation is over,” Diallo said."
    [q] = scan(text)
    assert text[q.start : q.end] == "We will wait until the operation is over,"


def test_a_mismatched_quote_gets_its_speaker(sources):
    text = "Colonel Moussa Diallo would not confirm it. 'We will wait until the operation is over,” Diallo said.\n"
    assert speaker_of(sources, text, "We will wait") == ["Diallo"]


def test_an_apostrophe_before_a_double_mark_is_no_quote():
    """A guard: a mismatched double mark must not close at a plural possessive's apostrophe."""
    text = "The villagers' huts were burned, “all of them,” he said."
    assert [text[q.start : q.end] for q in scan(text)] == ["all of them,"]


def test_a_scare_quote_after_blamed_is_the_subjects(sources):
    text = "The prefecture gave no figures but blamed the “separatist terrorist organisation” for the attack.\n"
    assert speaker_of(sources, text, "separatist terrorist") == ["prefecture"]


def test_a_participle_after_a_comma_shares_the_sentence_subject(sources):
    text = (
        "The Malian army reported the killings in a statement carried by the state broadcaster, ORTM, "
        "blaming them on a “band of criminals” from the north.\n"
    )
    assert speaker_of(sources, text, "band of criminals") == ["Malian army"]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        (
            "“They shot everyone who ran,” a relief worker with the charity said by telephone.",
            "relief worker with the charity",
        ),
        ("“They shot everyone who ran,” a man whose brother was killed told AFP.", "man"),
        ("“They shot everyone who ran,” said the mother of one of the victims.", "mother"),
    ],
)
def test_a_prepositional_phrase_or_whose_clause_between_speaker_and_verb(sources, sentence, speaker):
    text = "Gunmen burned the village of Tabo on Sunday.\n\n" + sentence + "\n"
    assert speaker_of(sources, text, "shot everyone") == [speaker]


def test_and_after_a_prepositional_phrase_joins_no_subject():
    text = "A task force responsible for the safety of lives and property in the Damboa area said on Thursday."
    assert _subject(text, "said") is None


def test_a_name_before_its_role_phrase_is_the_speaker(sources):
    """A guard: the role phrase after the name ("a senior official of the district") must not take its place."""
    text = "“They came at night,” Amadou Diallo, a senior official of the district said.\n"
    assert speaker_of(sources, text, "came at night") == ["Amadou Diallo"]


@pytest.mark.parametrize(
    ("sentence", "words", "speaker"),
    [
        ('The ministry called the attack "a cowardly act of terrorism".', "cowardly act", "ministry"),
        ("A local chief condemned what he called “a massacre of innocents”.", "massacre of innocents", "local chief"),
    ],
)
def test_a_scare_quote_after_called_is_the_subjects(sources, sentence, words, speaker):
    text = "Gunmen burned the village of Tabo on Sunday.\n\n" + sentence + "\n"
    assert speaker_of(sources, text, words) == [speaker]


def test_a_name_after_called_is_still_no_quote(sources):
    """A guard: "called" as an attribution must not make a name in quotes a quotation."""
    text = 'A group called "Friends of the Forest" claimed the attack on the village.\n'
    assert speakers_of_quotes(sources, text) == {}


def test_a_partial_quote_deep_in_indirect_speech(sources):
    text = (
        "Gunmen burned the village of Tabo on Sunday.\n\nThe army said in a statement on Tuesday that its troops had "
        'entered the town overnight and after two days of heavy fighting had "restored order" in the district.\n'
    )
    assert speaker_of(sources, text, "restored order") == ["army"]


def test_a_pronoun_in_a_relative_clause_is_the_subject(sources):
    text = (
        "Mr Kowalski said the feud had led to the massacre of women and children, which he described as "
        "“the worst revenge killing in our history”.\n"
    )
    assert speaker_of(sources, text, "worst revenge") == ["Kowalski"]
    assert _subject(text, "described") is None


def test_a_first_name_that_is_also_a_place_is_part_of_the_speakers_name(sources):
    text = (
        "Sinn Fein won 12% of the vote.\nDouglas Hurd, the secretary of state for Northern Ireland, said, "
        "“Once again it is shown that their main interest is in killing.”\n"
    )
    assert speaker_of(sources, text, "Once again") == ["Douglas Hurd"]


def test_a_place_right_before_said_speaks(sources):
    text = (
        'The rebel spokesman, Teuku Jamaica, denied the ambush.\n"The shooting was between two army units '
        'that had quarrelled," Jamaica said.\n'
    )
    assert speaker_of(sources, text, "The shooting") == ["Jamaica"]


@pytest.mark.parametrize(
    ("sentence", "words", "speaker"),
    [
        (
            "The country’s police minister decries the ‘worst revenge killing’ in its history.",
            "worst revenge",
            "police minister",
        ),
        (
            'On Friday, spokesman Alain Dossou offered his condolences to the "bereaved families" of the victims.',
            "bereaved families",
            "Alain Dossou",
        ),
    ],
)
def test_a_phrase_quote_after_the_main_verb_is_its_subjects(sources, sentence, words, speaker):
    text = "Gunmen burned the village of Tabo on Sunday.\n\n" + sentence + "\n"
    assert speaker_of(sources, text, words) == [speaker]


def test_a_quoted_name_in_title_case_is_still_no_quote(sources):
    """A guard: the phrase-quote rule leaves names alone."""
    text = "The junta is battling dozens of new “People’s Defense Forces” across the country.\n"
    assert speakers_of_quotes(sources, text) == {}
