"""Export filters (--as, --gold, --label, --status) and their one-line errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from export_seed import UID_A, UID_B, seed
from support.cli import cli as support_cli

from annotator.cli.flags import command_line_message
from annotator.errors import UserError
from annotator.services.exporting import ExportRequest, run_export
from annotator.store.engine import get_engine


@pytest.fixture
def seeded(db_url, schema):
    seed(db_url, schema)
    return get_engine(db_url)


def records(engine, tmp_path: Path, **kwargs) -> list[dict]:
    out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}.jsonl"
    run_export(engine, ExportRequest(out=out, **kwargs))
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def keys(recs: list[dict]) -> list[tuple[str, str]]:
    return [(r["meta"]["document_id"], r["annotator"]) for r in recs]


def test_default_is_everyone_but_gold_with_work(seeded, tmp_path):
    # "idle" has no work and gold is asked for by --gold: neither appears
    assert keys(records(seeded, tmp_path)) == [(UID_A, "alice"), (UID_B, "alice"), (UID_B, "bob")]


def test_as_selects_annotators(seeded, tmp_path):
    assert keys(records(seeded, tmp_path, annotators=("bob",))) == [(UID_B, "bob")]
    assert keys(records(seeded, tmp_path, annotators=("bob", "gold"))) == [(UID_A, "gold"), (UID_B, "bob")]
    assert records(seeded, tmp_path, annotators=("idle",)) == []


def test_gold_is_the_adjudicated_version(seeded, tmp_path):
    (rec,) = records(seeded, tmp_path, gold=True)
    assert rec["annotator"] == "gold" and rec["status"] == "done"
    assert [(s["start"], s["end"], s["label"]) for s in rec["spans"]] == [(0, 13, "ACTOR"), (23, 29, "LOCATION")]


def test_label_filter_keeps_records_and_drops_dangling_relations(seeded, tmp_path):
    recs = records(seeded, tmp_path, labels=("QUOTE",))
    assert keys(recs) == [(UID_A, "alice"), (UID_B, "alice"), (UID_B, "bob")]
    assert [s["label"] for s in recs[0]["spans"]] == ["QUOTE"]
    assert recs[0]["relations"] == []  # the speaker (an ACTOR) is not exported
    assert recs[2]["spans"] == []
    both = records(seeded, tmp_path, labels=("QUOTE", "ACTOR"), annotators=("alice",))
    assert both[0]["relations"] == [{"label": "SPEAKER", "head": 7, "child": 6}]
    assert {s["label"] for s in both[0]["spans"]} == {"QUOTE", "ACTOR"}


def test_status_filter(seeded, tmp_path):
    assert keys(records(seeded, tmp_path, statuses=("done",))) == [(UID_A, "alice")]
    assert keys(records(seeded, tmp_path, statuses=("done",), gold=True)) == [(UID_A, "gold")]
    assert keys(records(seeded, tmp_path, statuses=("skipped", "in_progress"))) == [(UID_B, "alice"), (UID_B, "bob")]
    assert records(seeded, tmp_path, statuses=("todo",)) == []


def test_docs_with_status_filter(seeded, tmp_path):
    recs = records(seeded, tmp_path, format="docs", statuses=("in_progress",))
    assert [r["id"] for r in recs] == [UID_B]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"annotators": ("zed",)}, "--as: no annotator named 'zed' (known: alice, bob, gold, idle)"),
        ({"labels": ("PERSON",)}, "--label: unknown label 'PERSON' (known: ACTOR, LOCATION, CASUALTY, QUOTE)"),
        ({"statuses": ("finished",)}, "--status: unknown status 'finished' (one of: todo, in_progress, done, skipped)"),
        (
            {"format": "xml"},
            "--format: unknown format 'xml' (one of: jsonl, docs, doccano, conll, brat, spacy, events, label-studio)",
        ),
        (
            {"gold": True, "annotators": ("alice",)},
            "--gold: gold and a list of annotators exclude each other: gold is the annotator named 'gold'",
        ),
        ({"format": "conll", "tokens": True}, "--tokens: only the jsonl format carries tokens"),
        (
            {"format": "jsonl", "relations": True},
            "--relations: relations are a choice of the doccano format only (jsonl always has relations)",
        ),
        (
            {"format": "events", "labels": ("ACTOR",)},
            "--label: the events format has rows for CASUALTY and QUOTE spans only",
        ),
    ],
)
def test_bad_filters_are_user_errors_and_write_nothing(seeded, tmp_path, kwargs, message):
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(UserError) as info:
        run_export(seeded, ExportRequest(out=folder / "never.jsonl", **kwargs))
    # the service speaks of the field; the command line turns the field into its flag
    assert not str(info.value).startswith("--") and info.value.field is not None
    assert command_line_message(info.value) == message
    assert list(folder.iterdir()) == []


def test_gold_without_gold_annotator(db_url, tmp_path):
    with pytest.raises(UserError, match="no gold version yet"):
        run_export(get_engine(db_url), ExportRequest(gold=True, out=tmp_path / "g.jsonl"))


def cli(*args: str, db: str) -> subprocess.CompletedProcess:
    return support_cli("export", *args, env={"ANNOTATOR_DB": db})


def test_cli_errors_are_one_line_exit_2(seeded, db_url, tmp_path):
    for args, expected in [
        (("--as", "zed"), "annotator: --as: no annotator named 'zed' (known: alice, bob, gold, idle)\n"),
        (
            ("--format", "pdf"),
            "annotator: --format: unknown format 'pdf' (one of: jsonl, docs, doccano, conll, brat, spacy, events, label-studio)\n",
        ),
        (
            ("--label", "ACTOR,NOPE"),
            "annotator: --label: unknown label 'NOPE' (known: ACTOR, LOCATION, CASUALTY, QUOTE)\n",
        ),
        (
            ("--status", "done,later"),
            "annotator: --status: unknown status 'later' (one of: todo, in_progress, done, skipped)\n",
        ),
        (("--format", "brat"), "annotator: --out: the brat format writes a folder: name the output FOLDER\n"),
    ]:
        result = cli(*args, db=db_url)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr == expected
        assert result.stdout == ""


def test_cli_writes_stdout_and_filters(seeded, db_url):
    result = cli("--as", "alice", "--status", "done", "--label", "LOCATION", db=db_url)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    rec = json.loads(line)
    assert rec["annotator"] == "alice" and [s["text"] for s in rec["spans"]] == ["Bangui"]


def test_label_filter_keeps_a_record_whose_spans_all_filtered_out(seeded, schema, tmp_path):
    from annotator.services import corpus
    from annotator.services import spans as span_ops
    from annotator.store.engine import session_scope

    with session_scope(seeded) as s:  # carol: one ACTOR span, no status row at all
        carol = corpus.get_or_create_annotator(s, "carol")
        row = corpus.register_schema(s, schema)
        span_ops.add_span(
            s,
            document=corpus.get_document(s, UID_B),
            annotator_id=carol.id,
            schema_id=row.id,
            schema=schema,
            label="ACTOR",
            start=0,
            end=6,
        )
    (rec,) = records(seeded, tmp_path, annotators=("carol",), labels=("QUOTE",))
    assert (rec["meta"]["document_id"], rec["annotator"], rec["status"], rec["spans"]) == (UID_B, "carol", "todo", [])
