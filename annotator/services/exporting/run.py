"""One export, start to finish: check the request, open the snapshot, stream, publish."""

from __future__ import annotations

import dataclasses
import importlib
import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from annotator.errors import UserError
from annotator.services.exporting.base import Exporter, ExportOptions
from annotator.services.exporting.query import open_reader
from annotator.services.exporting.writer import (
    atomic_file,
    atomic_folder,
    check_target,
    stdout_sink,
    write_failed,
)

FORMATS = ("jsonl", "docs", "doccano", "conll", "brat", "spacy", "events", "label-studio")


# format -> (module under annotator.services.exporting, exporter class): imported when chosen
EXPORTERS: dict[str, tuple[str, str]] = {
    "jsonl": ("jsonl", "JsonlExporter"),
    "docs": ("docs", "DocsExporter"),
    "doccano": ("doccano", "DoccanoExporter"),
    "conll": ("conll", "ConllExporter"),
    "brat": ("brat", "BratExporter"),
    "spacy": ("spacy_docbin", "SpacyExporter"),
    "events": ("events", "EventsExporter"),
    "label-studio": ("label_studio", "LabelStudioExporter"),
}


def exporter_class(fmt: str) -> type[Exporter]:
    if fmt not in EXPORTERS:
        raise UserError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})", field="format")
    module, name = EXPORTERS[fmt]
    found: type[Exporter] = getattr(importlib.import_module(f"annotator.services.exporting.{module}"), name)
    return found


@dataclass(frozen=True)
class ExportRequest:
    format: str = "jsonl"
    annotators: tuple[str, ...] = ()
    gold: bool = False
    labels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    out: Path | None = None
    force: bool = False
    tokens: bool = False
    relations: bool = False
    ascii: bool = False


@dataclass
class ExportSummary:
    format: str
    out: Path | None
    records: int = 0
    spans: int = 0
    documents: int = 0
    warnings: list[str] = field(default_factory=list)


def check_request(request: ExportRequest) -> None:
    """Mistakes that need no database: one-line ``UserError``s, before anything is opened."""
    fmt = request.format
    if fmt not in FORMATS:
        raise UserError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})", field="format")
    if request.tokens and fmt != "jsonl":
        raise UserError("only the jsonl format carries tokens", field="tokens")
    if request.relations and fmt != "doccano":
        raise UserError(
            "relations are a choice of the doccano format only (jsonl always has relations)", field="relations"
        )
    if request.ascii and fmt not in ("doccano", "label-studio"):
        raise UserError("ASCII-only output is for the doccano and label-studio formats only", field="ascii")
    if request.labels and fmt == "docs":
        raise UserError("the docs format writes documents, not spans", field="labels")
    if fmt == "brat" and request.out is None:
        raise UserError("the brat format writes a folder: name the output FOLDER", field="out")
    if fmt == "spacy" and request.out is None and sys.stdout.isatty():
        raise UserError("the spacy format writes a binary file: name the output FILE.spacy", field="out")
    if request.out is not None:
        check_target(request.out, force=request.force, folder=fmt == "brat")
        if fmt == "label-studio":
            from annotator.services.exporting.label_studio import config_path

            check_target(config_path(request.out), force=request.force)


def run_export(
    engine: Engine,
    request: ExportRequest,
    *,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int | None = None,
    on_document: Callable[[], Any] | None = None,
) -> ExportSummary:
    """Export what ``request`` selects; the target appears complete or not at all.

    ``progress(done, total)`` hears of each document written (the documents are counted first
    only when it is given). ``on_document`` is called after each document is written (tests
    use it to fail midway).
    """
    check_request(request)
    try:
        return _run_export(engine, request, progress=progress, batch_size=batch_size, on_document=on_document)
    except OSError as exc:  # disk full, quota, file too large: one line, and the target untouched
        raise write_failed(request.out, exc) from None


def _run_export(
    engine: Engine,
    request: ExportRequest,
    *,
    progress: Callable[[int, int], None] | None,
    batch_size: int | None,
    on_document: Callable[[], Any] | None,
) -> ExportSummary:
    cls = exporter_class(request.format)
    summary = ExportSummary(request.format, request.out)
    kwargs: dict[str, Any] = {}
    if batch_size is not None:
        kwargs["batch_size"] = batch_size
    with ExitStack() as stack:
        reader = stack.enter_context(
            open_reader(
                engine,
                annotators=list(request.annotators),
                gold=request.gold,
                labels=list(request.labels),
                statuses=list(request.statuses),
                include_idle=cls.include_idle,
                **kwargs,
            )
        )
        options = ExportOptions(
            tokens=request.tokens, relations=request.relations, out=request.out, ascii=request.ascii
        )
        if request.format == "events":
            # rows are chosen by label; the context columns need every ACTOR and LOCATION span
            options = dataclasses.replace(options, row_labels=reader.selection.labels)
            reader.selection = dataclasses.replace(reader.selection, labels=None)
        total = reader.count_documents() if progress is not None else 0
        if request.out is None:
            sink: Any = stack.enter_context(stdout_sink())
        elif cls.writes_folder:
            sink = stack.enter_context(atomic_folder(request.out, force=request.force))
        else:
            sink = stack.enter_context(atomic_file(request.out, force=request.force))
        exporter = cls(sink, reader, options)
        if progress is not None:
            progress(0, total)
        for item in reader.documents():
            exporter.write(item)
            summary.documents += 1
            if progress is not None:
                progress(summary.documents, total)
            if on_document is not None:
                on_document()
        exporter.close()
        summary.records, summary.spans = exporter.records, exporter.spans
        summary.warnings = [*reader.skipped_schemas, *exporter.warnings]
    return summary
