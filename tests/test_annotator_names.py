"""Annotator names compare without regard to case, and a new one is announced once.

``--as Alice`` beside a stored ``alice`` used to create a second annotator silently. Through the
real command line (a subprocess per command), on SQLite and PostgreSQL: import, export and assign
find ``alice`` whatever the case typed, and each command that creates an annotator says so in one
line on stderr (``new annotator 'Bob'``), once per name.
"""

from __future__ import annotations

import json
from pathlib import Path

from import_support import contents
from support.cli import cli

TEXT = "Seleka rebels attacked Bangui."


def write_records(path: Path, *records: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def record(text: str, **fields: object) -> dict[str, object]:
    return {"text": text, "spans": [{"start": 0, "end": 6, "label": "ACTOR"}], **fields}


def announced(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("new annotator ")]


def test_names_compare_without_case_and_a_new_name_is_announced_once(db_url, tmp_path):
    first = write_records(tmp_path / "first.jsonl", record(TEXT), record("Seleka fighters left Bria."))
    done = cli("import", str(first), "--as", "alice", "--db", db_url)
    assert done.returncode == 0, done.stderr
    assert announced(done.stderr) == ["new annotator 'alice'"]  # two records, one announcement

    # --as Alice, and records that name ALICE and a new Bob (twice): alice is found, Bob is new
    second = write_records(
        tmp_path / "second.jsonl",
        record("Seleka rebels entered Ndele."),
        record("Seleka rebels returned to Kaga-Bandoro.", annotator="ALICE"),
        record("Seleka rebels crossed the river.", annotator="Bob"),
        record("Seleka rebels held the bridge.", annotator="bob"),
    )
    done = cli("import", str(second), "--as", "Alice", "--db", db_url)
    assert done.returncode == 0, done.stderr
    assert announced(done.stderr) == ["new annotator 'Bob'"]
    stored = contents(db_url)
    assert stored["annotators"] == ["Bob", "alice"]
    assert sorted((s["annotator"], s["doc"]) for s in stored["spans"])[:2] == [
        ("Bob", "Seleka rebels crossed the river."),
        ("Bob", "Seleka rebels held the bridge."),
    ]
    assert [s["annotator"] for s in stored["spans"]].count("alice") == 4

    # export finds them in any case, under their stored names
    out = tmp_path / "out.jsonl"
    done = cli("export", "--as", "ALICE,BOB", "--out", str(out), "--db", db_url)
    assert done.returncode == 0, done.stderr
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted({r["annotator"] for r in exported}) == ["Bob", "alice"] and len(exported) == 6

    # assign: Alice and BOB exist, carol is new and announced once
    done = cli("assign", "--to", "Alice,BOB,carol,Carol", "--per-document", "1", "--db", db_url)
    assert done.returncode == 0, done.stderr
    assert announced(done.stderr) == ["new annotator 'carol'"]
    assert contents(db_url)["annotators"] == ["Bob", "alice", "carol"]

    # suggest: suggestions for ALICE are alice's; for dave, a new annotator, said once
    done = cli("suggest", "--as", "ALICE", "--db", db_url)
    assert done.returncode == 0 and announced(done.stderr) == [], done.stderr
    assert "open suggestions for ALICE on " in done.stdout
    done = cli("suggest", "--as", "dave", "--db", db_url)
    assert done.returncode == 0 and announced(done.stderr) == ["new annotator 'dave'"], done.stderr
    assert contents(db_url)["annotators"] == ["Bob", "alice", "carol", "dave"]

    # the same commands again create nothing and say nothing
    done = cli("import", str(second), "--as", "ALICE", "--db", db_url)
    assert done.returncode == 0 and announced(done.stderr) == [], done.stderr
    done = cli("assign", "--to", "alice,bob,CAROL", "--per-document", "1", "--db", db_url)
    assert done.returncode == 0 and announced(done.stderr) == [], done.stderr
    done = cli("suggest", "--as", "Dave", "--db", db_url)
    assert done.returncode == 0 and announced(done.stderr) == [], done.stderr
    assert contents(db_url)["annotators"] == ["Bob", "alice", "carol", "dave"]
