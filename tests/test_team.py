"""`annotator team`: progress, time, spans per document and agreement per annotator, by week,
with an outlier flagged; as JSON, as a table in 80 columns and as a screen at 80x24."""

from __future__ import annotations

import json

import pytest
from support.cli import cli
from support.screen import screen_text

from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.services.assign import assign
from annotator.services.team import team_report
from annotator.store.engine import get_engine, session_scope

TEXT = "Rebels attacked Bangui and Seleka fighters fled to Chad with French soldiers nearby."
ACTORS = ("Rebels", "Seleka fighters", "French soldiers")
PLACES = ("Bangui", "Chad")


def _span(s, schema, row, doc, who, label, needle):
    start = doc.text.index(needle)
    span_ops.add_span(
        s,
        document=doc,
        annotator_id=who.id,
        schema_id=row.id,
        schema=schema,
        label=label,
        start=start,
        end=start + len(needle),
    )


@pytest.fixture
def team_db(db_url, schema):
    """alice and bob agree; carol tags only one ACTOR of three; document 3 is unfinished."""
    engine = get_engine(db_url)
    with session_scope(engine) as s:
        docs = [corpus.add_document(s, text=f"{TEXT} ({i})", source=f"{i}.txt")[0] for i in range(3)]
        row = corpus.register_schema(s, schema)
        people = {n: corpus.get_or_create_annotator(s, n) for n in ("alice", "bob", "carol")}
        for doc in docs[:2]:
            for name, who in people.items():
                for needle in ACTORS if name != "carol" else ACTORS[:1]:
                    _span(s, schema, row, doc, who, "ACTOR", needle)
                for needle in PLACES:
                    _span(s, schema, row, doc, who, "LOCATION", needle)
                ann.set_status(s, document_id=doc.id, annotator_id=who.id, status="done", add_seconds=60)
        ann.set_status(s, document_id=docs[2].id, annotator_id=people["alice"].id, status="in_progress", add_seconds=30)
        ann.set_status(s, document_id=docs[2].id, annotator_id=people["carol"].id, status="skipped")
    assign(engine, ["alice", "bob", "carol"], per_document=None)
    return db_url


def test_team_report_per_annotator(team_db):
    with session_scope(get_engine(team_db)) as s:
        report = team_report(s)
    rows = {r["annotator"]: r for r in report["annotators"]}
    assert list(rows) == ["alice", "bob", "carol"]
    alice, bob, carol = rows["alice"], rows["bob"], rows["carol"]
    assert (alice["assigned"], alice["done"], alice["in_progress"], alice["skipped"], alice["seconds"]) == (
        3,
        2,
        1,
        0,
        150.0,
    )
    assert (carol["done"], carol["skipped"], bob["in_progress"]) == (2, 1, 0)
    assert (alice["spans_per_doc"], carol["spans_per_doc"]) == (5.0, 3.0)
    # pooled over pairs: alice matches bob's 10 spans and carol's 6, 4 of hers unmatched by carol
    assert alice["f1_overlap"] == round(32 / 36, 3) and carol["f1_overlap"] == 0.75
    assert alice["partners"] == {"bob": 2, "carol": 2}
    assert carol["alpha_u"] < alice["alpha_u"] <= 1  # carol leaves two of three actors out: α_u falls below 0 here
    assert carol["flags"] == [{"label": "ACTOR", "f1_overlap": 0.5, "others": 0.8}]
    assert not alice["flags"] and not bob["flags"]
    [week] = alice["weeks"]
    assert week["done"] == 2 and week["seconds"] == 150.0 and week["f1_overlap"] == alice["f1_overlap"]
    # one week holds every shared document: its α_u is the overall one, computed apart (per-week continua)
    assert week["alpha_u"] == alice["alpha_u"] and rows["carol"]["weeks"][0]["alpha_u"] == carol["alpha_u"]


def _cli(*args, db):
    return cli("team", *args, "--db", db, env={"COLUMNS": "80"})


def test_team_cli_json_and_an_80_column_table(team_db):
    out = _cli("--format", "json", db=team_db)
    assert out.returncode == 0, out.stderr
    assert [r["annotator"] for r in json.loads(out.stdout)["annotators"]] == ["alice", "bob", "carol"]
    table = _cli("--format", "table", db=team_db)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.startswith("│carol") and "0.75" in line and "!" in line for line in lines)
    assert "! carol: ACTOR F1 overlap 0.50, others 0.80" in table.stdout
    bad = _cli("--format", "xml", db=team_db)
    assert bad.returncode == 2 and "--format" in bad.stderr


async def test_team_screen_at_80x24(sqlite_url, schema):
    from annotator.tui.team_app import TeamApp

    engine = get_engine(sqlite_url)
    with session_scope(engine) as s:
        doc, _ = corpus.add_document(s, text=TEXT)
        row = corpus.register_schema(s, schema)
        for name in ("ana", "ben"):
            who = corpus.get_or_create_annotator(s, name)
            _span(s, schema, row, doc, who, "LOCATION", "Bangui")
            ann.set_status(s, document_id=doc.id, annotator_id=who.id, status="done", add_seconds=3600)

    def load():
        with session_scope(engine) as s:
            return team_report(s)

    app = TeamApp(load(), load)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "ana" in text and "ben" in text and "1:00" in text and "1.00" in text
        assert "ana: shares done documents with ben 1" in text
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert "ben: shares done documents with ana 1" in text
        with session_scope(engine) as s:  # a third annotator appears; r reads again
            ann.set_status(
                s, document_id=doc.id, annotator_id=corpus.get_or_create_annotator(s, "cy").id, status="in_progress"
            )
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [r["annotator"] for r in app.report["annotators"]] == ["ana", "ben", "cy"]


def test_weeks_follow_when_documents_were_finished(team_db):
    import sqlalchemy as sa

    engine = get_engine(team_db)
    with engine.begin() as conn:  # the first document was finished by everyone two weeks earlier
        first = conn.execute(sa.text("SELECT min(id) FROM document")).scalar_one()
        conn.execute(
            sa.text("UPDATE document_status SET updated_at = :when WHERE document_id = :d"),
            {"when": __import__("datetime").datetime(2026, 3, 2, 12, 0), "d": first},
        )
    with session_scope(engine) as s:
        rows = {r["annotator"]: r for r in team_report(s)["annotators"]}
    early, late = rows["alice"]["weeks"][0], rows["alice"]["weeks"][-1]
    assert early["week"] == "2026-W10" and early["done"] == 1 and early["seconds"] == 60.0
    assert late["done"] == 1 and late["seconds"] == 90.0  # the other done document and the one in progress
    # each week: alice matches bob's 5 spans and 3 of carol's, 2 of hers unmatched by carol
    assert early["f1_overlap"] == late["f1_overlap"] == round(16 / 18, 3)
    assert early["alpha_u"] is not None and late["alpha_u"] is not None
