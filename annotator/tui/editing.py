"""Pure helpers both apps share to turn a key into a change; no Textual, no database.

Which text a label key tags, the other occurrences ``a`` tags, the speaker candidates ``s``
offers (nearest first), what to say when a span has no attributes to edit, and the next
id in a list (the review's documents; the annotate queue's next document is a query,
``services.queue.neighbour``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from annotator.tui import textmodel as tm

if TYPE_CHECKING:
    from annotator.services.records import SpanData


class _Labels(Protocol):
    """What these helpers read of a schema (``LabelSchema``; ``SchemaPreview`` before it is validated)."""

    def has_label(self, name: str) -> bool: ...

    def label(self, name: str) -> object: ...


def tag_range(text: str, selection: tuple[int, int] | None, cursor: int, *, char_mode: bool) -> tuple[int, int] | None:
    """What a label key tags: the selection (snapped to whole words unless ``char_mode``),
    else the word under the cursor; None when there is nothing to tag."""
    if selection is not None:
        return selection if char_mode else tm.snap_to_words(text, *selection)
    return tm.word_at(text, cursor)


def other_occurrences(
    text: str, span: SpanData, *, char_mode: bool, tagged: Callable[[str, int, int], bool]
) -> list[tuple[int, int]]:
    """Every other occurrence of ``span``'s text (whole words unless ``char_mode``) not
    ``tagged(label, start, end)`` with its label already."""
    needle = text[span.start : span.end]
    return [
        r
        for r in tm.occurrences(text, needle, whole_words=not char_mode)
        if r != (span.start, span.end) and not tagged(span.label, *r)
    ]


def distance(head: SpanData, span: SpanData) -> tuple[int, int]:
    """How far ``span`` is from ``head`` (0 when they overlap), then where it starts."""
    if span.start < head.end and span.end > head.start:
        return (0, span.start)
    gap = span.start - head.end if span.start >= head.end else head.start - span.end
    return (gap, span.start)


def speaker_candidates(head: SpanData, spans: Iterable[SpanData], target: str) -> list[SpanData]:
    """The spans of label ``target`` a link of ``head`` may point to, nearest first."""
    return sorted((s for s in spans if s.label == target), key=lambda s: distance(head, s))


def links_of(schema: _Labels, label: str) -> bool:
    """Whether spans of ``label`` have link attributes under ``schema``."""
    return schema.has_label(label) and bool(getattr(schema.label(label), "links", ()))


def no_attributes(schema: _Labels, span: SpanData) -> str | None:
    """Why ``span``'s attributes cannot be edited in a form (None: they can)."""
    spec = schema.label(span.label) if schema.has_label(span.label) else None
    if spec is not None and getattr(spec, "value_attributes", None):
        return None
    links = spec is not None and bool(getattr(spec, "links", None))
    return f"{span.label} has no attributes to edit" + (" (s picks its links)." if links else ".")


def step_in(ids: Sequence[int], current: int, step: int) -> int | None:
    """The id ``step`` places from ``current`` in ``ids``, without wrapping (None: none there)."""
    if current not in ids:
        return None
    i = ids.index(current) + step
    return ids[i] if 0 <= i < len(ids) else None
