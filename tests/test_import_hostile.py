"""Hostile input never hangs, crashes or corrupts (issue 13, section 5).

The special files are made at run time (FIFO, symlinks to devices, link loops), and the CLI
runs as a real subprocess with a timeout, so a hang fails the test instead of stalling it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from import_support import assert_empty, contents, outside_the_checkout, run_import, write  # noqa: F401

ANNOTATOR = [str(Path(sys.executable).with_name("annotator"))]


def run_cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANNOTATOR_USER": "tester"}
    return subprocess.run([*ANNOTATOR, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_special_files_in_a_folder_are_named_and_the_good_files_imported(db_url, tmp_path):
    folder = tmp_path / "corpus"
    write(folder / "good.txt", "Fighting in Bangui.\n")
    write(folder / "sub" / "also good.md", "# Report\n\nDisplaced people in Bossangoa.\n")
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink("/dev/urandom", folder / "random.md")
    os.symlink(folder / "loop-b.txt", folder / "loop-a.txt")
    os.symlink(folder / "loop-a.txt", folder / "loop-b.txt")
    os.symlink(folder / "missing.txt", folder / "broken.txt")
    os.symlink(
        folder / "good.txt", folder / "link to good.txt"
    )  # a symlink to a regular file is read (the same file: once)
    write(folder / "photo.jpg", b"\xff\xd8\xff\xe0 not a document")
    result = run_cli("import", str(folder), "--db", db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    for expected in (
        "corpus/pipe.txt: skipped, not a regular file: a FIFO (named pipe)",
        "corpus/zero.txt: skipped, not a regular file: a character device",
        "corpus/random.md: skipped, not a regular file: a character device",
        "corpus/loop-a.txt: skipped, a symbolic link loop",
        "corpus/loop-b.txt: skipped, a symbolic link loop",
        "corpus/broken.txt: skipped, a broken symbolic link (its target does not exist)",
        "corpus/photo.jpg: skipped, not a document",
    ):
        assert expected in lines
    assert "Traceback" not in result.stderr
    assert (
        result.stdout.strip()
        == "2 documents added, 0 duplicates skipped, 0 spans added, 0 files refused, 7 files skipped"
    )
    assert sorted(d.text for d in contents(db_url)["documents"]) == [
        "# Report\n\nDisplaced people in Bossangoa.\n",
        "Fighting in Bangui.\n",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", ["fifo", "device", "loop"])
def test_a_special_file_named_explicitly_is_refused_in_one_line(db_url, tmp_path, kind):
    path = tmp_path / "x.txt"
    if kind == "fifo":
        os.mkfifo(path)
        reason = "not a regular file: a FIFO (named pipe)"
    elif kind == "device":
        os.symlink("/dev/zero", path)
        reason = "not a regular file: a character device"
    else:
        os.symlink(path, path)
        reason = "a symbolic link loop"
    result = run_cli("import", str(path), "--format", "text", "--db", db_url, cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert f"x.txt: refused: {reason}" in result.stderr.splitlines()
    assert result.stderr.splitlines()[-1] == "annotator: 1 file refused (see above)"


def test_whole_file_reads_are_capped(db_url, tmp_path, monkeypatch):
    from annotator.services.importing import files

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    write(tmp_path / "in" / "big.txt", "word " * 300)
    summary = run_import(db_url, tmp_path / "in" / "big.txt")
    assert summary.refused == [
        f"{tmp_path / 'in' / 'big.txt'}: refused: too large: over 1000 bytes, the most one document file may hold"
    ]


UTF8_RECORDS = [
    {"text": "Réfugiés à Bangui: 30 tués", "spans": [{"start": 11, "end": 17, "label": "LOCATION"}]},
    {"text": "Zürich and São Tomé", "spans": [{"start": 0, "end": 6, "label": "LOCATION"}]},
]


@pytest.mark.parametrize("padding", [0, 3000], ids=["in the first megabyte", "after the first megabyte"])
def test_one_invalid_byte_in_utf8_jsonl_is_reported_on_its_line_and_never_re_decoded(db_url, tmp_path, padding):
    lines = [json.dumps(UTF8_RECORDS[0], ensure_ascii=False).encode()]
    lines += [
        json.dumps({"text": f"Filler record {n} " + "é" * 400}, ensure_ascii=False).encode() for n in range(padding)
    ]
    bad = json.dumps({"text": "Bossangoa, caf\x00 au lait"}).encode().replace(b"\\u0000", b"\xe9")  # one cp1252 byte
    lines += [bad, json.dumps(UTF8_RECORDS[1], ensure_ascii=False).encode()]
    data = b"\n".join(lines) + b"\n"
    path = write(tmp_path / "in" / "mixed.jsonl", data)
    offset = data.index(b"\xe9\x20au")
    number = 2 + padding
    summary = run_import(db_url, path)
    assert summary.problems == [f"{path}:{number}: not valid UTF-8 at byte {offset} (0xe9); this record is not stored"]
    assert summary.notes == []  # no "decoded as cp1252"
    assert_empty(db_url)
    summary = run_import(db_url, path, skip_invalid=True)
    stored = {d.text for d in contents(db_url)["documents"]}
    assert {r["text"] for r in UTF8_RECORDS} <= stored and len(stored) == padding + 2
    assert [s["text"] for s in contents(db_url)["spans"]] == ["Bangui", "Zürich"]


def test_an_invalid_byte_in_a_utf8_text_file_is_refused_not_re_decoded(db_url, tmp_path):
    data = "Réfugiés à Bangui.\nLine two ".encode() + b"\x93quoted\x94.\n"
    path = write(tmp_path / "in" / "note.txt", data)
    summary = run_import(db_url, path)
    at = data.index(b"\x93")
    assert summary.refused == [
        f"{path}: refused: not valid UTF-8 at byte {at} (0x93, line 2), though it is UTF-8 elsewhere; "
        "fix that byte (it is not re-decoded)"
    ]


def test_a_text_file_with_a_few_control_characters_is_text(db_url, tmp_path):
    text = (
        "Session log\n\x1b[1mBold\x1b[0m heading, a bell\x07, a back\x08space and a form feed\x0c.\nEnd of the log.\n"
    )
    path = write(tmp_path / "in" / "log.txt", text)
    summary = run_import(db_url, path)
    assert summary.ok and summary.documents_added == 1
    assert contents(db_url)["documents"][0].text == text


def test_a_file_that_is_mostly_control_bytes_is_still_binary(db_url, tmp_path):
    path = write(tmp_path / "in" / "blob.txt", bytes(range(1, 32)) * 40)
    summary = run_import(db_url, path)
    assert summary.refused == [f"{path}: refused: binary file (it holds control characters, not text)"]


def test_brat_offsets_with_superscript_digits_are_one_problem(db_url, tmp_path):
    write(tmp_path / "in" / "a.txt", "Seleka rebels attacked Bangui.\n")
    write(tmp_path / "in" / "a.ann", "T1\tLOCATION 23 2\u00b9\tBangui\nT2\tACTOR 0 6\tSeleka\n")
    summary = run_import(db_url, tmp_path / "in" / "a.ann")
    assert summary.problems == [f"{tmp_path / 'in' / 'a.ann'}:1: T1: offsets must be '<start> <end>', got '23 2¹'"]
    assert_empty(db_url)


@pytest.mark.parametrize("ident", [[1], {"n": 1}])
def test_jsonl_ids_that_are_lists_or_objects_are_one_problem(db_url, tmp_path, ident):
    records = [
        {"text": "Bangui", "spans": [{"id": ident, "start": 0, "end": 6, "label": "LOCATION"}]},
        {"text": "Bossangoa", "entities": [{"id": ident, "start_offset": 0, "end_offset": 9, "label": "LOCATION"}]},
    ]
    path = write(tmp_path / "in" / "ids.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    summary = run_import(db_url, path)
    shown = repr(ident)
    assert summary.problems == [
        f"{path}:1: span 1: 'id' must be a string or a whole number, got {shown}",
        f"{path}:2: entity 1: 'id' must be a string or a whole number, got {shown}",
    ]


@pytest.mark.parametrize("value", [2**63, 10**30, "9" * 25])
def test_integer_attributes_beyond_64_bits_are_refused_at_import(db_url, tmp_path, value):
    record = {
        "text": "30 people were killed",
        "spans": [{"start": 0, "end": 21, "label": "CASUALTY", "attrs": {"count_min": value}}],
    }
    path = write(tmp_path / "in" / "big.jsonl", json.dumps(record) + "\n")
    summary = run_import(db_url, path)
    assert len(summary.problems) == 1
    assert summary.problems[0].startswith(f"{path}:1: span 1 ('CASUALTY'): CASUALTY.count_min is out of range (")
    assert summary.problems[0].endswith("digits); whole numbers must lie within ±2^63")
    assert_empty(db_url)


def test_an_exact_duplicate_span_is_reported_and_stored_once(db_url, tmp_path):
    span = {"start": 0, "end": 6, "label": "LOCATION"}
    path = write(
        tmp_path / "in" / "dup.jsonl", json.dumps({"text": "Bangui burns", "spans": [span, dict(span)]}) + "\n"
    )
    summary = run_import(db_url, path)
    assert summary.ok and summary.spans_added == 1
    assert summary.skipped_lines() == [
        f"skipped 1 duplicate spans (each stored once) (e.g. {path}:1: span 2 ('LOCATION'): duplicate span LOCATION 0-6 "
        "'Bangui' stored once)"
    ]
    assert len(contents(db_url)["spans"]) == 1
