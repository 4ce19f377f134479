"""Fuzzing the importers: every input ends in a clean import or a one-line error — never a
traceback, a hang, or part of a file stored.

Hypothesis drives the JSONL reader (valid records must import exactly; mutated bytes —
truncation, NUL bytes, flipped bytes — must fail cleanly) and throws random bytes at every
format. Then hand-made malformed files go through the real CLI: truncated UTF-8, NUL bytes,
a 50 MB single line, deeply nested JSON, huge span lists, UTF-16 (JavaScript) offsets and
lone surrogates around astral characters.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.errors import UserError
from annotator.schemas.labels import load_default_schema
from annotator.services.importing import import_paths
from annotator.store.engine import get_engine

SCHEMA = load_default_schema()
LABELS = ("ACTOR", "LOCATION", "CASUALTY", "QUOTE")
_files = itertools.count()
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# Text with astral characters (🙂, 𝔘), combining marks, RTL, controls — but no CR (it is
# normalised to LF, which moves offsets) and no NUL (refused) in the *valid* records.
TEXT_CHARS = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\r\x00"),
    st.sampled_from(["🙂", "𝔘", "👩", "\u200d", "é", "\u0301", "\u202e", "ا", " ", "\n"]),
)


def _counts(db_url: str) -> tuple[int, int, int]:
    with get_engine(db_url).connect() as conn:
        return tuple(conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() for t in ("document", "span", "link"))  # type: ignore[return-value]


def _import(db_url: str, folder: Path, name: str, data: bytes):
    path = folder / f"{next(_files)}-{name}"
    path.write_bytes(data)
    before = _counts(db_url)
    try:
        summary = import_paths(get_engine(db_url), [path], annotator="fuzz", schema=SCHEMA)
    except UserError as exc:  # allowed: one line, nothing stored
        assert "\n" not in str(exc)
        assert _counts(db_url) == before
        return None, before
    after = _counts(db_url)
    if not summary.ok:  # any problem: nothing at all from this file
        assert after == before, summary.problems[:3] + summary.refused[:3]
        assert summary.problems or summary.refused
        assert all("\n" not in line for line in summary.problems + summary.refused)
    else:
        assert after[0] - before[0] == summary.documents_added
    _check_store(db_url)
    return summary, before


def _check_store(db_url: str) -> None:
    """Whatever is stored is whole: spans inside their text, text free of surrogates and NUL."""
    with get_engine(db_url).connect() as conn:
        bad = conn.execute(
            sa.text(
                'SELECT count(*) FROM span s JOIN document d ON d.id = s.document_id WHERE s."end" > length(d.text) OR s.start < 0'
            )
        ).scalar()
        assert bad == 0
        for (text,) in conn.execute(sa.text("SELECT text FROM document")):
            text.encode("utf-8")  # no lone surrogates
            assert "\x00" not in text
        # names, titles and sources hold no control characters, on SQLite as on PostgreSQL
        labels = [row[0] for row in conn.execute(sa.text("SELECT name FROM annotator"))]
        for title, source in conn.execute(sa.text("SELECT title, source FROM document")):
            labels += [title, source]
        for value in labels:
            value.encode("utf-8")
            assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value), repr(value)


@st.composite
def records(draw):
    text = draw(st.text(TEXT_CHARS, min_size=1, max_size=60).filter(lambda t: t.strip()))
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        span = {"start": start, "end": end, "label": draw(st.sampled_from(LABELS))}
        if draw(st.booleans()):
            span["text"] = text[start:end]
        spans.append(span)
    return {"text": text, "spans": spans}


@pytest.mark.slow
@FUZZ
@given(batch=st.lists(records(), min_size=1, max_size=4), ascii_only=st.booleans())
def test_valid_jsonl_imports_exactly(db_url, tmp_path_factory, batch, ascii_only):
    folder = tmp_path_factory.mktemp("fuzz")
    data = "".join(json.dumps(r, ensure_ascii=ascii_only) + "\n" for r in batch).encode("utf-8")
    summary, _ = _import(db_url, folder, "valid.jsonl", data)
    assert summary is not None and summary.ok, summary.problems if summary else None
    from sqlmodel import Session, select

    from annotator.services import corpus
    from annotator.store.models import Span

    with Session(get_engine(db_url)) as s:
        for record in batch:
            doc = corpus.find_document_by_sha(s, corpus.text_sha256(record["text"]))
            assert doc is not None and doc.text == record["text"]
            stored = {(x.label, x.start, x.end) for x in s.exec(select(Span).where(Span.document_id == doc.id))}
            # a text given twice in one batch is one document: its spans are the union
            wanted = {
                (sp["label"], sp["start"], sp["end"]) for r in batch if r["text"] == record["text"] for sp in r["spans"]
            }
            assert stored >= wanted
            for _label, start, end in stored:
                assert 0 <= start < end <= len(doc.text)


@st.composite
def mutated(draw):
    batch = draw(st.lists(records(), min_size=1, max_size=3))
    data = bytearray("".join(json.dumps(r, ensure_ascii=draw(st.booleans())) + "\n" for r in batch).encode("utf-8"))
    kind = draw(st.sampled_from(["truncate", "nul", "flip", "splice"]))
    at = draw(st.integers(0, len(data) - 1))
    if kind == "truncate":
        del data[at:]
    elif kind == "nul":
        data[at:at] = b"\x00"
    elif kind == "flip":
        data[at] = draw(st.integers(0, 255))
    else:
        data[at:at] = draw(
            st.sampled_from([b"\xf0\x9f", b"\\ud83d", b'"}', b"]]]]", b"\xed\xa0\x80", b"\n{}\n", b"\r"])
        )
    return bytes(data)


@pytest.mark.slow
@FUZZ
@given(data=mutated())
def test_mutated_jsonl_fails_cleanly_or_imports_whole(db_url, tmp_path_factory, data):
    _import(db_url, tmp_path_factory.mktemp("fuzz"), "mutated.jsonl", data)


@pytest.mark.slow
@FUZZ
@given(data=st.binary(min_size=0, max_size=3000), name=st.sampled_from(["x.txt", "x.jsonl", "x.conll", "x.md"]))
def test_random_bytes_fail_cleanly(db_url, tmp_path_factory, data, name):
    _import(db_url, tmp_path_factory.mktemp("fuzz"), name, data)


@pytest.mark.slow
@FUZZ
@given(
    txt=st.text(TEXT_CHARS, min_size=1, max_size=80),
    ann=st.binary(max_size=400) | st.text(max_size=300).map(lambda t: t.encode("utf-8")),
)
def test_random_brat_fails_cleanly(db_url, tmp_path_factory, txt, ann):
    folder = tmp_path_factory.mktemp("fuzz")
    stem = f"b{next(_files)}"
    (folder / f"{stem}.txt").write_text(txt, encoding="utf-8")
    before = _counts(db_url)
    (folder / f"{stem}.ann").write_bytes(ann)
    summary = import_paths(get_engine(db_url), [folder / f"{stem}.ann"], annotator="fuzz", schema=SCHEMA)
    if not summary.ok:
        assert _counts(db_url) == before
    _check_store(db_url)


ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=240) | st.sampled_from(
    ["", " ", "a" * 200, "é" * 201, "x\x00y", "\x1b[2J", "a\u2028b"]
)


@pytest.mark.slow
@FUZZ
@given(annotator=ANY_TEXT, title=ANY_TEXT, source=ANY_TEXT)
def test_any_annotator_title_or_source_imports_cleanly_or_is_one_problem(
    db_url, tmp_path_factory, annotator, title, source
):
    """SQLite would store a NUL or a 300-character name that PostgreSQL refuses: both backends
    must end the same way, as a clean import or one problem on the record's line."""
    record = {
        "text": "Seleka rebels.",
        "spans": [{"start": 0, "end": 6, "label": "ACTOR"}],
        "annotator": annotator,
        "meta": {"title": title, "source": source},
    }
    summary, _ = _import(db_url, tmp_path_factory.mktemp("fuzz"), "names.jsonl", (json.dumps(record) + "\n").encode())
    assert summary is not None
    name = annotator.strip()
    if not name or len(name) > 200 or any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") for ch in name):
        assert not summary.ok and len(summary.problems) == 1 and "names.jsonl:1: 'annotator'" in summary.problems[0]
    else:
        assert summary.ok, summary.problems


# A word as people write them: lower case, Capitalised or ALL CAPS, with an accented letter.
WESTERN_WORD = st.builds(
    lambda head, accent, tail, case: case(head + accent + tail),
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6),
    st.sampled_from(list("éèêëàâäîïôöûüùçñøåæœ")),
    st.text("abcdefghijklmnopqrstuvwxyz", max_size=6),
    st.sampled_from([str.lower, str.capitalize, str.upper]),
)


@FUZZ
@given(
    words=st.lists(
        st.one_of(WESTERN_WORD, st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)), min_size=1, max_size=30
    ),
    encoding=st.sampled_from(["latin-1", "cp1252"]),
)
def test_short_western_texts_in_latin1_or_cp1252_decode_as_written(words, encoding):
    from annotator.services.importing.decode import decode_bytes

    text = " ".join(words) + "."
    data = text.encode(encoding, errors="ignore")
    if data.isascii():
        return
    assert decode_bytes(data).text == data.decode(encoding)


# ---- hand-made malformed files, through the real command line -------------------------

ASTRAL = "Refugees 🙂 fled 𝔘𝔑 Bangui"


def _malformed(kind: str, folder: Path) -> Path:
    """One malformed input file of each kind."""
    if kind == "truncated_utf8_txt":
        path, data = folder / "cut.txt", ("Les réfugiés ont quitté Bangui 🙂 " * 50).encode("utf-8")[:-2]
    elif kind == "truncated_utf8_jsonl":
        path, data = folder / "cut.jsonl", (json.dumps({"text": ASTRAL}, ensure_ascii=False) + "\n").encode("utf-8") * 3
        data = data[: len(data) - 6]
    elif kind == "nul_bytes_txt":
        path, data = folder / "nul.txt", b"Seleka rebels\x00 left Bangui\n"
    elif kind == "nul_escape_jsonl":
        path, data = folder / "nul.jsonl", b'{"text": "Seleka\\u0000 rebels"}\n'
    elif kind == "one_50mb_line_jsonl":
        path, data = folder / "long.jsonl", b'{"text": "' + b"a" * (50 << 20) + b"\n"  # never closed
    elif kind == "one_50mb_line_conll":
        path, data = folder / "long.conll", b"tok " * (50 << 18) + b"B-ACTOR\n"
    elif kind == "deeply_nested_json":
        path, data = folder / "deep.jsonl", b'{"text": "abc", "meta": ' + b"[" * 200_000 + b"]" * 200_000 + b"}\n"
    elif kind == "deeply_nested_spans":
        path, data = folder / "deep2.jsonl", b'{"text": "abc", "spans": [' + b"[" * 5000 + b"]" * 5000 + b"]}\n"
    elif kind == "huge_invalid_span_list":
        path, data = folder / "many.jsonl", json.dumps({"text": "abcdef", "spans": [0] * 200_000}).encode()
    elif kind == "huge_valid_span_list":
        text = "Bangui " * 3000
        spans = [{"start": 7 * i, "end": 7 * i + 6, "label": "LOCATION"} for i in range(3000)]
        path, data = folder / "valid-many.jsonl", json.dumps({"text": text, "spans": spans}).encode()
    elif kind == "utf16_offsets_astral":
        # a JavaScript tool counted UTF-16 units: 🙂 and 𝔘𝔑 are 2 units each, so its
        # "Bangui" is at 23-29; in code points it is at 20-26
        path, data = (
            folder / "js.jsonl",
            json.dumps(
                {"text": ASTRAL, "spans": [{"start": 23, "end": 29, "label": "LOCATION", "text": "Bangui"}]}
            ).encode(),
        )
    elif kind == "span_splits_surrogate_pair":
        path, data = (
            folder / "half.jsonl",
            json.dumps(
                {"text": ASTRAL, "spans": [{"start": 9, "end": 10, "label": "ACTOR", "text": "\ud83d"}]}
            ).encode(),
        )
    elif kind == "lone_surrogate_text":
        path, data = (
            folder / "lone.jsonl",
            b'{"text": "Bangui \\ud83d fled", "spans": [{"start": 0, "end": 6, "label": "LOCATION"}]}\n',
        )
    elif kind == "cesu8_surrogates_txt":
        path, data = folder / "cesu.txt", b"Bangui \xed\xa0\xbd\xed\xb8\x82 fled\n"
    elif kind == "doccano_astral_offsets_past_end":
        path, data = folder / "doccano.jsonl", json.dumps({"text": "🙂🙂", "label": [[0, 4, "ACTOR"]]}).encode()
    else:  # pragma: no cover
        raise AssertionError(kind)
    path.write_bytes(data)
    return path


CLEAN = {"huge_valid_span_list"}  # must import
EITHER = {"one_50mb_line_conll"}  # one token with 13 million feature columns: CoNLL may take it
KINDS = [
    "truncated_utf8_txt",
    "truncated_utf8_jsonl",
    "nul_bytes_txt",
    "nul_escape_jsonl",
    "one_50mb_line_jsonl",
    "one_50mb_line_conll",
    "deeply_nested_json",
    "deeply_nested_spans",
    "huge_invalid_span_list",
    "huge_valid_span_list",
    "utf16_offsets_astral",
    "span_splits_surrogate_pair",
    "lone_surrogate_text",
    "cesu8_surrogates_txt",
    "doccano_astral_offsets_past_end",
]


SUBPROCESS = {"one_50mb_line_jsonl", "huge_invalid_span_list"}  # the rest run main() in this process (faster)


def _run_cli(path: Path, db_url: str, *, subprocess_: bool, monkeypatch, capsys) -> subprocess.CompletedProcess:
    args = ["import", str(path), "--db", db_url]
    if subprocess_:
        return subprocess.run(
            [sys.executable, "-m", "annotator", *args],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=300,
            env=dict(os.environ),
        )
    from annotator.cli import main

    monkeypatch.setattr(sys, "argv", ["annotator", *args])
    try:
        main()  # an uncaught exception here is the traceback a user would see: the test fails
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out.out, out.err)


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_malformed_file_through_the_cli(kind, db_url, tmp_path, monkeypatch, capsys):
    path = _malformed(kind, tmp_path)
    result = _run_cli(path, db_url, subprocess_=kind in SUBPROCESS, monkeypatch=monkeypatch, capsys=capsys)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode in (0, 2), result.stderr[-3000:]
    docs, spans, _ = _counts(db_url)
    if kind in CLEAN:
        assert result.returncode == 0, result.stderr[-2000:]
        assert (docs, spans) == (1, 3000)
    elif kind in EITHER and result.returncode == 0:
        assert docs == 1
    else:
        assert result.returncode == 2
        assert (docs, spans) == (0, 0)  # nothing half-stored
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("annotator: ") and len(last) < 500
        assert len(result.stderr.splitlines()) <= 120, "the problems should be summarised, not all printed"
    _check_store(db_url)
