"""Text geometry for the document view: safe display characters, wrapping, words, spans.

Pure Python (no Textual import) so it can be tested and reused on its own. Every offset is
a code-point index into the stored text; the display string (``untrusted.document_display``)
has exactly one code point per stored code point (control characters become one-cell "control
pictures"), so offsets map to display positions one to one and to cells through ``rich.cells``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, split_graphemes

from annotator.untrusted import document_display

# ---------------------------------------------------------------------------- graphemes


def graphemes(display: str) -> list[tuple[int, int, int]]:
    """Grapheme clusters of ``display`` as ``(start, end, cells)``; zero-width leaders merged."""
    if display.isascii():
        return [(i, i + 1, 1) for i in range(len(display))]
    spans, _total = split_graphemes(display)
    if len(spans) > 1 and spans[0][2] == 0:  # a lone leading zero-width char joins the next cluster
        first, second = spans[0], spans[1]
        spans = [(first[0], second[1], second[2]), *spans[2:]]
    return spans


# ---------------------------------------------------------------------------- wrapping


@dataclass(frozen=True)
class Paragraphs:
    """The text split at ``\\n``: paragraph ``i`` is ``text[starts[i]:ends[i]]``."""

    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, text: str) -> Paragraphs:
        starts, ends = [0], []
        find = text.find
        pos = find("\n")
        while pos != -1:
            ends.append(pos)
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        ends.append(len(text))
        return cls(starts, ends)

    def __len__(self) -> int:
        return len(self.starts)

    def index_of(self, offset: int) -> int:
        """The paragraph holding ``offset`` (a newline belongs to the paragraph it ends)."""
        return max(0, bisect_right(self.starts, offset) - 1)


def wrap_paragraph(display: str, base: int, width: int) -> list[tuple[int, int]]:
    """Rows ``(start, end)`` (absolute offsets) of one paragraph wrapped to ``width`` cells.

    Rows break after a space when they can, otherwise inside the word. One cell is kept
    free on each row for the end-of-line cursor (a trailing space may use it).
    """
    n = len(display)
    if n == 0:
        return [(base, base)]
    content = max(1, width - 1)
    rows: list[tuple[int, int]] = []
    if display.isascii():
        if n <= content:
            return [(base, base + n)]
        pos = 0
        rfind = display.rfind
        while n - pos > content:
            brk = rfind(" ", pos, pos + content + 1)
            end = brk + 1 if brk > pos else pos + content
            rows.append((base + pos, base + end))
            pos = end
        if pos < n:
            rows.append((base + pos, base + n))
        return rows
    clusters = graphemes(display)
    row_start = 0
    cells = 0
    last_space_end = -1  # end index (in display) of the last space cluster on this row
    cells_at_space = 0
    for start, end, w in clusters:
        is_space = display[start:end] == " "
        if cells + w > content and not (is_space and cells + w <= content + 1) and start > row_start:
            if last_space_end > row_start:
                rows.append((base + row_start, base + last_space_end))
                row_start = last_space_end
                cells -= cells_at_space
            else:
                rows.append((base + row_start, base + start))
                row_start = start
                cells = 0
            last_space_end = -1
        cells += w
        if is_space:
            last_space_end = end
            cells_at_space = cells
    rows.append((base + row_start, base + n))
    return rows


@dataclass
class RowIndex:
    """Every wrapped row of a document: ``row_start[r]``, ``row_end[r]``, ``row_para[r]``."""

    width: int
    row_start: list[int]
    row_end: list[int]
    row_para: list[int]
    para_first_row: list[int]  # first row of each wrapped paragraph; len == paragraphs wrapped

    @property
    def rows(self) -> int:
        return len(self.row_start)

    def rows_of(self, para: int) -> tuple[int, int]:
        """``(first_row, row_count)`` of a paragraph (``(rows, 0)`` if not wrapped yet)."""
        if para >= len(self.para_first_row):
            return self.rows, 0
        first = self.para_first_row[para]
        nxt = self.para_first_row[para + 1] if para + 1 < len(self.para_first_row) else self.rows
        return first, nxt - first

    def row_of(self, offset: int, paras: Paragraphs) -> int:
        """The row showing ``offset`` (an offset at a paragraph's end is on its last row)."""
        para = paras.index_of(offset)
        if para >= len(self.para_first_row):
            return max(0, self.rows - 1)
        first, count = self.rows_of(para)
        row = bisect_right(self.row_start, offset, first, first + count) - 1
        return max(first, row)


def wrap_document(
    display: str,
    paras: Paragraphs,
    width: int,
    *,
    max_rows: int | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> RowIndex:
    """Wrap paragraphs in order; stop after ``max_rows`` rows (a first screenful) if given."""
    row_start: list[int] = []
    row_end: list[int] = []
    row_para: list[int] = []
    firsts: list[int] = []
    for para, (start, end) in enumerate(zip(paras.starts, paras.ends)):
        if max_rows is not None and len(row_start) >= max_rows:
            break
        if para % 512 == 0 and cancelled():
            break
        firsts.append(len(row_start))
        for a, b in wrap_paragraph(display[start:end], start, width):
            row_start.append(a)
            row_end.append(b)
            row_para.append(para)
    return RowIndex(width, row_start, row_end, row_para, firsts)


def row_cells(display: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """Clusters of one row as ``(offset, end_offset, cell_x)``; plus a final ``(end, end, x)``."""
    out: list[tuple[int, int, int]] = []
    x = 0
    for a, b, w in graphemes(display[start:end]):
        out.append((start + a, start + b, x))
        x += w
    out.append((end, end, x))
    return out


# ---------------------------------------------------------------------------- words

_JOINERS = "'’-‐"


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M"


def _word_at_index(text: str, i: int) -> bool:
    """Is ``text[i]`` part of a word (letters, digits, marks; an inner apostrophe or hyphen)?"""
    if i < 0 or i >= len(text):
        return False
    ch = text[i]
    if is_word_char(ch):
        return True
    if ch in _JOINERS:
        return 0 < i < len(text) - 1 and is_word_char(text[i - 1]) and is_word_char(text[i + 1])
    return False


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """The word under ``offset``, or just before it (cursor right after a word); else None."""
    if _word_at_index(text, offset):
        i = offset
    elif _word_at_index(text, offset - 1):
        i = offset - 1
    else:
        return None
    start = i
    while start > 0 and _word_at_index(text, start - 1):
        start -= 1
    end = i + 1
    while end < len(text) and _word_at_index(text, end):
        end += 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim surrounding whitespace, then widen both ends to whole words. None if nothing left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    while start > 0 and _word_at_index(text, start) and _word_at_index(text, start - 1):
        start -= 1
    while end < len(text) and _word_at_index(text, end - 1) and _word_at_index(text, end):
        end += 1
    return start, end


def next_word_end(text: str, offset: int) -> int:
    """The end of the word at or after ``offset`` (ctrl+right)."""
    n = len(text)
    i = offset
    while i < n and not _word_at_index(text, i):
        i += 1
    while i < n and _word_at_index(text, i):
        i += 1
    return i


def next_word_start(text: str, offset: int) -> int:
    n = len(text)
    i = offset
    while i < n and _word_at_index(text, i):
        i += 1
    while i < n and not _word_at_index(text, i):
        i += 1
    return i


def prev_word_start(text: str, offset: int) -> int:
    i = offset
    while i > 0 and not _word_at_index(text, i - 1):
        i -= 1
    while i > 0 and _word_at_index(text, i - 1):
        i -= 1
    return i


def occurrences(text: str, needle: str, *, whole_words: bool) -> Iterator[tuple[int, int]]:
    """Every ``(start, end)`` where ``needle`` occurs (optionally only as whole words)."""
    if not needle:
        return
    pos = text.find(needle)
    while pos != -1:
        end = pos + len(needle)
        if not whole_words or not (
            (_word_at_index(text, pos) and _word_at_index(text, pos - 1))
            or (_word_at_index(text, end - 1) and _word_at_index(text, end))
        ):
            yield pos, end
        pos = text.find(needle, pos + 1)


def find_matches(text: str, query: str) -> list[tuple[int, int]]:
    """Case-insensitive literal matches of ``query`` (offsets exact: no case folding of the text)."""
    if not query:
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(query), text, re.IGNORECASE) if m.end() > m.start()]


# ---------------------------------------------------------------------------- spans


@dataclass(frozen=True)
class SpanView:
    """What the view needs to draw a span (the UI keeps the full record elsewhere)."""

    id: int
    label: str
    start: int
    end: int


def _key(span: SpanView) -> tuple[int, int, int]:
    return (span.start, -span.end, span.id)


class SpanIndex:
    """A document's spans in text order, and per paragraph, updated change by change."""

    def __init__(self, paras: Paragraphs, spans: Iterable[SpanView] = ()) -> None:
        self.paras = paras
        by_id: dict[int, SpanView] = {}
        keys: list[tuple[int, int, int]] = []
        per_para: dict[int, list[tuple[int, int, int]]] = {}
        starts = paras.starts
        count = len(starts)
        # One bisect per span (two when a span crosses a paragraph break); spans read in
        # text order make every sort below a linear pass.
        for span in spans:
            start, end, span_id = span.start, span.end, span.id
            key = (start, -end, span_id)
            by_id[span_id] = span
            keys.append(key)
            first = bisect_right(starts, start) - 1
            if first < 0:
                first = 0
            last_char = end - 1 if end - 1 > start else start
            if first + 1 >= count or last_char < starts[first + 1]:
                found = per_para.get(first)
                if found is None:
                    per_para[first] = [key]
                else:
                    found.append(key)
            else:
                for p in range(first, bisect_right(starts, last_char)):
                    per_para.setdefault(p, []).append(key)
        keys.sort()
        for para_keys in per_para.values():
            para_keys.sort()
        self.by_id = by_id
        self._keys = keys
        self._per_para = per_para

    def __len__(self) -> int:
        return len(self.by_id)

    def _paras_of(self, span: SpanView) -> range:
        return range(self.paras.index_of(span.start), self.paras.index_of(max(span.start, span.end - 1)) + 1)

    def update(self, changes: dict[int, SpanView | None]) -> set[int]:
        """Apply new versions (None = deleted); return the paragraphs whose drawing changed."""
        touched: set[int] = set()
        for span_id, new in changes.items():
            old = self.by_id.pop(span_id, None)
            if old is not None:
                key = _key(old)
                i = bisect_left(self._keys, key)
                if i < len(self._keys) and self._keys[i] == key:
                    del self._keys[i]
                for p in self._paras_of(old):
                    keys = self._per_para.get(p, [])
                    j = bisect_left(keys, key)
                    if j < len(keys) and keys[j] == key:
                        del keys[j]
                    touched.add(p)
            if new is not None:
                self.by_id[span_id] = new
                insort(self._keys, _key(new))
                for p in self._paras_of(new):
                    insort(self._per_para.setdefault(p, []), _key(new))
                    touched.add(p)
        return touched

    def ordered(self) -> list[SpanView]:
        return [self.by_id[k[2]] for k in self._keys]

    def position(self, span_id: int) -> int:
        """Index of a span in text order."""
        span = self.by_id[span_id]
        return bisect_left(self._keys, _key(span))

    def at_position(self, index: int) -> SpanView:
        return self.by_id[self._keys[index][2]]

    def in_paragraph(self, para: int) -> list[SpanView]:
        return [self.by_id[k[2]] for k in self._per_para.get(para, ())]

    def overlapping(self, start: int, end: int) -> list[SpanView]:
        """Spans that intersect ``[start, end)`` (or touch ``start`` when the range is empty)."""
        out: dict[int, SpanView] = {}
        for p in range(self.paras.index_of(start), self.paras.index_of(max(start, end - 1)) + 1):
            for span in self.in_paragraph(p):
                if span.start < max(end, start + 1) and span.end > start:
                    out[span.id] = span
        return sorted(out.values(), key=_key)

    def covering(self, offset: int) -> list[SpanView]:
        """Spans containing ``offset``, outermost first."""
        return [s for s in self.overlapping(offset, offset + 1) if s.start <= offset < s.end]

    def innermost(self, offset: int) -> SpanView | None:
        spans = self.covering(offset)
        if not spans:
            return None
        return min(spans, key=lambda s: (s.end - s.start, -s.start, s.id))

    def next_after(self, span_id: int | None, offset: int) -> SpanView | None:
        """The span after ``span_id`` in text order (or the first starting after ``offset``)."""
        if span_id is not None and span_id in self.by_id:
            i = self.position(span_id) + 1
        else:
            i = bisect_right(self._keys, (offset, 1, 0))
        return self.at_position(i) if i < len(self._keys) else None

    def prev_before(self, span_id: int | None, offset: int) -> SpanView | None:
        if span_id is not None and span_id in self.by_id:
            i = self.position(span_id) - 1
        else:
            i = bisect_left(self._keys, (offset, -(10**18), 0)) - 1
        return self.at_position(i) if i >= 0 else None

    def after(self, span: SpanView) -> SpanView | None:
        """The first span after ``span`` in text order (``span`` need not be in the index)."""
        i = bisect_right(self._keys, _key(span))
        return self.at_position(i) if i < len(self._keys) else None

    def before(self, span: SpanView) -> SpanView | None:
        i = bisect_left(self._keys, _key(span)) - 1
        return self.at_position(i) if i >= 0 else None

    def window(self, around: int, size: int) -> tuple[int, Sequence[SpanView]]:
        """Up to ``size`` spans in text order around position ``around``: (first index, spans)."""
        first = max(0, min(around - size // 2, len(self._keys) - size))
        return first, [self.by_id[k[2]] for k in self._keys[first : first + size]]

    def find(self, label: str, start: int, end: int) -> SpanView | None:
        for span in self.overlapping(start, end):
            if span.label == label and span.start == start and span.end == end:
                return span
        return None


@dataclass(frozen=True)
class PreparedDocument:
    """Everything the view derives from a document before drawing it, built off the event
    loop (``prepare``): the display string, the paragraphs and the span index."""

    text: str
    display: str
    paras: Paragraphs
    spans: SpanIndex


def prepare(text: str, spans: Iterable[SpanView] = ()) -> PreparedDocument:
    paras = Paragraphs.of(text)
    return PreparedDocument(text, document_display(text), paras, SpanIndex(paras, spans))


def cells_of(text: str) -> int:
    return cell_len(text)


def first_rows(height: int) -> int:
    """Rows of a big document wrapped on the event loop before the rest goes to a worker."""
    return max(200, 3 * max(1, height))
