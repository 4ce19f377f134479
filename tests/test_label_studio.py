"""Label Studio both ways (issue 13, section 2): its published example imports, our export
imports back to the same spans, labels, attributes and relations for every annotator, and
the labelling config fits the tasks."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_support import assert_empty, contents, outside_the_checkout, run_import, write  # noqa: F401
from support.paths import PEER, REPO

from annotator.services.exporting import ExportRequest, run_export
from annotator.services.exporting.label_studio import config_path
from annotator.store.engine import get_engine

LS = PEER / "label-studio" / "web" / "libs" / "editor" / "src" / "examples" / "named_entity"
SAMPLE = REPO / "annotations" / "sample"


def test_label_studios_own_annotated_task_imports(db_url):
    summary = run_import(db_url, LS / "annotations" / "1.json", fmt="label-studio", label_map="Date=LOCATION")
    assert summary.ok and (summary.documents_added, summary.spans_added) == (1, 1)
    got = contents(db_url)
    [span] = got["spans"]
    assert (span["start"], span["end"], span["text"], span["label"]) == (343, 354, "February 22", "LOCATION")
    assert span["annotator"] == "tester"  # its completed_by names nobody: --as applies
    assert got["documents"][0].text == json.loads((LS / "annotations" / "1.json").read_text())["data"]["text"]


def test_label_studios_own_prediction_list_imports_by_extension(db_url):
    summary = run_import(db_url, LS / "tasks.json", label_map="Date=LOCATION")
    assert summary.ok and summary.spans_added == 1
    assert contents(db_url)["statuses"] == {}  # predictions are not finished work


def _corpus(db_url: str) -> list[tuple]:
    """Every annotator's spans (offsets, label, attributes) and relations, by document text."""
    got = contents(db_url)
    spans = sorted(
        (s["annotator"], s["doc"], s["start"], s["end"], s["label"], json.dumps(s["attrs"], sort_keys=True))
        for s in got["spans"]
    )
    return [spans, sorted(got["links"]), sorted(got["statuses"].items())]


def test_a_multi_annotator_corpus_round_trips_every_span_label_attribute_and_relation(db_url, tmp_path, schema):
    files = [SAMPLE / "alice.jsonl", SAMPLE / "bob.jsonl", SAMPLE / "gold.jsonl"]
    assert run_import(db_url, *files).ok
    before = _corpus(db_url)
    assert len(before[0]) > 300 and len(before[1]) > 50
    out = tmp_path / "tasks.json"
    summary = run_export(
        get_engine(db_url),
        ExportRequest(format="label-studio", out=out, gold=False, annotators=("alice", "bob", "gold")),
    )
    assert summary.records == 9 and summary.documents == 3
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert len(tasks) == 3 and all(len(t["annotations"]) == 3 for t in tasks)
    target = tmp_path / "again.db"
    again = f"sqlite:///{target}"
    from annotator.store.engine import create_db_engine  # noqa: F401  (migrated on first use)

    summary = run_import(again, out)
    assert summary.ok
    assert _corpus(again) == before

    # the config declares every control the tasks use, on the Text object they name
    config = ET.parse(config_path(out)).getroot()
    controls = {el.get("name"): el.tag for el in config.iter() if el.get("toName") == "text"}
    labels = {el.get("value") for el in config.find("Labels")}
    relations = {el.get("value") for el in config.iter("Relation")}
    for task in tasks:
        for annotation in task["annotations"]:
            for result in annotation["result"]:
                if result["type"] == "relation":
                    assert set(result["labels"]) <= relations
                    continue
                assert result["to_name"] == "text" and result["from_name"] in controls
                assert {"labels": "Labels", "choices": "Choices", "number": "Number", "textarea": "TextArea"}[
                    result["type"]
                ] == controls[result["from_name"]]
                if result["type"] == "labels":
                    assert set(result["value"]["labels"]) <= labels
                    assert (
                        task["data"]["text"][result["value"]["start"] : result["value"]["end"]]
                        == result["value"]["text"]
                    )


TEXT_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(
    ["\n", "\t", "🔥", "é", "中", "\u200d"]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_spans_on_any_text_round_trip_through_label_studio(tmp_path_factory, data):
    text = data.draw(st.text(TEXT_CHARS, min_size=1, max_size=60).filter(lambda t: t.strip()))
    n = len(text)
    bounds = st.tuples(st.integers(0, n - 1), st.integers(1, n)).filter(lambda se: se[0] < se[1])
    spans = data.draw(st.lists(st.tuples(bounds, st.sampled_from(["ACTOR", "LOCATION", "CASUALTY"])), max_size=6))
    records = [
        {
            "text": text,
            "annotator": who,
            "status": "done",
            "spans": [{"start": s, "end": e, "label": label} for (s, e), label in spans],
        }
        for who in ("ana", "ben")
    ]
    folder = tmp_path_factory.mktemp("ls")
    source = write(folder / "in.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    first, second = f"sqlite:///{folder / 'a.db'}", f"sqlite:///{folder / 'b.db'}"
    if not run_import(first, source).ok:
        return  # CRLF-only spans and the like are refused on the way in; nothing to round-trip
    run_export(get_engine(first), ExportRequest(format="label-studio", out=folder / "t.json"))
    assert run_import(second, folder / "t.json").ok
    assert _corpus(second) == _corpus(first)


def test_problems_name_the_line_where_the_task_starts(db_url, tmp_path):
    tasks = [
        {
            "data": {"text": "Bangui is calm."},
            "annotations": [
                {"result": [{"id": "a", "type": "labels", "value": {"start": 0, "end": 6, "labels": ["LOCATION"]}}]}
            ],
        },
        {
            "data": {"text": "Boda burns."},
            "annotations": [
                {"result": [{"id": "b", "type": "labels", "value": {"start": 0, "end": 40, "labels": ["LOCATION"]}}]}
            ],
        },
    ]
    path = write(tmp_path / "in" / "bad.json", json.dumps(tasks, indent=2))
    summary = run_import(db_url, path)
    line = 1 + json.dumps(tasks, indent=2).split('"Boda burns."')[0].rstrip().rsplit("{", 2)[0].count("\n")
    assert summary.problems == [
        f"{path}:{line}: task 2, result 1 ('LOCATION'): span 0-40 lies outside the text (length 11)"
    ]
    assert_empty(db_url)


def test_completed_by_names_the_annotator_when_it_can(db_url, tmp_path):
    task = {
        "data": {"text": "Bangui is calm."},
        "annotations": [
            {
                "completed_by": {"id": 3, "email": "ana@example.org"},
                "result": [{"id": "x", "type": "labels", "value": {"start": 0, "end": 6, "labels": ["LOCATION"]}}],
            },
            {"completed_by": 7, "was_cancelled": True, "result": []},
        ],
    }
    path = write(tmp_path / "in" / "one.json", json.dumps(task))
    assert run_import(db_url, path, annotator="lead").ok
    got = contents(db_url)
    assert [(s["annotator"], s["text"]) for s in got["spans"]] == [("ana@example.org", "Bangui")]
    assert got["statuses"] == {("Bangui is calm.", "ana@example.org"): "done", ("Bangui is calm.", "lead"): "skipped"}
