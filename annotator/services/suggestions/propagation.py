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
        self.matcher: _Matcher | None = None  # built on first use (``propagate``)

    def add(self, label: str, surface: str, attrs: dict[str, Any] | None = None) -> None:
        surface = surface.strip()
        if len(surface) < 2 or not any(ch.isalpha() for ch in surface):
            return
        self.matcher = None
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


_LEADING_WORD = re.compile(r"\w+")
_WORD_START = re.compile(r"(?<!\w)\w+")


class _Matcher:
    """Every tagged string of a ``Tagged``, compiled once and indexed by its leading word, so
    a text is scanned once (a dictionary look-up per word), not once per tagged string."""

    def __init__(self, tagged: Tagged) -> None:
        self.entries: list[tuple[str, str, dict[str, Any], re.Pattern[str]]] = []
        self.by_word: dict[str, list[int]] = {}
        self.other: list[int] = []  # strings that start with a mark, not a word: searched one by one
        for (label, surface), attrs in tagged.items():
            pattern = re.compile(r"(?<![\w])" + r"\s+".join(re.escape(part) for part in surface.split()) + r"(?![\w])")
            index = len(self.entries)
            self.entries.append((label, surface, attrs, pattern))
            lead = _LEADING_WORD.match(surface)
            if lead is None:
                self.other.append(index)
            else:
                self.by_word.setdefault(lead.group(), []).append(index)

    def find(self, text: str) -> list[Suggestion]:
        found: dict[int, list[tuple[int, int]]] = {}
        last_end: dict[int, int] = {}
        for word in _WORD_START.finditer(text):
            # a match starts with a whole word run of the text, equal to the string's own first
            # (a mark or a space follows it in both), so one look-up finds every candidate
            candidates = self.by_word.get(word.group())
            if not candidates:
                continue
            at = word.start()
            for index in candidates:
                if at < last_end.get(index, 0):
                    continue  # inside this string's previous match (finditer does not overlap)
                m = self.entries[index][3].match(text, at)
                if m is not None:
                    found.setdefault(index, []).append((m.start(), m.end()))
                    last_end[index] = m.end()
        for index in self.other:
            found[index] = [(m.start(), m.end()) for m in self.entries[index][3].finditer(text)]
        out: list[Suggestion] = []
        for index in sorted(found):
            label, _surface, attrs, _pattern = self.entries[index]
            out += [Suggestion(label=label, start=a, end=b, attrs=dict(attrs), source=SOURCE) for a, b in found[index]]
        return out


def propagate(text: str, tagged: Tagged) -> list[Suggestion]:
    """Whole-word occurrences in ``text`` of every string in ``tagged``, with its label."""
    matcher = tagged.matcher
    if matcher is None:
        matcher = tagged.matcher = _Matcher(tagged)
    return matcher.find(text)
