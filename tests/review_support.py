"""The review app's test helpers, now in the ``support`` package; kept so older imports work.

New tests import from ``support`` (``support.driver``, ``support.reads``, ``support.corpus``).
"""

from __future__ import annotations

from support.corpus import REVIEW_TEXT as TEXT
from support.corpus import at, put
from support.corpus import seed_two_annotators as seed
from support.driver import press, review_app, settle
from support.reads import decisions, gold, gold_status

from annotator.services import adjudication as adjn

__all__ = ["TEXT", "adjn", "at", "decisions", "gold", "gold_status", "press", "put", "review_app", "seed", "settle"]
