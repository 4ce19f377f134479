"""Importing annotations onto documents already stored (issue 19): set-based, and exact.

Another annotator's file adds exactly their spans and links; the identical file again adds
nothing and says so; a changed speaker replaces the old link; a bad span refuses the file
with nothing stored, as for a fresh import."""

from __future__ import annotations

import json
from pathlib import Path

from import_support import contents, outside_the_checkout, run_import, write  # noqa: F401

from annotator.services.importing import batch_store

TEXTS = [f'Report {i}: Ali said: "we will stay" in Bangui.' for i in range(7)]


def _records(
    path: Path, annotator: str, *, speaker_ok: bool = True, status: str = "done", extra: list | None = None
) -> Path:
    lines = []
    for text in TEXTS:
        ali = text.index("Ali")
        quote = text.index('"')
        spans = [
            {"id": 1, "start": ali, "end": ali + 3, "label": "ACTOR"},
            {"id": 2, "start": quote, "end": quote + 15, "label": "QUOTE"},
            {"id": 3, "start": text.index("Bangui"), "end": text.index("Bangui") + 6, "label": "ACTOR"},
        ]
        relations = [{"label": "SPEAKER", "head": 2, "child": 1 if speaker_ok else 3}]
        lines.append(
            {
                "text": text,
                "spans": spans + (extra or []),
                "relations": relations,
                "annotator": annotator,
                "status": status,
            }
        )
    return write(path, "".join(json.dumps(r) + "\n" for r in lines))


def _by(got: dict, who: str) -> list:
    return sorted((s["doc"], s["label"], s["text"]) for s in got["spans"] if s["annotator"] == who)


def test_another_annotator_then_the_same_file_again(db_url, tmp_path, monkeypatch):
    monkeypatch.setattr(batch_store, "BATCH_DOCS", 3)  # several batches
    first = run_import(db_url, _records(tmp_path / "ana.jsonl", "ana"))
    assert first.line().startswith("7 documents added, 0 duplicates skipped, 21 spans added, 7 links added")
    bob = run_import(db_url, _records(tmp_path / "bob.jsonl", "bob"))
    assert bob.line().startswith("0 documents added, 7 duplicates skipped, 21 spans added, 7 links added")
    got = contents(db_url)
    assert _by(got, "bob") == _by(got, "ana") and len(_by(got, "bob")) == 21
    assert len(got["links"]) == 14 and all(link[4] == "Ali" for link in got["links"])
    assert {who for (_, who), status in got["statuses"].items() if status == "done"} == {"ana", "bob"}
    again = run_import(db_url, _records(tmp_path / "bob.jsonl", "bob"))
    assert (
        again.line()
        == "0 documents added, 7 duplicates skipped, 0 spans added, 21 spans already stored, 0 files refused"
    )
    assert again.statuses_set == 0 and contents(db_url) == got  # nothing written


def test_a_changed_speaker_and_status_replace_the_stored_ones(db_url, tmp_path):
    run_import(db_url, _records(tmp_path / "ana.jsonl", "ana", status="in_progress"))
    changed = run_import(db_url, _records(tmp_path / "ana2.jsonl", "ana", speaker_ok=False, status="done"))
    assert changed.line().startswith(
        "0 documents added, 7 duplicates skipped, 0 spans added, 21 spans already stored, 7 links added"
    )
    assert changed.statuses_set == 7
    got = contents(db_url)
    assert [link[4] for link in got["links"]] == ["Bangui"] * 7  # replaced, not added beside
    assert set(got["statuses"].values()) == {"done"}


def test_a_bad_span_onto_stored_documents_refuses_the_whole_file(db_url, tmp_path):
    run_import(db_url, _records(tmp_path / "ana.jsonl", "ana"))
    before = contents(db_url)
    bad = _records(tmp_path / "bob.jsonl", "bob", extra=[{"start": 3, "end": 2, "label": "ACTOR"}])
    summary = run_import(db_url, bad)
    assert not summary.ok and summary.files_failed
    assert contents(db_url) == before
