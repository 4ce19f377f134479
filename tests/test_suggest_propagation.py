"""Corpus-wide propagation: gold's spans and accepted suggestions are suggested everywhere, with
their label and canonical name; another annotator's own manual spans never are (blind
annotation), and the reference of an evaluation never feeds its own suggestions."""

from __future__ import annotations

from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.services.suggestions.propagation import Tagged, propagate, tagged_by
from annotator.store.engine import session_scope

DOC1 = "Soldiers of the Sudan People's Liberation Army entered Nhialdiu. Guit County was calm."
DOC2 = "In Nhialdiu, the Sudan People's Liberation Army and Guit County officials met. Later Nhialdiu emptied."


def test_gold_and_accepted_spans_propagate_but_not_others_manual_spans(engine, schema):
    with session_scope(engine) as s:
        d1, _ = corpus.add_document(s, text=DOC1)
        corpus.add_document(s, text=DOC2)
        row = corpus.register_schema(s, schema)
        ana, ben, gold = (corpus.get_or_create_annotator(s, n) for n in ("ana", "ben", "gold"))

        def add(who, surface, label, origin, attrs=None):
            start = DOC1.index(surface)
            span_ops.add_span(
                s,
                document=d1,
                annotator_id=who.id,
                schema_id=row.id,
                schema=schema,
                label=label,
                start=start,
                end=start + len(surface),
                attrs=attrs,
                origin=origin,
            )

        add(
            gold,
            "Sudan People's Liberation Army",
            "ACTOR",
            "adjudication",
            {"actor_type": "state force", "canonical": "SPLA"},
        )
        add(ben, "Nhialdiu", "LOCATION", "suggestion", {"place_type": "city/town", "canonical": "Nhialdiu"})
        add(ben, "Guit County", "LOCATION", "manual")  # ben's own judgement: stays blind
        ids = (ana.id, ben.id, gold.id)
    with session_scope(engine) as s:
        for_ana = tagged_by(s, ids[0])
        alone = tagged_by(s, ids[0], shared=False)
        without_gold = tagged_by(s, ids[0], exclude=[ids[2]])
    found = {(DOC2[x.start : x.end], x.label, x.attrs.get("canonical")) for x in propagate(DOC2, for_ana)}
    assert found == {("Sudan People's Liberation Army", "ACTOR", "SPLA"), ("Nhialdiu", "LOCATION", "Nhialdiu")}
    assert len([x for x in propagate(DOC2, for_ana) if x.label == "LOCATION"]) == 2  # every occurrence
    assert propagate(DOC2, alone) == []
    assert {x.label for x in propagate(DOC2, without_gold)} == {"LOCATION"}


def test_matcher_finds_every_string_in_one_pass_and_follows_new_strings():
    tagged = Tagged()
    for i in range(2000):
        tagged.add("LOCATION", f"Village{i}")
    tagged.add("ACTOR", "Boko Haram")
    text = "Boko Haram struck Village7 and Village1999, not Village20000."
    assert [(text[x.start : x.end], x.label) for x in propagate(text, tagged)] == [
        ("Boko Haram", "ACTOR"),
        ("Village7", "LOCATION"),
        ("Village1999", "LOCATION"),
    ]
    tagged.add("LOCATION", "Village20000")
    assert len(propagate(text, tagged)) == 4
