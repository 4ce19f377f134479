"""Round 9 (issue 12): figure-first casualty counts, whatever the shape of the sentence.

Every sentence here is made up; none is copied from the evaluation texts. ``_alone`` drives the figure-first
mechanism by itself (no older rule's span to lean on); ``_spans`` drives every CASUALTY rule and keeps the longest of
overlapping counts, as the engine's ``combine`` does.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.work import lines_run

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions import casualty_figures, engine, syntax
from annotator.services.suggestions.casualty import _first_figures, find_casualties
from annotator.services.suggestions.casualty_counts import counts_by_shape
from annotator.services.suggestions.casualty_figures import figure_counts
from annotator.services.suggestions.casualty_phrases import vague_and_named
from annotator.services.suggestions.combine import longest_disjoint
from annotator.services.suggestions.engine import Sources


def _alone(text: str) -> list[tuple[str, dict]]:
    return [(text[s.start : s.end], s.attrs) for s in figure_counts(text, "CASUALTY", [], _first_figures(text))]


def _alone_spans(text: str) -> list[str]:
    return [span for span, _ in _alone(text)]


def _spans(text: str) -> list[str]:
    return [text[s.start : s.end] for s in longest_disjoint(find_casualties(text))]


# --- 1-3. every figure, its people, the nearest harm predicate of its clause -------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        (
            "Nine herders from the upper valley were reportedly killed overnight.",
            "Nine herders from the upper valley were reportedly killed",
        ),  # fmt: skip
        (
            "Police said 14 shepherds who they said had been abducted were freed.",
            "14 shepherds who they said had been abducted",
        ),  # fmt: skip
        ("At least 40 families have sought shelter in the mosque.", "At least 40 families have sought shelter"),
        (
            "Nearly 900 residents were forced to leave their homes after the fighting.",
            "Nearly 900 residents were forced to leave their homes",
        ),  # fmt: skip
        (
            "The offensive forced some 15,000 people to flee their villages.",
            "forced some 15,000 people to flee their villages",
        ),  # fmt: skip
        ("About 70 people have lost their lives since the truce collapsed.", "About 70 people have lost their lives"),
        ("The casualty toll from the weekend raids rose to 58.", "casualty toll from the weekend raids rose to 58"),
        ("Officials gave a death toll of 19 on Friday.", "death toll of 19"),
        (
            "At least 25 people had been admitted to hospital with burns.",
            "At least 25 people had been admitted to hospital",
        ),  # fmt: skip
        ("Nine cyclists had their throats slit by raiders.", "Nine cyclists had their throats slit"),
        ("Some 400 migrants were feared dead after the boat sank.", "Some 400 migrants were feared dead"),
        ("Twelve fishermen went missing after the raid.", "Twelve fishermen went missing"),
        ("Tens of thousands of Karens escaped across the river.", "Tens of thousands of Karens escaped"),
        ("Gunmen killed more than 30 commuters at the depot.", "killed more than 30 commuters"),
        ("Soldiers shot dead two teachers on the road.", "shot dead two teachers"),
        ("The army said it lost a total of 12 men in the ambush.", "lost a total of 12 men"),
        ("Several hundred people remain missing.", "Several hundred people remain missing"),
        ("Dozens of families abandoned their homes.", "Dozens of families abandoned their homes"),
    ],
)
def test_a_figure_finds_the_harm_predicate_of_its_clause_by_itself(text, span):
    assert span in _alone_spans(text)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Five militants were also killed in the clash.", "Five militants were also killed"),
        ("Two attackers were later shot dead by police.", "Two attackers were later shot dead"),
        ("Soldiers said six gunmen had subsequently been killed.", "six gunmen had subsequently been killed"),
    ],
)
def test_an_adverb_before_the_participle_keeps_the_figure_a_victim(text, span):
    # the bug of round 8: "also" before the verb read the people counted as the ones who did it
    assert span in _spans(text)
    assert span in _alone_spans(text)


@pytest.mark.parametrize(
    "text",
    [
        "Five militants killed two soldiers at the checkpoint.",  # the five did it: only the two are counted
        "Twenty guerrillas attacked the village at dawn.",
        "The attackers killed a dozen cattle and burned 40 huts.",  # things, not people
        "Five trucks were destroyed and 30 houses were burned.",
        "Some 40 gunmen had fled into the hills.",  # perpetrators fleeing
        "About 150 people would be killed if the dam broke.",  # a hedge
        "The 2019 report listed 12 schools that were damaged.",
    ],
)
def test_no_count_for_things_perpetrators_or_hedges(text):
    spans = _alone_spans(text)
    assert not [s for s in spans if s.startswith(("Five militants", "Twenty", "a dozen", "40", "Five", "30", "Some 40",
                                                  "About 150", "12"))]  # fmt: skip


def test_the_perpetrators_figure_is_no_count_but_the_victims_is():
    assert _alone_spans("Five militants killed two soldiers at the checkpoint.") == ["killed two soldiers"]


def test_any_plural_noun_a_killing_befalls_counts_but_not_a_thing():
    assert _alone_spans("The raid killed 23 cyclists.") == ["killed 23 cyclists"]
    assert _alone_spans("The raid destroyed 23 vehicles.") == []
    assert _alone_spans("The raid killed 23 goats.") == []


def test_a_figure_alone_as_the_subject_counts():
    assert _alone_spans("Four were killed and three of them died later.") == ["Four were killed", "three of them died"]


def test_a_second_figure_ends_the_clause_of_the_first():
    assert _alone_spans("Seven trucks and 12 passengers were hit by gunfire.") == ["12 passengers were hit by gunfire"]


def test_no_link_across_a_sentence_or_a_semicolon():
    assert _alone_spans("About 30 pilgrims arrived. Gunmen opened fire.") == ["About 30 pilgrims arrived"]
    assert _alone_spans("There were 30 guards; they were killed later.") == []
    assert _alone_spans("There were 30 guards. Two were killed.") == ["Two were killed"]


# --- 4. breakdowns -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Gunmen killed 18 traders, including two teenagers, near the bridge.", ["including two teenagers"]),
        ("The shelling killed 26 people, among them nine women.", ["among them nine women"]),
        ("At least 60 people died, of whom 25 were children.", ["of whom 25 were children"]),
    ],
)
def test_a_breakdown_is_its_own_span_with_its_figures_category(text, parts):
    found = dict(_alone(text))
    for part in parts:
        assert part in _spans(text)
        assert found[part]["category"] == "killed"


def test_a_breakdown_needs_a_count_before_it():
    assert _alone_spans("The team met 18 traders, including two teenagers.") == []


# --- 6. attributes -----------------------------------------------------------------------------------------------


def test_attributes_come_from_the_predicate_and_the_figure():
    (_, attrs), = _alone("More than 400 villagers were abducted.")  # fmt: skip
    assert attrs == {"qualifier": "more than", "category": "missing", "count_min": 401}
    (_, attrs), = _alone("Some 300 nurses were injured.")  # fmt: skip
    assert attrs["qualifier"] == "nearly/about" and attrs["count_min"] == attrs["count_max"] == 300
    (_, attrs), = _alone("Several farmers went missing.")  # fmt: skip
    assert (attrs["count_min"], attrs["count_max"], attrs["category"]) == (3, 9, "missing")
    (_, attrs), = _alone("Tens of thousands of herders fled.")  # fmt: skip
    assert (attrs["count_min"], attrs["count_max"], attrs["category"]) == (20_000, 99_999, "fled")


# --- the engine keeps them, in linear time ---------------------------------------------------------------------


def test_the_engine_suggests_a_figure_first_count():
    sources = Sources.build(load_default_schema(), trained=False, use_gazetteer=False)
    text = "Officials said 14 shepherds who they said had been abducted were freed."
    found = [text[s.start : s.end] for s in engine.suggest(text, sources) if s.label == "CASUALTY"]
    assert found == ["14 shepherds who they said had been abducted"]


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="ab 12,.;Killed were people five of them including", max_size=120))
def test_spans_stay_inside_the_text_and_in_order(text):
    spans = figure_counts(text, "CASUALTY", [], _first_figures(text))
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_figure_first_counts_are_linear_in_the_text():
    # work is counted (lines run), never timed: ten times the text, about ten times the work; one unit has a count,
    # a breakdown (whose category is looked up among the counts before it) and a figure with no predicate
    unit = "Gunmen killed 12 traders, including two boys. About 30 pilgrims arrived; 40 trucks waited. "
    texts = [unit * 30, unit * 300]
    for text in texts:
        syntax.parse(text)  # the tagger's work is not this module's
    assert len(figure_counts(texts[0], "CASUALTY", [], _first_figures(texts[0]))) == 90
    small, large = (
        lines_run(casualty_figures, lambda t=text: figure_counts(t, "CASUALTY", [], _first_figures(t)))
        for text in texts
    )
    assert large / small <= 15


# --- the convention: no count without a figure --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("He said that others had been taken hostage by the gang.", "others had been taken hostage"),
        ("Many of the victims were beheaded with machetes.", "Many of the victims were beheaded"),
        ("A clash followed in which the policemen were killed.", "the policemen were killed"),
        ("The gang killed the unarmed civilians at dawn.", "killed the unarmed civilians"),
        ("The evacuees were injured when the bus overturned.", "The evacuees were injured"),
        ("Herders were killed in the raid on Tuesday.", "Herders were killed"),
        ("Women and children were abducted from the school.", "Women and children were abducted"),
        (
            "Farmers were pulled from their huts and trampled to death.",
            "Farmers were pulled from their huts and trampled to death",
        ),  # fmt: skip
        ("Refugees streamed across the river, many of them maimed by the blasts.", "many of them maimed"),
    ],
)
def test_a_shape_with_no_figure_is_read_but_no_count(text, span):
    # round 9's convention (the schema's "never a statement with no figure"): the shapes of rounds 7-8 still read
    # the people and the harm (their ACTOR and the engine use them), but a CASUALTY needs a number, a vague figure
    # or one person
    read = counts_by_shape(text, "CASUALTY", []) + vague_and_named(text, "CASUALTY", [])
    assert span in [text[s.start : s.end] for s in read]
    assert _spans(text) == []


def test_a_vague_figure_or_one_person_is_a_figure():
    assert _spans("Several villagers fled to the hills.") == ["Several villagers fled"]
    assert _spans("The girl saw her cousin being shot dead.") == ["her cousin being shot dead"]


# --- after test8's misses, by class ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Nine members of the Rural Defence Corps (RDC) were killed in the ambush.",
         "Nine members of the Rural Defence Corps (RDC) were killed"),  # a short form in brackets
        ("Two of the dead were nurses, officials said.", "Two of the dead were nurses"),
        ("At least 12 more people are in hospital after the raid.", "At least 12 more people are in hospital"),
        ("About 900 villagers are camping near the fence.", "About 900 villagers are camping"),
        ("One of his brothers was beaten to death by the militia.", "One of his brothers was beaten to death"),
    ],
)  # fmt: skip
def test_shapes_of_test8_by_class(text, span):
    assert span in _spans(text)


def test_the_dead_included_and_figures_joined_to_a_count_are_their_own_spans():
    text = "The army said 70 people died. The dead included 40 herders and about 20 traders, it said."
    found = dict(_alone(text))
    assert [s for s in _spans(text)] == ["70 people died", "40 herders", "about 20 traders"]
    assert found["40 herders"]["category"] == found["about 20 traders"]["category"] == "killed"
    text = "Six soldiers were killed along with three members of the village guard, police said."
    assert _spans(text) == ["Six soldiers were killed", "three members of the village guard"]
    assert _spans("The delegation included 12 doctors.") == []  # no count named before the verb
