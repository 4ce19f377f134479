"""A team on a real PostgreSQL database for tests/test_team_*.py: alice, bob and a reviewer,
each with a login role of their own (``annotator db grant``), and work by alice and bob."""

from __future__ import annotations

import subprocess
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from support.cli import cli as support_cli

from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.store import roles
from annotator.store.engine import create_db_engine, get_engine, session_scope

TEXT = "Anti-balaka militias attacked Muslims in Bangui, said Amnesty International."
WORKER = Path(__file__).resolve().parent / "team_worker.py"


@dataclass
class Team:
    url: str
    roles: dict[str, str]  # person -> role name
    ids: dict = field(default_factory=dict)

    def url_as(self, who: str) -> str:
        return make_url(self.url).set(username=self.roles[who], password=None).render_as_string(hide_password=False)

    def libpq(self, who: str) -> str:
        u = make_url(self.url_as(who))
        return f"host={u.host} port={u.port or 5432} dbname={u.database} user={u.username}"

    def engine_as(self, who: str):
        return create_db_engine(self.url_as(who), poolclass=sa.pool.NullPool)


def seed_work(url: str, schema) -> dict:
    """alice and bob each tag ACTOR 0-20 and QUOTE 49-75 (speaker: the actor) and are in progress."""
    ids: dict = {}
    with session_scope(get_engine(url)) as s:
        doc, _ = corpus.add_document(s, text=TEXT, source="t.txt")
        row = corpus.register_schema(s, schema)
        for who in ("alice", "bob"):
            a = corpus.get_or_create_annotator(s, who)
            actor = span_ops.add_span(
                s, document=doc, annotator_id=a.id, schema_id=row.id, schema=schema, label="ACTOR", start=0, end=20
            )
            quote = span_ops.add_span(
                s, document=doc, annotator_id=a.id, schema_id=row.id, schema=schema, label="QUOTE", start=49, end=75
            )
            span_ops.set_links(s, quote.id, "speaker", [actor.id], schema=schema)
            ann.set_status(s, document_id=doc.id, annotator_id=a.id, status="in_progress")
            ids[who] = (a.id, actor.id, quote.id)
        ids["doc"], ids["schema"] = doc.id, row.id
    return ids


@contextmanager
def team(pg_url: str, schema, *, reviewers: tuple[str, ...] = ("rev",), gold: dict[str, str] | None = None):
    tag = uuid.uuid4().hex[:8]
    people = ("alice", "bob", *reviewers)
    names = {who: f"t11_{tag}_{who}" for who in people}
    ids = seed_work(pg_url, schema)
    engine = get_engine(pg_url)
    for who in people:
        roles.grant(engine, who, role=names[who], reviewer=who in reviewers, gold=(gold or {}).get(who))
    try:
        yield Team(pg_url, names, ids)
    finally:
        admin = create_db_engine(pg_url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename LIKE %s", (f"t11_{tag}_%",)
            )
            for role in names.values():
                conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
                conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        admin.dispose()


def cli(*args: str, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return support_cli(*args, env=env, stdin=stdin)
