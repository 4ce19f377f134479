"""What every export format shares: the options, and the exporter interface."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from annotator.services.exporting.query import CorpusReader, DocumentWork, SpanRow


@dataclass(frozen=True)
class ExportOptions:
    tokens: bool = False  # jsonl: add Prodigy-shaped tokens
    relations: bool = False  # doccano: the entities/relations shape
    out: Path | None = None  # the target (events picks CSV or JSONL by its suffix)
    row_labels: frozenset[str] | None = None  # events: which row kinds --label asked for


class Exporter:
    """Receives the selected documents one at a time and writes them to ``sink``.

    ``records`` and ``spans`` count what was written; ``warnings`` are one-line messages for
    standard error (e.g. spans a format could not represent). Formats that write a folder
    set ``writes_folder`` and get the folder's path as ``sink``.
    """

    writes_folder = False
    include_idle = False  # also documents nobody worked on

    def __init__(self, sink: Any, reader: CorpusReader, options: ExportOptions) -> None:
        self.sink = sink
        self.reader = reader
        self.options = options
        self.records = 0
        self.spans = 0
        self.warnings: list[str] = []

    def write(self, item: DocumentWork) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Called once after the last document (write what needs the whole export)."""


def jsonl_line(record: Any) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS)


def write_jsonl(sink: BinaryIO, record: Any) -> None:
    sink.write(jsonl_line(record))


def by_label(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {label}" for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def span_text(text: str, span: SpanRow) -> str:
    return text[span.start : span.end]


@dataclass
class Counter:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    @property
    def total(self) -> int:
        return sum(self.counts.values())
