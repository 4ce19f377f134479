"""Round 8 of the quote and speaker rules (issue 12): quote marks by typography, phrase-quote frames, subjects the
rules missed, pronouns to untitled names. Made-up sentences, one or more per mechanism (each fails on the round-7
rules), and guards for what must not change."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.suggested import quotes_with_speakers, speaker_of

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions.engine import Sources, suggest
from annotator.services.suggestions.quote_marks import PAIRS, scan


@pytest.fixture(scope="module")
def sources():
    return Sources.build(load_default_schema(), trained=False)


# ---- 1. quote marks by typography: every (open, close) pair, offsets where the marks stand ------------------------

_WORD = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=1, max_size=9)  # no vowel: no English word, no verb
_WORDS = st.lists(_WORD, min_size=3, max_size=12).map(" ".join)


@pytest.mark.parametrize(("opening", "closing"), PAIRS, ids=[f"{o}…{c}" for o, c in PAIRS])
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=_WORDS, quoted=_WORDS, after=_WORDS)
def test_every_pair_of_marks_is_a_quote_at_its_offsets(sources, opening, closing, before, quoted, after):
    lead = f"{before.capitalize()} here. Halvorsen Mbeki said: "
    text = f"{lead}{opening}{quoted.capitalize()}{closing} and {after}.\n"
    open_at = len(lead)
    close_end = open_at + len(opening) + len(quoted) + len(closing)
    found = [q for q in scan(text) if q.open_at == open_at]
    assert len(found) == 1
    q = found[0]
    assert (q.start, q.end, q.close_at) == (open_at + len(opening), close_end - len(closing), close_end - 1)
    assert text[q.start : q.end] == quoted.capitalize()
    spans = [(s.start, s.end) for s in suggest(text, sources) if s.label == "QUOTE"]
    assert spans == [(open_at, close_end)]
    assert dict(quotes_with_speakers(sources, text))[text[open_at:close_end]] == ["Halvorsen Mbeki"]


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        (
            "The harbour was shelled at dawn.\n\n``They fired on the boats from the hill,'' said Marek Oduya, a fisherman.",
            "``They fired on the boats from the hill,''",
            "Marek Oduya",
        ),
        (
            "``Nobody came to bury them,″ Teodora Quispe said in the market.",
            "``Nobody came to bury them,″",
            "Teodora Quispe",
        ),
        ("Jens Olafsen said: „We have nothing left to eat“ and left.", "„We have nothing left to eat“", "Jens Olafsen"),
        (
            "« They burned everything in the village », Pierre Lambert told the radio.",
            "« They burned everything in the village »",
            "Pierre Lambert",
        ),
    ],
)
def test_wire_and_foreign_marks_are_quotes_with_their_speaker(sources, text, quote, speaker):
    assert dict(quotes_with_speakers(sources, text))[quote] == [speaker]


def test_an_unclosed_two_character_mark_runs_to_its_paragraph_end():
    text = "Halvorsen Mbeki said:\n``We walked for three days and nobody helped us\n``Then the rain came.''"
    first = scan(text)[0]
    assert text[first.start : first.end] == "We walked for three days and nobody helped us"
    assert first.close_at is None


def test_apostrophes_and_inch_marks_stay_no_quotes():
    text = "The Rohingyas' homes burned and the 12\" pipe didn't hold, the villagers' chief said."
    assert scan(text) == []


# ---- 3. subjects the rules missed ----------------------------------------------------------------------------------


def test_a_coordinated_verb_shares_the_first_verbs_subject(sources):
    text = (
        "Colonel Harstad met the militia leaders on Monday.\n\n"
        "Grace Okonkwo accused General Ivo Rastovic of breaking the Vienna Accord, and warned “anyone who fires on "
        "civilians will answer for it in court.”"
    )
    assert speaker_of(sources, text, "anyone who fires") == ["Grace Okonkwo"]


def test_a_partial_quote_ending_a_sentence_of_indirect_speech_is_the_first_speakers(sources):
    text = (
        "Teodor Varga, a doctor with the aid group, said the ward was "
        '"overflowing, with patients lying in the corridors." Hanna Brisk was quoted by the radio as saying the '
        "roads were closed."
    )
    assert speaker_of(sources, text, "overflowing") == ["Teodor Varga"]


def test_a_descriptive_subject_with_among_is_a_speaker(sources):
    text = 'A young man among the crowd said the soldiers came at night.\n\n"They took everything we had," he said.'
    assert speaker_of(sources, text, "They took everything") == ["young man among the crowd"]


# ---- 5. a place ending an apposition is not the speaker; the name with its age is ----------------------------------


def test_a_place_at_the_end_of_an_apposition_is_no_speaker(sources):
    text = (
        "Maria Ostrovska, 41, a nurse at the children's hospital in the provincial capital, Dornava, said: "
        '"We had no water and no light for six days."'
    )
    assert speaker_of(sources, text, "We had no water") == ["Maria Ostrovska"]


# ---- 2. frames that introduce a phrase quote without a speech verb ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        (
            "When the water rose, the camps flooded, and Archbishop Tomas Ruelo portrayed the conditions of the "
            "families living along the river as “a prison without walls for the old and the sick”.",
            "a prison without walls",
            ["Tomas Ruelo"],
        ),
        (
            "After the vote the opposition leader Hanne Sorvik, who had returned from exile in March, characterised "
            "the behaviour of the election commission and its staff at the counting centres as “shameless theft”.",
            "shameless theft",
            ["Hanne Sorvik"],
        ),
        (
            "The stories differed, but the word the farmers used was “abandoned”.",
            "abandoned",
            ["farmers"],
        ),
    ],
)
def test_a_frame_without_a_speech_verb_links_the_framing_verbs_subject(sources, text, quote, speaker):
    assert speaker_of(sources, text, quote) == speaker


def test_a_one_word_name_in_quotes_stays_no_quote(sources):
    text = "The rebels, known as the “Lions”, crossed the river, and the army dubbed the operation “Thunder”."
    assert quotes_with_speakers(sources, text) == []


# ---- 4. "he said" to a name with no title the tagger shows -----------------------------------------------------------


def test_a_pronoun_links_the_nearest_untitled_name(sources):
    text = (
        "General Oskar Brandt inspected the lines on Friday.\n\n"
        "Ilse Varnhagen, 71, a retired seamstress from the lower town, sat on her suitcase by the road. "
        '"There is nothing to go back to," she said.'
    )
    assert speaker_of(sources, text, "nothing to go back") == ["Ilse Varnhagen"]


def test_words_no_name_holds_make_no_untitled_name():
    from annotator.services.suggestions.person_mentions import tagged_names

    text = "The Red Cross Office in North Ossetia sent trucks, and Mirela Dragan waited by the UNHCR tents."
    assert [text[a:b] for a, b in tagged_names(text, 0, len(text))] == ["Mirela Dragan"]


def test_a_pronoun_passes_over_an_untitled_place_the_gazetteer_knows(sources):
    text = (
        "Mirela Dragan, 34, waited with her children.\n\nThe buses for Sarajevo were late. "
        '"We have waited since morning," she said.'
    )
    assert speaker_of(sources, text, "We have waited") == ["Mirela Dragan"]


# ---- abbreviations in an inverted attribution ("said U.S. envoy Lt. Col. NAME") -------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The column was shelled. 'Three trucks burned on the bridge before noon,' said E.U. mission "
            "spokesman Lt. Col. Anders Holm. The drivers had fled.",
            "Anders Holm",
        ),
        ("'Nobody could reach the wounded until dark,' said U.S. envoy Maj. Petra Lindqvist.", "Petra Lindqvist"),
    ],
)
def test_abbreviations_do_not_end_an_inverted_attribution(sources, text, speaker):
    assert speaker_of(sources, text, "'") == [speaker]


def test_an_abbreviated_title_is_no_name(sources):
    text = "Lt. Col. Anders Holm said the bridge was closed."
    actors = [text[s.start : s.end] for s in suggest(text, sources) if s.label == "ACTOR"]
    assert "Col" not in actors and "Anders Holm" in actors


def test_a_one_word_name_with_a_relative_clause_is_the_subject(sources):
    text = "Okafor, who returned from exile after the Feb. 3 vote, said in a radio interview that a “purge” had begun."
    assert speaker_of(sources, text, "purge") == ["Okafor"]


def test_a_partitive_subject_is_a_speaker(sources):
    text = (
        "The wounded lay in the corridor. "
        '"He was beaten with rifle butts and left in the yard," one of his neighbours said. "We have six more."'
    )
    assert speaker_of(sources, text, "rifle butts") == ["one of his neighbours"]
    assert speaker_of(sources, text, "six more") == ["one of his neighbours"]


# ---- a paragraph that is all quote after reported speech; a person noun by its morphology --------------------------


def test_a_whole_paragraph_quote_after_reported_speech_is_its_speakers(sources):
    text = (
        "The ministry said “the camp was cleared after talks”.\n\n"
        "Rashid Kamal, of the Unity party, said police had fired without any warning.\n\n"
        "“All day there were rumours that we would have more time, but the attack came at night.”\n\nOthers left."
    )
    assert speaker_of(sources, text, "All day") == ["Rashid Kamal"]


def test_a_person_noun_by_its_morphology_is_he_or_she(sources):
    text = (
        "A doctor at the clinic said six were hurt.\n\n"
        "A fireman there said the flames spread from the roof and that the doors were locked. "
        '"Nobody could get out of the back rooms," he said.'
    )
    assert speaker_of(sources, text, "Nobody could get out") == ["fireman"]


# ---- work: "he said" looks back a bounded stretch for a name, in one long paragraph too -------------------------------


def test_untitled_names_are_looked_for_near_each_he_said_not_in_the_whole_paragraph():
    from support.work import lines_run

    from annotator.services.suggestions import person_mentions, syntax
    from annotator.services.suggestions.quotes import find_quotes

    unit = 'The gate stayed shut. Olek Brandt waited. "We wait and wait here," he said. '
    assert _speaker_of_quotes_found(find_quotes(unit * 3, []), unit * 3) == {"Olek Brandt"}
    unit = 'The gate stayed shut all day. "We wait and wait here," he said. '  # no name: nothing stops the look back
    texts = [unit * 20, unit * 200]  # one paragraph: the pronoun's reach is what bounds the work
    for text in texts:
        syntax.parse(text)  # the tagger's work is not counted
    small, large = (lines_run(person_mentions, lambda t=text: find_quotes(t, [])) for text in texts)
    assert large / small <= 15


def _speaker_of_quotes_found(found, text):
    return {text[k[1] : k[2]] for s in found if s.label == "QUOTE" for keys in s.link_keys.values() for k in keys}


def test_a_phrase_quote_links_the_name_in_its_subjects_apposition(sources):
    text = (
        "The Bolivian foreign minister, Ramon Ituarte, toured the border camps on Monday, predicting a “slow disaster”."
    )
    assert speaker_of(sources, text, "slow disaster") == ["Ramon Ituarte"]
