"""doccano's JSONL: sequence labelling, or with ``--relations`` the relation-extraction shape.

Sequence labelling: ``{"text", "label": [[start, end, "LABEL"], ...], "meta"}``.
Relations: ``{"text", "entities": [{id, start_offset, end_offset, label}],
"relations": [{id, from_id, to_id, type}], "meta"}``, entity ids being our span ids.
One record per document and annotator; ``meta`` names the document and the annotator.
Offsets are code points, end exclusive, as doccano's own exports.
"""

from __future__ import annotations

import json
from typing import Any

from annotator.services.exporting.base import Exporter, write_jsonl
from annotator.services.exporting.query import DocumentWork


class DoccanoExporter(Exporter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._relation_id = 0

    def write(self, item: DocumentWork) -> None:
        doc = item.document
        for work in item.works:
            meta = {"document_id": doc.uid, "title": doc.title, "annotator": work.annotator, "status": work.status}
            if self.options.relations:
                relations = []
                for link in work.links:
                    self._relation_id += 1
                    relations.append(
                        {
                            "id": self._relation_id,
                            "from_id": link.head_id,
                            "to_id": link.child_id,
                            "type": link.relation,
                        }
                    )
                record: dict[str, Any] = {
                    "text": doc.text,
                    "entities": [
                        {"id": s.id, "start_offset": s.start, "end_offset": s.end, "label": s.label} for s in work.spans
                    ],
                    "relations": relations,
                    "meta": meta,
                }
            else:
                record = {"text": doc.text, "label": [[s.start, s.end, s.label] for s in work.spans], "meta": meta}
            if self.options.ascii:  # doccano's default "Auto" encoding detection mangles a file holding one emoji
                self.sink.write(json.dumps(record, ensure_ascii=True).encode("ascii") + b"\n")
            else:
                write_jsonl(self.sink, record)
            self.records += 1
            self.spans += len(work.spans)
