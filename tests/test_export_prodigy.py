"""Prodigy-exact JSONL (issue 13, section 3): answer, the two hashes, whitespace tokens that
rebuild the text with spaCy, token offsets on spans and relations in Prodigy's shape."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_support import contents, outside_the_checkout, run_import, write  # noqa: F401
from support.paths import REPO

from annotator.services.exporting import ExportRequest, run_export
from annotator.services.exporting.prodigy import get_hash, set_hashes, whitespace_tokens
from annotator.store.engine import get_engine

SAMPLE = REPO / "annotations" / "sample"


def _records(db_url, tmp_path, **kwargs) -> list[dict]:
    out = tmp_path / "out.jsonl"
    run_export(get_engine(db_url), ExportRequest(out=out, force=True, **kwargs))
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_the_gold_sample_rebuilds_exactly_in_spacy_and_every_span_lines_up(db_url, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    assert run_import(db_url, SAMPLE / "gold.jsonl").ok
    records = _records(db_url, tmp_path, gold=True, tokens=True)
    vocab = spacy.blank("xx").vocab
    checked = 0
    for record in records:
        doc = Doc(vocab, words=[t["text"] for t in record["tokens"]], spaces=[t["ws"] for t in record["tokens"]])
        assert doc.text == record["text"]  # blank lines included
        for span in record["spans"]:
            found = doc.char_span(span["start"], span["end"])
            assert found is not None and (found.start, found.end - 1) == (span["token_start"], span["token_end"])
            checked += 1
        for rel in record["relations"]:
            assert rel["head"] == rel["head_span"]["token_end"] and rel["child"] == rel["child_span"]["token_end"]
            assert {rel["head_id"], rel["child_id"]} <= {s["id"] for s in record["spans"]}
    assert checked == 223


def test_answers_follow_the_status_and_hashes_follow_prodigys_keys(db_url, tmp_path):
    records = [
        {
            "text": "Seleka rebels attacked Bangui.",
            "annotator": "ana",
            "status": "done",
            "spans": [{"start": 0, "end": 6, "label": "ACTOR"}],
        },
        {
            "text": "Seleka rebels attacked Bangui.",
            "annotator": "ben",
            "status": "skipped",
            "spans": [{"start": 23, "end": 29, "label": "LOCATION"}],
        },
        {
            "text": "Seleka rebels attacked Bangui.",
            "annotator": "cy",
            "status": "in_progress",
            "spans": [{"start": 0, "end": 6, "label": "ACTOR"}],
        },
    ]
    assert run_import(db_url, write(tmp_path / "in" / "three.jsonl", "".join(json.dumps(r) + "\n" for r in records))).ok
    got = {r["annotator"]: r for r in _records(db_url, tmp_path)}
    assert (got["ana"].get("answer"), got["ben"].get("answer"), "answer" in got["cy"]) == ("accept", "ignore", False)
    assert len({r["_input_hash"] for r in got.values()}) == 1  # one text
    assert got["ana"]["_task_hash"] != got["ben"]["_task_hash"]  # different spans
    # the same spans (ana, cy) differ only in span ids: Prodigy hashes the spans as written
    for record in got.values():
        assert record["_input_hash"] == get_hash({"text": record["text"]}, ("text",))
        assert (
            record["_task_hash"] == set_hashes({k: v for k, v in record.items() if not k.startswith("_")})["_task_hash"]
        )
    # keys Prodigy ignores change nothing
    task = {"text": "x", "spans": [{"start": 0, "end": 1, "label": "A", "source": "model"}], "answer": "accept"}
    other = set_hashes({**task, "answer": "reject", "_view_id": "ner", "spans": [{"start": 0, "end": 1, "label": "A"}]})
    mine = set_hashes(dict(task))
    assert (mine["_input_hash"], mine["_task_hash"]) == (other["_input_hash"], other["_task_hash"])
    # a skipped record with spans comes back skipped, spans included (its status wins over answer: ignore)
    again = f"sqlite:///{tmp_path / 'again.db'}"
    out = tmp_path / "out.jsonl"
    assert run_import(again, out).ok
    assert contents(again)["statuses"][("Seleka rebels attacked Bangui.", "ben")] == "skipped"
    assert len(contents(again)["spans"]) == 3


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_whitespace_tokens_cover_the_text_and_every_span_edge(data):
    text = "".join(data.draw(st.lists(st.sampled_from(list("ab c\n\t.’🔥") + ["  ", "\n\n"]), min_size=1, max_size=30)))
    n = len(text)
    spans = data.draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, n)).filter(lambda se: se[0] < se[1]), max_size=5)
    )
    tokens = whitespace_tokens(text, spans)
    assert "".join(t["text"] + (" " if t["ws"] else "") for t in tokens) == text
    assert [t["id"] for t in tokens] == list(range(len(tokens))) and all(t["text"] for t in tokens)
    starts, ends = {t["start"] for t in tokens}, {t["end"] for t in tokens}
    assert all(s in starts and e in ends for s, e in spans)
