"""The queue on the annotate screen (issue 15): opening a document changes no status, only a
change does; ``f`` filters the queue whatever has focus and the filter is shown, in the queue's
border, in ``?`` and in the palette; ``]``/``[`` follow the filter; the queue draws only the
rows on screen and fetches the others as they are scrolled to."""

from __future__ import annotations

import sqlalchemy as sa
from support.corpus import add_docs
from support.driver import annotating
from support.reads import status_of

from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import DocumentStatus, Status

SIZE = (160, 40)  # the queue is shown from 120 columns


def _texts(n: int) -> list[str]:
    return [f"Document number {i} about Bangui and its people.\n" for i in range(1, n + 1)]


def _status_rows(url: str) -> list[tuple[int, str]]:
    with get_engine(url).connect() as conn:
        rows = conn.execute(sa.select(DocumentStatus.document_id, DocumentStatus.status).order_by("document_id"))
        return [(int(d), str(s)) for d, s in rows]


def _mark(url: str, name: str, statuses: dict[int, str]) -> None:
    with session_scope(get_engine(url)) as s:
        who = corpus.get_or_create_annotator(s, name).id
        for doc_id, status in statuses.items():
            ann.set_status(s, document_id=doc_id, annotator_id=who, status=Status(status))


async def test_opening_and_moving_around_change_no_status_the_first_tag_does(db_url):
    ids = add_docs(db_url, *_texts(3))
    async with annotating(db_url, size=SIZE) as session:
        screen = session.app.annotate_screen
        await session.put_cursor_on("Bangui")
        await session.press("down", "right", "ctrl+end", "ctrl+home")
        await session.next_document()
        await session.next_document()
        await session.previous_document()
        assert session.document_in_db() == ids[1]
        assert all(status == "todo" for _doc, status in _status_rows(db_url))  # time kept, no status changed
        assert "todo" in session.screen_text().splitlines()[0]
        assert screen.queue.row_at(1).status == "todo"
        await session.put_cursor_on("Bangui")
        await session.tag("LOCATION")
        assert status_of(db_url, ids[1])[0] == "in_progress"  # the first change starts the document
        assert "in progress" in session.screen_text().splitlines()[0]
        assert screen.queue.row_at(1).status == "in_progress" and screen.queue.row_at(1).spans == 1
        await session.undo()  # the tag undone: the document stays started, nothing else changes
        assert status_of(db_url, ids[1])[0] == "in_progress"
        await session.press("q")
    assert [s for d, s in _status_rows(db_url) if d != ids[1]] == ["todo", "todo"]


async def test_f_filters_the_queue_from_the_document_and_the_filter_is_shown(db_url):
    ids = add_docs(db_url, *_texts(6))
    from support.reads import ANNOTATOR

    _mark(db_url, ANNOTATOR, {ids[1]: "done", ids[3]: "done", ids[4]: "skipped"})
    async with annotating(db_url, size=SIZE) as session:
        screen = session.app.annotate_screen
        assert session.app.focused is screen.view  # the article has focus, not the queue
        assert "queue: all (6)" in session.screen_text()
        await session.press_binding("queue.filter")
        assert screen.queue.filter == "todo" and "queue: todo (3 of 6)" in session.screen_text()
        assert session.app.focused is screen.view  # the article keeps the focus
        await session.press_binding("queue.filter")
        await session.press_binding("queue.filter")
        assert "queue: done (2 of 6)" in session.screen_text()
        text = session.screen_text()
        assert "doc 2" in text and "doc 4" in text and "doc 3" not in text  # only the done ones listed
        await session.next_document()  # ] follows the filter: from doc 1 to the first done one
        assert session.document_in_db() == ids[1]
        await session.next_document()
        assert session.document_in_db() == ids[3]
        await session.next_document()
        assert session.document_in_db() == ids[3] and "This is the last document." in session.notices
        await session.press("question_mark")
        assert any(r[2] == "queue.filter" and r[0] == "f" for r in session.app.screen.rows)
        assert "Filter" in session.screen_text()
        await session.press("escape")
        palette = {c.title: str(c.help) for c in session.app.get_system_commands(screen)}
        assert palette["Filter"] == "f  ·  queue.filter"


async def test_f_with_the_queue_hidden_says_which_filter(db_url):
    add_docs(db_url, *_texts(2))
    async with annotating(db_url, size=(100, 30)) as session:  # narrow: the queue starts hidden
        await session.press_binding("queue.filter")
        assert "Queue filter: todo" in session.notices
        await session.press_binding("annotate.queue")
        assert "queue: todo (2 of 2)" in session.screen_text()


async def test_the_queue_draws_the_rows_on_screen_and_fetches_the_rest_when_scrolled(sqlite_url):
    ids = add_docs(sqlite_url, *_texts(400))
    async with annotating(sqlite_url, size=SIZE) as session:
        screen = session.app.annotate_screen
        queue = screen.queue
        assert len(queue.window.rows) < 400 and queue.window.total == 400  # a window, not the corpus
        drawn = queue.lines_rendered
        await session.next_document()
        assert session.document_in_db() == ids[1]
        assert queue.lines_rendered - drawn <= 4  # the highlight moved: two rows drawn again (or so)
        assert queue.window.index == 1 and "▶ doc 2" in session.screen_text()
        await session.press_binding("annotate.queue")  # o hides the queue,
        await session.press_binding("annotate.queue")  # and shows it with the focus
        assert session.app.focused is queue
        await session.press("end")
        await session.settle()
        assert "doc 400" in session.screen_text()  # fetched when scrolled to
        await session.press("enter")
        assert session.document_in_db() == ids[-1]
        assert queue.window.index == 399 and "▶ doc 400" in session.screen_text()


async def test_an_assigned_queue_filters_and_steps_within_the_assignments(db_url):
    from support.reads import ANNOTATOR

    from annotator.services.assign import assign

    ids = add_docs(db_url, *_texts(6))
    assign(get_engine(db_url), [ANNOTATOR], per_document=1, documents=f"{ids[1]},{ids[2]},{ids[4]},{ids[5]}")
    _mark(db_url, ANNOTATOR, {ids[2]: "done", ids[3]: "todo"})
    async with annotating(db_url, size=SIZE) as session:
        assert session.document_in_db() == ids[1] and "queue: all (4)" in session.screen_text()
        await session.press_binding("queue.filter")  # todo: the assigned ones not done
        assert "queue: todo (3 of 4)" in session.screen_text()
        await session.next_document()  # skips the done one, and the unassigned ids[3]
        assert session.document_in_db() == ids[4]
        await session.next_document()
        assert session.document_in_db() == ids[5]
        await session.previous_document()
        await session.previous_document()
        assert session.document_in_db() == ids[1]
        assert " 1/4 " in session.screen_text().splitlines()[0]  # the place in the whole (assigned) queue
