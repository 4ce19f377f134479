"""``rejected`` in a JSONL record (gold's review groups left empty on purpose): checked like spans,
restored as ``reject`` decisions once, offsets mapped like spans' (CRLF texts)."""

from __future__ import annotations

import json

import pytest
from import_support import assert_empty, run_import
from sqlmodel import Session, select

from annotator.store.engine import get_engine
from annotator.store.models import Decision

TEXT = "Seleka rebels attacked the airport in Bangui."


def gold_record(document: str = TEXT, **rejected: object) -> str:
    group = {"group": "23-34", "start": 23, "end": 34, "text": "the airport", "decided_by": "lead", **rejected}
    return (
        json.dumps({"text": document, "spans": [], "annotator": "gold", "status": "done", "rejected": [group]}) + "\n"
    )


def decisions(db_url: str) -> list[tuple[str, str, str]]:
    with Session(get_engine(db_url)) as session:
        return [
            (d.action, d.detail["group"], d.decided_by) for d in session.exec(select(Decision).order_by(Decision.id))
        ]


def test_rejections_are_restored_once(db_url, tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(gold_record(), encoding="utf-8")
    first = run_import(db_url, path)
    assert first.ok and first.rejections_restored == 1 and "1 rejected review group restored" in first.line()
    again = run_import(db_url, path)
    assert again.ok and again.rejections_restored == 0
    assert decisions(db_url) == [("reject", "23-34", "lead")]


def test_offsets_of_a_crlf_text_are_mapped_like_spans(db_url, tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(gold_record("Seleka\r\nrebels attacked the airport.", group="24-35", start=24, end=35))
    assert run_import(db_url, path).ok
    assert decisions(db_url) == [("reject", "23-34", "lead")]  # one CR fewer before it


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"group": "23-35"}, "rejected group 1: group '23-35' does not span 23-34"),
        ({"group": "x"}, "rejected group 1: group: String should match pattern"),
        ({"text": "the port"}, "rejected group 1: 'text' is not the text at 23-34"),
        ({"group": "23-99", "end": 99}, "rejected group 1: 23-99 is outside the text (45 characters)"),
        ({"decided_by": "le\x1bad"}, "rejected group 1: 'decided_by' must be a printable name"),
    ],
)
def test_a_bad_rejection_is_a_problem_on_its_line_and_nothing_is_stored(db_url, tmp_path, change, message):
    path = tmp_path / "gold.jsonl"
    path.write_text(gold_record(**change), encoding="utf-8")
    summary = run_import(db_url, path)
    assert summary.files_failed and len(summary.problems) == 1
    assert summary.problems[0].startswith(f"{path}:1: {message}"), summary.problems
    assert_empty(db_url)
