"""`annotator db grant`: per-annotator PostgreSQL roles under row-level security.

Connecting *as* an annotator's role (plain psycopg, as psql would), that role reads and
changes only its own spans, links and statuses; a reviewer reads all; the lead (table owner)
is unaffected. On SQLite `db grant` is a one-line error.
"""

from __future__ import annotations

import base64
import subprocess
import uuid

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session
from support.cli import cli as support_cli

from annotator.errors import UserError
from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.store import roles
from annotator.store.engine import create_db_engine, get_engine, session_scope

TEXT = "Anti-balaka militias attacked Muslims in Bangui, said Amnesty International."


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return support_cli(*args, env=env)


def _as_role(db_url: str, role: str) -> str:
    return make_url(db_url).set(username=role, password=None).render_as_string(hide_password=False)


def _libpq(url: str) -> str:
    u = make_url(url)
    return f"host={u.host} port={u.port or 5432} dbname={u.database} user={u.username}"


@pytest.fixture
def team(pg_url, schema):
    """Lead-side setup: alice, bob and a reviewer with roles; spans, links, statuses for both."""
    db_url = pg_url
    tag = uuid.uuid4().hex[:8]
    names = {"alice": f"t6_{tag}_alice", "bob": f"t6_{tag}_bob", "rev": f"t6_{tag}_rev"}
    engine = get_engine(db_url)
    ids = {}
    with session_scope(engine) as s:
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
    roles.grant(engine, "alice", role=names["alice"])
    roles.grant(engine, "bob", role=names["bob"])
    roles.grant(engine, "rev", role=names["rev"], reviewer=True)
    yield db_url, names, ids
    admin = create_db_engine(db_url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename LIKE %s", (f"t6_{tag}_%",)
        )
        for role in names.values():
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
    admin.dispose()


@pytest.mark.postgres
def test_annotator_role_sees_and_changes_only_its_own_rows(team):
    db_url, names, ids = team
    alice_id, alice_actor, alice_quote = ids["alice"]
    bob_id, bob_actor, bob_quote = ids["bob"]
    with psycopg.connect(_libpq(_as_role(db_url, names["alice"])), autocommit=True) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == names["alice"]
        assert sorted(r[0] for r in conn.execute("SELECT id FROM span")) == sorted([alice_actor, alice_quote])
        assert {r[0] for r in conn.execute("SELECT annotator_id FROM link")} == {alice_id}
        assert {r[0] for r in conn.execute("SELECT annotator_id FROM document_status")} == {alice_id}
        # asking for bob's rows by id finds nothing; changing or deleting them touches nothing
        assert conn.execute("SELECT count(*) FROM span WHERE annotator_id = %s", (bob_id,)).fetchone()[0] == 0
        assert conn.execute("UPDATE span SET label = 'LOCATION' WHERE id = %s", (bob_actor,)).rowcount == 0
        assert conn.execute("DELETE FROM span WHERE annotator_id = %s", (bob_id,)).rowcount == 0
        assert conn.execute("DELETE FROM link WHERE annotator_id = %s", (bob_id,)).rowcount == 0
        assert (
            conn.execute("UPDATE document_status SET status = 'done' WHERE annotator_id = %s", (bob_id,)).rowcount == 0
        )
        # nor can alice write rows in bob's name, or hand her own to bob
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                'INSERT INTO span (document_id, annotator_id, schema_id, label, start, "end", attrs, origin, version, created_at, updated_at)'
                " VALUES (%s, %s, %s, 'ACTOR', 0, 5, '{}', 'manual', 1, now(), now())",
                (ids["doc"], bob_id, ids["schema"]),
            )
        with pytest.raises(psycopg.errors.CheckViolation, match="annotator of a span cannot change"):  # migration 0005
            conn.execute("UPDATE span SET annotator_id = %s WHERE id = %s", (bob_id, alice_actor))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO document_status (document_id, annotator_id, status, seconds_spent, note, version, updated_at) VALUES (%s, %s, 'done', 0, '', 1, now())",
                (ids["doc"], bob_id),
            )
        # no rights over documents or the role mapping; own last document only
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE annotator SET db_reviewer = true WHERE id = %s", (alice_id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE annotator SET db_role = current_user WHERE id = %s", (bob_id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO annotator (name, created_at, db_reviewer) VALUES ('mallory', now(), true)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM document")
        assert (
            conn.execute("UPDATE annotator SET last_document_id = %s WHERE id = %s", (ids["doc"], alice_id)).rowcount
            == 1
        )
        assert (
            conn.execute("UPDATE annotator SET last_document_id = %s WHERE id = %s", (ids["doc"], bob_id)).rowcount == 0
        )
    # and as the lead, bob's work is all still there, untouched
    with session_scope(get_engine(db_url)) as s:
        bob_spans = ann.spans_for(s, ids["doc"], bob_id)
        assert [(x.id, x.label, x.version) for x in bob_spans] == [(bob_actor, "ACTOR", 1), (bob_quote, "QUOTE", 2)]
        assert bob_spans[1].links == {"speaker": (bob_actor,)}
        assert ann.get_status(s, ids["doc"], bob_id).status == "in_progress"


@pytest.mark.postgres
def test_the_app_works_as_an_annotator_role(team, schema):
    """The services, connected as alice's role, do her whole job and nothing of bob's."""
    db_url, names, ids = team
    alice_id, alice_actor, alice_quote = ids["alice"]
    bob_id, bob_actor, _ = ids["bob"]
    engine = create_db_engine(_as_role(db_url, names["alice"]), poolclass=sa.pool.NullPool)
    with Session(engine, expire_on_commit=False) as s:
        assert roles.current_role_annotator(s.connection()) == "alice"
        assert corpus.get_or_create_annotator(s, "alice").id == alice_id
        row = corpus.register_schema(s, schema)
        doc = corpus.get_document(s, ids["doc"])
        new = span_ops.add_span(
            s, document=doc, annotator_id=alice_id, schema_id=row.id, schema=schema, label="LOCATION", start=41, end=47
        )
        span_ops.update_span(s, alice_actor, schema=schema, expected_version=1, attrs={"actor_type": "militia"})
        span_ops.set_links(s, alice_quote, "speaker", [alice_actor], schema=schema)
        ann.set_status(s, document_id=doc.id, annotator_id=alice_id, status="done", expected_version=2)
        s.commit()
        assert [x.id for x in ann.spans_for(s, doc.id, alice_id)] == [alice_actor, new.id, alice_quote]
        assert ann.spans_for(s, doc.id, bob_id) == []
        assert span_ops.snapshot_span(s, bob_actor) is None
        with pytest.raises(ann.VersionConflict):  # to alice, bob's span does not exist
            span_ops.delete_span(s, bob_actor)
        s.rollback()
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
            span_ops.add_span(
                s, document=doc, annotator_id=bob_id, schema_id=row.id, schema=schema, label="ACTOR", start=0, end=4
            )
        s.rollback()
    engine.dispose()


@pytest.mark.postgres
def test_reviewer_reads_everyone_and_writes_only_gold(team, schema):
    db_url, names, ids = team
    with psycopg.connect(_libpq(_as_role(db_url, names["rev"])), autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM span").fetchone()[0] == 4
        assert conn.execute("SELECT count(*) FROM link").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM document_status").fetchone()[0] == 2
        assert conn.execute("UPDATE span SET label = 'LOCATION' WHERE id = %s", (ids["alice"][1],)).rowcount == 0
        assert conn.execute("DELETE FROM span").rowcount == 0
    engine = create_db_engine(_as_role(db_url, names["rev"]), poolclass=sa.pool.NullPool)
    with Session(engine, expire_on_commit=False) as s:
        gold = corpus.find_annotator(s, corpus.GOLD)
        assert gold is not None  # db grant --reviewer made it
        row = corpus.register_schema(s, schema)
        doc = corpus.get_document(s, ids["doc"])
        span_ops.add_span(
            s, document=doc, annotator_id=gold.id, schema_id=row.id, schema=schema, label="ACTOR", start=0, end=20
        )
        s.commit()
        assert len(ann.spans_for(s, doc.id, ids["alice"][0])) == 2  # reads across annotators
    engine.dispose()
    # an annotator does not see gold
    with psycopg.connect(_libpq(_as_role(db_url, names["alice"])), autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM span").fetchone()[0] == 2


@pytest.mark.postgres
def test_grant_cli_password_from_environment_only(team):
    db_url, names, _ = team
    role = names["bob"]
    secret = f"pw-{uuid.uuid4().hex}"
    result = _cli("db", "grant", "bob", "--role", role, "--db", db_url, env={"ANNOTATOR_ROLE_PASSWORD": secret})
    assert result.returncode == 0, result.stderr
    assert "updated" in result.stdout and "password set" in result.stdout
    assert secret not in result.stdout + result.stderr
    with create_db_engine(db_url, poolclass=sa.pool.NullPool).connect() as conn:
        stored = conn.execute(sa.text("SELECT rolpassword FROM pg_authid WHERE rolname = :r"), {"r": role}).scalar()
    assert stored.startswith("SCRAM-SHA-256$4096:") and secret not in stored
    # the verifier is the one the server itself would compute for that password
    salt = base64.b64decode(stored.split(":")[1].split("$")[0])
    assert roles.scram_sha256_verifier(secret, salt=salt) == stored
    # again without the variable: the password is left as it was
    again = _cli("db", "grant", "bob", "--role", role, "--db", db_url, env={"ANNOTATOR_ROLE_PASSWORD": ""})
    assert again.returncode == 0 and "password unchanged" in again.stdout


@pytest.mark.postgres
def test_scram_verifier_matches_postgres(team):
    """Our client-side SCRAM verifier equals what PostgreSQL stores for ALTER ROLE ... PASSWORD."""
    db_url, names, _ = team
    role = names["alice"]
    with create_db_engine(db_url, poolclass=sa.pool.NullPool).begin() as conn:
        conn.exec_driver_sql("SET LOCAL password_encryption = 'scram-sha-256'")
        conn.exec_driver_sql(f"ALTER ROLE \"{role}\" PASSWORD 'pencil'")
        stored = conn.execute(sa.text("SELECT rolpassword FROM pg_authid WHERE rolname = :r"), {"r": role}).scalar()
    iterations = int(stored.split("$")[1].split(":")[0])
    salt = base64.b64decode(stored.split(":")[1].split("$")[0])
    assert roles.scram_sha256_verifier("pencil", salt=salt, iterations=iterations) == stored


@pytest.mark.postgres
def test_grant_refuses_roles_that_bypass_security(team):
    db_url, _, _ = team
    engine = get_engine(db_url)
    lead = make_url(db_url).username
    with pytest.raises(UserError, match="superuser|owns the tables"):
        roles.grant(engine, "carol", role=lead)
    with pytest.raises(UserError, match="not a usable role name"):
        roles.grant(engine, "carol", role='x"; DROP TABLE span; --')
    with pytest.raises(UserError, match="gold"):
        roles.grant(engine, corpus.GOLD)


@pytest.mark.postgres
def test_tables_added_later_get_row_security_on_grant(team):
    """A per-annotator table made by a later migration is covered the next time a lead grants."""
    db_url, names, ids = team
    engine = get_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE t6_extra (id serial PRIMARY KEY, annotator_id integer NOT NULL REFERENCES annotator(id), note text)"
        )
        conn.exec_driver_sql(
            f"INSERT INTO t6_extra (annotator_id, note) VALUES ({ids['alice'][0]}, 'a'), ({ids['bob'][0]}, 'b')"
        )
    result = roles.grant(engine, "alice", role=names["alice"])
    assert "t6_extra" in result.scoped_tables
    with psycopg.connect(_libpq(_as_role(db_url, names["alice"])), autocommit=True) as conn:
        assert [r[0] for r in conn.execute("SELECT note FROM t6_extra")] == ["a"]


@pytest.mark.postgres
def test_suggestions_are_private_too(team):
    db_url, names, ids = team
    engine = get_engine(db_url)
    with engine.begin() as conn:
        for who in ("alice", "bob"):
            conn.execute(
                sa.text(
                    'INSERT INTO suggestion (document_id, annotator_id, label, start, "end", attrs, links, source, status, created_at)'
                    " VALUES (:d, :a, 'ACTOR', 0, 20, '{}', '{}', 'rules', 'open', now())"
                ),
                {"d": ids["doc"], "a": ids[who][0]},
            )
    with psycopg.connect(_libpq(_as_role(db_url, names["alice"])), autocommit=True) as conn:
        assert [r[0] for r in conn.execute("SELECT annotator_id FROM suggestion")] == [ids["alice"][0]]
        assert (
            conn.execute("UPDATE suggestion SET status = 'rejected' WHERE annotator_id = %s", (ids["bob"][0],)).rowcount
            == 0
        )


@pytest.mark.postgres
def test_db_upgrade_refreshes_rights_for_new_tables(team):
    db_url, names, ids = team
    with get_engine(db_url).begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE t6_later (id serial PRIMARY KEY, annotator_id integer NOT NULL REFERENCES annotator(id), note text)"
        )
        conn.exec_driver_sql(
            f"INSERT INTO t6_later (annotator_id, note) VALUES ({ids['alice'][0]}, 'a'), ({ids['bob'][0]}, 'b')"
        )
    with psycopg.connect(_libpq(_as_role(db_url, names["alice"])), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # safe by default: no rights yet
            conn.execute("SELECT note FROM t6_later")
    result = _cli("db", "upgrade", "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert "refreshed for 3 team role(s)" in result.stdout
    with psycopg.connect(_libpq(_as_role(db_url, names["alice"])), autocommit=True) as conn:
        assert [r[0] for r in conn.execute("SELECT note FROM t6_later")] == ["a"]


@pytest.mark.postgres
def test_revoke_takes_the_rights_away(team):
    db_url, names, _ = team
    result = _cli("db", "revoke", "alice", "--db", db_url)
    assert result.returncode == 0, result.stderr
    with psycopg.connect(_libpq(_as_role(db_url, names["alice"])), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM span")


@pytest.mark.postgres
def test_migration_policies_match_roles_module(team):
    """Migration 0002 froze a copy of the policies; it must say what roles.POLICY_SQL says."""
    db_url, _, _ = team
    with create_db_engine(db_url, poolclass=sa.pool.NullPool).connect() as conn:
        stored = {
            (r.tablename, r.policyname): (r.cmd, r.qual, r.with_check)
            for r in conn.execute(
                sa.text("SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies WHERE tablename = 'span'")
            )
        }
        conn.exec_driver_sql("CREATE TABLE t6_probe (id serial PRIMARY KEY, annotator_id integer)")
        for template in roles.POLICY_SQL:
            conn.exec_driver_sql(template.format(t="t6_probe"))
        probe = {
            (r.tablename.replace("t6_probe", "span"), r.policyname.replace("t6_probe", "span")): (
                r.cmd,
                r.qual,
                r.with_check,
            )
            for r in conn.execute(
                sa.text(
                    "SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies WHERE tablename = 't6_probe'"
                )
            )
        }
        conn.rollback()
    assert stored == probe and len(stored) == 3


def test_grant_on_sqlite_is_one_line_error(sqlite_url):
    result = _cli("db", "grant", "alice", "--db", sqlite_url)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "PostgreSQL" in result.stderr and "Traceback" not in result.stderr
