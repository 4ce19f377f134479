"""Propagation: what an annotator tagged once is suggested wherever else it occurs.

Scoped to one annotator: only that annotator's own spans feed their suggestions, so blind
annotation holds (nobody sees what another annotator tagged), and ``evaluate`` never
feeds the reference annotator's spans in.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable

from annotator.services.suggestions.base import Suggestion

SOURCE = "propagation"


class Tagged:
    """(label, surface string) -> the attributes the annotator gave it most often."""

    def __init__(self) -> None:
        self._attrs: dict[tuple[str, str], Counter] = {}

    def add(self, label: str, surface: str, attrs: dict[str, Any] | None = None) -> None:
        surface = surface.strip()
        if len(surface) < 2 or not any(ch.isalpha() for ch in surface):
            return
        frozen = tuple(sorted((k, v) for k, v in (attrs or {}).items() if isinstance(v, (str, int, float, bool))))
        self._attrs.setdefault((label, surface), Counter())[frozen] += 1

    def __len__(self) -> int:
        return len(self._attrs)

    def items(self) -> Iterable[tuple[tuple[str, str], dict[str, Any]]]:
        for key, counts in self._attrs.items():
            yield key, dict(counts.most_common(1)[0][0])


def tagged_by(session: Any, annotator_id: int) -> Tagged:
    """Everything ``annotator_id`` has tagged across the corpus (one query per document)."""
    from sqlmodel import select

    from annotator.store.models import Document, Span

    tagged = Tagged()
    rows = session.exec(
        select(Span.document_id, Span.label, Span.start, Span.end, Span.attrs)
        .where(Span.annotator_id == annotator_id)
        .order_by(Span.document_id)
    )
    current_doc, text = None, ""
    for document_id, label, start, end, attrs in rows:
        if document_id != current_doc:
            doc = session.get(Document, document_id)
            current_doc, text = document_id, (doc.text if doc else "")
        tagged.add(label, text[start:end], attrs)
    return tagged


def propagate(text: str, tagged: Tagged) -> list[Suggestion]:
    """Whole-word occurrences in ``text`` of every string in ``tagged``, with its label."""
    out: list[Suggestion] = []
    for (label, surface), attrs in tagged.items():
        pattern = re.compile(r"(?<![\w])" + r"\s+".join(re.escape(part) for part in surface.split()) + r"(?![\w])")
        for m in pattern.finditer(text):
            out.append(Suggestion(label=label, start=m.start(), end=m.end(), attrs=dict(attrs), source=SOURCE))
    return out
