"""The record the annotation queue is shown from: a window of its rows and where the current
document stands. Plain data with nothing heavy imported (the first screen builds one before
SQLAlchemy is imported); ``services.queue`` reads them.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from annotator.services.records import QueueRow

WINDOW = 120  # rows read around a document (several screens of the queue)


def window_start(index: int | None, total: int, size: int = WINDOW) -> int:
    """The position of a window's first row when the current document stands at ``index`` (None:
    not in the queue): a third of the window above it, and never past the queue's end."""
    anchor = index if index is not None else 0
    return max(0, min(anchor - size // 3, total - size))


@dataclass(frozen=True)
class QueueWindow:
    """A stretch of the filtered queue: ``rows`` start at position ``first`` (0-based) of its
    ``total``; ``index`` is where the current document stands in it (None: not in this filter).
    ``documents`` and ``position`` are the same for the whole queue (no filter)."""

    filter: str
    total: int
    index: int | None
    first: int = 0
    rows: list[QueueRow] = field(default_factory=list)
    documents: int = 0
    position: int | None = None

    def holding(self, document_id: int) -> QueueWindow | None:
        """This window with ``document_id`` as the current document, when its rows say where
        it stands in the whole queue too (no filter); else None: read it again."""
        if self.filter != "all":
            return None
        offset = bisect_left(self.rows, document_id, key=lambda row: row.document_id)  # rows are in id order
        if offset == len(self.rows) or self.rows[offset].document_id != document_id:
            return None
        at = self.first + offset
        return QueueWindow(self.filter, self.total, at, self.first, self.rows, self.documents, at)
