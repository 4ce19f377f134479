"""`annotator assign`: k annotators per document, balanced within 1, deterministic, idempotent;
a late annotator takes only unstarted work; started work stays unless --reassign says so.

Runs against the real database (SQLite and PostgreSQL) through the service, the command line
in a subprocess, and the pure planner under hypothesis.
"""

from __future__ import annotations

import subprocess
from collections import Counter, defaultdict

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from support.cli import cli

from annotator.errors import UserError
from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.services.assign import assign
from annotator.services.assign_plan import DocState, Planner
from annotator.store.engine import session_scope


def _docs(engine, n: int, prefix: str = "doc") -> list[int]:
    with session_scope(engine) as s:
        made = corpus.add_documents(
            s,
            [
                corpus.NewDocument(f"{prefix} {i}: text of document number {i}.", source=f"{prefix}/{i}.txt")
                for i in range(n)
            ],
        )
    return [doc_id for doc_id, _ in made]


def _assignments(engine) -> dict[int, set[str]]:
    """document id -> annotator names, straight from the table."""
    out: dict[int, set[str]] = defaultdict(set)
    with engine.connect() as conn:
        for doc_id, name in conn.exec_driver_sql(
            "SELECT a.document_id, n.name FROM assignment a JOIN annotator n ON n.id = a.assignee_id"
        ):
            out[doc_id].add(name)
    return dict(out)


def _rows(engine) -> list[tuple]:
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.exec_driver_sql("SELECT id, document_id, assignee_id FROM assignment"))


def _loads(assigned: dict[int, set[str]]) -> Counter:
    return Counter(name for names in assigned.values() for name in names)


def _start(engine, doc_id: int, name: str, *, spans: bool = False, schema=None) -> None:
    with session_scope(engine) as s:
        who = corpus.get_or_create_annotator(s, name)
        if spans:
            doc = corpus.get_document(s, doc_id)
            row = corpus.register_schema(s, schema)
            span_ops.add_span(
                s, document=doc, annotator_id=who.id, schema_id=row.id, schema=schema, label="ACTOR", start=0, end=3
            )
        else:
            ann.set_status(s, document_id=doc_id, annotator_id=who.id, status="done")


TEAM = ["alice", "bob", "carol", "dan"]


@pytest.mark.parametrize("n, team, k", [(50, TEAM, 2), (7, ["a", "b", "c"], 2), (11, TEAM, 3), (5, TEAM, 1)])
def test_every_document_gets_k_distinct_annotators_and_loads_differ_by_at_most_one(engine, n, team, k):
    docs = _docs(engine, n)
    result = assign(engine, team, per_document=k, seed=1)
    assigned = _assignments(engine)
    assert set(assigned) == set(docs)
    assert all(len(names) == k and names <= set(team) for names in assigned.values())
    loads = _loads(assigned)
    assert max(loads[t] for t in team) - min(loads[t] for t in team) <= 1
    assert sum(loads.values()) == n * k == result.added
    assert result.loads == {t: loads[t] for t in team}


def test_pairs_vary_so_every_pair_of_annotators_shares_documents(engine):
    _docs(engine, 60)
    assign(engine, TEAM, per_document=2, seed=3)
    pairs = Counter(tuple(sorted(names)) for names in _assignments(engine).values())
    assert len(pairs) == 6  # all C(4,2) pairs occur: agreement can be measured between any two


def test_same_seed_same_assignment_and_a_rerun_changes_nothing(engine, db_url, tmp_path):
    _docs(engine, 40)
    assign(engine, TEAM, per_document=2, seed=7)
    first = _rows(engine)
    again = assign(engine, TEAM, per_document=2, seed=7)
    assert (again.added, again.removed) == (0, 0)
    assert _rows(engine) == first  # not even re-inserted: same row ids
    # a fresh database with the same documents and seed gives the same assignment
    from annotator.store.engine import get_engine

    other = get_engine(f"sqlite:///{tmp_path / 'other.db'}")
    _docs(other, 40)
    assign(other, TEAM, per_document=2, seed=7)
    assert _assignments(other) == _assignments(engine)
    third = get_engine(f"sqlite:///{tmp_path / 'third.db'}")
    _docs(third, 40)
    assign(third, TEAM, per_document=2, seed=8)
    assert _assignments(third) != _assignments(engine)


def test_a_late_annotator_takes_only_unstarted_work_and_loads_rebalance(engine, schema):
    docs = _docs(engine, 40)
    assign(engine, TEAM, per_document=2, seed=0)
    before = _assignments(engine)
    started = set()
    for doc_id in docs[:12]:  # the first 12 documents are started by their assignees
        for i, name in enumerate(sorted(before[doc_id])):
            _start(engine, doc_id, name, spans=i == 0, schema=schema)
            started.add((doc_id, name))
    result = assign(engine, [*TEAM, "erin"], per_document=2, seed=0)
    after = _assignments(engine)
    assert all(len(names) == 2 for names in after.values())
    loads = _loads(after)
    assert max(loads.values()) - min(loads.values()) <= 1 and loads["erin"] == 16
    assert all(name in after[doc_id] for doc_id, name in started)  # nothing started was taken away
    moved = {(d, n) for d in docs for n in before[d] - after[d]}
    assert moved and not moved & started
    assert all(after[d] - before[d] <= {"erin"} for d in docs)  # only erin gained work
    assert result.removed == result.added == len(moved) == 16
    assert (assign(engine, [*TEAM, "erin"], per_document=2, seed=0).added, _assignments(engine)) == (0, after)


def test_started_work_stays_with_its_annotator_unless_reassigned(engine):
    docs = _docs(engine, 10)
    assign(engine, ["alice", "bob"], per_document=1, seed=0)
    alices = sorted(d for d, names in _assignments(engine).items() if "alice" in names)
    _start(engine, alices[0], "alice")
    # alice leaves the team: her unstarted documents go to carol, her started one stays hers
    assign(engine, ["bob", "carol"], per_document=1, seed=0)
    after = _assignments(engine)
    assert after[alices[0]] == {"alice"}
    assert all(after[d] in ({"carol"}, {"bob"}) for d in docs if d != alices[0])
    assert all("alice" not in after[d] for d in alices[1:])
    # only --reassign takes started work away (her spans and status stay hers in the database)
    result = assign(engine, ["bob", "carol"], per_document=1, seed=0, reassign=["alice"])
    after = _assignments(engine)
    assert "alice" not in after[alices[0]] and len(after[alices[0]]) == 1
    assert result.removed == 1
    loads = _loads(after)
    assert abs(loads["bob"] - loads["carol"]) <= 1
    with pytest.raises(UserError, match="no annotator named 'zed'"):
        assign(engine, ["bob"], per_document=1, reassign=["zed"])


def test_work_started_without_an_assignment_is_kept_by_its_annotator(engine):
    docs = _docs(engine, 6)
    _start(engine, docs[0], "carol")
    assign(engine, ["alice", "bob", "carol"], per_document=1, seed=0)
    assert _assignments(engine)[docs[0]] == {"carol"}


def test_all_gives_every_document_to_everyone_and_documents_selects(engine):
    docs = _docs(engine, 8)
    assign(engine, TEAM, per_document=None, documents=f"{docs[0]}-{docs[2]}")
    assert _assignments(engine) == {d: set(TEAM) for d in docs[:3]}
    assign(engine, ["alice", "bob"], per_document=1, documents="source:doc/7.*")
    assert len(_assignments(engine)[docs[7]]) == 1
    with pytest.raises(UserError, match="^'what' is not") as bad_documents:
        assign(engine, TEAM, per_document=1, documents="what")
    assert bad_documents.value.field == "documents"
    with pytest.raises(UserError) as too_many:
        assign(engine, ["alice"], per_document=2)
    assert too_many.value.field == "per_document"
    with pytest.raises(UserError, match="adjudicated version"):
        assign(engine, ["alice", "gold"], per_document=1)


def _cli(*args: str, db: str) -> subprocess.CompletedProcess:
    return cli(*args, "--db", db)


def test_cli_assign_and_show(sqlite_url):
    from annotator.store.engine import get_engine

    _docs(get_engine(sqlite_url), 4)
    done = _cli("assign", "--to", "alice,bob", "--per-document", "1", "--seed", "2", db=sqlite_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "4 documents; 4 assignments added, 0 removed"
    shown = _cli("assign", "--show", db=sqlite_url)
    assert shown.returncode == 0
    lines = shown.stdout.splitlines()
    assert len(lines) == 5 and lines[-1] == "assigned: alice 2, bob 2"
    bad = _cli("assign", "--to", "alice", "--per-document", "3", db=sqlite_url)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "--per-document" in bad.stderr


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 60), m=st.integers(1, 7), data=st.data())
def test_planner_balances_any_fresh_corpus(n, m, data):
    k = data.draw(st.integers(1, m))
    names = [f"a{i}" for i in range(m)]
    planner = Planner(names, [None] * m, k=k, seed=data.draw(st.integers(0, 99)))
    docs = [DocState(i, f"{i:016x}") for i in range(n)]
    for doc in docs:
        planner.count(planner.settle(doc))
    planner.start_pass_two()
    for doc in docs:
        decision = planner.decide(doc)
        assert len(set(decision.adds)) == len(decision.adds) == k and decision.overflow == 0
    assert max(planner.loads) - min(planner.loads) <= 1 and sum(planner.loads) == n * k


@pytest.mark.postgres
def test_annotator_roles_read_only_their_own_assignments_and_cannot_write_them(pg_url):
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    from annotator.store import roles
    from annotator.store.engine import create_db_engine, get_engine

    engine = get_engine(pg_url)
    docs = _docs(engine, 6)
    assign(engine, ["alice", "bob"], per_document=1, seed=0)
    tag = uuid.uuid4().hex[:8]
    names = {"alice": f"as_{tag}_alice", "rev": f"as_{tag}_rev"}
    roles.grant(engine, "alice", role=names["alice"])
    roles.grant(engine, "rev", role=names["rev"], reviewer=True)
    mine = {d for d, who in _assignments(engine).items() if "alice" in who}

    def connect(role: str):
        u = make_url(pg_url)
        return psycopg.connect(f"host={u.host} port={u.port or 5432} dbname={u.database} user={role}", autocommit=True)

    try:
        with connect(names["alice"]) as conn:
            alice_id = conn.execute("SELECT id FROM annotator WHERE name = 'alice'").fetchone()[0]
            bob_id = conn.execute("SELECT id FROM annotator WHERE name = 'bob'").fetchone()[0]
            assert {r[0] for r in conn.execute("SELECT document_id FROM assignment")} == mine
            assert {r[0] for r in conn.execute("SELECT assignee_id FROM assignment")} == {alice_id}
            for statement, args in (
                (
                    "INSERT INTO assignment (document_id, assignee_id, assigned_at) VALUES (%s, %s, now())",
                    (docs[0], alice_id),
                ),
                ("UPDATE assignment SET assignee_id = %s", (bob_id,)),
                ("DELETE FROM assignment WHERE assignee_id = %s", (alice_id,)),
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement, args)
        with connect(names["rev"]) as conn:
            assert conn.execute("SELECT count(*) FROM assignment").fetchone()[0] == 6
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DELETE FROM assignment")
        as_alice = get_engine(make_url(pg_url).set(username=names["alice"]).render_as_string(hide_password=False))
        with pytest.raises(UserError, match="only the lead"):  # nor through the command's own path
            assign(as_alice, ["alice", "bob"], per_document=2)
        as_alice.dispose()
        assert len(_rows(engine)) == 6  # the lead's rows, untouched
    finally:
        admin = create_db_engine(pg_url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename LIKE %s", (f"as_{tag}_%",)
            )
            for role in names.values():
                conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
                conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        admin.dispose()


def _plan_once(state: dict[int, dict[int, bool]], m: int, k: int, seed: int) -> tuple[Planner, dict[int, tuple]]:
    """The planner over an in-memory corpus: document -> {annotator id: started}; ids 1..m form the team."""
    planner = Planner([f"a{i}" for i in range(1, m + 1)], list(range(1, m + 1)), k=k, seed=seed)
    docs = [DocState(d, f"{d:016x}", dict(state[d])) for d in sorted(state)]
    for doc in docs:
        planner.count(planner.settle(doc))
    planner.start_pass_two()
    return planner, {doc.document_id: planner.decide(doc) for doc in docs}


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_planner_never_moves_started_work_and_a_balanced_result_is_stable(data):
    m = data.draw(st.integers(2, 6))
    k = data.draw(st.integers(1, m))
    n = data.draw(st.integers(1, 40))
    outsider = m + 1  # someone not in the team
    state = {
        d: data.draw(st.dictionaries(st.integers(1, outsider), st.booleans(), max_size=m + 1)) for d in range(1, n + 1)
    }
    planner, decisions = _plan_once(state, m, k, seed=data.draw(st.integers(0, 9)))
    after: dict[int, dict[int, bool]] = {}
    for d, decision in decisions.items():
        members = {a: s for a, s in state[d].items() if a not in decision.drops}
        assert not any(state[d][a] for a in decision.drops)  # only unstarted assignments are dropped
        assert all(a in members for a, started in state[d].items() if started)  # started work stays
        members.update({slot + 1: False for slot in decision.adds})
        protected = sum(1 for started in state[d].values() if started)
        assert len(members) == max(k, protected)  # k per document unless more had started already
        assert not any(a == outsider and not s for a, s in members.items())  # outsiders keep only started work
        after[d] = members
    if planner.loads == planner.quota:  # an even result: planning it again changes nothing
        _again, decisions = _plan_once(after, m, k, seed=0)
        assert all(not x.adds and not x.drops for x in decisions.values())
