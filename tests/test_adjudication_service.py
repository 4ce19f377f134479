"""Adjudication service: alignment into groups, and every step into gold, on both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from review_support import TEXT, at, seed

from annotator.services import adjudication as adjn
from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services.annotations import SpanData
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import Status


@pytest.fixture
def setup(db_url, schema):
    """The review app's two-annotator document (see ``review_support.seed``), and a lead."""
    engine = get_engine(db_url)
    doc_id = seed(db_url)
    with session_scope(engine) as s:
        adj = adjn.start(s, lead="lena", schema=schema)
    return engine, adj, doc_id


def gold_spans(engine, adj, doc_id):
    with session_scope(engine) as s:
        spans = ann.spans_for(s, doc_id, adj.gold_id)
        by_id = {x.id: x for x in spans}
        return [
            (
                x.label,
                TEXT[x.start : x.end],
                x.origin,
                dict(x.attrs),
                {k: [TEXT[by_id[c].start : by_id[c].end] for c in v] for k, v in x.links.items()},
            )
            for x in spans
        ]


def decisions(engine, adj, doc_id):
    with session_scope(engine) as s:
        return [
            (d.action, d.source, d.decided_by, d.span_id is not None, (d.detail or {}).get("group"))
            for d in adjn.decisions_for(s, adj, doc_id)
        ]


def group_of(engine, adj, doc_id, needle):
    with session_scope(engine) as s:
        doc = adjn.load_document(s, adj, doc_id)
    start, end = at(TEXT, needle)
    return next(g for g in doc.groups if g.start <= start and end <= g.end)


def test_alignment_of_the_document(setup):
    engine, adj, doc_id = setup
    with session_scope(engine) as s:
        doc = adjn.load_document(s, adj, doc_id)
    got = [(TEXT[g.start : g.end], g.agreed, g.reason, g.state) for g in doc.groups]
    assert got == [
        ("Seleka rebels", False, "attributes differ", "open"),
        ("Bangui", True, "", "open"),
        ('"We will fight,"', False, "links differ", "open"),  # same quote, speakers at other places
        ("Joanne Mariner", False, "boundaries differ", "open"),
        ("Amnesty International", False, "labels differ", "open"),
    ]
    assert doc.annotators == ("alice", "bob") and doc.gold == [] and doc.gold_status == "todo"


def _span(i, label, start, end, **attrs):
    return SpanData(id=i, document_id=1, annotator_id=1, schema_id=1, label=label, start=start, end=end, attrs=attrs)


def test_align_nested_spans_keep_their_own_groups_and_only_one_annotator():
    spans = {
        "a": [_span(1, "QUOTE", 0, 40), _span(2, "ACTOR", 10, 15)],
        "b": [_span(3, "QUOTE", 0, 42), _span(4, "LOCATION", 50, 55)],
        "c": [_span(5, "QUOTE", 0, 40), _span(6, "ACTOR", 10, 15)],
    }
    groups = adjn.align(["a", "b", "c"], spans)
    summary = [(g.key, g.agreed, g.reason, {n: [s.id for s in v] for n, v in g.versions.items()}) for g in groups]
    assert summary == [
        ("0-42", False, "boundaries differ", {"a": [1], "b": [3], "c": [5]}),
        ("10-15", False, "only a, c", {"a": [2], "b": [], "c": [6]}),
        ("50-55", False, "only b", {"a": [], "b": [4], "c": []}),
    ]
    # three agreeing annotators: one agreed group; gold at the same place settles it
    same = {n: [_span(k, "ACTOR", 3, 9)] for k, n in enumerate("abc", 1)}
    (group,) = adjn.align(["a", "b", "c"], same, gold=[_span(9, "ACTOR", 3, 9)])
    assert group.agreed and group.state == "accepted" and group.matches == ("a", "b", "c")


def test_accept_all_agreed_then_each_version_with_speaker_links(setup, schema):
    engine, adj, doc_id = setup
    with session_scope(engine) as s:
        step = adjn.accept_all_agreed(s, adj, document_id=doc_id)
    assert step.description == "accept 1 agreed span"
    assert gold_spans(engine, adj, doc_id) == [("LOCATION", "Bangui", "adjudication", {"place_type": "city/town"}, {})]

    # the QUOTE first: alice's speaker (Joanne Mariner) is not in gold yet, so no link
    quote = group_of(engine, adj, doc_id, '"We will fight,"')
    with session_scope(engine) as s:
        step = adjn.accept(s, adj, document_id=doc_id, group_key=quote.key, source="alice")
    assert step.detail["unlinked"] and "Joanne Mariner" in step.detail["unlinked"][0]
    assert ("QUOTE", '"We will fight,"', "adjudication", {}, {}) in gold_spans(engine, adj, doc_id)

    # accepting the speaker links the gold QUOTE to the gold copy (backfill from alice's link)
    name = group_of(engine, adj, doc_id, "Joanne Mariner")
    with session_scope(engine) as s:
        adjn.accept(s, adj, document_id=doc_id, group_key=name.key, source="alice")
    got = gold_spans(engine, adj, doc_id)
    assert ("QUOTE", '"We will fight,"', "adjudication", {}, {"speaker": ["Joanne Mariner"]}) in got
    assert ("ACTOR", "Joanne Mariner", "adjudication", {"actor_type": "person"}, {}) in got

    # changing one's mind: bob's version replaces alice's; the quote's link to the deleted
    # span goes, and bob's link (to the span gold now has) fills the gap
    with session_scope(engine) as s:
        adjn.accept(s, adj, document_id=doc_id, group_key=name.key, source="bob")
    got = gold_spans(engine, adj, doc_id)
    assert ("ACTOR", "Mariner", "adjudication", {"actor_type": "person"}, {}) in got
    assert not any(g[1] == "Joanne Mariner" for g in got)
    assert ("QUOTE", '"We will fight,"', "adjudication", {}, {"speaker": ["Mariner"]}) in got
    # attributes from the chosen version; a label confusion settled the other way
    rebels = group_of(engine, adj, doc_id, "Seleka rebels")
    amnesty = group_of(engine, adj, doc_id, "Amnesty International")
    with session_scope(engine) as s:
        adjn.accept(s, adj, document_id=doc_id, group_key=rebels.key, source="bob")
        adjn.accept(s, adj, document_id=doc_id, group_key=amnesty.key, source="alice")
    got = gold_spans(engine, adj, doc_id)
    assert ("ACTOR", "Seleka rebels", "adjudication", {"actor_type": "militia"}, {}) in got
    assert ("ACTOR", "Amnesty International", "adjudication", {"actor_type": "NGO"}, {}) in got
    with session_scope(engine) as s:
        doc = adjn.load_document(s, adj, doc_id)
    assert [g.state for g in doc.groups] == ["accepted"] * 5
    assert [g.matches for g in doc.groups][-1] == ("alice",)

    rows = decisions(engine, adj, doc_id)
    assert rows[0] == ("accept_agreed", "", "lena", True, None)
    assert ("accept", "alice", "lena", True, quote.key) in rows
    assert ("accept", "bob", "lena", False, name.key) in rows  # alice's copy deleted: no span id left
    with session_scope(engine) as s:
        first = adjn.decisions_for(s, adj, doc_id)[0]
        assert first.decided_at is not None and first.detail["after"]["text"] == "Bangui"


def test_reject_undo_redo_and_adjudicated(setup):
    engine, adj, doc_id = setup
    amnesty = group_of(engine, adj, doc_id, "Amnesty International")
    with session_scope(engine) as s:
        step = adjn.accept(s, adj, document_id=doc_id, group_key=amnesty.key, source="bob")
    assert [g[:2] for g in gold_spans(engine, adj, doc_id)] == [("LOCATION", "Amnesty International")]
    with session_scope(engine) as s:
        rejected = adjn.reject(s, adj, document_id=doc_id, group_key=amnesty.key)
    assert gold_spans(engine, adj, doc_id) == []
    assert group_of(engine, adj, doc_id, "Amnesty International").state == "rejected"
    with session_scope(engine) as s:
        adjn.undo(s, adj, rejected)
    assert [g[:2] for g in gold_spans(engine, adj, doc_id)] == [("LOCATION", "Amnesty International")]
    with session_scope(engine) as s:
        adjn.undo(s, adj, step)
    assert gold_spans(engine, adj, doc_id) == []
    assert group_of(engine, adj, doc_id, "Amnesty International").state == "open"
    with session_scope(engine) as s:
        adjn.redo(s, adj, step)
    with session_scope(engine) as s:
        span_ids = [x.id for x in ann.spans_for(s, doc_id, adj.gold_id)]
    assert span_ids == [step.changes[0][1].id]  # the same span came back
    actions = [r[0] for r in decisions(engine, adj, doc_id)]
    assert actions == ["accept", "reject", "undo:reject", "undo:accept", "redo:accept"]

    with session_scope(engine) as s:
        done = adjn.set_adjudicated(s, adj, document_id=doc_id)
        assert ann.get_status(s, doc_id, adj.gold_id).status == Status.DONE
        adjn.undo(s, adj, done)
        assert ann.get_status(s, doc_id, adj.gold_id).status == Status.IN_PROGRESS


def test_add_edit_delete_gold_spans_and_links(setup, schema):
    engine, adj, doc_id = setup
    with session_scope(engine) as s:
        a = adjn.add(s, adj, document_id=doc_id, label="ACTOR", start=at(TEXT, "Joanne")[0], end=at(TEXT, "Joanne")[1])
        q = adjn.add(
            s,
            adj,
            document_id=doc_id,
            label="QUOTE",
            start=at(TEXT, '"We will fight,"')[0],
            end=at(TEXT, '"We will fight,"')[1],
        )
    actor_id, quote_id = a.changes[0][1].id, q.changes[0][1].id
    with session_scope(engine) as s:
        adjn.edit(s, adj, span_id=quote_id, links={"speaker": [actor_id]})
        adjn.edit(s, adj, span_id=actor_id, attrs={"actor_type": "person"})
    assert ("ACTOR", "Joanne", "adjudication", {"actor_type": "person"}, {}) in gold_spans(engine, adj, doc_id)
    assert ("QUOTE", '"We will fight,"', "adjudication", {}, {"speaker": ["Joanne"]}) in gold_spans(engine, adj, doc_id)
    with session_scope(engine) as s:
        gone = adjn.delete(s, adj, span_id=actor_id)
    assert gold_spans(engine, adj, doc_id) == [("QUOTE", '"We will fight,"', "adjudication", {}, {})]
    with session_scope(engine) as s:
        adjn.undo(s, adj, gone)
    assert ("QUOTE", '"We will fight,"', "adjudication", {}, {"speaker": ["Joanne"]}) in gold_spans(engine, adj, doc_id)
    # a bad label or offsets is refused and nothing is written
    with pytest.raises(ann.AnnotationError):
        with session_scope(engine) as s:
            adjn.add(s, adj, document_id=doc_id, label="NOPE", start=0, end=3)
    with pytest.raises(ann.AnnotationError):
        with session_scope(engine) as s:
            adjn.add(s, adj, document_id=doc_id, label="ACTOR", start=5, end=500)
    assert [r[0] for r in decisions(engine, adj, doc_id)] == [
        "add",
        "add",
        "edit",
        "edit",
        "delete",
        "delete",
        "undo:delete",
        "undo:delete",
    ]


def test_start_checks_names(setup, schema):
    engine, adj, doc_id = setup
    from annotator.errors import UserError

    with session_scope(engine) as s:
        with pytest.raises(UserError, match="no annotator named 'zed'"):
            adjn.start(s, lead="lena", schema=schema, annotators=["alice", "zed"])
        with pytest.raises(UserError, match="gold version"):
            adjn.start(s, lead="lena", schema=schema, annotators=["alice", "gold"])
        other = adjn.start(s, lead="lena", schema=schema, annotators=["bob", "alice"], gold_name="final")
    assert other.annotators == ("bob", "alice") and other.gold_name == "final"


def test_sample_overview_and_gold_export(db_url, schema):
    from agreement_sample_loader import load_sample

    engine = get_engine(db_url)
    load_sample(engine, schema)
    with session_scope(engine) as s:
        adj = adjn.start(s, lead="lena", schema=schema)
        rows = adjn.overview(s, adj).rows
    assert [r.rank for r in rows] == [1, 2, 3]
    assert all(r.figures["f1_overlap"] is not None and r.open == r.groups for r in rows)
    disagreement = [r.figures["disagreement"] for r in rows]
    assert disagreement == sorted(disagreement, reverse=True)
    first = rows[0].id
    with session_scope(engine) as s:
        step = adjn.accept_all_agreed(s, adj, document_id=first)
        doc = step.doc
        for group in doc.open_groups:
            adjn.accept(s, adj, document_id=first, group_key=group.key, source="alice")
        adjn.set_adjudicated(s, adj, document_id=first)
        doc = adjn.load_document(s, adj, first)
    assert doc.open_groups == [] and doc.gold_status == "done"
    env = dict(os.environ)
    out = subprocess.run(
        [sys.executable, "-m", "annotator", "export", "--gold", "--db", db_url],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    records = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert [r["annotator"] for r in records] == ["gold"]
    with session_scope(engine) as s:
        alice = corpus.find_annotator(s, "alice")
        theirs = {(x.label, x.start, x.end) for x in ann.spans_for(s, first, alice.id)}
    exported = {(x["label"], x["start"], x["end"]) for x in records[0]["spans"]}
    agreed = {(s.label, s.start, s.end) for g in doc.groups if g.agreed for s in g.gold}
    assert exported == theirs | agreed
    assert records[0].get("relations"), "speaker links exported with the gold spans"
