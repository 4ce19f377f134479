"""Exports: JSONL and the formats other tools read, streamed from one database snapshot.

``run_export(engine, ExportRequest(...))`` is the entry point; each format is one module
(``jsonl``, ``docs``, ``doccano``, ``conll``, ``brat``, ``spacy_docbin``, ``events``) with
an ``Exporter`` that receives documents one at a time from ``query.CorpusReader``;
``writer`` makes the target appear atomically.
"""

from annotator.services.exporting.run import FORMATS, ExportRequest, ExportSummary, run_export

__all__ = ["FORMATS", "ExportRequest", "ExportSummary", "run_export"]
