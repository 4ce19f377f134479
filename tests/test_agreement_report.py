"""The agreement report: scopes, n counts, more than two annotators, missing annotators,
undefined values, the worked example loaded into the store, and the CLI's JSON."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session

from annotator.cli.render.agreement import render
from annotator.services.agreement import measures as M
from annotator.services.agreement.load import AttrInfo, DocData, SpanRec
from annotator.services.agreement.report import build_report, compute_report
from annotator.store.engine import get_engine, read_only

sys.path.insert(0, str(Path(__file__).resolve().parent))
from agreement_sample_loader import SAMPLE, load_records, load_sample

LABELS = ["ACTOR", "LOCATION", "CASUALTY", "QUOTE"]
ATTRS = {
    "ACTOR": {"actor_type": AttrInfo("enum"), "canonical": AttrInfo("text")},
    "CASUALTY": {"count_min": AttrInfo("integer"), "category": AttrInfo("enum")},
    "QUOTE": {"speaker": AttrInfo("link")},
}
TOP_KEYS = {"annotators", "documents", "overall", "per_label", "pairs", "per_document", "confusion"}
MEASURES = {
    "f1_exact",
    "f1_overlap",
    "f1_exact_unlabeled",
    "f1_overlap_unlabeled",
    "alpha_unitizing",
    "cohen_kappa",
    "fleiss_kappa",
}

TEXT1 = "Seleka rebels attacked Bangui. At least 10 people were killed, Amnesty said."
TEXT2 = "Anti-balaka militias burned Boali. Nobody was hurt."


def doc(id_, text, spans_by):
    return DocData(
        id_, f"u{id_}", f"doc {id_}", text, list(spans_by), {a: [SpanRec(*s) for s in v] for a, v in spans_by.items()}
    )


def test_two_annotators_hand_checked():
    a = [(0, 13, "ACTOR"), (23, 29, "LOCATION"), (31, 61, "CASUALTY", {"count_min": 10, "category": "killed"})]
    b = [(0, 6, "ACTOR"), (23, 29, "ACTOR"), (31, 61, "CASUALTY", {"count_min": 10, "category": "injured"})]
    report = compute_report(["ann", "ben"], [doc(1, TEXT1, {"ann": a, "ben": b})], LABELS, ATTRS).to_json()
    assert set(report) >= TOP_KEYS
    o = report["overall"]
    assert set(o) >= MEASURES
    assert o["counts"]["f1_exact"] == {"tp": 1, "fp": 2, "fn": 2}  # only the CASUALTY is identical
    assert o["counts"]["f1_overlap"] == {"tp": 2, "fp": 1, "fn": 1}  # + ACTOR by overlap
    assert o["counts"]["f1_overlap_unlabeled"] == {"tp": 3, "fp": 0, "fn": 0}
    assert o["f1_exact"] == pytest.approx(1 / 3, abs=1e-6)
    assert report["per_label"]["LOCATION"]["f1_exact"] == 0.0
    assert report["per_label"]["QUOTE"]["f1_exact"] is None  # nobody marked a quote: undefined
    assert report["per_label"]["QUOTE"]["alpha_unitizing"] is None
    assert report["confusion"]["matrix"]["LOCATION"]["ACTOR"] == 1
    assert report["confusion"]["mismatches"] == [{"a": "LOCATION", "b": "ACTOR", "count": 1}]
    cas = report["per_label"]["CASUALTY"]["attributes"]
    assert cas["count_min"]["percent"] == 1.0 and cas["count_min"]["alpha"] is None  # one value only: undefined
    assert cas["category"]["percent"] == 0.0 and cas["category"]["n"] == {"units": 1, "pairable": 1}
    # the same numbers straight from the measures on the same spans
    tuples = lambda spans: [s[:3] for s in spans]  # noqa: E731
    per_label, overall = M.unitizing_alpha([tuples(a), tuples(b)], 0, len(TEXT1), LABELS)
    assert o["alpha_unitizing"] == pytest.approx(overall, abs=1e-6)
    assert report["pairs"][0]["a"] == "ann" and report["pairs"][0]["b"] == "ben"
    assert report["pairs"][0]["overall"]["cohen_kappa"] == pytest.approx(o["cohen_kappa"])
    assert o["n"]["documents"] == 1 and o["n"]["spans"] == 6 and o["n"]["pairs"] == 1


def test_three_annotators_with_one_missing_on_a_document():
    d1 = doc(1, TEXT1, {"a": [(0, 13, "ACTOR")], "b": [(0, 13, "ACTOR")], "c": [(0, 6, "ACTOR")]})
    d2 = doc(2, TEXT2, {"a": [(0, 20, "ACTOR"), (28, 33, "LOCATION")], "b": [(0, 20, "ACTOR")]})  # c did not do it
    report = compute_report(["a", "b", "c"], [d1, d2], LABELS, ATTRS).to_json()
    pairs = {(p["a"], p["b"]): p for p in report["pairs"]}
    assert set(pairs) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert pairs[("a", "b")]["overall"]["n"]["documents"] == 2
    assert pairs[("a", "c")]["overall"]["n"]["documents"] == 1
    assert pairs[("a", "b")]["overall"]["counts"]["f1_exact"] == {"tp": 2, "fp": 1, "fn": 0}
    assert pairs[("a", "c")]["overall"]["f1_exact"] == 0.0
    assert pairs[("a", "c")]["overall"]["f1_overlap"] == 1.0
    # overall F1 = mean over pairs of each pair's pooled F1
    expected = (0.8 + 0.0 + 0.0) / 3
    assert report["overall"]["f1_exact"] == pytest.approx(expected, abs=1e-6)
    # α_u over all three runs on the one document all three did
    assert report["overall"]["unitizing"]["documents"] == 1
    assert report["overall"]["unitizing"]["length"] == len(TEXT1)
    assert report["overall"]["n"]["pairs"] == 3
    # Fleiss: tokens of doc 2 are rated by two annotators, doc 1 by three
    assert report["overall"]["fleiss_kappa"] is not None
    assert [d["annotators"] for d in report["documents"]] == [["a", "b", "c"], ["a", "b"]]
    ranks = [d["rank"] for d in report["per_document"]]
    assert ranks == [1, 2]
    assert report["per_document"][0]["disagreement"] >= report["per_document"][1]["disagreement"]


def test_nothing_marked_is_undefined_not_zero():
    report = compute_report(["a", "b"], [doc(1, TEXT2, {"a": [], "b": []})], LABELS, ATTRS).to_json()
    o = report["overall"]
    for key in (
        "f1_exact",
        "f1_overlap",
        "f1_exact_unlabeled",
        "f1_overlap_unlabeled",
        "alpha_unitizing",
        "cohen_kappa",
        "fleiss_kappa",
        "cohen_kappa_tagged",
    ):
        assert o[key] is None, key
    assert report["per_document"][0]["disagreement"] == 0.0
    text = _render_text(compute_report(["a", "b"], [doc(1, TEXT2, {"a": [], "b": []})], LABELS, ATTRS))
    assert "undefined" in text


def test_no_documents_gives_an_empty_but_complete_report():
    report = compute_report(["a", "b"], [], LABELS, ATTRS).to_json()
    assert set(report) >= TOP_KEYS and report["documents"] == [] and report["overall"]["f1_exact"] is None


def test_speakers_match_by_overlap_text_or_canonical():
    q = (0, 20, "QUOTE")
    a = [SpanRec(*q, links={"speaker": ((40, 48, "Guterres", "Antonio Guterres"),)})]
    b_same = [SpanRec(*q, links={"speaker": ((30, 46, "Antonio Guterres", "Antonio Guterres"),)})]
    b_other = [SpanRec(*q, links={"speaker": ((60, 66, "Obama", "Barack Obama"),)})]
    text = "x" * 80
    for b, expected in ((b_same, 1.0), (b_other, 0.0)):
        d = DocData(1, "u", "t", text, ["a", "b"], {"a": a, "b": b})
        report = compute_report(["a", "b"], [d], LABELS, ATTRS).to_json()
        assert report["per_label"]["QUOTE"]["attributes"]["speaker"]["percent"] == expected


def _render_text(report) -> str:
    from rich.console import Console

    console = Console(width=140, record=True, file=io.StringIO())
    console.print(render(report, console))
    return console.export_text()


# --------------------------------------------------------------------------- the worked example in the store


def _sample_records():
    out = {}
    for name in ("alice", "bob"):
        with open(SAMPLE / f"{name}.jsonl", encoding="utf-8") as fh:
            out[name] = [json.loads(line) for line in fh]
    return out


def test_sample_files_are_consistent_with_the_sources():
    records = _sample_records()
    repo = SAMPLE.parent.parent
    for name, recs in records.items():
        assert len(recs) == 3
        for rec in recs:
            assert rec["annotator"] == name and rec["status"] == "done"
            assert rec["text"] == (repo / rec["meta"]["source"]).read_text(encoding="utf-8")
            for sp in rec["spans"]:
                assert rec["text"][sp["start"] : sp["end"]] == sp["text"]
            ids = {sp["id"]: sp for sp in rec["spans"]}
            for rel in rec["relations"]:
                assert rel["label"] == "SPEAKER"
                assert ids[rel["head"]]["label"] == "QUOTE" and ids[rel["child"]]["label"] == "ACTOR"


def test_sample_report_from_the_database(db_url, schema):
    engine = get_engine(db_url)
    load_sample(engine, schema)
    with Session(read_only(engine)) as session:
        report = build_report(session).to_json()
    assert report["annotators"] == ["alice", "bob"]
    assert len(report["documents"]) == 3 and report["overall"]["n"]["pairs"] == 1
    # recompute span F1 from the JSONL files alone: the store round trip changes nothing
    recs = _sample_records()
    by_text = {r["text"]: r for r in recs["bob"]}
    total = {v: M.F1Counts() for v in ("exact", "overlap")}
    for rec_a in recs["alice"]:
        a = [(s["start"], s["end"], s["label"]) for s in rec_a["spans"]]
        b = [(s["start"], s["end"], s["label"]) for s in by_text[rec_a["text"]]["spans"]]
        for mode in total:
            total[mode] = total[mode] + M.span_f1(a, b, mode=mode)
    assert report["overall"]["counts"]["f1_exact"] == total["exact"].as_dict()
    assert report["overall"]["counts"]["f1_overlap"] == total["overlap"].as_dict()
    n_alice = sum(len(r["spans"]) for r in recs["alice"])
    assert report["overall"]["n"]["spans_by_annotator"]["alice"] == n_alice
    # the planted disagreements show up where they should
    assert {"a": "LOCATION", "b": "ACTOR", "count": 1} in report["confusion"]["mismatches"]
    assert report["per_label"]["CASUALTY"]["counts"]["f1_overlap"]["fp"] > 0  # bob missed CASUALTY spans
    assert report["per_document"][0]["title"].startswith("Amnesty")  # bob skipped the repeated caption
    for key in ("f1_exact", "alpha_unitizing", "cohen_kappa", "fleiss_kappa"):
        assert 0 < report["overall"][key] < 1
    assert report["per_label"]["QUOTE"]["attributes"]["speaker"]["n"]["units"] > 0


def test_status_filter_and_label_filter(db_url, schema):
    engine = get_engine(db_url)
    load_sample(engine, schema)
    recs = _sample_records()
    carl = dict(recs["alice"][0], annotator="carl", status="in_progress")
    load_records(engine, schema, [carl])
    with Session(read_only(engine)) as session:
        done = build_report(session, annotators=["alice", "bob", "carl"]).to_json()
        every = build_report(session, annotators=["alice", "bob", "carl"], all_status=True).to_json()
        quotes = build_report(session, annotators=["alice", "bob"], labels=["QUOTE"]).to_json()
    assert [d["annotators"] for d in done["documents"]].count(["alice", "bob", "carl"]) == 0
    assert [d["annotators"] for d in every["documents"]].count(["alice", "bob", "carl"]) == 1
    pair = next(p for p in every["pairs"] if (p["a"], p["b"]) == ("alice", "carl"))
    assert pair["overall"]["f1_exact"] == 1.0 and pair["overall"]["n"]["documents"] == 1
    assert list(quotes["per_label"]) == ["QUOTE"]
    assert quotes["overall"]["n"]["spans"] == sum(
        1 for r in recs["alice"] + recs["bob"] for s in r["spans"] if s["label"] == "QUOTE"
    )


# --------------------------------------------------------------------------- CLI


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], capture_output=True, text=True, timeout=120, env=dict(os.environ)
    )


def test_cli_json_and_table(db_url, schema):
    load_sample(get_engine(db_url), schema)
    result = run("agreement", "--format", "json", "--db", db_url)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) >= TOP_KEYS
    assert set(report["overall"]) >= MEASURES
    assert {"a", "b", "overall", "per_label"} <= set(report["pairs"][0])
    assert set(report["per_label"]) == set(LABELS)
    table = run("agreement", "--db", db_url, "--as", "alice,bob", "--label", "ACTOR,LOCATION")
    assert table.returncode == 0, table.stderr
    assert "F1 exact" in table.stdout and "LOCATION" in table.stdout and "QUOTE" not in table.stdout


def test_cli_errors_are_one_line(db_url, schema):
    load_sample(get_engine(db_url), schema)
    for args, needle in (
        (["--as", "alice,nobody"], "no annotator named 'nobody'"),
        (["--as", "alice"], "at least two annotators"),
        (["--label", "WEAPON"], "unknown label 'WEAPON'"),
        (["--format", "xml"], "expected table or json"),
    ):
        result = run("agreement", "--db", db_url, *args)
        assert result.returncode == 2, (args, result.stderr)
        assert needle in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_cli_json_nulls_for_undefined(db_url, schema):
    recs = _sample_records()
    # two annotators who marked the same document done with no spans at all
    empty = [dict(recs["alice"][0], annotator=name, spans=[], relations=[]) for name in ("x", "y")]
    load_records(get_engine(db_url), schema, empty)
    result = run("agreement", "--format", "json", "--db", db_url)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["overall"]["f1_exact"] is None and report["overall"]["alpha_unitizing"] is None
    assert '"f1_exact": null' in result.stdout
