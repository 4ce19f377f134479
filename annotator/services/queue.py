"""The annotator's document queue, read a window at a time (never the whole corpus).

The queue is their documents in id order (the assigned ones when they have assignments), with
a filter by status. ``neighbour`` finds the next or previous document with one indexed query,
``window`` reads where a document stands and the rows around it, ``page`` the rows at a
scroll position. The SQL is ``store.queue_sql``; these functions only read.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from annotator.services.queue_window import WINDOW, QueueWindow, window_start
from annotator.services.records import QueueRow
from annotator.services.screen_rows import queue_row
from annotator.store import queue_sql as sql

FILTERS = ("all", "todo", "in_progress", "done", "skipped")  # the order ``f`` steps through
UNFINISHED = "unfinished"  # todo or in progress: where done and skip move on to

__all__ = [
    "FILTERS",
    "WINDOW",
    "QueueWindow",
    "first_document",
    "in_queue",
    "moved",
    "neighbour",
    "page",
    "place",
    "rows_from",
    "rows_upto",
    "window",
]


def _one(session: Session, statement: str, **params: object) -> int | None:
    found = session.execute(sa.text(statement), params).first()
    return int(found[0]) if found is not None else None


def neighbour(
    session: Session, *, annotator_id: int, document_id: int, step: int, filter_name: str = "all", wrap: bool = False
) -> int | None:
    """The document after (``step`` > 0) or before ``document_id`` in the filtered queue;
    ``wrap``: past the end, the first one again (never ``document_id`` itself). None: none."""
    found = _one(
        session,
        sql.after(filter_name) if step > 0 else sql.before(filter_name),
        here=document_id,
        who=annotator_id,
    )
    if found is None and wrap:
        found = _one(session, sql.after(filter_name), here=-1, who=annotator_id)
        return found if found != document_id else None
    return found


def first_document(session: Session, *, annotator_id: int, filter_name: str = "all") -> int | None:
    """The first document of the filtered queue (None: it is empty)."""
    return _one(session, sql.after(filter_name), here=-1, who=annotator_id)


def in_queue(session: Session, *, annotator_id: int, document_id: int, filter_name: str = "all") -> bool:
    return _one(session, sql.contains(filter_name), here=document_id, who=annotator_id) is not None


def place(
    session: Session, *, annotator_id: int, document_id: int | None, filter_name: str
) -> tuple[int, int | None, int, int | None]:
    """(documents in the filtered queue, position of ``document_id`` in it or None, the same two
    for the whole queue)."""
    here = document_id if document_id is not None else -1
    params = {"here": here, "who": annotator_id}
    documents, ahead, total, ahead_kept = session.execute(sa.text(sql.place(filter_name)), params).one()
    inside = document_id is not None and in_queue(session, annotator_id=annotator_id, document_id=document_id)
    kept = inside and (
        filter_name == "all" or in_queue(session, annotator_id=annotator_id, document_id=here, filter_name=filter_name)
    )
    return int(total), int(ahead_kept) if kept else None, int(documents), int(ahead) if inside else None


def page(session: Session, *, annotator_id: int, filter_name: str, first: int, size: int = WINDOW) -> list[QueueRow]:
    """``size`` rows from position ``first`` of the filtered queue (a scroll to that place)."""
    params = {"who": annotator_id, "first": max(0, first), "size": size}
    return [queue_row(row) for row in session.execute(sa.text(sql.rows_at(filter_name)), params)]


def rows_from(session: Session, *, annotator_id: int, filter_name: str, document_id: int, size: int) -> list[QueueRow]:
    """``size`` rows of the filtered queue from ``document_id`` on (keyset: no count)."""
    params = {"who": annotator_id, "here": document_id, "size": size}
    return [queue_row(row) for row in session.execute(sa.text(sql.rows_from(filter_name)), params)]


def window(
    session: Session, *, annotator_id: int, filter_name: str, document_id: int | None, size: int = WINDOW
) -> QueueWindow:
    """Where ``document_id`` stands in the filtered queue, with ``size`` rows around it."""
    total, index, documents, position = place(
        session, annotator_id=annotator_id, document_id=document_id, filter_name=filter_name
    )
    first = window_start(index, total, size)
    rows = page(session, annotator_id=annotator_id, filter_name=filter_name, first=first, size=size)
    return QueueWindow(filter_name, total, index, first, rows, documents, position)


def rows_upto(session: Session, *, annotator_id: int, filter_name: str, document_id: int, size: int) -> list[QueueRow]:
    """``size`` rows of the filtered queue up to ``document_id`` (keyset: no count), in queue order."""
    params = {"who": annotator_id, "here": document_id, "size": size}
    return [queue_row(row) for row in session.execute(sa.text(sql.rows_upto(filter_name)), params)][::-1]


def moved(
    session: Session,
    *,
    annotator_id: int,
    filter_name: str,
    document_id: int,
    known: QueueWindow | None,
    step_from: int | None = None,
    size: int = WINDOW,
) -> QueueWindow:
    """The queue's window once ``document_id`` is the current document: ``known`` (no read)
    when its rows already place that document; else, when it is the ``neighbour`` of
    ``step_from`` just past the window's edge, the rows from it (keyset: no count); else read
    afresh (the counts included)."""
    if known is None or known.filter != filter_name:
        return window(session, annotator_id=annotator_id, filter_name=filter_name, document_id=document_id, size=size)
    held = known.holding(document_id)
    if held is not None:
        return held
    origin = known.holding(step_from) if step_from is not None else None
    if origin is not None and origin.index is not None:
        ahead = step_from is not None and document_id > step_from
        read = rows_from if ahead else rows_upto
        rows = read(session, annotator_id=annotator_id, filter_name=filter_name, document_id=document_id, size=size)
        index = origin.index + (1 if ahead else -1)
        first = index if ahead else index - len(rows) + 1
        if rows and rows[index - first].document_id == document_id:
            return QueueWindow(filter_name, known.total, index, first, rows, known.documents, index)
    return window(session, annotator_id=annotator_id, filter_name=filter_name, document_id=document_id, size=size)
