"""Propagation: what was tagged once is suggested wherever else it occurs (INCEpTION's
string-matching recommender), with its label and most frequent attributes (canonical name).

What feeds an annotator's propagation: their own spans, plus the corpus-wide forms that are
no one annotator's private judgement: the spans gold holds (origin ``adjudication``) and the
spans any annotator made by accepting a suggestion (origin ``suggestion``). On a shared
PostgreSQL database row-level security leaves a non-reviewer only their own rows, so what
they see never grows beyond that. ``evaluate`` never feeds the reference annotator's spans in
(``exclude``). All strings are matched in one pass over the text (a token trie).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from annotator.services.suggestions.base import Suggestion

SOURCE = "propagation"


class Tagged:
    """(label, surface string) -> the attributes the annotator gave it most often."""

    def __init__(self) -> None:
        self._attrs: dict[tuple[str, str], Counter[Any]] = {}
        self._matcher: Any = None
        self._matcher_size = 0

    def add(self, label: str, surface: str, attrs: dict[str, Any] | None = None) -> None:
        surface = surface.strip()
        if len(surface) < 2 or not any(ch.isalpha() for ch in surface):
            return
        frozen = tuple(sorted((k, v) for k, v in (attrs or {}).items() if isinstance(v, (str, int, float, bool))))
        self._attrs.setdefault((label, surface), Counter())[frozen] += 1

    def __len__(self) -> int:
        return len(self._attrs)

    def matcher(self) -> Any:
        """One token trie over every string (built once, rebuilt after ``add``)."""
        if getattr(self, "_matcher", None) is None or self._matcher_size != len(self._attrs):
            from annotator.services.suggestions.gazetteer import Gazetteer, Name

            names = [
                Name(surface, label, tuple(sorted(attrs.items())), False, SOURCE)
                for (label, surface), attrs in self.items()
            ]
            self._matcher, self._matcher_size = Gazetteer(names), len(self._attrs)
        return self._matcher

    def items(self) -> Iterable[tuple[tuple[str, str], dict[str, Any]]]:
        for key, counts in self._attrs.items():
            yield key, dict(counts.most_common(1)[0][0])


def tagged_by(session: Any, annotator_id: int, *, shared: bool = True, exclude: Iterable[int] = ()) -> Tagged:
    """What ``annotator_id`` tagged across the corpus, and (``shared``) what gold holds and what
    anyone accepted from a suggestion, never the spans of the annotators in ``exclude``."""
    import sqlalchemy as sa
    from sqlmodel import col, select  # here: the suggestion worker never reads the database

    from annotator.store.models import Document, Span

    tagged = Tagged()
    mine = col(Span.annotator_id) == annotator_id
    where = sa.or_(mine, col(Span.origin).in_(("adjudication", "suggestion"))) if shared else mine
    excluded = [a for a in exclude if a != annotator_id]
    if excluded:
        where = sa.and_(where, col(Span.annotator_id).not_in(excluded))
    # the tagged strings themselves, cut by the database (substr counts characters, i.e. code
    # points, on SQLite and PostgreSQL alike): no document's whole text is read for them
    surface = sa.func.substr(col(Document.text), col(Span.start) + 1, col(Span.end) - col(Span.start))
    rows = session.exec(
        select(col(Span.label), surface, col(Span.attrs))
        .join(Document, col(Document.id) == col(Span.document_id))
        .where(where)
        .order_by(col(Span.document_id), col(Span.id))
    )
    for label, text, attrs in rows:
        tagged.add(label, text or "", attrs)
    return tagged


def propagate(text: str, tagged: Tagged) -> list[Suggestion]:
    """Whole-word occurrences in ``text`` of every string in ``tagged``, with its label."""
    found: list[Suggestion] = tagged.matcher().find(text)
    return found
