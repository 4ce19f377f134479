"""Annotator names in the apps and in agreement/review compare without regard to case, and the
annotation app announces a new annotator once (issue 15, "Names").

``--as Alice`` beside a stored ``alice`` is ``alice``: in the annotation app (its first, pre-database
paint too), ``annotator agreement --as`` and the review's choice of annotators; the app says
"new annotator 'Alice' created" on the first start under a new name only. Checked in the database.
"""

from __future__ import annotations

import json

import pytest
from import_support import contents
from support.cli import cli
from support.corpus import add_docs
from support.driver import annotating
from support.reads import spans
from support.screen import Notices

from annotator.errors import UserError
from annotator.schemas.labels import load_default_schema
from annotator.services import adjudication as adjn
from annotator.services.first_read import read_first_screen
from annotator.store.engine import get_engine, session_scope

TEXT = "Seleka rebels attacked Bangui."


def created_notices(notices: Notices) -> list[str]:
    return [m for m in notices.messages if m.startswith("new annotator")]


async def test_the_app_finds_alice_in_any_case_and_announces_a_new_name_once(sqlite_url):
    (doc,) = add_docs(sqlite_url, TEXT)
    async with annotating(sqlite_url, "Alice", size=(80, 24), suggestions=False) as session:
        assert created_notices(session.notices) == ["new annotator 'Alice' created"]
        await session.select("Seleka rebels")
        await session.tag("ACTOR")
        assert spans(sqlite_url, "Alice") == [("ACTOR", "Seleka rebels")]
    assert contents(sqlite_url)["annotators"] == ["Alice"]

    first = read_first_screen(sqlite_url, "aLICE")  # the paint before the database opens finds her too
    assert first is not None and first.annotator_id is not None and first.document is not None
    assert [(s.label, s.start, s.end) for s in first.document.spans] == [("ACTOR", 0, 13)]

    async with annotating(sqlite_url, "ALICE", size=(120, 40), suggestions=False) as session:
        assert created_notices(session.notices) == []  # not new: nothing said
        assert "Seleka rebels" in session.screen_text()
        await session.select("Bangui")
        await session.tag("LOCATION")
    assert contents(sqlite_url)["annotators"] == ["Alice"]  # still one annotator
    assert spans(sqlite_url, "alice", document_id=doc) == [("ACTOR", "Seleka rebels"), ("LOCATION", "Bangui")]


@pytest.fixture
def two_annotators(db_url, tmp_path):
    """alice and Bob have each tagged the same two documents (through the real import)."""
    records = tmp_path / "records.jsonl"
    texts = [TEXT, "Seleka fighters left Bria."]
    records.write_text(
        "".join(json.dumps({"text": t, "spans": [{"start": 0, "end": 6, "label": "ACTOR"}]}) + "\n" for t in texts),
        encoding="utf-8",
    )
    for name in ("alice", "Bob"):
        done = cli("import", str(records), "--as", name, "--db", db_url)
        assert done.returncode == 0, done.stderr
    return db_url


def test_agreement_finds_annotators_in_any_case(two_annotators):
    done = cli("agreement", "--as", "ALICE,bob", "--format", "json", "--db", two_annotators)
    assert done.returncode == 0, done.stderr
    assert sorted(json.loads(done.stdout)["annotators"]) == ["Bob", "alice"]
    missing = cli("agreement", "--as", "ALICE,carol", "--db", two_annotators)
    assert missing.returncode != 0 and "no annotator named 'carol'" in missing.stderr
    assert contents(two_annotators)["annotators"] == ["Bob", "alice"]  # agreement creates nobody


def test_review_finds_annotators_and_gold_in_any_case(two_annotators):
    schema = load_default_schema()
    with session_scope(get_engine(two_annotators)) as session:
        chosen = adjn.start(session, lead="lena", schema=schema, annotators=["ALICE", "bob"])
        assert chosen.annotators == ("alice", "Bob")
        with pytest.raises(UserError, match="is the gold version"):
            adjn.start(session, lead="lena", schema=schema, annotators=["alice", "GOLD"])
    with session_scope(get_engine(two_annotators)) as session:
        gold = adjn.start(session, lead="lena", schema=schema, gold_name="Gold")  # finds the 'gold' just made
        assert gold.gold_name == "gold" and set(gold.annotators) == {"alice", "Bob"}
    assert contents(two_annotators)["annotators"] == ["Bob", "alice", "gold"]
