"""The ``docs`` format: the corpus itself, one JSONL record per document, annotated or not.

Record: ``{"id": uid, "title", "text", "meta": {title, source, sha256, ...the document's meta}}``
(``annotator.schemas.records.DocumentRecord``), so a corpus can be handed to another tool
or imported elsewhere (the title is in ``meta`` too, where JSONL importers, ours included,
look for it). With ``--as``/``--status`` only the documents those annotators have
in that status are written.
"""

from __future__ import annotations

from annotator.services.exporting.base import Exporter, write_jsonl
from annotator.services.exporting.query import DocumentWork


class DocsExporter(Exporter):
    include_idle = True

    def write(self, item: DocumentWork) -> None:
        if self.reader.selection.statuses is not None and not item.works:
            return
        doc = item.document
        meta = {"title": doc.title, "source": doc.source, "sha256": doc.sha256}
        for key, value in doc.meta.items():
            meta.setdefault(key, value)
        write_jsonl(self.sink, {"id": doc.uid, "title": doc.title, "text": doc.text, "meta": meta})
        self.records += 1
