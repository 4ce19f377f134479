"""Scoring suggestions: exact and overlap matching, per label, and the spaCy model source."""

from __future__ import annotations

import pytest

from annotator.services.suggestions.evaluate import score


def test_score_exact_and_overlap():
    pred = [(1, "ACTOR", 0, 5), (1, "ACTOR", 10, 20), (1, "QUOTE", 30, 40), (2, "ACTOR", 0, 5)]
    ref = [(1, "ACTOR", 0, 5), (1, "ACTOR", 12, 18), (1, "ACTOR", 15, 25), (1, "QUOTE", 50, 60), (2, "LOCATION", 0, 5)]
    out = score(pred, ref, ["ACTOR", "LOCATION", "QUOTE", "CASUALTY"])
    assert out["exact"]["ACTOR"] == {
        "precision": round(1 / 3, 4),
        "recall": round(1 / 3, 4),
        "f1": round(1 / 3, 4),
        "tp": 1,
        "fp": 2,
        "fn": 2,
    }
    # overlap is one-to-one: (10,20) pairs with one of (12,18)/(15,25), not both
    assert (
        out["overlap"]["ACTOR"]["tp"] == 2 and out["overlap"]["ACTOR"]["fn"] == 1 and out["overlap"]["ACTOR"]["fp"] == 1
    )
    assert out["overlap"]["QUOTE"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 1, "fn": 1}
    assert out["exact"]["CASUALTY"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 0}
    assert out["overlap"]["LOCATION"]["fn"] == 1  # other documents never match


def test_spacy_pipeline_source(tmp_path):
    spacy = pytest.importorskip("spacy")
    from annotator.schemas.labels import load_default_schema
    from annotator.services.suggestions.engine import Sources, suggest
    from annotator.services.suggestions.gazetteer import spacy_label_map
    from annotator.services.suggestions.spacy_model import ModelSuggester, load_model

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Babacar Gaye"},
            {"label": "GPE", "pattern": "Boda"},
            {"label": "DATE", "pattern": "Friday"},
        ]
    )
    path = tmp_path / "pipeline"
    nlp.to_disk(path)
    schema = load_default_schema()
    model = ModelSuggester(load_model(str(path)), spacy_label_map(), schema, name="test")
    text = "Babacar Gaye visited Boda on Friday."
    found = {
        (s.label, text[s.start : s.end], s.source)
        for s in suggest(text, Sources(schema=schema, model=model, rules=False))
    }
    assert found == {("ACTOR", "Babacar Gaye", "model:test"), ("LOCATION", "Boda", "model:test")}  # DATE is not mapped
    built = Sources.build(schema, model=str(path), use_gazetteer=False, rules=False)
    assert {s.label for s in suggest(text, built)} == {"ACTOR", "LOCATION"}


def test_missing_model_is_one_line_error():
    pytest.importorskip("spacy")
    from annotator.errors import UserError
    from annotator.services.suggestions.spacy_model import load_model

    with pytest.raises(UserError, match="no spaCy pipeline"):
        load_model("/nonexistent/pipeline")
