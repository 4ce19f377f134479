"""Analysis rows, the table an analyst opens in a spreadsheet: one row per CASUALTY span and
one per QUOTE, as CSV (default) or JSONL (when ``--out`` ends in ``.jsonl``).

Columns (see ``COLUMNS``): ``document`` (id), ``title``, ``annotator``, ``kind``
(``casualty`` or ``quote``), ``span_id``, ``start``, ``end``, ``sentence`` (1-based number of
the sentence the span starts in, by the ``lines+punct-v1`` splitter), the CASUALTY
attributes ``category``, ``count_min``, ``count_max``, ``qualifier``, ``victims``; ``actors``
and ``locations``: the ACTOR and LOCATION spans in the same sentence(s) as the span, by
canonical name where one is set, else by their text; ``speakers``: for a QUOTE, the
canonical names (else texts) of the ACTOR spans linked as its speakers; ``text``: the
span's text; ``sentence_text``: the sentence(s) it sits in.

In CSV, lists are joined with ``"; "`` and a cell that starts with ``=``, ``+``, ``-``,
``@``, tab or carriage return gets a leading ``'`` so a spreadsheet shows it instead of
running it as a formula. JSONL keeps lists as lists and missing values as ``null``.
``--label`` picks the row kinds (CASUALTY, QUOTE); ACTOR and LOCATION spans are always read
for the context columns.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from annotator.errors import UserError
from annotator.services.exporting.base import Exporter, write_jsonl
from annotator.services.exporting.query import DocumentWork, SpanRow, Work
from annotator.services.exporting.segment import sentence_index, sentence_offsets

CASUALTY, QUOTE, ACTOR, LOCATION = "CASUALTY", "QUOTE", "ACTOR", "LOCATION"
ROW_LABELS = (CASUALTY, QUOTE)
COLUMNS = (
    "document",
    "title",
    "annotator",
    "kind",
    "span_id",
    "start",
    "end",
    "sentence",
    "category",
    "count_min",
    "count_max",
    "qualifier",
    "victims",
    "actors",
    "locations",
    "speakers",
    "text",
    "sentence_text",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_jsonl(out: Path | None) -> bool:
    return out is not None and out.suffix.lower() in {".jsonl", ".ndjson", ".json"}


def row_labels(labels: frozenset[str] | None) -> tuple[str, ...]:
    if labels is None:
        return ROW_LABELS
    chosen = tuple(label for label in ROW_LABELS if label in labels)
    if not chosen:
        raise UserError("the events format has rows for CASUALTY and QUOTE spans only", field="labels")
    return chosen


def _name(text: str, span: SpanRow) -> str:
    canonical = span.attrs.get("canonical")
    return str(canonical) if canonical not in (None, "") else text[span.start : span.end]


def event_rows(
    doc_uid: str, title: str, text: str, work: Work, sentences: list[tuple[int, int]], kinds: tuple[str, ...]
) -> list[dict[str, Any]]:
    starts = [s for s, _ in sentences]
    by_id = {s.id: s for s in work.spans}
    context = [s for s in work.spans if s.label in (ACTOR, LOCATION)]
    rows: list[dict[str, Any]] = []
    for span in work.spans:
        if span.label not in kinds:
            continue
        if sentences:
            first = sentence_index(starts, span.start)
            last = max(sentence_index(starts, max(span.end - 1, span.start)), first)
            lo, hi = min(sentences[first][0], span.start), max(sentences[last][1], span.end)
        else:
            first, lo, hi = 0, span.start, span.end
        near = [c for c in context if c.start < hi and c.end > lo]
        actors = list(dict.fromkeys(_name(text, c) for c in near if c.label == ACTOR))
        locations = list(dict.fromkeys(_name(text, c) for c in near if c.label == LOCATION))
        speakers: list[str] = []
        if span.label == QUOTE:
            speakers = list(
                dict.fromkeys(
                    _name(text, by_id[k.child_id]) for k in work.links if k.head_id == span.id and k.child_id in by_id
                )
            )
        attrs = span.attrs if span.label == CASUALTY else {}
        rows.append(
            {
                "document": doc_uid,
                "title": title,
                "annotator": work.annotator,
                "kind": span.label.lower(),
                "span_id": span.id,
                "start": span.start,
                "end": span.end,
                "sentence": first + 1,
                "category": attrs.get("category"),
                "count_min": attrs.get("count_min"),
                "count_max": attrs.get("count_max"),
                "qualifier": attrs.get("qualifier"),
                "victims": attrs.get("victims"),
                "actors": actors,
                "locations": locations,
                "speakers": speakers,
                "text": text[span.start : span.end],
                "sentence_text": text[lo:hi],
            }
        )
    return rows


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    cell = str(value)
    if cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


class EventsExporter(Exporter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.jsonl = is_jsonl(self.options.out)
        self.kinds = row_labels(self.options.row_labels)
        if not self.jsonl:
            self._write_csv(list(COLUMNS))

    def _write_csv(self, cells: list[str]) -> None:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerow(cells)
        self.sink.write(buf.getvalue().encode("utf-8"))

    def write(self, item: DocumentWork) -> None:
        doc = item.document
        sentences = sentence_offsets(doc.text)
        for work in item.works:
            for row in event_rows(doc.uid, doc.title, doc.text, work, sentences, self.kinds):
                if self.jsonl:
                    write_jsonl(self.sink, row)
                else:
                    self._write_csv([csv_cell(row[c]) for c in COLUMNS])
                self.records += 1
                self.spans += 1
