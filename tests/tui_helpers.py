"""The annotation app's test helpers, now in the ``support`` package; kept so older imports work.

New tests import from ``support`` (``support.driver``, ``support.reads``, ``support.corpus``).
"""

from __future__ import annotations

from support.corpus import add_docs
from support.driver import annotate_app as app_for
from support.driver import settle
from support.paths import REPO as REPO_ROOT
from support.reads import ANNOTATOR, last_document, span_rows, spans, status_of
from support.screen import screen_text

from annotator.store.models import DocumentStatus

__all__ = [
    "ANNOTATOR",
    "REPO_ROOT",
    "DocumentStatus",
    "add_docs",
    "app_for",
    "last_document",
    "screen_text",
    "settle",
    "span_rows",
    "spans",
    "status_of",
]
