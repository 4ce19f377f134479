"""Issue 11, item 8: connection mistakes are one line.

A URL for a database annotator cannot use, a mistyped SQLite path (never created by a
command that only reads or changes data: exit 3), a locked, lost or full database during
import (exit 3, saying so) and ``--as`` someone else under one's own role.
"""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from sqlmodel import Session
from team_support import cli, team

from annotator.errors import UserError
from annotator.services import session_ops as ops
from annotator.services.importing import import_paths
from annotator.store.engine import create_db_engine


def _one_line_error(result, code: int, *, after_screen: bool = False) -> str:
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    if after_screen:  # the app paints before it opens the database: its error is the last line
        result.stderr = (
            re.sub(r"\x1b(\[[0-9;?<>=$]*[A-Za-z~]|\][^\x07\x1b]*(\x07|\x1b\\\\)?|.)", "\n", result.stderr)
            .strip()
            .splitlines()[-1]
        )
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_url_for_another_database_is_one_line():
    for url in ("mysql://x/y", "oracle://scott@host/db", "postgresql+psycopg2://host/db"):
        line = _one_line_error(cli("stats", "--db", url), 2)
        assert "SQLite" in line and "PostgreSQL" in line


@pytest.mark.parametrize(
    "command",
    [
        ("stats",),
        ("export", "--format", "jsonl"),
        ("agreement",),
        ("review",),
        ("suggest",),
        ("db", "current"),
        ("db", "revoke", "ana"),
        ("annotate",),
    ],
)
def test_a_missing_sqlite_file_is_refused_not_created(command, tmp_path):
    missing = tmp_path / "typo" / "annotator.db"
    result = cli(*command, "--db", f"sqlite:///{missing}")
    line = _one_line_error(result, 3, after_screen=command == ("annotate",))
    assert str(missing) in line and "no database" in line
    assert not missing.parent.exists()


def test_import_and_db_upgrade_create_the_database(tmp_path):
    (tmp_path / "a.txt").write_text("Séléka fighters entered Bangui.", encoding="utf-8")
    made = tmp_path / "new" / "annotator.db"
    assert cli("import", str(tmp_path / "a.txt"), "--db", f"sqlite:///{made}").returncode == 0
    stats = cli("stats", "--format", "json", "--db", f"sqlite:///{made}")
    assert stats.returncode == 0 and json.loads(stats.stdout)["documents"] == 1
    upgraded = tmp_path / "other" / "annotator.db"
    assert cli("db", "upgrade", "--db", f"sqlite:///{upgraded}").returncode == 0 and upgraded.exists()


def _corpus(tmp_path, n: int = 30):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"d{i}.txt").write_text(
            f"Document {i}: " + "Séléka fighters entered Bangui. " * 200, encoding="utf-8"
        )
    return folder


def test_disk_full_during_import_says_disk_full(tmp_path, schema):
    url = f"sqlite:///{tmp_path / 'full.db'}"
    engine = create_db_engine(url, poolclass=sa.pool.NullPool)
    from annotator.store import migrate

    migrate.upgrade(engine)
    sa.event.listen(engine, "connect", lambda dbapi, _rec: dbapi.execute("PRAGMA max_page_count = 60"))
    with pytest.raises(UserError) as caught:
        import_paths(engine, [_corpus(tmp_path)], annotator="ana", schema=schema)
    assert "disk full" in str(caught.value) and "savepoint" not in str(caught.value)
    assert caught.value.exit_code == 3 and "\n" not in str(caught.value)
    engine.dispose()


def test_a_locked_database_during_import_exits_3(tmp_path, schema):
    import sqlite3

    path = tmp_path / "locked.db"
    engine = create_db_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool)
    from annotator.store import migrate

    migrate.upgrade(engine)
    sa.event.listen(engine, "connect", lambda dbapi, _rec: dbapi.execute("PRAGMA busy_timeout = 200"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock past the busy timeout
    try:
        with pytest.raises(UserError) as caught:
            import_paths(engine, [_corpus(tmp_path, 3)], annotator="ana", schema=schema)
    finally:
        holder.rollback()
        holder.close()
    assert caught.value.exit_code == 3 and "locked" in str(caught.value)
    engine.dispose()


@pytest.mark.postgres
def test_a_dropped_connection_during_import_exits_3(pg_url, tmp_path, schema):
    engine = create_db_engine(pg_url, poolclass=sa.pool.NullPool)
    admin = create_db_engine(pg_url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")

    def drop_on_first_document(conn, cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO DOCUMENT"):
            pid = conn.connection.dbapi_connection.info.backend_pid
            with admin.connect() as other:
                other.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")

    sa.event.listen(engine, "before_cursor_execute", drop_on_first_document)
    with pytest.raises(UserError) as caught:
        import_paths(engine, [_corpus(tmp_path, 3)], annotator="ana", schema=schema)
    assert caught.value.exit_code == 3 and "\n" not in str(caught.value)
    engine.dispose()
    admin.dispose()


@pytest.mark.postgres
def test_as_someone_else_under_ones_own_role_is_one_line(pg_url, schema):
    with team(pg_url, schema) as t:
        engine = t.engine_as("alice")
        with Session(engine) as s:
            with pytest.raises(UserError, match="works as 'alice' only") as caught:
                ops.start_session(s, "bob", schema)
            assert "\n" not in str(caught.value)
            s.rollback()
            assert ops.start_session(s, "alice", schema).annotator_name == "alice"
        engine.dispose()
