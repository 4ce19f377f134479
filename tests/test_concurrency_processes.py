"""8 processes x 500 span operations (add, edit, delete, link, status) at once, against one
SQLite file and one PostgreSQL database: every final state is exactly what each process's
deterministic script says, nothing lost, nothing extra.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from annotator.store.engine import create_db_engine

WORKER = Path(__file__).with_name("concurrency_worker.py")
_spec = importlib.util.spec_from_file_location("concurrency_worker", WORKER)
worker_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(worker_mod)

PROCESSES = 8
OPS = 500
SEED = 20240


def test_script_is_deterministic_and_varied():
    a, b = worker_mod.make_script(3, OPS, SEED), worker_mod.make_script(3, OPS, SEED)
    assert a == b
    kinds = {op["op"] for op in a}
    assert kinds == {"add", "edit", "delete", "link", "status"}
    assert worker_mod.make_script(4, OPS, SEED) != a
    state = worker_mod.expected_state(a)
    assert state["spans"] and state["links"] and state["status"]


@pytest.mark.slow
def test_eight_processes_lose_nothing(db_url, tmp_path):
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(WORKER.parent.parent)}
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), db_url, str(w), str(OPS), str(SEED), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for w in range(PROCESSES)
    ]
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    engine = create_db_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        total_spans = conn.exec_driver_sql("SELECT count(*) FROM span").scalar()
        total_links = conn.exec_driver_sql("SELECT count(*) FROM link").scalar()
        assert conn.exec_driver_sql("SELECT count(*) FROM document").scalar() == 2
        orphans = conn.exec_driver_sql(
            "SELECT count(*) FROM link l JOIN span h ON h.id = l.head_id JOIN span c ON c.id = l.child_id "
            "WHERE h.annotator_id <> l.annotator_id OR c.annotator_id <> l.annotator_id OR h.document_id <> c.document_id"
        ).scalar()
        assert orphans == 0
        expected_spans = expected_links = 0
        for result in results:
            w, who, docs, ids = result["worker"], result["annotator_id"], result["docs"], result["ids"]
            expected = worker_mod.expected_state(worker_mod.make_script(w, OPS, SEED))
            by_id = {ids[k]: k for k in expected["spans"]}
            assert set(ids) == set(expected["spans"]), f"worker {w}: the process's own view disagrees with the script"
            rows = conn.execute(
                sa.text(
                    'SELECT id, document_id, label, start, "end", attrs, version FROM span WHERE annotator_id = :a'
                ),
                {"a": who},
            ).all()
            got = {
                by_id.get(r.id, f"unexpected span {r.id}"): {
                    "doc": docs.index(r.document_id),
                    "label": r.label,
                    "start": r.start,
                    "end": r.end,
                    "attrs": r.attrs if isinstance(r.attrs, dict) else json.loads(r.attrs),
                    "version": r.version,
                }
                for r in rows
            }
            assert got == expected["spans"], f"worker {w}"
            link_rows = conn.execute(
                sa.text("SELECT head_id, child_id, attribute FROM link WHERE annotator_id = :a"), {"a": who}
            ).all()
            got_links: dict[str, list[str]] = {}
            for r in link_rows:
                assert r.attribute == "speaker"
                got_links.setdefault(by_id[r.head_id], []).append(by_id[r.child_id])
            assert {h: sorted(c) for h, c in got_links.items()} == expected["links"], f"worker {w}"
            status = conn.execute(
                sa.text("SELECT document_id, seconds_spent, version FROM document_status WHERE annotator_id = :a"),
                {"a": who},
            ).all()
            assert {docs.index(r.document_id): (r.seconds_spent, r.version) for r in status} == {
                d: (float(n), n + 1) for d, n in expected["status"].items()
            }, f"worker {w}"
            expected_spans += len(expected["spans"])
            expected_links += sum(len(c) for c in expected["links"].values())
        assert (total_spans, total_links) == (expected_spans, expected_links)
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    engine.dispose()
