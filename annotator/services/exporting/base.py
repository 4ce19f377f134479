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
    ascii: bool = False  # doccano, label-studio: ASCII-escaped JSON (doccano's "Auto" encoding mangles UTF-8)


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


# Characters JSON allows raw inside strings but that many line readers (Python's
# str.splitlines, JavaScript before ES2019) take for line ends: escaped, so one record is
# always exactly one line. In UTF-8 these byte sequences can only be these characters.
_LINE_BREAKERS = ((b"\xc2\x85", b"\\u0085"), (b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


def jsonl_line(record: Any) -> bytes:
    data = orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS)
    for raw, escaped in _LINE_BREAKERS:
        if raw in data:
            data = data.replace(raw, escaped)
    return data


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
