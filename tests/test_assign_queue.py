"""Queues follow assignments: the app shows an annotator only their assigned documents and
ctrl+d goes to the next assigned, unfinished one; stats count assigned documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tui_helpers import add_docs, app_for, settle, status_of

from annotator.services.assign import assign
from annotator.services.first_read import read_first_screen
from annotator.store.engine import get_engine

SIZE = (160, 40)
TEXTS = [f"Document number {i} about Bangui and its people.\n" for i in range(1, 6)]


async def test_the_queue_holds_only_assigned_documents_and_ctrl_d_follows_it(sqlite_url):
    ids = add_docs(sqlite_url, *TEXTS)
    engine = get_engine(sqlite_url)
    assign(engine, ["ana"], per_document=1, documents=f"{ids[1]},{ids[3]},{ids[4]}")
    first = read_first_screen(sqlite_url, "ana")  # the first screen, before the ORM, agrees
    assert first is not None and [r.document_id for r in first.rows] == [ids[1], ids[3], ids[4]]
    async with app_for(sqlite_url).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.annotate_screen
        assert [r.document_id for r in screen.queue.window.rows] == [ids[1], ids[3], ids[4]]
        assert screen.queue.border_title == "queue: all (3)"
        assert screen.doc.id == ids[1]
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert screen.doc.id == ids[3]
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert screen.doc.id == ids[4]
        await pilot.press("ctrl+d")
        await settle(pilot)
    assert [(status_of(sqlite_url, d) or ("todo",))[0] for d in ids] == ["todo", "done", "todo", "done", "done"]


async def test_without_assignments_the_queue_is_every_document(sqlite_url):
    ids = add_docs(sqlite_url, *TEXTS)
    assign(get_engine(sqlite_url), ["bob"], per_document=1, documents=str(ids[0]))
    async with app_for(sqlite_url, "ana").run_test(size=SIZE) as pilot:  # ana has none: everything, as before
        await settle(pilot)
        assert [r.document_id for r in pilot.app.annotate_screen.queue.window.rows] == ids


def test_stats_json_has_assigned_and_progress_over_assigned_documents(db_url):
    ids = add_docs(db_url, *TEXTS)
    engine = get_engine(db_url)
    assign(engine, ["ana", "bob"], per_document=1, documents=",".join(map(str, ids[:4])), seed=0)
    from annotator.services import annotations as ann
    from annotator.services import corpus
    from annotator.services.stats import corpus_stats
    from annotator.store.engine import session_scope

    with session_scope(engine) as s:
        ana = corpus.find_annotator(s, "ana")
        first = min(
            d
            for (d,) in s.execute(
                __import__("sqlalchemy").text(f"SELECT document_id FROM assignment WHERE assignee_id = {ana.id}")
            )
        )
        ann.set_status(s, document_id=first, annotator_id=ana.id, status="done")
        carol = corpus.get_or_create_annotator(s, "carol")
        ann.set_status(s, document_id=ids[4], annotator_id=carol.id, status="done")
    with session_scope(engine) as s:
        stats = corpus_stats(s)
    assert stats["assigned"] == {"ana": 2, "bob": 2}
    assert stats["progress"]["ana"] == {"todo": 1, "in_progress": 0, "done": 1, "skipped": 0}
    assert stats["progress"]["bob"] == {"todo": 2, "in_progress": 0, "done": 0, "skipped": 0}
    assert stats["progress"]["carol"] == {"todo": 4, "in_progress": 0, "done": 1, "skipped": 0}  # no assignments: all 5
    out = subprocess.run(
        [sys.executable, "-m", "annotator", "stats", "--format", "json", "--db", db_url],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["assigned"] == {"ana": 2, "bob": 2}
