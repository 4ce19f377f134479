"""CoNLL: token-per-line IOB2 (``token TAG``), a blank line after each sentence, and a
``-DOCSTART- O`` line (then a blank line) before each document and annotator.

IOB2 cannot express overlapping spans, so overlaps are resolved by one rule, the one
``spacy.util.filter_spans`` uses: **the outermost span wins** — the longest first, then the
earliest, then the first made; a span that overlaps one already kept is dropped. Dropped
spans are counted by label and reported on standard error, never lost silently.

Tokens come from the ``regex-v1`` tokenizer, cut at every kept span's edges, so a kept
span is always a whole number of tokens; sentences come from ``lines+punct-v1``, joined
where a kept span crosses a sentence end. A span of only whitespace has no token and is
counted as dropped too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.services.exporting.base import Counter, Exporter, by_label
from annotator.services.exporting.query import DocumentWork, SpanRow
from annotator.services.exporting.segment import merge_across, sentence_offsets, token_offsets

DOCSTART = b"-DOCSTART- O\n\n"


def outermost(spans: Sequence[SpanRow]) -> tuple[list[SpanRow], list[SpanRow]]:
    """Split spans into (kept, dropped): longest first, then earliest, never overlapping."""
    order = sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.id))
    kept: list[SpanRow] = []
    dropped: list[SpanRow] = []
    taken: list[tuple[int, int]] = []  # kept intervals, sorted by start
    import bisect

    for span in order:
        i = bisect.bisect_left(taken, (span.start, span.end))
        clash = (i > 0 and taken[i - 1][1] > span.start) or (i < len(taken) and taken[i][0] < span.end)
        if clash:
            dropped.append(span)
        else:
            taken.insert(i, (span.start, span.end))
            kept.append(span)
    kept.sort(key=lambda s: s.start)
    return kept, dropped


def iob_lines(text: str, spans: Sequence[SpanRow]) -> tuple[list[list[tuple[str, str]]], list[SpanRow], list[SpanRow]]:
    """Sentences of ``(token, tag)`` pairs, the spans dropped as overlaps, and those with no token."""
    kept, dropped = outermost(spans)
    edges = {b for s in kept for b in (s.start, s.end)}
    sentences = merge_across(sentence_offsets(text), [(s.start, s.end) for s in kept])
    tokens = token_offsets(text, 0, len(text), edges)
    out: list[list[tuple[str, str]]] = []
    untokened: list[SpanRow] = []
    seen: set[int] = set()
    k = 0  # index into kept (sorted by start)
    t = 0
    for s_start, s_end in sentences:
        rows: list[tuple[str, str]] = []
        while t < len(tokens) and tokens[t][0] < s_end:
            start, end = tokens[t]
            t += 1
            if start < s_start:
                continue
            while k < len(kept) and kept[k].end <= start:
                k += 1
            tag = "O"
            if k < len(kept) and kept[k].start <= start and end <= kept[k].end:
                span = kept[k]
                tag = ("I-" if span.id in seen else "B-") + span.label
                seen.add(span.id)
            rows.append((text[start:end], tag))
        if rows:
            out.append(rows)
    untokened = [s for s in kept if s.id not in seen]
    return out, dropped, untokened


class ConllExporter(Exporter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dropped = Counter()
        self.untokened = Counter()

    def write(self, item: DocumentWork) -> None:
        text = item.document.text
        for work in item.works:
            sentences, dropped, untokened = iob_lines(text, work.spans)
            self.sink.write(DOCSTART)
            for rows in sentences:
                self.sink.write("".join(f"{tok} {tag}\n" for tok, tag in rows).encode("utf-8", "surrogatepass") + b"\n")
            for span in dropped:
                self.dropped.add(span.label)
            for span in untokened:
                self.untokened.add(span.label)
            self.records += 1
            self.spans += len(work.spans) - len(dropped) - len(untokened)

    def close(self) -> None:
        if self.dropped.total:
            self.warnings.append(
                f"conll: dropped {self.dropped.total} overlapping span(s) (the outermost span wins): {by_label(self.dropped.counts)}"
            )
        if self.untokened.total:
            self.warnings.append(
                f"conll: dropped {self.untokened.total} span(s) holding only whitespace: {by_label(self.untokened.counts)}"
            )
