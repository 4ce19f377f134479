"""Formats read by modules of their own, dispatched by ``run.read_records``.

Each reader takes ``(planned file, schema, label map, notes)`` and yields ``Record`` objects
(or raises ``FileRefused``), like the built-in readers. The modules are imported on first
use, so PDF, DOCX and HTML libraries load only when such a file is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .parsed import Record

Reader = Callable[[Any, Any, Any, list[str]], "Iterator[Record]"]


def _pdf(item: Any, schema: Any, label_map: Any, notes: list[str]) -> Iterator[Record]:
    from .documents import read_pdf

    yield read_pdf(item.path, item.display, notes)


def _docx(item: Any, schema: Any, label_map: Any, notes: list[str]) -> Iterator[Record]:
    from .documents import read_docx

    yield read_docx(item.path, item.display, notes)


def _html(item: Any, schema: Any, label_map: Any, notes: list[str]) -> Iterator[Record]:
    from .documents import read_html

    yield read_html(item.path, item.display, notes)


def _label_studio(item: Any, schema: Any, label_map: Any, notes: list[str]) -> Iterator[Record]:
    from .label_studio import read_label_studio

    yield from read_label_studio(item.path, item.display, schema, label_map)


OTHER_READERS: dict[str, Reader] = {"pdf": _pdf, "docx": _docx, "html": _html, "label-studio": _label_studio}
