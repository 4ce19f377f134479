"""What SQLite would store but PostgreSQL refuses is refused (or cleaned) alike on both:
NUL and other control characters in annotator names, titles and sources, annotator names
over 200 characters, NUL in document text, lone surrogates in JSON strings and in file names.

Annotator names are identities: a bad one is a one-line problem naming the file and line
(or ``--as``). Titles and sources are labels for people: their control characters are
removed (tabs and line breaks become spaces) and the import says so.
"""

from __future__ import annotations

import json
import os

import pytest
from import_support import assert_empty, cli, contents, run_import, write

TEXT = "Seleka rebels attacked Bangui."


def record(**fields):
    base = {"text": TEXT, "spans": [{"start": 0, "end": 6, "label": "ACTOR"}]}
    base.update(fields)
    return json.dumps(base) + "\n"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bob\u0000x", "'annotator': the annotator name 'bob\\x00x' holds a control character ('\\x00')"),
        ("bo\u001bb", "'annotator': the annotator name 'bo\\x1bb' holds a control character ('\\x1b')"),
        ("bo\tb", "'annotator': the annotator name 'bo\\tb' holds a control character ('\\t')"),
        ("bo\u2028b", "holds a control character ('\\u2028')"),
        ("b" * 201, "'annotator': annotator names are at most 200 characters; "),
    ],
    ids=["nul", "esc", "tab", "line-separator", "201-chars"],
)
def test_bad_annotator_names_are_a_problem_on_their_line_on_both_backends(
    db_url, tmp_path, monkeypatch, capsys, name, message
):
    path = write(tmp_path / "names.jsonl", record(text="First document.", spans=[]) + record(annotator=name))
    code, out, err = cli(monkeypatch, capsys, "import", str(path), "--db", db_url)
    assert code == 2 and "Traceback" not in err
    (line,) = [e for e in err.splitlines() if e.startswith(f"{path}:")]
    assert line.startswith(f"{path}:2: ") and message in line
    assert err.splitlines()[-1].startswith("annotator: 1 problem in 1 file; nothing from it was stored")
    assert_empty(db_url)  # not even the good first record


def test_a_200_character_name_is_fine(db_url, tmp_path):
    write(tmp_path / "ok.jsonl", record(annotator="é" * 200))
    summary = run_import(db_url, tmp_path / "ok.jsonl")
    assert summary.ok and contents(db_url)["annotators"] == ["é" * 200]


@pytest.mark.parametrize(
    "name", ["nul\u0000", "x" * 201, "new\nline", "\udcff"], ids=["nul", "long", "newline", "not-utf8"]
)
def test_bad_as_name_is_one_line_before_anything_is_read(db_url, tmp_path, monkeypatch, capsys, name):
    write(tmp_path / "a.txt", "A document.\n")
    code, out, err = cli(monkeypatch, capsys, "import", str(tmp_path / "a.txt"), "--as", name, "--db", db_url)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert err.startswith("annotator: --as: ")
    assert_empty(db_url)


def test_titles_and_sources_lose_control_characters_on_both_backends(db_url, tmp_path, monkeypatch, capsys):
    path = write(
        tmp_path / "meta.jsonl",
        record(meta={"title": "Ti\u0000tle\u001b[31m\nred", "source": "feed\u0000/\t42"})
        + record(text="Another document.", spans=[], meta={"title": "Plain title"}),
    )
    code, out, err = cli(monkeypatch, capsys, "import", str(path), "--db", db_url)
    assert code == 0, err
    assert f"{path}: 1 title or source held control characters (removed; line breaks and tabs became spaces)" in err
    docs = {d.text: d for d in contents(db_url)["documents"]}
    assert (docs[TEXT].title, docs[TEXT].source) == ("Title[31m red", "feed/ 42")
    assert docs["Another document."].title == "Plain title"
    assert docs[TEXT].text == TEXT  # the text itself is never changed


def test_a_headline_with_escape_codes_and_a_file_name_that_is_not_utf8(db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = os.fsdecode(b"caf\xe9-news.txt")  # Latin-1 bytes in a file name: a lone surrogate in Python
    (tmp_path / name).write_bytes(b"\x1b[1mBold headline\x1b[0m\n\nBody.\n")
    summary = run_import(db_url, tmp_path)
    assert summary.ok, summary.refused
    (doc,) = contents(db_url)["documents"]
    assert doc.source == "caf\ufffd-news.txt"
    assert doc.title == "[1mBold headline[0m"
    assert doc.text == "\x1b[1mBold headline\x1b[0m\n\nBody.\n"


def test_nul_in_document_text_is_one_clear_line_on_both_backends(db_url, tmp_path, monkeypatch, capsys):
    path = write(tmp_path / "nul.jsonl", '{"text": "Seleka\\u0000 rebels"}\n')
    code, out, err = cli(monkeypatch, capsys, "import", str(path), "--db", db_url)
    assert code == 2 and "Traceback" not in err
    assert (
        f"{path}:1: 'text' contains a NUL character (U+0000, at offset 6), which databases cannot store; remove it"
        in err.splitlines()
    )
    assert_empty(db_url)


@pytest.mark.parametrize(
    "line",
    [
        '{"text": "Bangui \\ud800 fled"}',
        '{"text": "Bangui \\udc00 fled"}',
        '{"text": "Bangui fled", "annotator": "al\\ud83dice"}',
        '{"text": "Bangui fled", "meta": {"title": "\\udfff"}}',
    ],
    ids=["high", "low", "annotator", "title"],
)
def test_lone_surrogates_in_json_are_one_clear_line(db_url, tmp_path, monkeypatch, capsys, line):
    path = write(tmp_path / "lone.jsonl", line + "\n")
    code, out, err = cli(monkeypatch, capsys, "import", str(path), "--db", db_url)
    assert code == 2 and "Traceback" not in err
    (problem,) = [e for e in err.splitlines() if e.startswith(f"{path}:")]
    assert problem.startswith(f"{path}:1: not valid JSON: a \\u escape is half of a UTF-16 surrogate pair (")
    assert_empty(db_url)
