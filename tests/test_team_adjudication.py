"""Issue 11, item 2: two reviewers on one document give one coherent gold.

Two real processes in lockstep: for every group both read the document, then both decide,
one taking alice's version and one bob's. Steps are serialised per document and a decision
made on a stale view is refused with the fresh state, so gold ends with exactly one version
per group, every decision that was made is recorded, and no raw database error escapes.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sqlalchemy as sa
from team_support import WORKER, team

from annotator.services import adjudication as adjn
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.services.annotations import VersionConflict
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import Decision

GROUPS = 12


def _seed(url: str, schema) -> int:
    text = " ".join(f"Word{i:02d} militia Bangui" for i in range(GROUPS)) + "."
    with session_scope(get_engine(url)) as s:
        doc, _ = corpus.add_document(s, text=text, source="t.txt")
        row = corpus.register_schema(s, schema)
        for who, extra in (("alice", 0), ("bob", 1)):
            a = corpus.get_or_create_annotator(s, who)
            for i in range(GROUPS):
                start = i * 22
                span_ops.add_span(
                    s,
                    document=doc,
                    annotator_id=a.id,
                    schema_id=row.id,
                    schema=schema,
                    label="ACTOR",
                    start=start,
                    end=start + 14 + extra,
                )  # boundaries differ: one group each
        return doc.id


def _race(url: str, doc_id: int, tmp_path, leads: tuple[str, str]) -> list[dict]:
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(WORKER),
                "adjudicate",
                url_,
                str(doc_id),
                source,
                lead,
                str(tmp_path),
                me,
                peer,
                "alice,bob",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for (url_, source, lead, me, peer) in (
            (url[0], "alice", leads[0], "one", "two"),
            (url[1], "bob", leads[1], "two", "one"),
        )
    ]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        assert p.returncode == 0, stderr
        assert "UniqueViolation" not in stderr and "ForeignKeyViolation" not in stderr
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def _check_gold(url: str, doc_id: int, schema, results: list[dict], signers: set[str]) -> None:
    assert all(r["groups"] == GROUPS and r["decided"] + r["refused"] == GROUPS for r in results)
    assert sum(r["decided"] for r in results) == GROUPS  # lockstep: each group is decided once, the other try is stale
    with session_scope(get_engine(url)) as s:
        adj = adjn.start(s, lead="lead", schema=schema, annotators=["alice", "bob"])
        doc = adjn.load_document(s, adj, doc_id)
        assert len(doc.groups) == GROUPS
        for group in doc.groups:
            assert group.state == "accepted" and len(group.gold) == 1, group
            assert len(group.matches) == 1  # exactly alice's or bob's version, never both
        decisions = s.exec(sa.select(Decision).where(Decision.document_id == doc_id)).scalars().all()
        accepts = [d for d in decisions if d.action == "accept"]
        assert len(accepts) == GROUPS and {d.decided_by for d in accepts} <= signers
        for group in doc.groups:
            mine = [d for d in accepts if d.detail["group"] == group.key]
            assert len(mine) == 1 and group.matches == (mine[0].source,)


def test_two_reviewers_in_lockstep_give_one_gold(db_url, schema, tmp_path):
    doc_id = _seed(db_url, schema)
    results = _race((db_url, db_url), doc_id, tmp_path, ("lena", "lars"))
    _check_gold(db_url, doc_id, schema, results, {"lena", "lars"})


@pytest.mark.postgres
def test_two_reviewer_roles_in_lockstep_give_one_gold(pg_url, schema, tmp_path):
    """The same race between two reviewers' own database roles; decisions are signed with their names."""
    doc_id = _seed(pg_url, schema)
    with team(pg_url, schema, reviewers=("rev1", "rev2")) as t:
        results = _race((t.url_as("rev1"), t.url_as("rev2")), doc_id, tmp_path, ("someone", "else"))
        _check_gold(pg_url, doc_id, schema, results, {"rev1", "rev2"})


def test_a_stale_decision_is_refused_with_the_fresh_state(db_url, schema):
    doc_id = _seed(db_url, schema)
    engine = get_engine(db_url)
    with session_scope(engine) as s:
        adj = adjn.start(s, lead="lena", schema=schema, annotators=["alice", "bob"])
        group = adjn.load_document(s, adj, doc_id).groups[0]
    seen = adjn.gold_state(group)
    with session_scope(engine) as s:
        adjn.accept(s, adj, document_id=doc_id, group_key=group.key, source="alice", expected=seen)
    with pytest.raises(VersionConflict) as caught, session_scope(engine) as s:
        adjn.accept(s, adj, document_id=doc_id, group_key=group.key, source="bob", expected=seen)
    fresh = caught.value.current
    assert isinstance(fresh, adjn.ReviewDoc) and fresh.group(group.key).matches == ("alice",)
    gold_span = fresh.group(group.key).gold[0]
    with session_scope(engine) as s:  # a fresh view decides fine; an edit of a stale version is refused too
        adjn.accept(
            s,
            adj,
            document_id=doc_id,
            group_key=group.key,
            source="bob",
            expected=adjn.gold_state(fresh.group(group.key)),
        )
    with pytest.raises(VersionConflict), session_scope(engine) as s:
        adjn.delete(s, adj, span_id=gold_span.id, expected_version=gold_span.version)
