"""Issue 11, item 4: team roles cannot break shared tables.

Only the lead writes label schemas, documents and annotators; decisions are appended by
reviewer roles only, signed with their own annotator's name; a junk schema row stored by
hand is skipped by every reader with one line naming it.
"""

from __future__ import annotations

import json

import psycopg
import pytest
import sqlalchemy as sa
from sqlmodel import Session
from team_support import cli, seed_work, team

from annotator.errors import UserError
from annotator.schemas.labels import LabelSchema
from annotator.services import corpus
from annotator.store.engine import get_engine

PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")


def _rights(conn, table: str) -> set[str]:
    return {
        p
        for p in PRIVILEGES
        if conn.execute("SELECT has_table_privilege(current_user, %s, %s)", (table, p)).fetchone()[0]
    }


@pytest.mark.postgres
def test_each_table_grants_what_the_role_needs_and_no_more(pg_url, schema):
    full = set(PRIVILEGES)
    with team(pg_url, schema) as t:
        expected = {
            "alice": {
                "document": {"SELECT"},
                "annotator": {"SELECT"},
                "label_schema": {"SELECT"},
                "alembic_version": {"SELECT"},
                "span": full,
                "link": full,
                "document_status": full,
                "suggestion": full,
                "decision": {"SELECT"},
                "write_key": {"SELECT", "INSERT"},
            },
            "rev": {
                "document": {"SELECT"},
                "annotator": {"SELECT"},
                "label_schema": {"SELECT"},
                "alembic_version": {"SELECT"},
                "span": full,
                "link": full,
                "document_status": full,
                "suggestion": full,
                "decision": {"SELECT", "INSERT"},
                "write_key": {"SELECT", "INSERT"},
            },
        }
        for who, tables in expected.items():
            with psycopg.connect(t.libpq(who), autocommit=True) as conn:
                assert {table: _rights(conn, table) for table in tables} == tables, who
                assert conn.execute(
                    "SELECT has_column_privilege(current_user, 'annotator', 'last_document_id', 'UPDATE')"
                ).fetchone()[0]
                assert not conn.execute(
                    "SELECT has_column_privilege(current_user, 'annotator', 'db_gold', 'UPDATE')"
                ).fetchone()[0]


@pytest.mark.postgres
def test_only_the_lead_writes_label_schemas(pg_url, schema):
    with team(pg_url, schema) as t:
        with psycopg.connect(t.libpq("alice"), autocommit=True) as conn:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(
                    "INSERT INTO label_schema (name, version, fingerprint, body, created_at) VALUES ('junk', 1, 'x', '{\"name\":\"junk\"}', now())"
                )
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("UPDATE label_schema SET body = '{}'")
        changed = LabelSchema.model_validate({**schema.model_dump(mode="json"), "version": schema.version + 1})
        engine = t.engine_as("alice")
        with Session(engine) as s:
            assert corpus.register_schema(s, schema).id == t.ids["schema"]  # the lead's registered schema is found
            with pytest.raises(UserError, match="only the lead registers schemas") as caught:
                corpus.register_schema(s, changed)
            assert "\n" not in str(caught.value)
        engine.dispose()


@pytest.mark.postgres
def test_decisions_are_signed_by_the_reviewer_role_itself(pg_url, schema):
    with team(pg_url, schema, reviewers=("rev", "rev2")) as t:
        insert = (
            "INSERT INTO decision (annotator_id, document_id, decided_by, action, source, detail, decided_at)"
            " VALUES ((SELECT id FROM annotator WHERE name = 'gold'), %s, %s, 'accept', 'alice', '{}', now())"
        )
        with psycopg.connect(t.libpq("rev"), autocommit=True) as conn:
            conn.execute(insert, (t.ids["doc"], "rev"))
            for forged in ("rev2", "alice", "lead"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
                    conn.execute(insert, (t.ids["doc"], forged))
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("UPDATE decision SET decided_by = 'rev2'")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DELETE FROM decision")
            with pytest.raises(
                psycopg.errors.InsufficientPrivilege, match="row-level security"
            ):  # not into someone's own work
                conn.execute(
                    "INSERT INTO decision (annotator_id, document_id, decided_by, action, source, detail, decided_at)"
                    " VALUES (%s, %s, 'rev', 'accept', '', '{}', now())",
                    (t.ids["alice"][0], t.ids["doc"]),
                )
        with get_engine(pg_url).connect() as conn:
            assert conn.execute(sa.text("SELECT decided_by FROM decision")).scalars().all() == ["rev"]


def test_a_junk_schema_row_is_skipped_by_every_reader_in_one_line(db_url, schema, tmp_path):
    seed_work(db_url, schema)
    with get_engine(db_url).begin() as conn:
        junk = conn.execute(
            sa.text(
                "INSERT INTO label_schema (name, version, fingerprint, body, created_at) "
                "VALUES ('junk', 1, 'x', :b, CURRENT_TIMESTAMP) RETURNING id"
            ),
            {"b": json.dumps({"name": "junk"})},
        ).scalar()
    out = tmp_path / "out.jsonl"
    export = cli("export", "--format", "jsonl", "--out", str(out), "--db", db_url)
    assert export.returncode == 0, export.stderr
    assert "Traceback" not in export.stderr
    named = [line for line in export.stderr.splitlines() if f"label_schema row {junk} ('junk' v1)" in line]
    assert len(named) == 1 and "skipped" in named[0]
    assert len(out.read_text().splitlines()) == 2  # alice's and bob's work, exported as before
    agreement = cli("agreement", "--all-status", "--format", "json", "--db", db_url)
    assert agreement.returncode == 0 and "Traceback" not in agreement.stderr, agreement.stderr
