"""Exact, load-independent counters behind benchmark 4 (import): SQL statements per batch.

An import writes documents ``batch_store.BATCH_DOCS`` (500) at a time: one ``SELECT ... WHERE
sha256 IN (...)``, one executemany INSERT of the new documents and, only when the batch
carries annotations, one SELECT of their ids and one executemany per table (spans, links,
statuses; links first read their spans' ids with one SELECT). So the statements per 1,000 documents are a constant, not one or more per
document; the numbers below are exact, so an extra round trip per document fails CI even on
a noisy machine. An executemany counts once (``before_cursor_execute`` fires once for it).
Transaction control (BEGIN, SAVEPOINT, RELEASE, COMMIT) is not counted: it differs by
backend; commits are counted apart, with the engine's ``commit`` event.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from annotator.schemas.labels import load_default_schema
from annotator.services.importing import batch_store, import_paths
from annotator.store.engine import get_engine

_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "PRAGMA")
SENTENCE = "Militia fighters attacked Boda on Tuesday, a spokesman said."


@contextmanager
def counting(engine: sa.Engine) -> Iterator[dict[str, list]]:
    """Every SQL statement the engine sends (its first words) and every commit."""
    seen: dict[str, list] = {"statements": [], "commits": []}

    def before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(_CONTROL):
            seen["statements"].append(" ".join(statement.split()[:3]))

    def commit(conn):
        seen["commits"].append(1)

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "commit", commit)


def _import(db_url: str, *paths: Path, annotator: str = "importer") -> tuple[dict[str, list], str]:
    engine = get_engine(db_url)
    with counting(engine) as seen:
        summary = import_paths(engine, list(paths), annotator=annotator, schema=load_default_schema())
    assert summary.ok
    return seen, summary.line()


def _plain(path: Path, n: int, tag: str) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"text": f"{tag} {i}: {SENTENCE}", "meta": {"source": f"{tag}/{i}"}}) + "\n")
    return path


def _annotated(path: Path, n: int, tag: str) -> Path:
    """Records with an ACTOR, a QUOTE linked to it (speaker) and a status, like our export."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            head = f"{tag} {i}: "
            text = head + 'Ali said: "we will stay".'
            actor = {"id": 1, "start": len(head), "end": len(head) + 3, "label": "ACTOR"}
            quote = {"id": 2, "start": len(head) + 10, "end": len(head) + 25, "label": "QUOTE"}
            fh.write(
                json.dumps(
                    {
                        "text": text,
                        "spans": [actor, quote],
                        "relations": [{"label": "SPEAKER", "head": 2, "child": 1}],
                        "annotator": "ana",
                        "status": "done",
                    }
                )
                + "\n"
            )
    return path


def test_plain_jsonl_costs_two_statements_per_batch_of_500(db_url, tmp_path):
    assert batch_store.BATCH_DOCS == 500
    for n, tag in ((1000, "a"), (2000, "b")):
        seen, line = _import(db_url, _plain(tmp_path / f"{tag}.jsonl", n, tag))
        assert line.startswith(f"{n} documents added, 0 duplicates skipped")
        batches = n // 500
        assert seen["statements"] == ["SELECT document.sha256, document.id", "INSERT INTO document"] * batches
        assert len(seen["commits"]) == 1  # one file, one transaction


def test_reimport_costs_one_lookup_per_batch(db_url, tmp_path):
    path = _plain(tmp_path / "a.jsonl", 1000, "a")
    _import(db_url, path)
    seen, line = _import(db_url, path)
    assert line.startswith("0 documents added, 1000 duplicates skipped")
    assert seen["statements"] == ["SELECT document.sha256, document.id"] * 2


def test_annotated_jsonl_costs_seven_statements_per_batch(db_url, tmp_path):
    """Per batch: lookup, documents, their ids, spans, the spans' ids, links, statuses.

    Once per import: the annotator and the schema row (a lookup, and an INSERT when new)."""
    seen, line = _import(db_url, _annotated(tmp_path / "a.jsonl", 1000, "a"))
    assert line.startswith("1000 documents added, 0 duplicates skipped, 2000 spans added, 1000 links added")
    per_batch = [
        "SELECT document.sha256, document.id",
        "INSERT INTO document",
        "SELECT document.sha256, document.id",
        "INSERT INTO span",
        "SELECT span.id FROM",
        "INSERT INTO link",
        "INSERT INTO document_status",
    ]
    once = [
        "SELECT annotator.id, annotator.name,",
        "INSERT INTO annotator",
        "SELECT label_schema.id, label_schema.name,",
        "INSERT INTO label_schema",
    ]
    assert seen["statements"] == per_batch[:3] + once + per_batch[3:] + per_batch
    assert len(seen["commits"]) == 1
    # twice the documents, twice the batches; the annotator and the schema are found this time
    seen, line = _import(db_url, _annotated(tmp_path / "b.jsonl", 2000, "b"))
    assert line.startswith("2000 documents added, 0 duplicates skipped, 4000 spans added, 2000 links added")
    assert seen["statements"] == per_batch[:3] + once[::2] + per_batch[3:] + per_batch * 3


def test_long_texts_make_smaller_batches(db_url, tmp_path, monkeypatch):
    """``BATCH_CHARS`` bounds the text held in memory: 10 texts of 1,000 characters, 2,500 per batch."""
    monkeypatch.setattr(batch_store, "BATCH_CHARS", 2500)
    path = tmp_path / "long.jsonl"
    path.write_text("".join(json.dumps({"text": f"{i:04d} " + "x" * 995}) + "\n" for i in range(10)), encoding="utf-8")
    seen, line = _import(db_url, path)
    assert line.startswith("10 documents added")
    assert seen["statements"] == ["SELECT document.sha256, document.id", "INSERT INTO document"] * 4  # 3 + 3 + 3 + 1


def test_text_folder_commits_once_per_batch_not_per_file(db_url, tmp_path):
    """1,000 .txt files (and a binary one, refused) are 2 batches: 4 statements and 2 commits."""
    folder = tmp_path / "txt"
    for i in range(1000):
        sub = folder / f"{i // 100:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:04d}.txt").write_text(f"Article {i}\n\n{SENTENCE}\n", encoding="utf-8")
    (folder / "05" / "0550-binary.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    engine = get_engine(db_url)
    with counting(engine) as seen:
        summary = import_paths(engine, [folder], annotator="importer", schema=load_default_schema())
    assert summary.line() == "1000 documents added, 0 duplicates skipped, 0 spans added, 1 file refused"
    assert summary.files_read == 1000 and len(summary.refused) == 1
    assert seen["statements"] == ["SELECT document.sha256, document.id", "INSERT INTO document"] * 2
    assert len(seen["commits"]) == 2


@pytest.mark.parametrize("n", [1, 499, 501])
def test_batch_boundaries(db_url, tmp_path, n):
    seen, line = _import(db_url, _plain(tmp_path / "a.jsonl", n, "a"))
    assert line.startswith(f"{n} document{'s' if n != 1 else ''} added")
    assert seen["statements"] == ["SELECT document.sha256, document.id", "INSERT INTO document"] * (
        1 if n <= 500 else 2
    )


def _existing_statements(statements: list[str]) -> list[str]:
    once = ("SELECT annotator", "INSERT INTO annotator", "SELECT label_schema", "INSERT INTO label_schema")
    return [s for s in statements if not s.startswith(once)]


def test_another_annotators_spans_onto_stored_documents_cost_a_constant_per_batch(db_url, tmp_path):
    """Issue 19: per batch of stored documents, the lookup, one read each of their spans, links
    and statuses, one executemany per table, and one read of the new spans' ids."""
    annotated = _annotated(tmp_path / "a.jsonl", 1000, "a")
    texts = tmp_path / "texts.jsonl"
    texts.write_text(
        "".join(json.dumps({"text": json.loads(line)["text"]}) + "\n" for line in annotated.open()), encoding="utf-8"
    )
    _import(db_url, texts)
    per_batch = [
        "SELECT document.sha256, document.id",
        "SELECT span.id, span.document_id,",
        "INSERT INTO span",
        "SELECT span.id, span.document_id,",
        "SELECT link.head_id, link.attribute,",
        "INSERT INTO link",
        "SELECT document_status.document_id, document_status.annotator_id,",
        "INSERT INTO document_status",
    ]
    seen, line = _import(db_url, annotated)
    assert line.startswith("0 documents added, 1000 duplicates skipped, 2000 spans added, 1000 links added")
    assert _existing_statements(seen["statements"]) == per_batch * 2
    # the identical file again: it reads, finds everything there, writes nothing, says so
    seen, line = _import(db_url, annotated)
    assert line.startswith("0 documents added, 1000 duplicates skipped, 0 spans added, 2000 spans already stored")
    assert (
        _existing_statements(seen["statements"])
        == [
            "SELECT document.sha256, document.id",
            "SELECT span.id, span.document_id,",
            "SELECT span.id, span.document_id,",
            "SELECT link.head_id, link.attribute,",
            "SELECT document_status.document_id, document_status.annotator_id,",
        ]
        * 2
    )
