"""Exports and reports under hostile conditions (issue 13, sections 4 and 5): a full disk,
the umask, bidi controls in JSON reports, a database from a newer migration."""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import sqlite3
import stat
import string
import subprocess
import sys
from pathlib import Path

import pytest
from import_support import cli, outside_the_checkout  # noqa: F401

from annotator.store.models import Status

ANNOTATOR = str(Path(sys.executable).with_name("annotator"))
FORMATS = ["jsonl", "docs", "doccano", "conll", "brat", "spacy", "events", "label-studio"]


def run(
    *args: str, preexec=None, stdout=subprocess.PIPE, umask: int | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    def before() -> None:
        if umask is not None:
            os.umask(umask)
        if preexec is not None:
            preexec()

    return subprocess.run(
        [ANNOTATOR, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        preexec_fn=before,
        cwd=cwd,
        env={**os.environ, "ANNOTATOR_USER": "tester"},
    )


@pytest.fixture
def big_db(tmp_path, schema) -> str:
    """A SQLite corpus whose every export is far over 100 kB (spans included)."""
    url = f"sqlite:///{tmp_path / 'big.db'}"
    rng = random.Random(13)  # random words: even the compressed spaCy DocBin is far over 100 kB
    sentences, spans, at = [], [], 0
    for _ in range(3000):
        words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(12)]
        sentence = " ".join(words).capitalize() + ". "
        spans.append({"start": at, "end": at + len(words[0]), "label": "ACTOR"})
        spans.append(
            {"start": at + len(words[0]) + 1, "end": at + len(words[0]) + 1 + len(words[1]), "label": "CASUALTY"}
        )
        sentences.append(sentence)
        at += len(sentence)
    record = {"text": "".join(sentences), "spans": spans, "status": "done"}
    (tmp_path / "big.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run("import", str(tmp_path / "big.jsonl"), "--db", url, "--as", "alice")
    assert result.returncode == 0, result.stderr
    return url


def _file_size_limit() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_a_full_disk_is_one_line_and_leaves_nothing(big_db, tmp_path, fmt):
    target = tmp_path / "out" / f"export-{fmt}"
    target.parent.mkdir()
    result = run("export", "--format", fmt, "--db", big_db, "--out", str(target), preexec=_file_size_limit)
    assert result.returncode == 2
    assert result.stderr == f"annotator: {target}: cannot write the export (File too large); nothing was written\n"
    assert os.listdir(target.parent) == []  # neither the target nor a work file


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "brat"])
def test_export_to_standard_output_on_a_full_disk_is_one_line(big_db, fmt):
    with open("/dev/full", "wb") as full:
        result = run("export", "--format", fmt, "--db", big_db, stdout=full)
    assert result.returncode == 2
    assert (
        result.stderr
        == "annotator: standard output: cannot write the export (No space left on device); nothing was written\n"
    )


@pytest.mark.parametrize("fmt", ["jsonl", "brat", "label-studio"])
def test_exports_follow_the_umask_and_force_keeps_the_mode(big_db, tmp_path, fmt):
    target = tmp_path / f"shared-{fmt}"
    assert run("export", "--format", fmt, "--db", big_db, "--out", str(target), umask=0o022).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == (0o755 if fmt == "brat" else 0o644)
    if fmt == "label-studio":
        assert stat.S_IMODE((tmp_path / f"shared-{fmt}.label-config.xml").stat().st_mode) == 0o644
    if fmt == "brat":
        assert {stat.S_IMODE(p.stat().st_mode) for p in target.rglob("*") if p.is_file()} == {0o644}
    assert run("export", "--format", fmt, "--db", big_db, "--out", str(tmp_path / "group"), umask=0o007).returncode == 0
    assert stat.S_IMODE((tmp_path / "group").stat().st_mode) == (0o770 if fmt == "brat" else 0o660)
    target.chmod(0o640 if fmt != "brat" else 0o750)
    assert run("export", "--format", fmt, "--db", big_db, "--out", str(target), "--force", umask=0o022).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == (0o750 if fmt == "brat" else 0o640)


def test_bidi_controls_never_reach_stdout_raw_in_json_reports(db_url, schema, monkeypatch, capsys, tmp_path):
    from annotator.services import annotations as ann
    from annotator.services import corpus
    from annotator.services import spans as span_ops
    from annotator.store.engine import get_engine, session_scope

    evil = "ali\u202eecila\u2066"
    with session_scope(get_engine(db_url)) as s:
        row = corpus.register_schema(s, schema)
        doc, _ = corpus.add_document(s, text="Seleka rebels attacked Bangui.", title="t\u202eitle", source="a.txt")
        for name in (evil, "bob"):
            who = corpus.get_or_create_annotator(s, name)
            span_ops.add_span(
                s, document=doc, annotator_id=who.id, schema_id=row.id, schema=schema, label="ACTOR", start=0, end=6
            )
            ann.set_status(s, document_id=doc.id, annotator_id=who.id, status=Status.DONE)
    for args in (("stats", "--format", "json"), ("agreement", "--format", "json")):
        code, out, err = cli(monkeypatch, capsys, *args, "--db", db_url)
        assert code == 0, err
        assert "\u202e" not in out and "\u2066" not in out and "\\u202e" in out
        assert evil in json.dumps(json.loads(out), ensure_ascii=False)  # the same JSON to a parser


def test_a_database_from_a_newer_migration_is_one_line_for_every_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'future.db'}"
    assert run("db", "upgrade", "--db", url).returncode == 0  # creates it
    with sqlite3.connect(tmp_path / "future.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    (tmp_path / "a.txt").write_text("Bangui.\n", encoding="utf-8")
    expected = (
        f"annotator: the database {url} is at migration 9999_from_the_future, which this annotator does not know: "
        "a newer version of annotator made it; upgrade annotator to use this database\n"
    )
    for args in (
        ["stats"],
        ["export"],
        ["agreement"],
        ["db", "upgrade"],
        ["import", str(tmp_path / "a.txt")],
        ["suggest"],
        ["review"],
    ):
        result = run(*args, "--db", url)
        assert (result.returncode, result.stderr) == (2, expected), args
    result = run("db", "current", "--db", url)
    assert result.returncode == 0 and "made by a newer annotator" in result.stdout


@pytest.mark.postgres
def test_db_upgrade_on_a_postgres_database_from_a_newer_migration_is_one_line(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    engine.dispose()
    result = run("db", "upgrade", "--db", db_url)
    assert result.returncode == 2 and result.stderr.startswith("annotator: the database ")
    assert "is at migration 9999_from_the_future, which this annotator does not know" in result.stderr
    assert len(result.stderr.splitlines()) == 1
