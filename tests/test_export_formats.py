"""Each export format against a small hand-checked expected file (tests/data/export/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_seed import TEXT_A, TEXT_B, UID_A, UID_B, seed

from annotator.schemas.records import AnnotationRecord
from annotator.services.exporting import ExportRequest, run_export
from annotator.store.engine import get_engine

EXPECTED = Path(__file__).parent / "data" / "export"


@pytest.fixture
def seeded(db_url, schema):
    seed(db_url, schema)
    return get_engine(db_url)


def export(engine, tmp_path: Path, name: str, **kwargs):
    out = tmp_path / name
    summary = run_export(engine, ExportRequest(out=out, **kwargs))
    return out, summary


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_matches_expected_and_validates(seeded, tmp_path):
    out, summary = export(seeded, tmp_path, "out.jsonl")
    got = read_jsonl(out)
    # Prodigy's keys (tests/test_export_prodigy.py checks them): answer by status, the two hashes
    prodigy = [{k: r.pop(k, None) for k in ("answer", "_input_hash", "_task_hash")} for r in got]
    assert [p["answer"] for p in prodigy] == [{"done": "accept", "skipped": "ignore"}.get(r["status"]) for r in got]
    assert all(isinstance(p["_input_hash"], int) and isinstance(p["_task_hash"], int) for p in prodigy)
    assert got == read_jsonl(EXPECTED / "jsonl.jsonl")
    assert (summary.records, summary.spans, summary.documents) == (3, 10, 2)
    for record in got:
        parsed = AnnotationRecord.model_validate(record)
        for span in parsed.spans:  # every span's text is the text at its offsets
            assert parsed.text[span.start : span.end] == span.text
    # no tokens unless asked
    assert all("tokens" not in r for r in got)


def test_jsonl_tokens_are_prodigy_shaped(seeded, tmp_path):
    out, _ = export(seeded, tmp_path, "out.jsonl", tokens=True, annotators=("bob",))
    (record,) = read_jsonl(out)
    # "Rebels 🔥 burned Boda’s market; 1,200 fled." — the emoji is one code point (offset 7)
    assert record["tokens"] == [
        {"text": "Rebels", "start": 0, "end": 6, "id": 0, "ws": True},
        {"text": "🔥", "start": 7, "end": 8, "id": 1, "ws": True},
        {"text": "burned", "start": 9, "end": 15, "id": 2, "ws": True},
        {"text": "Boda", "start": 16, "end": 20, "id": 3, "ws": False},  # cut at the LOCATION span's end
        {"text": "’", "start": 20, "end": 21, "id": 4, "ws": False},
        {"text": "s", "start": 21, "end": 22, "id": 5, "ws": True},
        {"text": "market", "start": 23, "end": 29, "id": 6, "ws": False},
        {"text": ";", "start": 29, "end": 30, "id": 7, "ws": True},
        {"text": "1,200", "start": 31, "end": 36, "id": 8, "ws": True},
        {"text": "fled", "start": 37, "end": 41, "id": 9, "ws": False},
        {"text": ".", "start": 41, "end": 42, "id": 10, "ws": False},
    ]
    assert all(
        record["text"][s["start"] : s["end"]]
        == "".join(
            t["text"] + (" " if t["ws"] else "") for t in record["tokens"][s["token_start"] : s["token_end"] + 1]
        ).rstrip(" ")
        for s in record["spans"]
    )
    AnnotationRecord.model_validate(record)


def test_docs_is_the_whole_corpus(seeded, tmp_path):
    out, summary = export(seeded, tmp_path, "docs.jsonl", format="docs")
    assert read_jsonl(out) == read_jsonl(EXPECTED / "docs.jsonl")
    assert summary.records == 3


def test_doccano_sequence_labelling(seeded, tmp_path):
    out, _ = export(seeded, tmp_path, "d.jsonl", format="doccano")
    assert read_jsonl(out) == read_jsonl(EXPECTED / "doccano.jsonl")


def test_doccano_relations(seeded, tmp_path):
    out, _ = export(seeded, tmp_path, "d.jsonl", format="doccano", relations=True, annotators=("alice",))
    assert read_jsonl(out) == read_jsonl(EXPECTED / "doccano-relations-alice.jsonl")


def test_conll_iob2_and_overlaps_counted(seeded, tmp_path):
    out, summary = export(seeded, tmp_path, "out.conll", format="conll")
    assert out.read_text(encoding="utf-8") == (EXPECTED / "conll.txt").read_text(encoding="utf-8")
    # alice's "Seleka" (inside "Seleka rebels") and "Muslims" (inside the CASUALTY) lose
    assert summary.warnings == ["conll: dropped 2 overlapping span(s) (the outermost span wins): 2 ACTOR"]
    assert summary.spans == 8


def test_events_csv(seeded, tmp_path):
    out, summary = export(seeded, tmp_path, "events.csv", format="events")
    assert out.read_bytes() == (EXPECTED / "events.csv").read_bytes()
    assert summary.records == 3


def test_events_jsonl_and_label_filter(seeded, tmp_path):
    out, _ = export(seeded, tmp_path, "events.jsonl", format="events", labels=("QUOTE",))
    (row,) = read_jsonl(out)
    assert row == {
        "document": UID_A,
        "title": "Bangui attack",
        "annotator": "alice",
        "kind": "quote",
        "span_id": 7,
        "start": 64,
        "end": 79,
        "sentence": 3,
        "category": None,
        "count_min": None,
        "count_max": None,
        "qualifier": None,
        "victims": None,
        "actors": ["Ali Hassan"],
        "locations": [],
        "speakers": ["Ali Hassan"],
        "text": '"We will stay,"',
        "sentence_text": '"We will stay," said Ali.',
    }


def test_brat_folder_matches_expected(seeded, tmp_path):
    out, summary = export(seeded, tmp_path, "brat", format="brat", annotators=("alice",))
    expected = EXPECTED / "brat-alice"
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in expected.iterdir())
    for path in expected.iterdir():
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name
    # brat's own invariant: the text on a T line is the text at its offsets
    text = (out / f"{UID_A}.txt").read_text(encoding="utf-8")
    for line in (out / f"{UID_A}.ann").read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            _, middle, surface = line.split("\t")
            _, start, end = middle.split(" ")
            assert text[int(start) : int(end)] == surface
    assert summary.records == 2


def test_brat_one_folder_per_annotator(seeded, tmp_path):
    out, _ = export(seeded, tmp_path, "brat", format="brat")
    assert sorted(p.name for p in out.iterdir()) == ["alice", "annotation.conf", "bob", "visual.conf"]
    assert sorted(p.name for p in (out / "bob").iterdir()) == [f"{UID_B}.ann", f"{UID_B}.txt"]
    assert (out / "bob" / f"{UID_B}.ann").read_text(encoding="utf-8") == (
        "T1\tACTOR 0 6\tRebels\nA1\tactor_type T1 armed_group\n"
        "T2\tLOCATION 16 20\tBoda\nA2\tplace_type T2 city_town\n"
        "T3\tCASUALTY 31 41\t1,200 fled\nA3\tcategory T3 fled\nA4\tqualifier T3 exact\n"
        "#1\tAnnotatorNotes T3\tcount_min=1200; count_max=1200\n"
    )


def test_spacy_docbin_loads_and_reports_misaligned(seeded, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out, summary = export(seeded, tmp_path, "train.spacy", format="spacy")
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab))
    assert [(d.user_data["document_id"], d.user_data["annotator"]) for d in docs] == [
        (UID_A, "alice"),
        (UID_B, "alice"),
        (UID_B, "bob"),
    ]
    alice_a, alice_b, bob_b = docs
    assert alice_a.text == TEXT_A and bob_b.text == TEXT_B
    assert [(s.start_char, s.end_char, s.label_) for s in alice_a.spans["sc"]] == [
        (0, 13, "ACTOR"),
        (0, 6, "ACTOR"),
        (23, 29, "LOCATION"),
        (31, 62, "CASUALTY"),
        (43, 50, "ACTOR"),
        (64, 79, "QUOTE"),
        (85, 88, "ACTOR"),
    ]
    # ents: non-overlapping, the outermost wins
    assert [(e.start_char, e.end_char, e.label_) for e in alice_a.ents] == [
        (0, 13, "ACTOR"),
        (23, 29, "LOCATION"),
        (31, 62, "CASUALTY"),
        (64, 79, "QUOTE"),
        (85, 88, "ACTOR"),
    ]
    assert list(alice_b.spans["sc"]) == []
    # spaCy splits "Boda’s" into "Boda" + "’s", so all of bob's spans line up
    assert [(s.start_char, s.end_char, s.label_) for s in bob_b.spans["sc"]] == [
        (0, 6, "ACTOR"),
        (16, 20, "LOCATION"),
        (31, 41, "CASUALTY"),
    ]
    assert summary.warnings == [] and summary.spans == 10


def test_spacy_reports_spans_that_do_not_align(seeded, tmp_path, schema):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    from annotator.services import corpus
    from annotator.services import spans as span_ops
    from annotator.store.engine import session_scope

    with session_scope(seeded) as s:
        carol = corpus.get_or_create_annotator(s, "carol")
        doc = corpus.get_document(s, UID_A)
        row = corpus.register_schema(s, schema)
        for start, end in ((0, 3), (7, 13)):  # "Sel" (inside a token) and "rebels"
            span_ops.add_span(
                s,
                document=doc,
                annotator_id=carol.id,
                schema_id=row.id,
                schema=schema,
                label="ACTOR",
                start=start,
                end=end,
            )
    out, summary = export(seeded, tmp_path, "carol.spacy", format="spacy", annotators=("carol",))
    (doc,) = DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab)
    assert [(s.start_char, s.end_char) for s in doc.spans["sc"]] == [(7, 13)]
    assert summary.spans == 1
    assert summary.warnings == [
        f"spacy: left out 1 span(s) that do not line up with spaCy's tokens (1 ACTOR), e.g. {UID_A} 0-3 ACTOR 'Sel'"
    ]
