"""The shipped worked example: alice.jsonl, bob.jsonl and their adjudicated gold.jsonl.

Imported into a real database (both backends), the three files must keep their invariants:
every span's text is the document's text at its offsets, gold covers the three bundled
articles with status done, every gold QUOTE has a speaker, and gold follows the boundary guidelines
annotations/sample/adjudicate.py states. The last test reruns adjudicate.py and checks it
still produces the shipped gold.jsonl, leaving no disagreement open.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select
from support.paths import REPO

from annotator.services import adjudication as adjn
from annotator.services import annotations as ann
from annotator.services.corpus import find_annotator, text_sha256
from annotator.services.importing import import_paths
from annotator.store.engine import get_engine
from annotator.store.models import Document

SAMPLE = REPO / "annotations" / "sample"
FILES = [SAMPLE / "alice.jsonl", SAMPLE / "bob.jsonl", SAMPLE / "gold.jsonl"]
SOURCES = sorted((REPO / "sources").glob("*.txt"))
OPENING_MARKS = '"“«'
NAMES_WITH_ARTICLE = {"The Ledger"}  # the camp's name is "The Ledger" (in quotation marks in the text)


def _records(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _positions(records: list[dict]) -> set[tuple]:
    """Spans, attributes and links as data keyed by document and position (ids differ by database)."""
    out: set[tuple] = set()
    for r in records:
        sha = r["meta"]["sha256"]
        by_id = {s["id"]: s for s in r["spans"]}
        pos = lambda s: (s["label"], s["start"], s["end"])  # noqa: E731
        for s in r["spans"]:
            out.add(("span", sha, r["annotator"], *pos(s), json.dumps(s["attrs"], sort_keys=True)))
        for rel in r["relations"]:
            out.add(("link", sha, r["annotator"], rel["label"], pos(by_id[rel["head"]]), pos(by_id[rel["child"]])))
        out.add(("status", sha, r["annotator"], r["status"]))
        for group in r.get("rejected", []):
            out.add(("rejected", sha, r["annotator"], group["group"], group["text"]))
    return out


@pytest.fixture
def loaded(engine, schema):
    summary = import_paths(engine, FILES, annotator="tester", schema=schema)
    assert not summary.problems, summary.problems
    return engine


def test_every_span_text_is_the_document_text_at_its_offsets(loaded):
    recorded = {
        (r["annotator"], r["meta"]["sha256"], s["label"], s["start"], s["end"]): s["text"]
        for path in FILES
        for r in _records(path)
        for s in r["spans"]
    }
    seen = 0
    with Session(loaded) as session:
        docs = list(session.exec(select(Document)))
        for name in ("alice", "bob", "gold"):
            who = find_annotator(session, name)
            assert who is not None, name
            for doc in docs:
                for span in ann.spans_for(session, doc.id, who.id):
                    text = doc.text[span.start : span.end]
                    assert text and text == text.strip(), (name, span.label, text)
                    assert recorded[(name, doc.sha256, span.label, span.start, span.end)] == text
                    seen += 1
    assert seen == len(recorded)  # nothing dropped, nothing added


def test_gold_covers_the_three_articles_done_with_a_speaker_for_every_quote(loaded):
    with Session(loaded) as session:
        gold = find_annotator(session, "gold")
        assert gold is not None
        by_sha = {d.sha256: d for d in session.exec(select(Document))}
        assert set(by_sha) == {text_sha256(p.read_text(encoding="utf-8")) for p in SOURCES}
        for doc in by_sha.values():
            status = ann.get_status(session, doc.id, gold.id)
            assert status is not None and str(getattr(status.status, "value", status.status)) == "done", doc.title
            spans = ann.spans_for(session, doc.id, gold.id)
            ids = {s.id: s for s in spans}
            quotes = [s for s in spans if s.label == "QUOTE"]
            assert quotes and {"ACTOR", "LOCATION", "CASUALTY"} <= {s.label for s in spans}
            for q in quotes:
                speakers = q.links.get("speaker", ())
                assert speakers, f"{doc.title}: gold quote without a speaker: {doc.text[q.start : q.end][:60]!r}"
                assert all(ids[c].label == "ACTOR" for c in speakers)


def test_gold_follows_the_boundary_guidelines(schema):
    for r in _records(SAMPLE / "gold.jsonl"):
        text = r["text"]
        assert r["annotator"] == "gold" and r["status"] == "done"
        for s in r["spans"]:
            span = text[s["start"] : s["end"]]
            assert span == s["text"]
            if s["label"] == "QUOTE":  # the quoted text with its quotation marks
                assert span[0] in OPENING_MARKS, span[:40]
            elif s["label"] in ("ACTOR", "LOCATION"):  # no determiner
                assert span in NAMES_WITH_ARTICLE or span.split()[0].lower() not in {"a", "an", "the"}, span
            if s["label"] == "CASUALTY":
                a = s["attrs"]
                assert a.get("category") in schema.label("CASUALTY").attribute("category").values
                if "count_min" in a and "count_max" in a:
                    assert a["count_min"] <= a["count_max"], span


def test_adjudicate_script_reproduces_the_shipped_gold(db_url, tmp_path, monkeypatch, schema):
    spec = importlib.util.spec_from_file_location("sample_adjudicate", SAMPLE / "adjudicate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    out = tmp_path / "gold.jsonl"
    assert module.main(["--db", db_url, "--out", str(out)]) == 0
    assert _positions(_records(out)) == _positions(_records(SAMPLE / "gold.jsonl"))
    # the decisions are in the database: every disagreement is settled (accepted or rejected), none open
    engine = get_engine(db_url)
    with Session(engine) as session:
        adj = adjn.start(session, lead="test", schema=schema, annotators=["alice", "bob"])
        for doc in session.exec(select(Document)).all():
            review = adjn.load_document(session, adj, doc.id)
            assert review.disagreements and not review.open_groups, doc.title
            assert review.decisions > len(review.disagreements)
        session.rollback()
    # and it refuses to run twice into the same database (gold would be decided twice)
    with pytest.raises(SystemExit, match="not empty"):
        module.main(["--db", db_url, "--out", str(tmp_path / "again.jsonl")])
    engine.dispose()


def test_the_shipped_gold_leaves_no_group_open_and_importing_it_again_doubles_nothing(loaded, schema):
    """gold.jsonl carries the four groups the lead rejected; imported, they stay rejected, so no
    document marked done has an open group (issue 15), and a second import adds no decision."""
    from annotator.store.models import Decision

    shipped = [g for r in _records(SAMPLE / "gold.jsonl") for g in r.get("rejected", [])]
    assert sorted(g["text"] for g in shipped) == [
        "Entire Muslim communities also have left towns",
        "Washington",
        "the airport",
        "the lawless capital",
    ]

    def settled() -> tuple[int, int]:
        with Session(loaded) as session:
            adj = adjn.start(session, lead="test", schema=schema, annotators=["alice", "bob"])
            rejected = 0
            for doc in session.exec(select(Document)).all():
                review = adjn.load_document(session, adj, doc.id)
                assert review.disagreements and not review.open_groups, doc.title
                rejected += sum(1 for g in review.groups if g.state == "rejected")
            decisions = len(session.exec(select(Decision)).all())
            session.rollback()
        return rejected, decisions

    rejected, decisions = settled()
    assert rejected == 4 and decisions == 4
    summary = import_paths(loaded, [SAMPLE / "gold.jsonl"], annotator="tester", schema=schema)
    assert summary.rejections_restored == 0 and summary.spans_added == 0
    assert settled() == (4, 4)
