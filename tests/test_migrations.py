"""Migrations: a database made by the oldest migration, with data in it, upgrades to head
losing nothing; the models match what the migrations build; `annotator db upgrade/current`
work on both backends.
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime

import sqlalchemy as sa
from support.cli import cli

from annotator.store import migrate
from annotator.store.engine import create_db_engine

OLDEST = "0001"
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
TEXT = 'Séléka rebels 🙂 left Bangui; "we will return", said a commander.\nLine two.'


def _seed_oldest(engine) -> None:
    """Rows in every 0001 table, written with plain SQL (the models may have moved on)."""
    rows = {
        "document": [
            dict(
                id=1,
                uid="a" * 16,
                title="One",
                source="one.txt",
                text=TEXT,
                sha256="a" * 64,
                meta={"lang": "fr"},
                created_at=NOW,
            ),
            dict(
                id=2,
                uid="b" * 16,
                title="Two",
                source="two.txt",
                text="Second.",
                sha256="b" * 64,
                meta={},
                created_at=NOW,
            ),
        ],
        "label_schema": [
            dict(
                id=1,
                name="conflict",
                version=1,
                fingerprint="f" * 64,
                body={"name": "conflict", "labels": []},
                created_at=NOW,
            )
        ],
        "annotator": [
            dict(id=1, name="ana", last_document_id=1, created_at=NOW),
            dict(id=2, name="ben", last_document_id=None, created_at=NOW),
        ],
        "span": [
            dict(
                id=1,
                document_id=1,
                annotator_id=1,
                schema_id=1,
                label="ACTOR",
                start=0,
                end=13,
                attrs={"actor_type": "armed group"},
                origin="manual",
                version=3,
                created_at=NOW,
                updated_at=NOW,
            ),
            dict(
                id=2,
                document_id=1,
                annotator_id=1,
                schema_id=1,
                label="QUOTE",
                start=30,
                end=46,
                attrs={},
                origin="import",
                version=1,
                created_at=NOW,
                updated_at=NOW,
            ),
            dict(
                id=3,
                document_id=1,
                annotator_id=2,
                schema_id=1,
                label="LOCATION",
                start=21,
                end=27,
                attrs={},
                origin="manual",
                version=1,
                created_at=NOW,
                updated_at=NOW,
            ),
        ],
        "link": [
            dict(id=1, head_id=2, child_id=1, relation="SPEAKER", attribute="speaker", annotator_id=1, created_at=NOW)
        ],
        "document_status": [
            dict(
                id=1,
                document_id=1,
                annotator_id=1,
                status="done",
                seconds_spent=12.5,
                note="",
                version=4,
                updated_at=NOW,
            ),
            dict(
                id=2,
                document_id=2,
                annotator_id=2,
                status="skipped",
                seconds_spent=0.0,
                note="not relevant 🙂",
                version=2,
                updated_at=NOW,
            ),
        ],
    }
    meta = sa.MetaData()
    meta.reflect(bind=engine)
    with engine.begin() as conn:
        for table, values in rows.items():
            conn.execute(meta.tables[table].insert(), values)
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for table in rows:
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM \"{table}\"))"
                )


def _dump(engine, tables: dict[str, list[str]]) -> dict[str, list[tuple]]:
    out = {}
    with engine.connect() as conn:
        for table, columns in tables.items():
            cols = ", ".join(f'"{c}"' for c in columns)
            out[table] = [tuple(r) for r in conn.exec_driver_sql(f'SELECT {cols} FROM "{table}" ORDER BY id')]
    return out


def _columns(engine) -> dict[str, list[str]]:
    inspector = sa.inspect(engine)
    return {
        t: [c["name"] for c in inspector.get_columns(t)] for t in inspector.get_table_names() if t != "alembic_version"
    }


def test_oldest_database_with_data_upgrades_to_head_losing_nothing(empty_db_url, schema):
    engine = create_db_engine(empty_db_url, poolclass=sa.pool.NullPool)
    migrate.upgrade(engine, OLDEST)
    assert migrate.current_revision(engine) == OLDEST
    _seed_oldest(engine)
    old_columns = _columns(engine)
    before = _dump(engine, old_columns)
    assert sum(len(v) for v in before.values()) == 11

    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    after = _dump(engine, old_columns)
    assert after == before  # every old row, every old column, byte for byte
    new_columns = _columns(engine)
    for table, columns in old_columns.items():
        assert set(columns) <= set(new_columns[table]), table

    # the services read the old data as before, and can keep working on it
    from sqlmodel import Session

    from annotator.services import annotations as ann
    from annotator.services import corpus
    from annotator.services import spans as span_ops

    with Session(engine) as session:
        spans = ann.spans_for(session, 1, 1)
        assert [(s.label, s.start, s.end, s.version) for s in spans] == [("ACTOR", 0, 13, 3), ("QUOTE", 30, 46, 1)]
        assert spans[1].links == {"speaker": (1,)}
        assert ann.get_status(session, 1, 1).version == 4
        row = corpus.register_schema(session, schema)
        doc = corpus.get_document(session, 1)
        new = span_ops.add_span(
            session, document=doc, annotator_id=2, schema_id=row.id, schema=schema, label="ACTOR", start=0, end=6
        )
        session.commit()
        assert new.id == 4 and TEXT[new.start : new.end] == "Séléka"
        assert corpus.find_annotator(session, "ana").db_role is None
    engine.dispose()


def test_models_match_the_migrations(db_url):
    """What the models declare is what `db upgrade` builds (no forgotten migration)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import annotator.store.models  # noqa: F401

    engine = create_db_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_to_oldest_and_back_keeps_the_data(empty_db_url):
    engine = create_db_engine(empty_db_url, poolclass=sa.pool.NullPool)
    migrate.upgrade(engine, OLDEST)
    _seed_oldest(engine)
    columns = _columns(engine)
    before = _dump(engine, columns)
    migrate.upgrade(engine)
    migrate.downgrade(engine, OLDEST)
    assert _dump(engine, columns) == before
    migrate.upgrade(engine)
    assert _dump(engine, columns) == before
    engine.dispose()


def _cli(*args: str) -> subprocess.CompletedProcess:
    return cli(*args)


def test_db_upgrade_and_current_cli(empty_db_url):
    engine = create_db_engine(empty_db_url, poolclass=sa.pool.NullPool)
    migrate.upgrade(engine, OLDEST)
    _seed_oldest(engine)
    engine.dispose()
    current = _cli("db", "current", "--db", empty_db_url)
    assert current.returncode == 0, current.stderr
    assert f"at {OLDEST};" in current.stdout and "needs 'annotator db upgrade'" in current.stdout
    if not empty_db_url.startswith("sqlite"):
        # a shared server is never migrated behind the lead's back: other commands refuse
        stats = _cli("stats", "--db", empty_db_url)
        assert (
            stats.returncode == 2 and "run 'annotator db upgrade'" in stats.stderr and "Traceback" not in stats.stderr
        )
    up = _cli("db", "upgrade", "--db", empty_db_url)
    assert up.returncode == 0, up.stderr
    assert f"{OLDEST} -> {migrate.head_revision()}" in up.stdout
    assert "up to date" in _cli("db", "current", "--db", empty_db_url).stdout
    stats = _cli("stats", "--format", "json", "--db", empty_db_url)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["spans"] == 3


def test_single_head():
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory(str(migrate.MIGRATIONS)).get_heads()
    assert len(heads) == 1, f"migrations have several heads {heads}: chain the newest onto one"
