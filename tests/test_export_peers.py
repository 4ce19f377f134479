"""Exports colleagues' tools read (issue 13, section 4): brat keeps a span's tab, doccano
can be ASCII-escaped."""

from __future__ import annotations

import json

from import_support import contents, outside_the_checkout, run_import, write  # noqa: F401

from annotator.services.exporting import ExportRequest, run_export
from annotator.store.engine import get_engine


def test_brat_keeps_a_tab_inside_a_span_and_reads_back(db_url, tmp_path):
    text = "Name:\tSeleka\tcommander\nBangui"
    record = {"text": text, "spans": [{"start": 6, "end": 22, "label": "ACTOR"}]}
    assert run_import(db_url, write(tmp_path / "in" / "tab.jsonl", json.dumps(record) + "\n")).ok
    out = tmp_path / "brat"
    run_export(get_engine(db_url), ExportRequest(format="brat", out=out))
    [ann] = list(out.glob("*.ann"))
    [line] = ann.read_text(encoding="utf-8").splitlines()
    ident, kind, surface = line.split("\t", 2)  # how brat's parser splits a T line
    label, start, end = kind.split(" ")
    assert surface == "Seleka\tcommander" == text[int(start) : int(end)]
    again = f"sqlite:///{tmp_path / 'again.db'}"
    assert run_import(again, out).ok
    assert [s["text"] for s in contents(again)["spans"]] == ["Seleka\tcommander"]


def test_doccano_ascii_escapes_every_non_ascii_character(db_url, tmp_path):
    text = "Rebels 🔥 burned Boda’s market\u2028in Lobaye."
    record = {
        "text": text,
        "spans": [{"start": 7, "end": 8, "label": "CASUALTY"}, {"start": 16, "end": 22, "label": "LOCATION"}],
    }
    assert run_import(db_url, write(tmp_path / "in" / "emoji.jsonl", json.dumps(record) + "\n")).ok
    plain, escaped = tmp_path / "plain.jsonl", tmp_path / "ascii.jsonl"
    run_export(get_engine(db_url), ExportRequest(format="doccano", out=plain))
    run_export(get_engine(db_url), ExportRequest(format="doccano", out=escaped, ascii=True))
    data = escaped.read_bytes()
    assert data.isascii() and b"\\ud83d\\udd25" in data and len(data.splitlines()) == 1
    assert [json.loads(line) for line in data.splitlines()] == [
        json.loads(line) for line in plain.read_bytes().splitlines()
    ]
    [got] = [json.loads(line) for line in data.splitlines()]
    assert [got["text"][s:e] for s, e, _ in got["label"]] == ["🔥", "Boda’s"]
