"""Import writes documents in batches: the same results as one at a time, races, text groups.

``batch_store.BATCH_DOCS`` is made small here so a few records cross batch boundaries. The oracle for
batching is the same records imported one file each (one record per transaction and batch).
Races: another importer storing a text after our lookup (simulated on both backends by
hiding the stored text from the lookup; for real on PostgreSQL with a second connection that
commits between our lookup and our INSERT), and two `annotator import` processes on the same
file at once. Plain-text files share a transaction per batch: a refused file stores nothing,
a database error loses the open group whole and names its files, `kill -9` loses at most the
open group (whole files), and the next run adds it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from import_support import contents, run_import, write

from annotator.errors import UserError
from annotator.services.corpus import text_sha256
from annotator.services.importing import batch_store
from annotator.store.engine import create_db_engine, get_engine

A = "Seleka rebels attacked Bangui."
B = "Anti-balaka militias fled Boda."
C = "Residents returned to Bossangoa."


def _jsonl(path: Path, records: list[dict]) -> Path:
    return write(path, "".join(json.dumps(r) + "\n" for r in records))


RECORDS = [
    {"text": A, "spans": [{"start": 0, "end": 13, "label": "ACTOR"}], "annotator": "ana", "status": "in_progress"},
    {"text": B},
    {
        "text": A,
        "spans": [{"start": 23, "end": 29, "label": "LOCATION"}, {"start": 0, "end": 13, "label": "ACTOR"}],
        "annotator": "ana",
        "status": "done",
    },
    {"text": C, "spans": [{"start": 22, "end": 31, "label": "LOCATION"}], "annotator": "bob"},
    {"text": A, "spans": [{"start": 0, "end": 13, "label": "ACTOR"}], "annotator": "bob"},
    {"text": B},
]


def _stored(db_url: str) -> dict:
    got = contents(db_url)
    return {
        "documents": [(d.text, d.title) for d in got["documents"]],
        "spans": sorted((s["doc"], s["annotator"], s["label"], s["text"]) for s in got["spans"]),
        "statuses": got["statuses"],
        "annotators": got["annotators"],
    }


def _counts(summary) -> tuple:
    return (summary.documents_added, summary.duplicates_skipped, summary.spans_added, summary.statuses_set, summary.ok)


@pytest.mark.parametrize("batch", [1, 2, 3, 500])
def test_batches_store_what_one_record_per_transaction_stores(db_url, tmp_path, monkeypatch, batch):
    monkeypatch.setattr(batch_store, "BATCH_DOCS", batch)
    summary = run_import(db_url, _jsonl(tmp_path / "all.jsonl", RECORDS))
    assert _counts(summary) == (3, 3, 4, 2, True)
    assert _stored(db_url) == {
        "documents": [(A, A), (B, B), (C, C)],  # in the order of the file
        "spans": sorted(
            [
                (A, "ana", "ACTOR", "Seleka rebels"),
                (A, "ana", "LOCATION", "Bangui"),
                (C, "bob", "LOCATION", "Bossangoa"),
                (A, "bob", "ACTOR", "Seleka rebels"),
            ]
        ),
        "statuses": {(A, "ana"): "done"},
        "annotators": ["ana", "bob"],
    }


def test_one_file_per_record_is_the_oracle(db_url, tmp_path):
    paths = [_jsonl(tmp_path / "one" / f"{i}.jsonl", [r]) for i, r in enumerate(RECORDS)]
    summary = run_import(db_url, *paths)
    assert _counts(summary) == (3, 3, 4, 2, True)
    assert _stored(db_url)["spans"] == sorted(
        [
            (A, "ana", "ACTOR", "Seleka rebels"),
            (A, "ana", "LOCATION", "Bangui"),
            (C, "bob", "LOCATION", "Bossangoa"),
            (A, "bob", "ACTOR", "Seleka rebels"),
        ]
    )


def _hide_stored_texts_from_the_first_lookup(engine: sa.Engine):
    """As if the lookup ran just before another importer committed: it finds nothing."""
    state = {"hidden": False}

    def before(conn, cursor, statement, parameters, context, executemany):
        if not state["hidden"] and statement.startswith("SELECT document.sha256, document.id"):
            state["hidden"] = True
            return statement + " AND 1 = 0", parameters
        return statement, parameters

    sa.event.listen(engine, "before_cursor_execute", before, retval=True)
    return before


def test_text_stored_by_another_importer_after_the_lookup_is_a_duplicate(db_url, tmp_path):
    run_import(db_url, _jsonl(tmp_path / "theirs.jsonl", [{"text": A, "meta": {"title": "theirs"}}]), annotator="them")
    engine = get_engine(db_url)
    statements: list[str] = []
    listener = _hide_stored_texts_from_the_first_lookup(engine)
    record = lambda conn, cursor, statement, *rest: statements.append(" ".join(statement.split()[:3]))  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        summary = run_import(db_url, _jsonl(tmp_path / "ours.jsonl", RECORDS[:4]))
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
        sa.event.remove(engine, "before_cursor_execute", record)
    assert _counts(summary) == (2, 2, 3, 2, True)
    # the batch INSERT was refused, then one INSERT per new text (B, C and A, which is theirs)
    assert statements.count("INSERT INTO document") == 1 + 3
    stored = _stored(db_url)
    assert stored["documents"] == [(A, "theirs"), (B, B), (C, C)]
    assert stored["spans"] == sorted(
        [
            ("theirs", "ana", "ACTOR", "Seleka rebels"),
            ("theirs", "ana", "LOCATION", "Bangui"),
            (C, "bob", "LOCATION", "Bossangoa"),
        ]
    )  # (the document's title, ...)
    assert stored["statuses"] == {("theirs", "ana"): "done"}


def test_a_real_race_on_postgresql(pg_url, tmp_path):
    """A second connection commits the same text between our lookup and our INSERT."""
    engine = get_engine(pg_url)
    other = create_db_engine(pg_url, poolclass=sa.pool.NullPool)
    done = {"raced": False}

    def before(conn, cursor, statement, parameters, context, executemany):
        if not done["raced"] and statement.startswith("INSERT INTO document"):
            done["raced"] = True
            with other.begin() as theirs:
                theirs.execute(
                    sa.text(
                        "INSERT INTO document (uid, title, source, text, sha256, meta, created_at)"
                        " VALUES (:uid, 'theirs', '', :text, :sha, '{}', now())"
                    ),
                    {"uid": text_sha256(C)[:16], "text": C, "sha": text_sha256(C)},
                )

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        summary = run_import(pg_url, _jsonl(tmp_path / "ours.jsonl", RECORDS))
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        other.dispose()
    assert done["raced"]
    assert _counts(summary) == (2, 4, 4, 2, True)
    stored = _stored(pg_url)
    assert stored["documents"] == [(C, "theirs"), (A, A), (B, B)]
    assert ("theirs", "bob", "LOCATION", "Bossangoa") in stored["spans"] and len(stored["spans"]) == 4


def test_a_uid_clash_is_still_a_database_error_and_stores_nothing(db_url, tmp_path):
    """Only the SHA-256 constraint means "already there"; any other refusal ends the file."""
    with get_engine(db_url).begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO document (uid, title, source, text, sha256, meta, created_at)"
                " VALUES (:uid, 'clash', '', 'other text', :sha, '{}', CURRENT_TIMESTAMP)"
            ),
            {"uid": text_sha256(B)[:16], "sha": "0" * 64},
        )
    with pytest.raises(
        UserError, match=r"ours\.jsonl: the database refused the import \(.*\); nothing from this file was stored"
    ):
        run_import(db_url, _jsonl(tmp_path / "ours.jsonl", RECORDS))
    assert [text for text, _ in _stored(db_url)["documents"]] == ["other text"]


@pytest.mark.slow
def test_two_processes_importing_the_same_file_store_it_once(db_url, tmp_path):
    n = 1200  # three batches
    records = [
        {
            "text": f"{i:05d} Seleka rebels attacked Bangui.",
            "spans": [{"start": 6, "end": 19, "label": "ACTOR"}],
            "annotator": "ana",
            "status": "done",
        }
        for i in range(n)
    ]
    path = _jsonl(tmp_path / "same.jsonl", records)
    env = {**os.environ, "ANNOTATOR_DB": db_url}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "annotator", "import", str(path), "--db", db_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for proc, (_out, err) in zip(procs, outs):
        assert proc.returncode == 0, err.decode()[-2000:]
        assert "Traceback" not in err.decode()
    added = [re.match(r"(\d+) documents? added, (\d+) duplicates? skipped", out.decode()).groups() for out, _ in outs]
    assert sorted(int(a) for a, _ in added) in ([0, n], *([k, n - k] for k in range(1, n)))
    assert all(int(a) + int(d) == n for a, d in added)
    with create_db_engine(db_url, poolclass=sa.pool.NullPool).connect() as conn:
        assert conn.execute(sa.text("SELECT count(*), count(DISTINCT sha256) FROM document")).one() == (n, n)
        assert conn.execute(sa.text("SELECT count(*) FROM span")).scalar() == n
        assert conn.execute(sa.text("SELECT count(*) FROM document_status")).scalar() == n


# ---- plain-text files: a transaction per batch of files ---------------------------------


def _texts(folder: Path, n: int, binary_at: int | None = None) -> list[Path]:
    paths = []
    for i in range(n):
        path = folder / f"{i:03d}.txt"
        if i == binary_at:
            write(path, b"\x00\x01\x02\x03" * 40)
        else:
            write(path, f"Report {i}\n\nFighting resumed near the market, residents said.\n")
        paths.append(path)
    return paths


def test_a_refused_text_file_inside_a_group_stores_nothing_and_the_group_is_stored(db_url, tmp_path, monkeypatch):
    monkeypatch.setattr(batch_store, "BATCH_DOCS", 3)
    _texts(tmp_path / "txt", 8, binary_at=4)
    summary = run_import(db_url, tmp_path / "txt")
    assert summary.line() == "7 documents added, 0 duplicates skipped, 0 spans added, 1 file refused"
    assert summary.files_read == 7 and summary.refused[0].endswith(
        "004.txt: refused: binary file (it contains NUL bytes)"
    )
    assert [title for _, title in _stored(db_url)["documents"]] == [f"Report {i}" for i in range(8) if i != 4]


def test_a_database_error_in_a_text_group_loses_the_group_whole_and_names_it(db_url, tmp_path, monkeypatch):
    monkeypatch.setattr(batch_store, "BATCH_DOCS", 3)
    paths = _texts(tmp_path / "txt", 8)
    engine = get_engine(db_url)
    seen = {"inserts": 0}

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO document"):
            seen["inserts"] += 1
            if seen["inserts"] == 2:  # the second group: the database refuses it
                return statement.replace("INSERT INTO document", "INSERT INTO no_such_table", 1), parameters
        return statement, parameters

    sa.event.listen(engine, "before_cursor_execute", before, retval=True)
    try:
        with pytest.raises(UserError) as caught:
            run_import(db_url, tmp_path / "txt")
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{paths[5]}: the database refused the import (")
    assert message.endswith(
        f"nothing from this file was stored, nor from the 2 other text files read with it since the last commit "
        f"({paths[3]}, {paths[4]}); import again to add them"
    )
    assert [title for _, title in _stored(db_url)["documents"]] == ["Report 0", "Report 1", "Report 2"]
    again = run_import(db_url, tmp_path / "txt")
    assert (again.documents_added, again.duplicates_skipped) == (5, 3)


def test_other_files_have_their_own_transaction_between_text_groups(db_url, tmp_path, monkeypatch):
    monkeypatch.setattr(batch_store, "BATCH_DOCS", 2)
    write(tmp_path / "in" / "a.txt", "First text file.\n")
    _jsonl(
        tmp_path / "in" / "b.jsonl", [{"text": B}, {"text": C, "spans": [{"start": 0, "end": 99, "label": "ACTOR"}]}]
    )
    write(tmp_path / "in" / "c.txt", "Second text file.\n")
    write(tmp_path / "in" / "d.txt", "First text file.\n")
    summary = run_import(db_url, tmp_path / "in")
    assert summary.files_failed == [str(tmp_path / "in" / "b.jsonl")] and len(summary.problems) == 1
    assert (summary.documents_added, summary.duplicates_skipped, summary.files_read) == (2, 1, 4)
    assert [text for text, _ in _stored(db_url)["documents"]] == ["First text file.\n", "Second text file.\n"]


@pytest.mark.slow
def test_kill_9_during_a_text_folder_import_loses_only_whole_groups(db_url, tmp_path):
    n = 2500  # five groups of 500
    folder = tmp_path / "txt"
    for i in range(n):
        write(
            folder / f"{i // 500}" / f"{i:05d}.txt", f"Report {i:05d}\n\n" + "Fighting resumed near the market. " * 40
        )
    engine = create_db_engine(db_url, poolclass=sa.pool.NullPool)

    def count() -> int:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM document")).scalar()

    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "import", str(folder), "--db", db_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "ANNOTATOR_DB": db_url},
    )
    deadline = time.monotonic() + 120
    while count() < 500 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = count()
    assert stored % 500 == 0 and stored >= 500  # whole groups only
    finish = subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(folder), "--db", db_url],
        capture_output=True,
        env={**os.environ, "ANNOTATOR_DB": db_url},
        timeout=300,
    )
    assert finish.returncode == 0, finish.stderr.decode()[-2000:]
    assert finish.stdout.decode().startswith(f"{n - stored} documents added, {stored} duplicates skipped")
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT title, text FROM document ORDER BY id")).all()
    assert sorted(title for title, _ in rows) == [f"Report {i:05d}" for i in range(n)]
    assert all(text == f"{title}\n\n" + "Fighting resumed near the market. " * 40 for title, text in rows)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()
