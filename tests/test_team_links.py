"""Issue 11, items 1 and 3: a link belongs to its spans; one person in two terminals makes no
duplicates. Enforced by the database (migration 0005), checked on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys

import psycopg
import pytest
import sqlalchemy as sa
from team_support import TEXT, WORKER, seed_work, team

from annotator.services import annotations as ann
from annotator.services import spans as span_ops
from annotator.services.exporting.query import open_reader
from annotator.store import migrate
from annotator.store.engine import create_db_engine, get_engine, session_scope
from annotator.store.models import Annotator, Decision, Document, Link, SchemaVersion, Span, SuggestionRecord

LINK_REFUSED = "a link joins two spans of its own annotator"


def _raw_link(conn, head: int, child: int, annotator_id: int) -> None:
    conn.execute(
        sa.insert(Link.__table__).values(
            head_id=head,
            child_id=child,
            relation="SPEAKER",
            attribute="speaker",
            annotator_id=annotator_id,
            created_at=sa.func.now(),
        )
    )


def test_no_writer_can_link_another_annotators_span(db_url, schema):
    """Not even the tables' owner: the trigger checks every insert and update of a link."""
    ids = seed_work(db_url, schema)
    alice_id, alice_actor, alice_quote = ids["alice"]
    bob_id, bob_actor, bob_quote = ids["bob"]
    engine = get_engine(db_url)
    for head, child, owner in (
        (alice_quote, bob_actor, alice_id),
        (bob_quote, bob_actor, alice_id),
        (alice_quote, alice_actor, bob_id),
    ):
        with pytest.raises(sa.exc.IntegrityError, match=LINK_REFUSED), engine.begin() as conn:
            _raw_link(conn, head, child, owner)
    with pytest.raises(sa.exc.IntegrityError, match=LINK_REFUSED), engine.begin() as conn:
        conn.execute(sa.update(Link.__table__).where(Link.head_id == alice_quote).values(child_id=bob_actor))
    with pytest.raises(sa.exc.IntegrityError, match="span of its own annotator"), engine.begin() as conn:
        conn.execute(
            sa.insert(SuggestionRecord.__table__).values(
                document_id=ids["doc"],
                annotator_id=alice_id,
                label="ACTOR",
                start=0,
                end=20,
                attrs={},
                links={},
                source="x",
                status="accepted",
                created_at=sa.func.now(),
                span_id=bob_actor,
            )
        )
    with pytest.raises(sa.exc.IntegrityError, match="cannot change"), engine.begin() as conn:
        conn.execute(sa.update(Span.__table__).where(Span.id == alice_actor).values(annotator_id=bob_id))
    with session_scope(engine) as s:  # the services refuse it in words first
        with pytest.raises(ann.AnnotationError, match="same document and annotator"):
            span_ops.set_links(s, alice_quote, "speaker", [bob_actor], schema=schema)
        s.rollback()
        assert [
            (link.head_id, link.child_id, link.annotator_id)
            for link in s.exec(sa.select(Link).order_by(Link.id)).scalars()
        ] == [(alice_quote, alice_actor, alice_id), (bob_quote, bob_actor, bob_id)]


@pytest.mark.postgres
def test_hidden_span_ids_cannot_be_probed_through_foreign_keys(pg_url, schema):
    """To alice's role, bob's span and a span that does not exist get the very same refusal."""
    with team(pg_url, schema) as t:
        alice_id, alice_actor, alice_quote = t.ids["alice"]
        _bob_id, bob_actor, _ = t.ids["bob"]
        missing = bob_actor + 1000
        answers = {}
        with psycopg.connect(t.libpq("alice"), autocommit=True) as conn:
            sid = conn.execute(
                'INSERT INTO suggestion (document_id, annotator_id, label, start, "end", attrs, links, source, status, created_at)'
                " VALUES (%s, %s, 'ACTOR', 0, 20, '{}', '{}', 'x', 'open', now()) RETURNING id",
                (t.ids["doc"], alice_id),
            ).fetchone()[0]
            for what, target in (("bob", bob_actor), ("missing", missing)):
                for kind, sql, args in (
                    (
                        "link child",
                        "INSERT INTO link (head_id, child_id, relation, attribute, annotator_id, created_at)"
                        " VALUES (%s, %s, 'SPEAKER', 'speaker', %s, now())",
                        (alice_quote, target, alice_id),
                    ),
                    (
                        "link head",
                        "INSERT INTO link (head_id, child_id, relation, attribute, annotator_id, created_at)"
                        " VALUES (%s, %s, 'SPEAKER', 'speaker', %s, now())",
                        (target, alice_actor, alice_id),
                    ),
                    ("suggestion", "UPDATE suggestion SET span_id = %s WHERE id = %s", (target, sid)),
                ):
                    with pytest.raises(psycopg.Error) as caught:
                        conn.execute(sql, args)
                    answers[(kind, what)] = (caught.value.sqlstate, str(caught.value).replace(str(target), "ID"))
            with pytest.raises(psycopg.errors.InsufficientPrivilege):  # an annotator writes no decisions at all
                conn.execute(
                    "INSERT INTO decision (annotator_id, document_id, span_id, decided_by, action, source, detail, decided_at)"
                    " VALUES (%s, %s, %s, 'alice', 'accept', '', '{}', now())",
                    (alice_id, t.ids["doc"], bob_actor),
                )
        for kind in ("link child", "link head", "suggestion"):
            assert answers[(kind, "bob")] == answers[(kind, "missing")], kind
            assert answers[(kind, "bob")][0] == "23514" and "foreign key" not in answers[(kind, "bob")][1]
        with psycopg.connect(t.libpq("rev"), autocommit=True) as conn:  # a reviewer cannot forge gold links either
            gold_id = conn.execute("SELECT id FROM annotator WHERE name = 'gold'").fetchone()[0]
            with pytest.raises(psycopg.errors.CheckViolation, match=LINK_REFUSED):
                conn.execute(
                    "INSERT INTO link (head_id, child_id, relation, attribute, annotator_id, created_at)"
                    " VALUES (%s, %s, 'SPEAKER', 'speaker', %s, now())",
                    (alice_quote, alice_actor, gold_id),
                )


def test_readers_select_links_by_owner(db_url, schema):
    """Even a link row that got past the database (trigger switched off by hand) is not read as anyone's work."""
    ids = seed_work(db_url, schema)
    alice_id, alice_actor, alice_quote = ids["alice"]
    bob_id, bob_actor, bob_quote = ids["bob"]
    engine = get_engine(db_url)
    with engine.begin() as conn:
        if db_url.startswith("sqlite"):
            conn.exec_driver_sql("DROP TRIGGER link_owner_insert")
        else:
            conn.exec_driver_sql("ALTER TABLE link DISABLE TRIGGER link_owner")
        _raw_link(conn, bob_quote, alice_actor, alice_id)  # in alice's name, from bob's quote
        _raw_link(conn, alice_quote, bob_actor, bob_id)  # in bob's name, from alice's quote
    with session_scope(engine) as s:
        assert [x.links for x in ann.spans_for(s, ids["doc"], alice_id)] == [{}, {"speaker": (alice_actor,)}]
        assert [x.links for x in ann.spans_for(s, ids["doc"], bob_id)] == [{}, {"speaker": (bob_actor,)}]
        assert span_ops.snapshot_span(s, alice_quote).links == {"speaker": (alice_actor,)}
    with open_reader(engine) as reader:
        works = {w.annotator: w for item in reader.documents() for w in item.works}
    assert [(link.head_id, link.child_id) for link in works["alice"].links] == [(alice_quote, alice_actor)]
    assert [(link.head_id, link.child_id) for link in works["bob"].links] == [(bob_quote, bob_actor)]


def test_migration_merges_duplicate_spans_and_drops_foreign_links(empty_db_url):
    engine = create_db_engine(empty_db_url, poolclass=sa.pool.NullPool)
    migrate.upgrade(engine, "0004")
    now = sa.func.now()
    with engine.begin() as conn:
        conn.execute(
            sa.insert(Document.__table__).values(
                id=1, uid="u1", title="t", source="s", text=TEXT, sha256="h1", meta={}, created_at=now
            )
        )
        for aid, name in ((1, "alice"), (2, "bob"), (3, "gold")):
            conn.execute(sa.insert(Annotator.__table__).values(id=aid, name=name, created_at=now))
        conn.execute(
            sa.insert(SchemaVersion.__table__).values(
                id=1, name="conflict", version=1, fingerprint="f", body={}, created_at=now
            )
        )
        for sid, aid, label, start, end in (
            (1, 1, "ACTOR", 0, 20),
            (2, 1, "ACTOR", 0, 20),
            (3, 1, "ACTOR", 0, 20),
            (4, 1, "QUOTE", 49, 75),
            (5, 2, "ACTOR", 0, 20),
            (6, 3, "ACTOR", 0, 20),
            (7, 3, "ACTOR", 0, 20),
        ):
            conn.execute(
                sa.insert(Span.__table__).values(
                    id=sid,
                    document_id=1,
                    annotator_id=aid,
                    schema_id=1,
                    label=label,
                    start=start,
                    end=end,
                    attrs={"n": sid},
                    origin="manual",
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
            )
        for head, child, aid in ((4, 2, 1), (4, 3, 1), (4, 5, 1)):  # two links to duplicates, one to bob's span
            _raw_link(conn, head, child, aid)
        conn.execute(
            sa.insert(SuggestionRecord.__table__).values(
                document_id=1,
                annotator_id=1,
                label="ACTOR",
                start=0,
                end=20,
                attrs={},
                links={},
                source="x",
                status="accepted",
                created_at=now,
                span_id=3,
            )
        )
        conn.execute(
            sa.insert(SuggestionRecord.__table__).values(
                document_id=1,
                annotator_id=1,
                label="ACTOR",
                start=0,
                end=20,
                attrs={},
                links={},
                source="x",
                status="accepted",
                created_at=now,
                span_id=5,
            )
        )
        conn.execute(
            sa.insert(Decision.__table__).values(
                annotator_id=3,
                document_id=1,
                span_id=7,
                decided_by="lea",
                action="accept",
                source="alice",
                detail={},
                decided_at=now,
            )
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        spans = conn.execute(sa.select(Span.id, Span.annotator_id, Span.attrs).order_by(Span.id)).all()
        assert [(i, a) for i, a, _ in spans] == [(1, 1), (4, 1), (5, 2), (6, 3)]
        assert spans[0][2] == {"n": 1}  # the oldest copy is kept
        assert conn.execute(sa.select(Link.head_id, Link.child_id, Link.annotator_id)).all() == [(4, 1, 1)]
        assert sorted(conn.execute(sa.select(SuggestionRecord.span_id)).scalars(), key=str) == [1, None]
        assert conn.execute(sa.select(Decision.span_id)).scalars().all() == [6]
        with pytest.raises(sa.exc.IntegrityError):
            conn.execute(
                sa.insert(Span.__table__).values(
                    document_id=1,
                    annotator_id=1,
                    schema_id=1,
                    label="ACTOR",
                    start=0,
                    end=20,
                    attrs={},
                    origin="manual",
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
            )
    engine.dispose()


def test_one_person_in_two_terminals_makes_no_duplicates(db_url, schema, tmp_path):
    """Two processes of the same annotator add the same 150 spans at the same moment."""
    ids = seed_work(db_url, schema)
    spans = [["LOCATION" if i % 2 else "ACTOR", i % 70, i % 70 + 1 + i // 70] for i in range(150)]
    assert len({tuple(s) for s in spans}) == 150
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(WORKER),
                "tag",
                db_url,
                str(ids["doc"]),
                "carol",
                json.dumps(spans),
                str(tmp_path),
                me,
                peer,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for me, peer in (("one", "two"), ("two", "one"))
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["stored"] + r["refused"] == 150 for r in results)
    assert sum(r["stored"] for r in results) == 150
    with session_scope(get_engine(db_url)) as s:
        carol = s.exec(sa.select(Annotator.id).where(Annotator.name == "carol")).scalar_one()
        rows = s.exec(sa.select(Span.label, Span.start, Span.end).where(Span.annotator_id == carol)).all()
    assert sorted(tuple(r) for r in rows) == sorted(tuple(s) for s in spans)
