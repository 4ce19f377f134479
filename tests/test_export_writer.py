"""Where exports go: refusing to overwrite, --force, atomic files and folders, stdout."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from export_seed import UID_A, UID_B, seed

from annotator.errors import UserError
from annotator.services.exporting import ExportRequest, run_export
from annotator.services.exporting.writer import _TerminalSafe, atomic_file
from annotator.store.engine import get_engine


@pytest.fixture
def seeded(db_url, schema):
    seed(db_url, schema)
    return get_engine(db_url)


@pytest.fixture
def outdir(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def test_refuses_to_overwrite_without_force(seeded, outdir):
    target = outdir / "a.jsonl"
    target.write_text("keep me\n")
    with pytest.raises(UserError, match=r"a.jsonl: already exists \(use --force to overwrite it\)"):
        run_export(seeded, ExportRequest(out=target))
    assert target.read_text() == "keep me\n"
    run_export(seeded, ExportRequest(out=target, force=True))
    assert len(target.read_text().splitlines()) == 3
    assert sorted(p.name for p in outdir.iterdir()) == ["a.jsonl"]


def test_refuses_missing_folder_and_folder_as_file(seeded, outdir):
    with pytest.raises(UserError, match="does not exist"):
        run_export(seeded, ExportRequest(out=outdir / "nope" / "a.jsonl"))
    (outdir / "dir").mkdir()
    with pytest.raises(UserError, match="is a folder"):
        run_export(seeded, ExportRequest(out=outdir / "dir", force=True))


class Boom(RuntimeError):
    pass


def fail_after(n: int):
    calls = {"n": 0}

    def hook() -> None:
        calls["n"] += 1
        if calls["n"] >= n:
            raise Boom("disk on fire")

    return hook


@pytest.mark.parametrize("fmt", ["jsonl", "conll", "events", "doccano", "docs"])
def test_failure_midway_leaves_no_file_and_no_temp_file(seeded, outdir, fmt):
    target = outdir / f"x.{fmt}"
    with pytest.raises(Boom):
        run_export(seeded, ExportRequest(format=fmt, out=target), on_document=fail_after(1), batch_size=1)
    assert list(outdir.iterdir()) == []


def test_failure_midway_keeps_the_old_file_under_force(seeded, outdir):
    target = outdir / "x.jsonl"
    target.write_text("old\n")
    with pytest.raises(Boom):
        run_export(seeded, ExportRequest(out=target, force=True), on_document=fail_after(1))
    assert target.read_text() == "old\n"
    assert [p.name for p in outdir.iterdir()] == ["x.jsonl"]


def test_brat_folder_is_atomic_too(seeded, outdir):
    target = outdir / "brat"
    with pytest.raises(Boom):
        run_export(seeded, ExportRequest(format="brat", out=target), on_document=fail_after(2))
    assert list(outdir.iterdir()) == []
    target.mkdir()
    (target / "old.ann").write_text("")
    with pytest.raises(UserError, match="already exists"):
        run_export(seeded, ExportRequest(format="brat", out=target))
    run_export(seeded, ExportRequest(format="brat", out=target, force=True, annotators=("bob",)))
    assert sorted(p.name for p in target.iterdir()) == [
        "annotation.conf",
        f"{UID_B}.ann",
        f"{UID_B}.txt",
        "visual.conf",
    ]
    assert [p.name for p in outdir.iterdir()] == ["brat"]


def test_spacy_failure_leaves_nothing(seeded, outdir):
    pytest.importorskip("spacy")
    with pytest.raises(Boom):
        run_export(seeded, ExportRequest(format="spacy", out=outdir / "t.spacy"), on_document=fail_after(2))
    assert list(outdir.iterdir()) == []


def test_keyboard_interrupt_leaves_nothing(tmp_path):
    target = tmp_path / "x.bin"
    with pytest.raises(KeyboardInterrupt):
        with atomic_file(target) as handle:
            handle.write(b"half")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_small_batches_give_the_same_export(seeded, outdir):
    """Keyset pagination: batches of one document read exactly what one batch reads."""
    run_export(seeded, ExportRequest(out=outdir / "one.jsonl"), batch_size=1)
    run_export(seeded, ExportRequest(out=outdir / "all.jsonl"), batch_size=1000)
    assert (outdir / "one.jsonl").read_bytes() == (outdir / "all.jsonl").read_bytes()
    run_export(seeded, ExportRequest(format="docs", out=outdir / "docs1.jsonl"), batch_size=1)
    assert len((outdir / "docs1.jsonl").read_text().splitlines()) == 3


def test_terminal_sink_escapes_control_characters():
    raw = io.BytesIO()
    _TerminalSafe(raw).write("ok\x1b[31mred\x07 tab\tand\nnew \u202eevil\n".encode())
    assert raw.getvalue().decode() == "ok\\u001b[31mred\\u0007 tab\tand\nnew \\u202eevil\n"


def test_cli_out_file_reports_on_stderr(seeded, db_url, outdir):
    env = dict(os.environ, ANNOTATOR_DB=db_url)
    target = outdir / "cli.conll"
    args = [sys.executable, "-m", "annotator", "export", "--format", "conll", "--out", str(target)]
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "annotator: conll: dropped 2 overlapping span(s) (the outermost span wins): 2 ACTOR",
        f"annotator: exported 3 records (8 spans) from 2 documents to {target}",
    ]
    again = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert (
        again.returncode == 2 and again.stderr == f"annotator: {target}: already exists (use --force to overwrite it)\n"
    )
    forced = subprocess.run([*args, "--force"], capture_output=True, text=True, env=env, timeout=120)
    assert forced.returncode == 0, forced.stderr
    assert target.read_text(encoding="utf-8").startswith("-DOCSTART- O\n\nSeleka B-ACTOR\n")


def test_stdout_export_is_valid_jsonl(seeded, db_url):
    env = dict(os.environ, ANNOTATOR_DB=db_url)
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "export", "--gold"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["meta"]["document_id"] for line in result.stdout.splitlines()] == [UID_A]
    assert result.stderr == ""


def test_jsonl_escapes_unicode_line_breaks_so_a_record_is_one_line():
    from annotator.services.exporting.base import jsonl_line

    record = {"text": "a\x85b\u2028c\u2029d🙂"}
    line = jsonl_line(record)
    assert line.decode("utf-8").splitlines() == [line.decode("utf-8").rstrip("\n")]
    assert json.loads(line) == record
