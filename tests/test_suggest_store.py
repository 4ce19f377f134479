"""Stored suggestions on both backends: propagation scoping, accept/reject/reopen, links, CLI."""

from __future__ import annotations

import json
import subprocess

import pytest
from sqlmodel import select
from support.cli import cli

from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.services.suggestions.engine import Sources
from annotator.services.suggestions.propagation import tagged_by
from annotator.services.suggestions.store import (
    ACCEPTED,
    OPEN,
    REJECTED,
    accept,
    accept_all,
    compute_for_document,
    open_suggestions,
    reject,
    reopen,
    store_suggestions,
)
from annotator.store.engine import session_scope
from annotator.store.models import Link, Span, SuggestionRecord

DOC1 = '"We will not leave our homes," said Joanne Mariner. At least 100 Muslims were killed in Bangui.'
DOC2 = "Kokoro market burned. Later, the Kokoro market was rebuilt near Bangui."


@pytest.fixture(scope="module")
def sources():
    from annotator.schemas.labels import load_default_schema

    return Sources.build(load_default_schema())


def _setup(session, schema):
    d1, _ = corpus.add_document(session, text=DOC1)
    d2, _ = corpus.add_document(session, text=DOC2)
    ana = corpus.get_or_create_annotator(session, "ana")
    ben = corpus.get_or_create_annotator(session, "ben")
    row = corpus.register_schema(session, schema)
    return d1, d2, ana, ben, row


def test_propagation_is_scoped_to_the_annotator(engine, schema, sources):
    with session_scope(engine) as s:
        d1, d2, ana, ben, row = _setup(s, schema)
        start = DOC2.index("Kokoro market")
        span_ops.add_span(
            s,
            document=d2,
            annotator_id=ana.id,
            schema_id=row.id,
            schema=schema,
            label="LOCATION",
            start=start,
            end=start + 13,
            attrs={"place_type": "site"},
        )
    with session_scope(engine) as s:
        for_ana = compute_for_document(s, d2, ana.id, sources)
        for_ben = compute_for_document(s, d2, ben.id, sources)
    second = DOC2.index("Kokoro market", start + 1)
    ana_keys = {(x.label, x.start, x.end): x for x in for_ana}
    assert ("LOCATION", second, second + 13) in ana_keys
    assert ana_keys[("LOCATION", second, second + 13)].source == "propagation"
    assert ana_keys[("LOCATION", second, second + 13)].attrs == {"place_type": "site"}
    # ana's own span is never re-suggested; ben never sees what ana tagged
    assert ("LOCATION", start, start + 13) not in ana_keys
    assert not any(x.source == "propagation" for x in for_ben)


def test_accept_creates_span_with_speaker_link_and_reopen_undoes(engine, schema, sources):
    with session_scope(engine) as s:
        d1, d2, ana, ben, row = _setup(s, schema)
        store_suggestions(s, d1.id, ana.id, compute_for_document(s, d1, ana.id, sources))
        rows = open_suggestions(s, d1.id, ana.id)
    by_text = {DOC1[r.start : r.end]: r for r in rows}
    quote = by_text['"We will not leave our homes,"']
    actor = by_text["Joanne Mariner"]
    assert quote.links == {"speaker": [{"suggestion": actor.id}]}
    casualty = by_text["At least 100 Muslims were killed"]
    assert casualty.attrs == {"qualifier": "at least", "category": "killed", "victims": "Muslims", "count_min": 100}

    record: list[int] = []
    with session_scope(engine) as s:
        span = accept(s, quote.id, schema=schema, schema_id=row.id, record=record)
        span_id = span.id
    assert sorted(record) == sorted([quote.id, actor.id])
    with session_scope(engine) as s:
        spans = {(sp.label, DOC1[sp.start : sp.end]): sp for sp in ann.spans_for(s, d1.id, ana.id)}
        assert spans[("QUOTE", '"We will not leave our homes,"')].origin == "suggestion"
        assert spans[("QUOTE", '"We will not leave our homes,"')].links == {
            "speaker": (spans[("ACTOR", "Joanne Mariner")].id,)
        }
        stored = s.get(SuggestionRecord, quote.id)
        assert stored.status == ACCEPTED and stored.span_id == span_id and stored.decided_at is not None
        assert s.get(SuggestionRecord, actor.id).status == ACCEPTED
        assert {r.id for r in open_suggestions(s, d1.id, ana.id)}.isdisjoint({quote.id, actor.id})
        assert ann.spans_for(s, d1.id, ben.id) == []  # nothing leaks to another annotator
    # undo: reopen both, the spans go away
    with session_scope(engine) as s:
        for sid in reversed(record):
            reopen(s, sid)
    with session_scope(engine) as s:
        assert ann.spans_for(s, d1.id, ana.id) == []
        assert s.get(SuggestionRecord, quote.id).status == OPEN
        assert s.exec(select(Link)).all() == []


def test_reject_is_recorded_and_not_offered_again(engine, schema, sources):
    with session_scope(engine) as s:
        d1, d2, ana, ben, row = _setup(s, schema)
        store_suggestions(s, d1.id, ana.id, compute_for_document(s, d1, ana.id, sources))
        rows = open_suggestions(s, d1.id, ana.id)
        bangui = next(r for r in rows if DOC1[r.start : r.end] == "Bangui")
        reject(s, bangui.id)
    with session_scope(engine) as s:
        again = store_suggestions(s, d1.id, ana.id, compute_for_document(s, d1, ana.id, sources)).open
        assert "Bangui" not in {DOC1[r.start : r.end] for r in again}
        assert s.get(SuggestionRecord, bangui.id).status == REJECTED
        # ben still gets it
        assert "Bangui" in {DOC1[r.start : r.end] for r in compute_for_document(s, d1, ben.id, sources) for r in [r]}
    with session_scope(engine) as s:
        reopen(s, bangui.id)
        assert s.get(SuggestionRecord, bangui.id).status == OPEN


def test_accept_all_and_existing_spans(engine, schema, sources):
    with session_scope(engine) as s:
        d1, d2, ana, ben, row = _setup(s, schema)
        start = DOC1.index("Bangui")
        span_ops.add_span(
            s,
            document=d1,
            annotator_id=ana.id,
            schema_id=row.id,
            schema=schema,
            label="LOCATION",
            start=start,
            end=start + 6,
        )
        found = compute_for_document(s, d1, ana.id, sources)
        assert ("LOCATION", start, start + 6) not in {x.key for x in found}
        store_suggestions(s, d1.id, ana.id, found)
    with session_scope(engine) as s:
        spans = accept_all(s, d1.id, ana.id, schema=schema, schema_id=row.id)
        assert len(spans) == 2  # QUOTE and CASUALTY; the ACTOR came with the QUOTE (cascade)
        assert open_suggestions(s, d1.id, ana.id) == []
        labels = sorted(sp.label for sp in ann.spans_for(s, d1.id, ana.id))
        assert labels == ["ACTOR", "CASUALTY", "LOCATION", "QUOTE"]
        assert all(sp.origin == "suggestion" for sp in s.exec(select(Span).where(Span.label != "LOCATION")))


def _run(*args: str, db: str) -> subprocess.CompletedProcess:
    return cli(*args, env={"ANNOTATOR_DB": db}, timeout=300)


def test_cli_suggest_and_evaluate(db_url, engine, schema):
    with session_scope(engine) as s:
        d1, d2, ana, ben, row = _setup(s, schema)
        q0 = DOC1.index('"We')  # a quote with its quotation marks, as the rule suggests it
        span_ops.add_span(
            s,
            document=d1,
            annotator_id=ben.id,
            schema_id=row.id,
            schema=schema,
            label="QUOTE",
            start=q0,
            end=q0 + len('"We will not leave our homes,"'),
        )
        c0 = DOC1.index("At least")
        span_ops.add_span(
            s,
            document=d1,
            annotator_id=ben.id,
            schema_id=row.id,
            schema=schema,
            label="CASUALTY",
            start=c0,
            end=c0 + len("At least 100 Muslims"),
        )
    result = _run("suggest", "--as", "ana", "--db", db_url, db=db_url)
    assert result.returncode == 0, result.stderr
    assert "open suggestions for ana on 2 documents" in result.stdout
    with session_scope(engine) as s:
        assert open_suggestions(s, d1.id, ana.id)
    result = _run("suggest", "--evaluate", "--against", "ben", "--format", "json", "--db", db_url, db=db_url)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"overlap", "exact"}
    for matching in ("overlap", "exact"):
        assert set(data[matching]) == {"ACTOR", "LOCATION", "CASUALTY", "QUOTE"}
        for metrics in data[matching].values():
            assert set(metrics) == {"precision", "recall", "f1", "tp", "fp", "fn"}
    assert data["exact"]["QUOTE"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0}
    assert data["exact"]["CASUALTY"]["tp"] == 0 and data["overlap"]["CASUALTY"]["tp"] == 1
    bad = _run("suggest", "--evaluate", "--against", "nobody", "--db", db_url, db=db_url)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "nobody" in bad.stderr


def test_tagged_by_reads_only_that_annotator(engine, schema):
    with session_scope(engine) as s:
        d1, d2, ana, ben, row = _setup(s, schema)
        span_ops.add_span(
            s, document=d2, annotator_id=ben.id, schema_id=row.id, schema=schema, label="LOCATION", start=0, end=6
        )
        assert len(tagged_by(s, ana.id)) == 0
        assert dict(tagged_by(s, ben.id).items()) == {("LOCATION", "Kokoro"): {}}
