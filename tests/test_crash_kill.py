"""`kill -9` at random moments during `annotator import` and `annotator export` subprocesses.

Afterwards the database is consistent (every file of the corpus is in completely or not at
all, no span without its document, SQLite's integrity check passes), an import run again
finishes the job, and an export target is either absent or complete (never half a file, and
no stray temporary file beside it).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from annotator.store.engine import create_db_engine

FILES, RECORDS = 6, 30
SPANS_PER_RECORD = 3  # ACTOR, LOCATION, QUOTE (+ one SPEAKER link)
KILLS = 3
SEED = int(os.environ.get("ANNOTATOR_CRASH_SEED", "6"))
FILLER = (
    "Residents",
    "fled",
    "the",
    "town",
    "after",
    "fighting",
    "🙂",
    "Séléka",
    "«",
    "»",
    "resumed",
    "near",
    "the",
    "market",
)


def make_corpus(folder: Path, files: int = FILES, records: int = RECORDS) -> dict[str, int]:
    """JSONL files of our export shape; returns file stem -> records. Every text is unique."""
    rng = random.Random(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        lines = []
        for r in range(records):
            head = f'F{f:02d}R{r:04d} Anti-balaka militias attacked Bangui; "we will return", a commander said. '
            text = head + " ".join(rng.choice(FILLER) for _ in range(rng.randrange(200, 600)))
            spans = [
                {"id": 1, "start": 11, "end": 31, "label": "ACTOR"},
                {"id": 2, "start": 41, "end": 47, "label": "LOCATION"},
                {"id": 3, "start": 49, "end": 65, "label": "QUOTE"},
            ]
            for s in spans:
                s["text"] = text[s["start"] : s["end"]]
            lines.append(
                json.dumps(
                    {
                        "text": text,
                        "spans": spans,
                        "relations": [{"label": "SPEAKER", "head": 3, "child": 1}],
                        "annotator": "ana",
                        "status": "done",
                        "meta": {"title": f"F{f:02d}R{r:04d}", "source": f"f{f:02d}"},
                    },
                    ensure_ascii=False,
                )
            )
        (folder / f"f{f:02d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {f"f{f:02d}": records for f in range(files)}


def _cli(*args: str, db: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "annotator", *args, "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "ANNOTATOR_DB": db},
    )


def check_consistent(engine, corpus: dict[str, int]) -> int:
    """Every file in completely or not at all; returns the number of documents stored."""
    with engine.connect() as conn:
        per_file = dict(conn.execute(sa.text("SELECT source, count(*) FROM document GROUP BY source")).all())
        for source, count in per_file.items():
            assert source in corpus and count == corpus[source], (
                f"{source}: {count} of {corpus.get(source)} records stored"
            )
        orphans = conn.execute(
            sa.text(
                "SELECT (SELECT count(*) FROM span s WHERE NOT EXISTS (SELECT 1 FROM document d WHERE d.id = s.document_id))"
                " + (SELECT count(*) FROM link l WHERE NOT EXISTS (SELECT 1 FROM span s WHERE s.id = l.head_id)"
                "    OR NOT EXISTS (SELECT 1 FROM span s WHERE s.id = l.child_id))"
                " + (SELECT count(*) FROM document_status t WHERE NOT EXISTS (SELECT 1 FROM document d WHERE d.id = t.document_id))"
            )
        ).scalar()
        assert orphans == 0
        docs = sum(per_file.values())
        spans_per_doc = conn.execute(
            sa.text("SELECT d.id, count(s.id) FROM document d LEFT JOIN span s ON s.document_id = d.id GROUP BY d.id")
        ).all()
        assert all(n == SPANS_PER_RECORD for _, n in spans_per_doc), "a document without all its spans"
        assert conn.execute(sa.text("SELECT count(*) FROM link")).scalar() == docs
        assert conn.execute(sa.text("SELECT count(*) FROM document_status WHERE status = 'done'")).scalar() == docs
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        return docs


def _documents(engine) -> int:
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM document")).scalar()
    except sa.exc.OperationalError:
        return 0


def _wait_for(predicate, proc: subprocess.Popen, timeout: float = 120) -> bool:
    """Poll until ``predicate()`` or the process ends; True if the predicate came first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.01)
    raise AssertionError("timed out waiting for the subprocess")


@pytest.mark.slow
def test_kill_9_during_import_leaves_a_consistent_database(db_url, tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    total = sum(corpus.values())
    engine = create_db_engine(db_url, poolclass=sa.pool.NullPool)
    rng = random.Random(SEED)
    killed_mid_import = 0
    for attempt in range(KILLS):
        # kill once at least `threshold` documents are in, plus a random moment more
        threshold = (attempt + 1) * total // (KILLS + 1)
        proc = _cli("import", str(tmp_path / "corpus"), db=db_url)
        if _wait_for(lambda threshold=threshold: _documents(engine) >= threshold, proc):
            time.sleep(rng.uniform(0, 0.2))
            proc.send_signal(signal.SIGKILL)
            killed_mid_import += proc.wait() == -signal.SIGKILL
        else:
            proc.wait()
        stored = check_consistent(engine, corpus)
        assert stored >= threshold or proc.returncode == 0
    assert killed_mid_import >= 1, "never managed to kill an import in flight"
    # running the same import again finishes the job, with nothing doubled
    finish = _cli("import", str(tmp_path / "corpus"), db=db_url)
    out, err = finish.communicate(timeout=300)
    assert finish.returncode == 0, err.decode()[-2000:]
    assert check_consistent(engine, corpus) == total
    engine.dispose()


@pytest.mark.slow
def test_kill_9_during_export_leaves_no_partial_file(db_url, tmp_path):
    corpus = make_corpus(tmp_path / "corpus", files=2, records=100)
    total = sum(corpus.values())
    done = _cli("import", str(tmp_path / "corpus"), db=db_url)
    _, err = done.communicate(timeout=300)
    assert done.returncode == 0, err.decode()[-2000:]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "export.jsonl"
    rng = random.Random(SEED)
    killed = 0
    dead: list[int] = []
    for _attempt in range(KILLS):
        proc = _cli("export", "--out", str(target), "--force", db=db_url)
        dead.append(proc.pid)
        # kill while the export is writing (its work file exists), at a random moment
        if _wait_for(
            lambda proc=proc: any(p.name.startswith(f".{target.name}.{proc.pid}.") for p in out_dir.iterdir()), proc
        ):
            time.sleep(rng.uniform(0, 0.05))
            proc.send_signal(signal.SIGKILL)
            killed += proc.wait() == -signal.SIGKILL
        else:
            proc.wait()
        # the target is absent or complete; a killed export's hidden work file (named with
        # its dead PID) is all that may remain, and the next export to that target sweeps it
        leftovers = [p.name for p in out_dir.iterdir() if p != target]
        assert all(
            name.startswith(f".{target.name}.")
            and name[len(target.name) + 2 :].split(".")[0] in map(str, dead)
            and name.endswith(".part")
            for name in leftovers
        ), leftovers
        if target.exists():
            _check_complete(target, total)
        if proc.returncode == 0:
            _check_complete(target, total)
    assert killed >= 1, "never managed to kill an export in flight"
    final = _cli("export", "--out", str(target), "--force", db=db_url)
    _, err = final.communicate(timeout=300)
    assert final.returncode == 0, err.decode()[-2000:]
    _check_complete(target, total)
    assert [p.name for p in out_dir.iterdir()] == [target.name]


def _check_complete(target: Path, records: int) -> None:
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == records
    parsed = [json.loads(line) for line in lines]
    assert all(len(p["spans"]) == SPANS_PER_RECORD for p in parsed)
