"""The CLI's shell: help, stats, db commands, and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.store.engine import get_engine, session_scope


def run(*args: str, env_db: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if env_db:
        env["ANNOTATOR_DB"] = env_db
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_help_lists_every_command():
    out = run("--help").stdout
    for name in ("import", "annotate", "export", "agreement", "review", "stats", "db", "suggest"):
        assert name in out


def test_stats_json(db_url, schema):
    with session_scope(get_engine(db_url)) as session:
        doc, _ = corpus.add_document(session, text="Seleka rebels left Bangui.")
        who = corpus.get_or_create_annotator(session, "[bold]ana")
        row = corpus.register_schema(session, schema)
        span_ops.add_span(
            session, document=doc, annotator_id=who.id, schema_id=row.id, schema=schema, label="ACTOR", start=0, end=13
        )
        span_ops.add_span(
            session,
            document=doc,
            annotator_id=who.id,
            schema_id=row.id,
            schema=schema,
            label="LOCATION",
            start=19,
            end=25,
        )
        ann.set_status(session, document_id=doc.id, annotator_id=who.id, status="done")
        corpus.add_document(session, text="Second document.")
    result = run("stats", "--format", "json", "--db", db_url)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["documents"] == 2 and stats["spans"] == 2
    assert stats["spans_by_label"] == {"ACTOR": 1, "LOCATION": 1}
    assert stats["spans_by_annotator"] == {"[bold]ana": 2}
    assert stats["progress"]["[bold]ana"] == {"todo": 1, "in_progress": 0, "done": 1, "skipped": 0}
    table = run("stats", "--db", db_url)
    assert table.returncode == 0 and "[bold]ana" in table.stdout


def test_bad_format_and_bad_url_are_one_line_errors(tmp_path):
    result = run("stats", "--format", "xml", env_db=f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2
    assert result.stderr.strip() == "annotator: --format: expected table or json, got 'xml'"
    result = run("stats", "--db", "not a url")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "not a database URL" in result.stderr


def test_db_current_and_upgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    up = run("db", "upgrade", "--db", url)
    assert up.returncode == 0, up.stderr
    assert "empty ->" in up.stdout
    current = run("db", "current", "--db", url)
    assert "up to date" in current.stdout


def test_password_never_printed():
    result = run("db", "current", "--db", "postgresql+psycopg://lead:s3cret@127.0.0.1:1/none")
    assert "s3cret" not in result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in result.stderr


def test_malformed_url_is_a_user_error():
    import pytest

    from annotator.errors import UserError
    from annotator.store.engine import resolve_url

    for url in ("nonsense://:::", "not a url", "postgresql://host:notaport/db"):
        with pytest.raises(UserError, match="not a database URL"):
            resolve_url(url)
