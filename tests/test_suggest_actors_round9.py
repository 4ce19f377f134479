"""Round 9 of issue 12: places by a dateline's shape, later uses of a place, named facilities, a place before its own
police, a people's adjective; bodies by their class noun alone, more organisation heads, capitals that act, groups
that suffer outside a figure, and two more signs of an untitled person.

Made-up sentences with invented names (or real countries and cities in invented sentences), driven through
``engine.suggest`` (the real rule set) and, where one rule is best seen alone, through its own function."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions import place_context, place_names, place_repeats
from annotator.services.suggestions.actor_references import find_references
from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.engine import Sources, suggest
from annotator.services.suggestions.person_names import find_speaking_names, untitled_name_spans
from tests.support.suggested import label_texts


@pytest.fixture(scope="module")
def sources():
    return Sources.build(load_default_schema(), trained=False)


# --- LOCATION: a dateline's place, whether or not a list knows it; later uses of a place ---------------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("VARNOKI, Norland, March 3 (Wire) - Gunmen attacked a market on Monday.", "VARNOKI"),
        ("TESSALY BROD (Wire) - Shells hit a stadium full of refugees.", "TESSALY BROD"),
        ("Gunmen kill four\n\nKORVAL, Norland - Gunmen killed four men at dawn.", "KORVAL"),
    ],
)
def test_a_datelines_place_is_a_location_whether_or_not_a_list_knows_it(sources, text, place):
    assert place in label_texts(sources, text, "LOCATION")


def test_an_upper_case_label_opening_a_paragraph_is_no_place():
    assert place_repeats.find_dateline_places("UPDATE - The toll rose to nine.\nAFP (Wire) - Nothing new.") == []


def test_a_place_the_context_showed_is_a_place_at_each_later_use(sources):
    text = (
        "Fighting broke out in Tessaly on Monday. The shelling of Tessaly resumed at dawn, and Tessaly, "
        "20 miles north of the river, has no water."
    )
    found = [(s.start, s.end) for s in suggest(text, sources) if s.label == "LOCATION"]
    uses = [i for i in range(len(text)) if text.startswith("Tessaly", i)]
    assert [a for a, _b in found if text[a:_b] == "Tessaly"] == uses


def test_a_dateline_place_is_found_again_in_title_case(sources):
    text = "KORVAL, Norland (Wire) - Gunmen attacked a market. The attack on Korval lasted an hour."
    assert label_texts(sources, text, "LOCATION").count("Korval") == 1


def test_a_peoples_adjective_found_after_a_preposition_is_not_repeated():
    text = "Trouble spread in Kyrgyz neighbourhoods. Later Kyrgyz leaders met."
    found = [Suggestion("LOCATION", 18, 24, source="rules:places")]  # as if a rule had taken "Kyrgyz"
    assert place_repeats.more_places(text, found, []) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Tessaly", "Korval", "the road", ", ", ". ", "in ", "TESSALY", "\n"]), max_size=30))
def test_repeated_places_are_whole_words_inside_the_text(parts):
    text = "Fighting in Tessaly and Korval. " + "".join(parts)
    for a, b in place_repeats.repeat_places(text, ["Tessaly", "KORVAL"], []):
        assert 0 <= a < b <= len(text)
        assert text[a:b] in {"Tessaly", "Korval", "KORVAL", "TESSALY"}
        assert not text[b : b + 1].isalnum() and not text[a - 1 : a].isalnum()


# --- LOCATION: named facilities, a place before its own police, a people's adjective -------------------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("The wounded were taken to Varnok General Hospital on Monday.", "Varnok General Hospital"),
        ("Gunmen stormed the Tessal Ulu mosque during prayers.", "Tessal Ulu mosque"),
        ("Riot police cleared Korvin Square before dawn.", "Korvin Square"),
        ("Teachers fled the Ban Velo School after the blast.", "Ban Velo School"),
    ],
)
def test_a_named_facility_is_a_location_with_its_head(sources, text, place):
    assert place in label_texts(sources, text, "LOCATION")


@pytest.mark.parametrize(
    "text",
    [
        "The hospital said nine people had died.",
        "The Catholic Church condemned the attack.",
        "But hospital staff said nine people had died.",
        "Massacre Reported At Velmic Camp Near The Border",
    ],
)
def test_a_facility_noun_without_a_name_of_its_own_is_no_location(text):
    assert place_repeats.find_facilities(text) == []


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Mombasa police arrested two men after the raid.", "Mombasa"),
        ("Kandahar police chief Ali Velo confirmed the attack.", "Kandahar"),
    ],
)
def test_a_place_before_its_own_police_or_administration_stays_a_place(sources, text, place):
    assert place in label_texts(sources, text, "LOCATION")


def test_a_place_before_a_force_or_a_government_still_only_modifies():
    text = "The Tigray forces withdrew; Khartoum authorities denied it; Mombasa police came."
    assert place_context.modifies_actor(text, 4, 10)
    assert place_context.modifies_actor(text, text.index("Khartoum"), text.index("Khartoum") + 8)
    assert not place_context.modifies_actor(text, text.index("Mombasa"), text.index("Mombasa") + 7)


def test_a_peoples_adjective_before_a_place_noun_is_no_location(sources):
    text = "Refugees gathered near the northwestern Bosnian town of Velmo, along the Bosnian border."
    assert "Bosnian" not in label_texts(sources, text, "LOCATION")


# --- ACTOR: a body's class noun alone, more organisation heads, capitals that act ----------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The Velmic Liberation Front attacked the town. The minister vowed to crush the group.", "group"),
        ("Protests went on, and the opposition suspended its march on Tuesday.", "opposition"),
        ("The Velmic Liberation Front raided the post; the group fled at dawn.", "group"),
        ("The government, which rarely comments, denied the report.", "government"),
    ],
)
def test_a_bodys_class_noun_alone_is_an_actor(sources, text, phrase):
    assert phrase in label_texts(sources, text, "ACTOR")


@pytest.mark.parametrize(
    "text",
    [
        "The group's leader was arrested.",
        "The group of cars was coming through the pass.",
        "Supporters stormed the opposition offices.",
        "The statement was posted on its government Web site.",
        "A rights group, Velmic Watch, said so. When the group visited the town, two mosques remained.",
        "Tom Velko, spokesman for the group, said the Velmic Front would not talk.",
    ],
)
def test_a_class_noun_that_is_a_possessor_counts_or_modifies_is_no_reference(sources, text):
    taken = [s for s in suggest(text, sources) if s.label == "ACTOR" and "group" not in text[s.start : s.end]]
    assert find_references(text, taken) == []


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("A statement by the Velmic Teachers Federation condemned the raid.", "Velmic Teachers Federation"),
        ("A spokesman for the Velmic World Congress condemned the raid.", "Velmic World Congress"),
    ],
)
def test_an_organisation_is_named_by_its_head_noun(sources, text, phrase):
    assert phrase in label_texts(sources, text, "ACTOR")


@pytest.mark.parametrize(
    "text",
    [
        "Nairobi has repeatedly described the rebels as bandits.",
        "The rebels accused Nairobi of arming the militias.",
        "The council imposed sanctions on Nairobi last year.",
    ],
)
def test_a_capital_that_acts_or_is_blamed_is_an_actor_not_a_place(sources, text):
    assert "Nairobi" in label_texts(sources, text, "ACTOR")
    assert "Nairobi" not in label_texts(sources, text, "LOCATION")


def test_a_capital_where_something_happens_stays_a_place(sources):
    text = "Two bombs went off in Nairobi on Monday, police said."
    assert "Nairobi" in label_texts(sources, text, "LOCATION")


# --- ACTOR: groups that suffer outside a figure; untitled persons ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("A search was under way to locate the missing soldiers.", "soldiers"),
        ("Gunmen stormed the village before dawn, killing residents in their homes.", "residents"),
        ("\u201cMost of the soldiers plunged over a cliff,\u201d the minister said.", "soldiers"),
    ],
)
def test_a_group_that_suffers_outside_a_figure_is_an_actor(sources, text, phrase):
    assert phrase in label_texts(sources, text, "ACTOR")


def test_a_group_in_a_figures_list_stays_out(sources):
    text = "Rebels killed six soldiers and policemen in an ambush near the dam."
    assert "policemen" not in label_texts(sources, text, "ACTOR")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The bridge was closed at noon. Torvalic also said the convoy had turned back.", "Torvalic"),
        ("The road was shut. Velmira later said the convoy had turned back.", "Velmira"),
    ],
)
def test_a_one_word_name_that_speaks_is_a_person(sources, text, name):
    assert name in label_texts(sources, text, "ACTOR")


def test_a_time_or_a_common_word_before_said_is_no_name():
    text = "The army on Monday said it had won. Police said so. Protesters Friday said the same."
    assert find_speaking_names(text) == []


def test_a_role_in_apposition_shows_an_untitled_name_is_a_persons():
    text = "Torvo Velkic, a farmer from the valley, lost the house in the floods."
    assert [text[a:b] for a, b in untitled_name_spans(text)] == ["Torvo Velkic"]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The convoy was ambushed by men from two rival clans near the ford.", "men from two rival clans"),
        ("Hooded men armed with axes descended on the hamlet.", "Hooded men"),
        ("The patrol came under fire from unknown individuals hidden in a forest.", "unknown individuals"),
    ],
)
def test_unnamed_men_shown_as_a_party_are_an_actor(sources, text, phrase):
    assert phrase in label_texts(sources, text, "ACTOR")


def test_men_with_nothing_that_makes_them_a_party_are_no_reference():
    assert find_references("Local men and women queued for water.") == []


def test_a_place_that_owns_an_actor_is_found_again_inside_it():
    text = "Fighting spread in Velmara. The head of Velmara's security council said so."
    council = text.index("head")
    taken = [(council, text.index(" said"))]  # as if a rule had taken "head of Velmara's security council"
    uses = [(m, m + 7) for m in (text.index("Velmara"), text.rindex("Velmara"))]
    assert place_repeats.repeat_places(text, ["Velmara"], [uses[0], *taken], [uses[0]]) == [uses[1]]


def test_a_place_owning_a_body_stays_a_place_and_the_body_an_actor(sources):
    text = "Police killed two men, Kenya's Interior Ministry said on Monday."
    assert "Kenya" in label_texts(sources, text, "LOCATION")
    assert any("Interior Ministry" in a for a in label_texts(sources, text, "ACTOR"))


def test_a_peoples_adjective_after_a_preposition_is_no_place():
    text = "Soldiers opened fire in the Uzbek town of Velmara on Friday."
    found = [text[a:b] for a, b, _prep in place_names.find_after_prepositions(text, [])]
    assert "Velmara" in found and not any("Uzbek" in f for f in found)
