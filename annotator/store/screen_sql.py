"""The SQL text of the annotation screen's reads, written once for both of its readers.

``services.first_read`` runs it with the standard library's sqlite3 before SQLAlchemy is
imported (the first paint); ``services.session_ops.queue`` and ``services.annotations.spans_for``
run the very same text through SQLAlchemy (``sa.text``) on SQLite and PostgreSQL. Parameters
are named (``:who``, ``:document_id``, ``:span_limit``), a style both drivers accept.
``tests/test_startup_one_path.py`` holds the two readers' rows equal.
"""

from __future__ import annotations

import json
from typing import Any

# The annotator's queue: their documents in id order, with their status and span count; the
# documents assigned to them when they have assignments, else every document.
QUEUE = (
    "SELECT d.id, d.title, ds.status, c.n FROM document AS d"
    " LEFT OUTER JOIN document_status AS ds ON ds.document_id = d.id AND ds.annotator_id = :who"
    " LEFT OUTER JOIN (SELECT document_id, count(*) AS n FROM span WHERE annotator_id = :who"
    " GROUP BY document_id) AS c ON c.document_id = d.id"
    " WHERE NOT EXISTS (SELECT 1 FROM assignment WHERE assignee_id = :who)"
    " OR d.id IN (SELECT document_id FROM assignment WHERE assignee_id = :who)"
    " ORDER BY d.id"
)

DOCUMENT = "SELECT id, uid, title, text FROM document WHERE id = :document_id"

STATUS = "SELECT status, note FROM document_status WHERE document_id = :document_id AND annotator_id = :who"

_MINE = "s.document_id = :document_id AND s.annotator_id = :who"
_FIRST_SCREENS = " AND s.start < :span_limit"


def spans(first_screens: bool = False) -> str:
    """This annotator's spans on a document in text order (``first_screens``: those starting
    before ``:span_limit`` only)."""
    return (
        'SELECT s.id, s.schema_id, s.label, s.start, s."end", s.attrs, s.origin, s.version FROM span AS s'
        f" WHERE {_MINE}{_FIRST_SCREENS if first_screens else ''}"
        ' ORDER BY s.start, s."end" DESC, s.id'
    )


def links(first_screens: bool = False) -> str:
    """The links whose head is one of those spans, in the order they were made."""
    return (
        "SELECT l.head_id, l.attribute, l.child_id FROM link AS l JOIN span AS s ON s.id = l.head_id"
        f" WHERE {_MINE} AND l.annotator_id = :who{_FIRST_SCREENS if first_screens else ''}"
        " ORDER BY l.id"
    )


def span_attrs(stored: str | dict[str, Any] | None) -> dict[str, Any]:
    """A span's ``attrs`` column as read: JSON text (SQLite) or already decoded (PostgreSQL)."""
    if stored is None or stored == "{}":
        return {}
    value = json.loads(stored) if isinstance(stored, str) else stored
    if not isinstance(value, dict):
        raise ValueError("span attributes are not an object")
    return dict(value)
