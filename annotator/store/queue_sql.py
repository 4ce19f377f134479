"""The SQL of the annotation queue read a window at a time, on SQLite and PostgreSQL alike.

The queue is the annotator's documents in id order: the documents assigned to them when they
have assignments, else every document; a filter keeps the documents with some statuses (no
status row counts as ``todo``). Every statement here walks the primary key of ``document``
from a key (keyset: ``d.id > :here ORDER BY d.id LIMIT 1``) and looks each document's status,
assignment and span count up by index (``uq_document_status``, ``ix_assignment_assignee``,
``ix_span_doc_annotator``), so finding the next document costs the same at any corpus size.
Only the place of a document in a filtered queue (``PLACE``) counts rows.

The filters' statuses are fixed literals written here (never text from outside).
"""

from __future__ import annotations

# which statuses each filter keeps (empty: every document of the queue)
FILTER_STATUSES: dict[str, tuple[str, ...]] = {
    "all": (),
    "todo": ("todo",),
    "in_progress": ("in_progress",),
    "done": ("done",),
    "skipped": ("skipped",),
    "unfinished": ("todo", "in_progress"),
}

_IN_QUEUE = (
    "(NOT EXISTS (SELECT 1 FROM assignment WHERE assignee_id = :who)"
    " OR EXISTS (SELECT 1 FROM assignment AS a WHERE a.assignee_id = :who AND a.document_id = d.id))"
)
_STATUS = (
    "COALESCE((SELECT ds.status FROM document_status AS ds WHERE ds.document_id = d.id AND ds.annotator_id = :who),"
    " 'todo')"
)
_SPANS = "(SELECT count(*) FROM span AS s WHERE s.document_id = d.id AND s.annotator_id = :who)"


def where(filter_name: str) -> str:
    """The condition a document ``d`` of the queue meets under ``filter_name``."""
    statuses = FILTER_STATUSES[filter_name]  # a KeyError for an unknown filter: a programming error
    if not statuses:
        return _IN_QUEUE
    return f"{_IN_QUEUE} AND {_STATUS} IN ({', '.join(repr(s) for s in statuses)})"


def after(filter_name: str) -> str:
    """The first document after ``:here`` (``:here`` = -1: the first of all)."""
    return f"SELECT d.id FROM document AS d WHERE d.id > :here AND {where(filter_name)} ORDER BY d.id LIMIT 1"


def before(filter_name: str) -> str:
    """The last document before ``:here``."""
    return f"SELECT d.id FROM document AS d WHERE d.id < :here AND {where(filter_name)} ORDER BY d.id DESC LIMIT 1"


def contains(filter_name: str) -> str:
    """One row when document ``:here`` is in the queue under the filter."""
    return f"SELECT d.id FROM document AS d WHERE d.id = :here AND {where(filter_name)}"


def place(filter_name: str) -> str:
    """One row: documents in the queue, how many come before ``:here``, and the same two
    counts under the filter (one pass over the queue: the only statement here that counts)."""
    statuses = FILTER_STATUSES[filter_name]
    kept = f"{_STATUS} IN ({', '.join(repr(s) for s in statuses)})" if statuses else "1 = 1"
    return (
        "SELECT count(*), COALESCE(sum(CASE WHEN d.id < :here THEN 1 ELSE 0 END), 0),"
        f" COALESCE(sum(CASE WHEN {kept} THEN 1 ELSE 0 END), 0),"
        f" COALESCE(sum(CASE WHEN d.id < :here AND {kept} THEN 1 ELSE 0 END), 0)"
        f" FROM document AS d WHERE {_IN_QUEUE}"
    )


def rows_from(filter_name: str) -> str:
    """``:size`` queue rows (id, title, status, spans) from document ``:here`` on (keyset)."""
    return (
        f"SELECT d.id, d.title, {_STATUS}, {_SPANS} FROM document AS d"
        f" WHERE d.id >= :here AND {where(filter_name)} ORDER BY d.id LIMIT :size"
    )


def rows_upto(filter_name: str) -> str:
    """``:size`` queue rows up to document ``:here`` (keyset, last first)."""
    return (
        f"SELECT d.id, d.title, {_STATUS}, {_SPANS} FROM document AS d"
        f" WHERE d.id <= :here AND {where(filter_name)} ORDER BY d.id DESC LIMIT :size"
    )


def rows_at(filter_name: str) -> str:
    """``:size`` queue rows from position ``:first`` (0-based) of the filtered queue (scrolling)."""
    return (
        f"SELECT d.id, d.title, {_STATUS}, {_SPANS} FROM document AS d"
        f" WHERE {where(filter_name)} ORDER BY d.id LIMIT :size OFFSET :first"
    )
