"""The annotation screen's rows as records, built once for both of its readers.

The rows come from ``store.screen_sql``'s text, run by sqlite3 (``services.first_read``, before
SQLAlchemy is imported) or by SQLAlchemy (``session_ops.queue``, ``annotations.spans_for``);
these functions turn either driver's rows into the same ``QueueRow`` and ``SpanData``.
Nothing heavy is imported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from annotator.services.records import QueueRow, SpanData
from annotator.store.screen_sql import span_attrs


def queue_row(row: Sequence[Any]) -> QueueRow:
    """``(document id, title, status or None, span count or None)`` -> a queue row."""
    doc_id, title, status, n = row
    return QueueRow(int(doc_id), str(title), str(status or "todo"), int(n or 0))


def span_rows(
    document_id: int, annotator_id: int, spans: Iterable[Sequence[Any]], links: Iterable[Sequence[Any]]
) -> list[SpanData]:
    """``screen_sql.spans`` and ``screen_sql.links`` rows -> the annotator's spans with their links."""
    linked: dict[int, dict[str, list[int]]] = {}
    for head, attribute, child in links:
        linked.setdefault(head, {}).setdefault(attribute, []).append(child)
    return [
        SpanData(
            id=sid,
            document_id=document_id,
            annotator_id=annotator_id,
            schema_id=schema_id,
            label=label,
            start=start,
            end=end,
            attrs=span_attrs(attrs),
            origin=origin,
            version=version,
            links={a: tuple(c) for a, c in linked[sid].items()} if sid in linked else {},
        )
        for sid, schema_id, label, start, end, attrs, origin, version in spans
    ]
