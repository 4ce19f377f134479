"""`annotator import`: plain text, JSONL (ours, Prodigy, doccano), brat standoff and CoNLL.

The public entry point is ``import_paths``; it returns an ``ImportSummary``. Readers
(``text_files``, ``jsonl``, ``brat``, ``conll``) turn files into checked, plain-data
records without touching the database; ``run`` stores them, one transaction per file (plain
text files: per batch of files), a batch of documents at a time.
"""

from __future__ import annotations

from .parsed import LabelMap
from .run import ImportSummary, import_paths

__all__ = ["ImportSummary", "LabelMap", "import_paths"]
