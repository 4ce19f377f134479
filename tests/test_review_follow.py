"""The review screen follows the current group, and ctrl+d on a settled document does not reopen it.

Issue 15 ("Review"): after ``n`` the article stayed at the top while the lanes showed a group
further down; ``ctrl+d`` on a document gold already marked done reopened it. Driven with the real
keys (Pilot) at the sizes where it showed; the status is read back from the database.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from support.corpus import put
from support.driver import reviewing
from support.paths import REPO

from annotator.schemas.labels import load_default_schema
from annotator.services import corpus
from annotator.services.importing import import_paths
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import Document

FILLER = "Nothing of note happened in the valley on that day, the report says again."
STORIES = [40, 45, 70, 100]  # paragraphs that hold a disagreement, the later ones far below the first screen


def _long_document(url: str) -> None:
    """A long article: alice tags each story's rebels ACTOR, bob tags them LOCATION."""
    paras = [f"{FILLER} ({i})" for i in range(110)]
    for k, i in enumerate(STORIES):
        paras[i] = f"Rebels{k} attacked the town of Kaga{k} at dawn."
    schema = load_default_schema()
    with session_scope(get_engine(url)) as s:
        doc, _ = corpus.add_document(s, text="\n".join(paras) + "\n", title="Long")
        put(s, schema, doc, "alice", [("ACTOR", f"Rebels{k}", {"actor_type": "armed group"}) for k in range(4)])
        put(s, schema, doc, "bob", [("LOCATION", f"Rebels{k}", {}) for k in range(4)])


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_article_follows_the_current_group(sqlite_url, size):
    _long_document(sqlite_url)
    async with reviewing(sqlite_url, size=size) as session:
        await session.open_document()
        seen = []
        for k in [*range(4), 0]:  # n through every disagreement, wrapping back to the first
            view = session.app.screen.view
            group = session.app.screen.current_group
            assert session.app.screen.doc.text[group.start : group.end] == f"Rebels{k}"
            top = int(view.scroll_offset.y)
            row = view.index.row_of(group.start, view.paras)
            assert top <= row < top + view.scrollable_content_region.height, (k, top, row)
            assert f"Rebels{k} attacked" in session.screen_text()  # the group's text is on the screen
            seen.append(top)
            await session.next_disagreement()
        assert seen[0] > 0 and seen[3] > seen[2] and seen[4] < seen[3]  # it scrolled down, and back up on wrapping


SAMPLE = REPO / "annotations" / "sample"


async def test_ctrl_d_on_a_settled_document_keeps_it_done_until_pressed_again(sqlite_url):
    summary = import_paths(
        get_engine(sqlite_url),
        [SAMPLE / "alice.jsonl", SAMPLE / "bob.jsonl", SAMPLE / "gold.jsonl"],
        annotator="tester",
        schema=load_default_schema(),
    )
    assert not summary.problems
    async with reviewing(sqlite_url, ["alice", "bob"], size=(80, 24)) as session:
        await session.open_document()
        doc_id = session.app.screen.doc.id
        assert session.gold_status_in_db(doc_id) == "done"
        assert "open 0/" in session.screen_text()  # gold's rejections came back with the import
        await session.mark_done()
        assert session.gold_status_in_db(doc_id) == "done"  # not reopened
        assert any("already adjudicated" in m for m in session.notices.messages)
        await session.press("n")  # anything else in between: the next ctrl+d asks again
        await session.mark_done()
        assert session.gold_status_in_db(doc_id) == "done"
        await session.mark_done()  # twice in a row: the lead means it
        assert session.gold_status_in_db(doc_id) == "in_progress"
        assert "gold: in progress" in session.screen_text()
    with Session(get_engine(sqlite_url)) as s:
        assert len(s.exec(select(Document)).all()) == 3
