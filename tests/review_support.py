"""The review app's test helpers, now in the ``support`` package; kept so older imports work.

New tests import from ``support`` (``support.driver``, ``support.reads``, ``support.corpus``).
"""

from __future__ import annotations

from typing import Any

from support.corpus import REVIEW_TEXT as TEXT
from support.corpus import at, put
from support.corpus import seed_two_annotators as seed
from support.driver import review_app, settle
from support.reads import decisions, gold, gold_status

from annotator.services import adjudication as adjn


async def press(pilot: Any, *keys: str) -> None:
    """Press keys one by one, waiting for the database after each."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


__all__ = ["TEXT", "adjn", "at", "decisions", "gold", "gold_status", "press", "put", "review_app", "seed", "settle"]
