"""Our own JSONL: one ``AnnotationRecord`` per document and annotator with work on it.

The record shape is ``annotator.schemas.records.AnnotationRecord`` (its JSON Schema is
``schemas/annotation-record.schema.json``). Span ``start``/``end``/``label``/``text`` match
Prodigy's span records; relations point at span ``id``s; ``tokens`` (with ``--tokens``) are
Prodigy-shaped ``{text, start, end, id, ws}`` from the ``regex-v1`` tokenizer.
"""

from __future__ import annotations

from typing import Any

from annotator.services.exporting import prodigy
from annotator.services.exporting.base import Exporter, write_jsonl
from annotator.services.exporting.query import CorpusReader, DocumentRow, DocumentWork, Work

RESERVED_META = ("document_id", "title", "source", "sha256", "schema", "schema_version")


def span_records(text: str, work: Work) -> list[dict[str, Any]]:
    return [
        {"id": s.id, "start": s.start, "end": s.end, "label": s.label, "text": text[s.start : s.end], "attrs": s.attrs}
        for s in work.spans
    ]


def relation_records(work: Work) -> list[dict[str, Any]]:
    return [{"label": link.relation, "head": link.head_id, "child": link.child_id} for link in work.links]


def record_meta(reader: CorpusReader, doc: DocumentRow, work: Work) -> dict[str, Any]:
    info = reader.schema_for(work)
    meta: dict[str, Any] = {
        "document_id": doc.uid,
        "title": doc.title,
        "source": doc.source,
        "sha256": doc.sha256,
        "schema": info.name if info else None,
        "schema_version": info.version if info else None,
    }
    for key, value in doc.meta.items():  # the document's own metadata, e.g. from an import
        if key not in meta:
            meta[key] = value
    return meta


def annotation_record(reader: CorpusReader, doc: DocumentRow, work: Work, *, tokens: bool = False) -> dict[str, Any]:
    record: dict[str, Any] = {
        "text": doc.text,
        "spans": span_records(doc.text, work),
        "relations": relation_records(work),
        "annotator": work.annotator,
        "status": work.status,
        "meta": record_meta(reader, doc, work),
    }
    if work.rejected:  # gold's empty-on-purpose review groups (annotator.schemas.records.RejectedGroup)
        record["rejected"] = [
            {"group": r.group, "start": start, "end": end, "text": doc.text[start:end], "decided_by": r.decided_by}
            for r in work.rejected
            for start, end in (r.extent,)
        ]
    if tokens:
        _add_tokens(record, work)
    if work.status in prodigy.ANSWERS:
        record["answer"] = prodigy.ANSWERS[work.status]
    return prodigy.set_hashes(record)


def _add_tokens(record: dict[str, Any], work: Work) -> None:
    """Whitespace tokens, token_start/token_end on spans, relations in Prodigy's shape (our
    span ids kept as ``head_id``/``child_id``)."""
    record["tokens"] = prodigy.whitespace_tokens(record["text"], ((s.start, s.end) for s in work.spans))
    by_start, by_end = prodigy.token_indices(record["tokens"])
    by_id: dict[int, dict[str, Any]] = {}
    for span in record["spans"]:
        span["token_start"], span["token_end"] = by_start[span["start"]], by_end[span["end"]]
        by_id[span["id"]] = span
    shaped = []
    for rel in record["relations"]:
        head, child = by_id[rel["head"]], by_id[rel["child"]]
        shaped.append(
            {
                "head": head["token_end"],
                "child": child["token_end"],
                "head_span": {k: head[k] for k in ("start", "end", "token_start", "token_end", "label")},
                "child_span": {k: child[k] for k in ("start", "end", "token_start", "token_end", "label")},
                "label": rel["label"],
                "head_id": rel["head"],
                "child_id": rel["child"],
            }
        )
    record["relations"] = shaped


class JsonlExporter(Exporter):
    def write(self, item: DocumentWork) -> None:
        for work in item.works:
            write_jsonl(self.sink, annotation_record(self.reader, item.document, work, tokens=self.options.tokens))
            self.records += 1
            self.spans += len(work.spans)
