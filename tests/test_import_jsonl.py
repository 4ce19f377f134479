"""Import of JSONL: our export shape, Prodigy, doccano; every bad input; the span-text invariant."""

from __future__ import annotations

import json
from collections import Counter

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_support import (
    assert_empty,
    cli,
    contents,
    outside_the_checkout,  # noqa: F401  (autouse: messages name files by absolute path)
    run_import,
    schema_from,
    write,
)
from support.paths import PEER

from annotator.services.corpus import text_sha256

PRODIGY_NEWS = (
    PEER / "prodigy/explosion-prodigy-recipes/example-datasets/annotated_news_headlines-ORG-PERSON-LOCATION-ner.jsonl"
)
PRODIGY_DEMO = PEER / "prodigy/explosion-projects/tutorials/ner_tweets/assets/demo/demo.jsonl"
PRODIGY_REL = PEER / "prodigy/explosion-projects/tutorials/rel_component/assets/annotations.jsonl"
DOCCANO = PEER / "doccano/backend"
DOCCANO_TEST = DOCCANO / "data_import/tests/data/sequence_labeling/example.jsonl"

TEXT = 'Seleka rebels attacked Bangui. "We will stay," said Ali.'


def our_record(**overrides):
    record = {
        "text": TEXT,
        "spans": [
            {
                "id": 7,
                "start": 0,
                "end": 13,
                "label": "ACTOR",
                "text": "Seleka rebels",
                "attrs": {"actor_type": "armed group", "canonical": "Seleka"},
            },
            {
                "id": 8,
                "start": 23,
                "end": 29,
                "label": "LOCATION",
                "text": "Bangui",
                "attrs": {"place_type": "city/town"},
            },
            {"id": 9, "start": 31, "end": 46, "label": "QUOTE", "text": '"We will stay,"', "attrs": {}},
            {"id": 10, "start": 52, "end": 55, "label": "ACTOR", "text": "Ali", "attrs": {"actor_type": "person"}},
        ],
        "relations": [{"label": "SPEAKER", "head": 9, "child": 10}],
        "annotator": "alice",
        "status": "done",
        "meta": {
            "document_id": text_sha256(TEXT)[:16],
            "title": "Bangui attack",
            "source": "a.txt",
            "sha256": text_sha256(TEXT),
            "schema": "conflict",
            "schema_version": 1,
            "lang": "en",
        },
    }
    record.update(overrides)
    return record


def jsonl(path, *records, raw_lines=()):
    lines = [orjson.dumps(r).decode() for r in records] + list(raw_lines)
    return write(path, "\n".join(lines) + "\n")


def test_our_export_shape_with_attrs_links_status_and_meta(db_url, tmp_path):
    path = jsonl(tmp_path / "ours.jsonl", our_record(), our_record(annotator=None, status=None, relations=[], spans=[]))
    summary = run_import(db_url, path, annotator="fallback")
    assert summary.ok
    assert (summary.documents_added, summary.duplicates_skipped, summary.spans_added, summary.links_added) == (
        1,
        1,
        4,
        1,
    )
    got = contents(db_url)
    (doc,) = got["documents"]
    assert (doc.title, doc.source, doc.meta, doc.text) == ("Bangui attack", "a.txt", {"lang": "en"}, TEXT)
    assert [(s["label"], s["text"], s["attrs"], s["annotator"], s["origin"]) for s in got["spans"]] == [
        ("ACTOR", "Seleka rebels", {"actor_type": "armed group", "canonical": "Seleka"}, "alice", "import"),
        ("LOCATION", "Bangui", {"place_type": "city/town"}, "alice", "import"),
        ("QUOTE", '"We will stay,"', {}, "alice", "import"),
        ("ACTOR", "Ali", {"actor_type": "person"}, "alice", "import"),
    ]
    assert got["links"] == [("QUOTE", '"We will stay,"', "SPEAKER", "speaker", "Ali")]
    assert got["statuses"] == {("Bangui attack", "alice"): "done"}
    assert "fallback" not in got["annotators"]  # the second record stored nothing for anyone


def test_reimport_adds_nothing_and_records_without_annotator_go_to_as(db_url, tmp_path):
    path = jsonl(tmp_path / "ours.jsonl", our_record(annotator=None))
    run_import(db_url, path, annotator="bob")
    again = run_import(db_url, path, annotator="bob")
    assert (again.documents_added, again.duplicates_skipped, again.spans_added) == (0, 1, 0)
    got = contents(db_url)
    assert len(got["spans"]) == 4 and {s["annotator"] for s in got["spans"]} == {"bob"}
    assert len(got["links"]) == 1


def test_joint_statement_links_several_speakers(db_url, tmp_path):
    record = our_record()
    record["relations"].append({"label": "SPEAKER", "head": 9, "child": 7})
    summary = run_import(db_url, jsonl(tmp_path / "joint.jsonl", record))
    assert summary.links_added == 2
    assert sorted(link[-1] for link in contents(db_url)["links"]) == ["Ali", "Seleka rebels"]


BAD_LINES = [
    (our_record(), None),
    ('{"text": "broken", ', "not valid JSON"),
    ({"label": [[0, 1, "ACTOR"]]}, "the record has no 'text'"),
    (
        {"text": "short", "spans": [{"start": 2, "end": 9, "label": "ACTOR"}]},
        "span 1 ('ACTOR'): span 2-9 lies outside the text (length 5)",
    ),
    (
        {"text": "short", "spans": [{"start": 3, "end": 3, "label": "ACTOR"}]},
        "span 1 ('ACTOR'): span 3-3 is empty or reversed (end must be greater than start)",
    ),
    (
        {"text": "short", "spans": [{"start": 4, "end": 1, "label": "ACTOR"}]},
        "span 1 ('ACTOR'): span 4-1 is empty or reversed (end must be greater than start)",
    ),
    ({"text": "short", "label": [[0, 5, "WEAPON"]]}, "label 1: label 'WEAPON' is not in schema 'conflict'"),
    (
        {"text": "short", "spans": [{"start": 0, "end": 5, "label": "ACTOR", "text": "shirt"}]},
        "span 1 ('ACTOR'): its recorded text 'shirt' does not match the document's text at 0-5: 'short'",
    ),
    (
        {"text": "short", "spans": [{"start": 0, "end": 5, "label": "ACTOR", "attrs": {"actor_type": "alien"}}]},
        "span 1 ('ACTOR'): ACTOR.actor_type must be one of",
    ),
    (
        {"text": "short", "spans": [{"start": 0.0, "end": 5, "label": "ACTOR"}]},
        "span 1 ('ACTOR'): start and end must be whole numbers, got 0.0 and 5",
    ),
    (
        {"text": "short", "status": "finished"},
        "'status' must be one of todo, in_progress, done, skipped, got 'finished'",
    ),
    ({"text": "nul\u0000here"}, "'text' contains a NUL character (U+0000, at offset 3)"),
    ({"text": ""}, "'text' is empty"),
    ([1, 2], "expected a JSON object, got list"),
    ({"text": "short", "label": ["positive"]}, "label 1: 'positive' is a document category, not a span"),
    (
        {
            "text": "a b",
            "spans": [{"id": 1, "start": 0, "end": 1, "label": "QUOTE"}],
            "relations": [{"label": "SPEAKER", "head": 1, "child": 2}],
        },
        "relation 1 ('SPEAKER'): refers to span 2, which the record does not have",
    ),
    (
        {
            "text": "a b",
            "spans": [
                {"id": 1, "start": 0, "end": 1, "label": "QUOTE"},
                {"id": 2, "start": 2, "end": 3, "label": "LOCATION"},
            ],
            "relations": [{"label": "SPEAKER", "head": 1, "child": 2}],
        },
        "relation 1: relation 'SPEAKER' from QUOTE to LOCATION fits no link attribute of schema 'conflict'",
    ),
    ({"text": "t", "answer": "maybe"}, "'answer' must be accept, reject or ignore, got 'maybe'"),
    ({"text": TEXT, "meta": {"sha256": "0" * 64}}, "meta.sha256 does not match the text"),
]


def _bad_file(tmp_path):
    lines = [r if isinstance(r, str) else orjson.dumps(r).decode() for r, _ in BAD_LINES]
    return write(tmp_path / "bad.jsonl", "\n".join(lines) + "\n")


def test_every_problem_is_listed_with_its_line_and_nothing_is_stored(db_url, tmp_path):
    path = _bad_file(tmp_path)
    summary = run_import(db_url, path)
    assert summary.files_failed == [str(path)] and not summary.ok
    assert len(summary.problems) == len(BAD_LINES) - 1
    for number, (_record, message) in enumerate(BAD_LINES, start=1):
        if message is None:
            assert not any(p.startswith(f"{path}:{number}:") for p in summary.problems)
            continue
        matching = [p for p in summary.problems if p.startswith(f"{path}:{number}: ")]
        assert len(matching) == 1, (number, summary.problems)
        assert message in matching[0]
    assert_empty(db_url)  # the good first record was not stored either


def test_skip_invalid_stores_the_good_records(db_url, tmp_path):
    summary = run_import(db_url, _bad_file(tmp_path), skip_invalid=True)
    assert summary.files_failed == [] and summary.records_invalid == len(BAD_LINES) - 1
    assert summary.documents_added == 1 and summary.spans_added == 4
    assert len(summary.problems) == len(BAD_LINES) - 1
    assert [d.title for d in contents(db_url)["documents"]] == ["Bangui attack"]


def test_cli_lists_problems_one_per_line_exits_2(db_url, tmp_path, monkeypatch, capsys):
    path = _bad_file(tmp_path)
    code, out, err = cli(monkeypatch, capsys, "import", str(path), "--db", db_url)
    assert code == 2
    lines = err.splitlines()
    assert f"{path}:2: not valid JSON" in "\n".join(lines)
    assert f"{path}:3: the record has no 'text'" in lines
    assert lines[-1] == (
        f"annotator: {len(BAD_LINES) - 1} problems in 1 file; nothing from it was stored ({path}); fix it or use --skip-invalid"
    )
    assert any(
        line.startswith("labels not in schema 'conflict' (ACTOR, LOCATION, CASUALTY, QUOTE): WEAPON (1)")
        for line in lines
    )
    assert "Traceback" not in err
    assert_empty(db_url)
    code, out, err = cli(monkeypatch, capsys, "import", str(path), "--db", db_url, "--skip-invalid")
    assert code == 0 and "1 document added" in out and f"{len(BAD_LINES) - 1} invalid records not stored" in out


def test_control_characters_in_messages_are_escaped(db_url, tmp_path, monkeypatch, capsys):
    path = jsonl(tmp_path / "evil.jsonl", {"text": "abc", "label": [[0, 3, "\x1b[31mRED"]]})
    code, out, err = cli(monkeypatch, capsys, "import", str(path), "--db", db_url)
    assert code == 2 and "\x1b" not in err and "\\x1b[31mRED" in err


def test_label_map_maps_and_drops_and_unknown_after_mapping_is_named(db_url, tmp_path):
    path = jsonl(
        tmp_path / "m.jsonl", {"text": "Ali went to Boda", "label": [[0, 3, "PER"], [12, 16, "GPE"], [4, 8, "VERB"]]}
    )
    summary = run_import(db_url, path, label_map="PER=ACTOR,VERB=-")
    assert summary.problems == [f"{path}:1: label 2: label 'GPE' is not in schema 'conflict'"]
    assert_empty(db_url)
    summary = run_import(db_url, path, label_map={"PER": "ACTOR", "VERB": "-", "GPE": "LOCATION"})
    assert summary.ok and summary.spans_added == 2 and summary.spans_dropped == 1
    assert [(s["label"], s["text"]) for s in contents(db_url)["spans"]] == [("ACTOR", "Ali"), ("LOCATION", "Boda")]


def test_crlf_inside_jsonl_text_moves_offsets(db_url, tmp_path):
    text = "Line one\r\nAli said\r\nBangui\rend"
    path = jsonl(
        tmp_path / "crlf.jsonl",
        {
            "text": text,
            "spans": [
                {"start": 10, "end": 13, "label": "ACTOR", "text": "Ali"},
                {"start": 20, "end": 26, "label": "LOCATION", "text": "Bangui"},
                {"start": 5, "end": 13, "label": "QUOTE", "text": "one\r\nAli"},
            ],
        },
    )
    run_import(db_url, path)
    got = contents(db_url)
    assert got["documents"][0].text == "Line one\nAli said\nBangui\nend"
    assert sorted((s["label"], s["text"]) for s in got["spans"]) == [
        ("ACTOR", "Ali"),
        ("LOCATION", "Bangui"),
        ("QUOTE", "one\nAli"),
    ]


# --- Prodigy -------------------------------------------------------------------------------


def test_prodigy_news_headlines(db_url):
    records = [json.loads(line) for line in PRODIGY_NEWS.read_text(encoding="utf-8").splitlines()]
    accepted = [r for r in records if r["answer"] == "accept"]
    assert (len(accepted), len(records) - len(accepted)) == (372, 1)
    expected = Counter()
    for r in accepted:
        for s in r.get("spans", []):
            label = {"PERSON": "ACTOR", "ORG": "ACTOR"}.get(s["label"], s["label"])
            if label != "PRODUCT":
                expected[(r["text"], label, s["start"], s["end"])] += 1
    summary = run_import(
        db_url, PRODIGY_NEWS, label_map="PERSON=ACTOR,ORG=ACTOR,LOCATION=LOCATION,PRODUCT=-", annotator="prodigy"
    )
    assert summary.ok
    assert (summary.records_ignored, summary.records_rejected) == (1, 0)
    assert summary.documents_added == len({r["text"] for r in accepted})
    assert summary.spans_added == len(expected)
    assert summary.spans_dropped == sum(1 for r in accepted for s in r.get("spans", []) if s["label"] == "PRODUCT")
    got = contents(db_url)
    texts = {d.title: d.text for d in got["documents"]}
    assert Counter((texts[s["doc"]], s["label"], s["start"], s["end"]) for s in got["spans"]) == expected
    assert set(got["statuses"].values()) == {"done"} and len(got["statuses"]) == summary.documents_added
    assert all(d.meta == {} and d.source == "The New York Times" for d in got["documents"])


def test_prodigy_without_label_map_fails_naming_the_labels(db_url):
    summary = run_import(db_url, PRODIGY_NEWS)
    assert summary.files_failed and set(summary.unknown_labels) == {"ORG", "PERSON", "PRODUCT"}
    assert_empty(db_url)


def test_prodigy_demo_without_trailing_newline(db_url):
    assert not PRODIGY_DEMO.read_bytes().endswith(b"\n")
    summary = run_import(db_url, PRODIGY_DEMO, label_map="PERSON=ACTOR")
    assert summary.ok and summary.documents_added == 1
    assert [(s["label"], s["text"]) for s in contents(db_url)["spans"]] == [("ACTOR", "Ed Sheeran")]


def test_prodigy_reject_and_ignore_are_counted_apart(db_url, tmp_path):
    path = jsonl(
        tmp_path / "answers.jsonl",
        {"text": "kept", "spans": [], "answer": "accept"},
        {"text": "thrown", "spans": [{"start": 0, "end": 99, "label": "NOPE"}], "answer": "reject"},
        {"text": "skipped", "answer": "ignore"},
        {"text": "skipped again", "answer": "ignore"},
    )
    summary = run_import(db_url, path)
    assert summary.ok and (summary.documents_added, summary.records_rejected, summary.records_ignored) == (1, 1, 2)
    assert "1 rejected and 2 ignored records (no annotations)" in summary.line()
    assert [d.text for d in contents(db_url)["documents"]] == ["kept"]


REL_SCHEMA = {
    "name": "genia-rel",
    "version": 1,
    "labels": [
        {
            "name": "GGP",
            "key": "g",
            "colour": "#112233",
            "attributes": [
                {"name": name, "kind": "link", "target": "GGP", "many": True, "relation": relation}
                for name, relation in (
                    ("pos_reg", "Pos-Reg"),
                    ("neg_reg", "Neg-Reg"),
                    ("reg", "Reg"),
                    ("binds", "Binds"),
                )
            ],
        }
    ],
}


def test_prodigy_relations_become_links(db_url):
    records = [json.loads(line) for line in PRODIGY_REL.read_text(encoding="utf-8").splitlines()]
    expected_links = {
        (r["text"], rel["label"], rel["head_span"]["start"], rel["child_span"]["start"])
        for r in records
        for rel in r.get("relations", [])
        if rel["label"] != "No-rel"
    }
    summary = run_import(db_url, PRODIGY_REL, schema=schema_from(REL_SCHEMA), label_map="No-rel=-")
    assert summary.ok, summary.problems[:3]
    assert summary.documents_added == len({r["text"] for r in records})
    assert summary.links_added == len(expected_links)
    got = contents(db_url)
    assert len(got["links"]) == len(expected_links)
    assert {relation for _h, _ht, relation, _a, _c in got["links"]} == {"Pos-Reg", "Neg-Reg", "Reg", "Binds"}


def test_prodigy_relations_need_a_fitting_schema(db_url):
    summary = run_import(db_url, PRODIGY_REL, schema=schema_from(REL_SCHEMA))
    assert summary.files_failed
    assert any(
        "relation 'No-rel' from GGP to GGP fits no link attribute of schema 'genia-rel'" in p for p in summary.problems
    )
    assert_empty(db_url)


# --- doccano -------------------------------------------------------------------------------


def test_doccano_test_fixture_fails_on_the_record_without_text(db_url):
    summary = run_import(db_url, DOCCANO_TEST, label_map="LOC=LOCATION,PER=ACTOR")
    assert summary.problems == [f"{DOCCANO_TEST}:3: the record has no 'text'"]
    assert_empty(db_url)
    summary = run_import(db_url, DOCCANO_TEST, label_map="LOC=LOCATION,PER=ACTOR", skip_invalid=True)
    assert (summary.documents_added, summary.spans_added, summary.records_invalid) == (2, 1, 1)
    got = contents(db_url)
    assert sorted(d.text for d in got["documents"]) == ["exampleA", "exampleB"]
    assert {d.text: d.meta for d in got["documents"]} == {"exampleA": {"wikiPageID": 1}, "exampleB": {"wikiPageID": 2}}
    assert [(s["label"], s["text"]) for s in got["spans"]] == [("LOCATION", "e")]


def test_doccano_overlapping_duplicate_span_is_one_span(db_url):
    summary = run_import(
        db_url, DOCCANO / "data_import/tests/data/sequence_labeling/example_overlapping.jsonl", label_map="LOC=LOCATION"
    )
    assert summary.ok and summary.spans_added == 1


@pytest.mark.parametrize("which", ["data_export", "data_import"])
def test_doccano_sequence_labelling_examples(db_url, which):
    path = DOCCANO / which / "pipeline/examples/sequence_labeling/example.jsonl"
    summary = run_import(db_url, path, label_map="ORG=ACTOR,PERSON=ACTOR,MISC=-")
    assert summary.ok and summary.documents_added == 3
    spans = sorted((s["label"], s["text"]) for s in contents(db_url)["spans"])
    assert ("ACTOR", "EU") in spans and ("ACTOR", "Peter Blackburn") in spans and ("ACTOR", "Obama") in spans


def test_doccano_entities_and_relations(db_url):
    schema = schema_from(
        {
            "name": "founding",
            "version": 1,
            "labels": [
                {
                    "name": "ORG",
                    "key": "o",
                    "colour": "#000000",
                    "attributes": [
                        {
                            "name": "founded_by",
                            "kind": "link",
                            "target": "PERSON",
                            "many": True,
                            "relation": "foundedBy",
                        }
                    ],
                },
                {"name": "PERSON", "key": "p", "colour": "#000000"},
                {"name": "DATE", "key": "d", "colour": "#000000"},
            ],
        }
    )
    path = DOCCANO / "data_import/pipeline/examples/relation_extraction/example.jsonl"
    summary = run_import(db_url, path, schema=schema, label_map="foundedAt=-")
    assert summary.ok, summary.problems
    assert summary.spans_added == 4 and summary.links_added == 2
    assert sorted(link[-1] for link in contents(db_url)["links"]) == ["Larry Page", "Sergey Brin"]


def test_doccano_pretty_printed_json_is_not_jsonl(db_url):
    path = DOCCANO / "data_export/pipeline/examples/relation_extraction/example.jsonl"
    summary = run_import(db_url, path)
    assert summary.files_failed and all("not valid JSON" in p for p in summary.problems)
    assert summary.problems[0].startswith(f"{path}:1: not valid JSON")
    assert_empty(db_url)


def test_non_utf8_jsonl_is_decoded_and_named(db_url, tmp_path):
    path = write(
        tmp_path / "utf16.jsonl",
        (json.dumps({"text": "Bangui, café", "label": [[0, 6, "LOCATION"]]}, ensure_ascii=False) + "\n").encode(
            "utf-16"
        ),
    )
    summary = run_import(db_url, path)
    assert summary.ok and summary.notes == [f"{path}: not UTF-8; decoded as utf-16"]
    assert [s["text"] for s in contents(db_url)["spans"]] == ["Bangui"]


def test_empty_and_binary_jsonl_are_refused(db_url, tmp_path):
    write(tmp_path / "empty.jsonl", b"")
    write(tmp_path / "binary.jsonl", b"\x00\x01\x02{}")
    summary = run_import(db_url, tmp_path)
    assert sorted(summary.refused) == [
        f"{tmp_path / 'binary.jsonl'}: refused: binary file (it contains NUL bytes)",
        f"{tmp_path / 'empty.jsonl'}: refused: empty file",
    ]
    assert_empty(db_url)


# --- the span-text invariant (hypothesis) ----------------------------------------------------

_alphabet = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


@st.composite
def texts_and_spans(draw):
    text = draw(st.text(alphabet=st.one_of(_alphabet, st.sampled_from("😀🇫🇷𝄞\r\n é")), min_size=1, max_size=60))
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append(
            {
                "start": start,
                "end": end,
                "label": draw(st.sampled_from(["ACTOR", "LOCATION", "CASUALTY", "QUOTE"])),
                "text": text[start:end],
            }
        )
    return text, spans


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=texts_and_spans())
def test_imported_spans_always_cut_their_text_from_the_document(db_url, tmp_path_factory, case):
    import uuid

    from sqlmodel import Session, select

    from annotator.store.engine import get_engine
    from annotator.store.models import Annotator, Document, Span

    text, spans = case
    who = uuid.uuid4().hex  # examples share the database: look at this example's spans only
    path = jsonl(tmp_path_factory.mktemp("prop") / "p.jsonl", {"text": text, "spans": spans})
    summary = run_import(db_url, path, annotator=who)

    with Session(get_engine(db_url)) as s:
        doc = s.exec(
            select(Document).where(Document.sha256 == text_sha256(text.replace("\r\n", "\n").replace("\r", "\n")))
        ).first()
        if summary.problems:  # only a span that held nothing but the CR of a CRLF can be refused
            assert all("holds only a line break" in p for p in summary.problems)
            return
        assert doc is not None and doc.text == text.replace("\r\n", "\n").replace("\r", "\n")
        stored = s.exec(
            select(Span)
            .join(Annotator, Annotator.id == Span.annotator_id)
            .where(Span.document_id == doc.id, Annotator.name == who)
        ).all()
        assert {(sp.label, doc.text[sp.start : sp.end]) for sp in stored} >= {
            (sp["label"], sp["text"].replace("\r\n", "\n").replace("\r", "\n"))
            for sp in spans
            if "\r" not in sp["text"]
        }
        for sp in stored:
            assert 0 <= sp.start < sp.end <= len(doc.text)
        if "\r" not in text:  # no line endings to fold: offsets are kept exactly
            assert {(sp.label, sp.start, sp.end) for sp in stored} == {
                (sp["label"], sp["start"], sp["end"]) for sp in spans
            }
