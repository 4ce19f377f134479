"""Issue 11, items 7 and 6: names and passwords for `db grant`; reviewer roles and `--gold-as`."""

from __future__ import annotations

import base64
import os
import pty
import subprocess
import sys
import time
import uuid

import psycopg
import pytest
import sqlalchemy as sa
from sqlmodel import Session
from team_support import cli, team

from annotator.errors import UserError
from annotator.services import adjudication as adjn
from annotator.services import corpus
from annotator.store import roles
from annotator.store.engine import create_db_engine, get_engine, session_scope


def _verifier(pg_url: str, role: str) -> str | None:
    with get_engine(pg_url).connect() as conn:
        return conn.execute(sa.text("SELECT rolpassword FROM pg_authid WHERE rolname = :r"), {"r": role}).scalar()


def _matches(verifier: str, password: str) -> bool:
    """Whether PostgreSQL's stored SCRAM verifier is the one for ``password``."""
    method, rest = verifier.split("$", 1)
    iterations, salt = rest.split("$", 1)[0].split(":")
    return roles.scram_sha256_verifier(password, salt=base64.b64decode(salt), iterations=int(iterations)) == verifier


def _drop(pg_url: str, *names: str) -> None:
    admin = create_db_engine(pg_url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for role in names:
            if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first():
                conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
                conn.exec_driver_sql(f'DROP ROLE "{role}"')
    admin.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("bad", ["ana\nmallory", "ana\x1b[31m", "tab\there", "line\u2028sep"])
def test_grant_refuses_names_with_control_characters(pg_url, bad):
    role = f"t11_{uuid.uuid4().hex[:8]}"
    result = cli("db", "grant", bad, "--role", role, "--db", pg_url, env={"ANNOTATOR_ROLE_PASSWORD": ""})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "control character" in result.stderr
    assert "\x1b" not in result.stderr
    assert _verifier(pg_url, role) is None  # no role was made
    with get_engine(pg_url).connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM annotator")).scalar() == 0


@pytest.mark.postgres
def test_password_from_stdin_or_the_environment_never_the_command_line(pg_url):
    role = f"t11_{uuid.uuid4().hex[:8]}"
    try:
        given = cli(
            "db", "grant", "Ana Lima", "--role", role, "--password-stdin", "--db", pg_url, stdin="s3cret pass\n"
        )
        assert given.returncode == 0, given.stderr
        assert "password set" in given.stdout and "s3cret" not in given.stdout + given.stderr
        assert _matches(_verifier(pg_url, role), "s3cret pass")
        again = cli(
            "db", "grant", "Ana Lima", "--role", role, "--db", pg_url, env={"ANNOTATOR_ROLE_PASSWORD": "other one"}
        )
        assert again.returncode == 0 and _matches(_verifier(pg_url, role), "other one")
        kept = cli("db", "grant", "Ana Lima", "--role", role, "--db", pg_url, stdin="")  # no terminal, no variable
        assert (
            kept.returncode == 0
            and "password unchanged" in kept.stdout
            and _matches(_verifier(pg_url, role), "other one")
        )
        empty = cli("db", "grant", "Ana Lima", "--role", role, "--password-stdin", "--db", pg_url, stdin="\n")
        assert empty.returncode == 2 and "empty password" in empty.stderr
    finally:
        _drop(pg_url, role)


def _read_until(fd: int, marker: bytes, timeout: float = 60) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        assert time.monotonic() < deadline, seen
        try:
            seen += os.read(fd, 1024)
        except OSError:
            break
    return seen


@pytest.mark.postgres
def test_password_prompt_on_a_terminal(pg_url):
    role = f"t11_{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k != "ANNOTATOR_ROLE_PASSWORD"}
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "annotator", "db", "grant", "ana", "--role", role, "--db", pg_url],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        _read_until(master, b"Password for role")
        os.write(master, b"typed secret\n")
        _read_until(master, b"Again")
        os.write(master, b"typed secret\n")
        shown = _read_until(master, b"password set")
        assert proc.wait(timeout=60) == 0
        assert b"typed secret" not in shown  # the terminal did not echo it
        assert _matches(_verifier(pg_url, role), "typed secret")
    finally:
        os.close(master)
        _drop(pg_url, role)


@pytest.mark.postgres
def test_a_reviewer_role_bound_to_another_gold_name(pg_url, schema):
    """`db grant lena --reviewer --gold final`, then `review --gold-as final` works as lena's role;
    another gold name is refused in one line; the database refuses writes to the unbound gold."""
    with team(pg_url, schema, reviewers=("lena",), gold={"lena": "final"}) as t:
        engine = t.engine_as("lena")
        with Session(engine, expire_on_commit=False) as s:
            with pytest.raises(UserError, match="this reviewer role writes 'final'") as caught:
                adjn.start(s, lead="lena", schema=schema, annotators=["alice", "bob"])  # default --gold-as gold
            assert "db grant lena --reviewer --gold gold" in str(caught.value)
            s.rollback()
            adj = adjn.start(s, lead="somebody", schema=schema, annotators=["alice", "bob"], gold_name="final")
            assert adj.lead == "lena"  # decisions are signed by the role's own annotator
            group = adjn.load_document(s, adj, t.ids["doc"]).groups[0]
            adjn.accept(s, adj, document_id=t.ids["doc"], group_key=group.key, source="alice")
            s.commit()
        engine.dispose()
        with session_scope(get_engine(pg_url)) as s:
            gold_id = corpus.get_or_create_annotator(s, "gold").id  # another reviewer's gold, made by the lead
        with psycopg.connect(t.libpq("lena"), autocommit=True) as conn:
            final_id = conn.execute("SELECT id FROM annotator WHERE name = 'final'").fetchone()[0]
            assert conn.execute("SELECT count(*) FROM span WHERE annotator_id = %s", (final_id,)).fetchone()[0] >= 1
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
                conn.execute(
                    "INSERT INTO document_status (document_id, annotator_id, status, seconds_spent, note, version, updated_at)"
                    " VALUES (%s, %s, 'done', 0, '', 1, now())",
                    (t.ids["doc"], gold_id),
                )
        exported = cli("export", "--as", "final", "--format", "jsonl", "--db", t.url_as("lena"))
        assert exported.returncode == 0, exported.stderr
        assert '"annotator":"final"' in exported.stdout.replace(" ", "")


@pytest.mark.postgres
def test_column_statistics_of_team_tables_are_hidden(pg_url, schema):
    """What docs/teams.md says about PostgreSQL's statistics: row counts show, column values do not."""
    with team(pg_url, schema) as t:
        with get_engine(pg_url).connect() as conn:
            conn.exec_driver_sql("ANALYZE span")
            conn.commit()
            assert conn.execute(sa.text("SELECT count(*) FROM pg_stats WHERE tablename = 'span'")).scalar() > 0
        with psycopg.connect(t.libpq("alice"), autocommit=True) as conn:
            assert conn.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'span'").fetchone()[0] == 0
            assert (
                conn.execute("SELECT reltuples FROM pg_class WHERE relname = 'span'").fetchone()[0] == 4
            )  # all four, not her two
