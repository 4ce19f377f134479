"""Plain ``.txt`` and ``.md`` files: one document each, no annotations."""

from __future__ import annotations

import re
from pathlib import Path

from .decode import Decoded, read_text_file
from .newlines import normalise
from .parsed import ParsedDoc, Record

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
TITLE_MAX = 100


def title_for(text: str, path: Path) -> str:
    """A Markdown heading or a short first line (a headline) if there is one, else the file name."""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        heading = _HEADING.match(line)
        if heading and heading.group(1):
            return heading.group(1)[:TITLE_MAX]
        if len(line) <= TITLE_MAX:
            return line
        break
    return path.stem


def read_text(path: Path, display: str) -> tuple[Record, Decoded]:
    """The file as one document (raises ``FileRefused`` for binary or empty files)."""
    decoded = read_text_file(path)
    text = normalise(decoded.text)
    doc = ParsedDoc(text=text, title=title_for(text, path), source=display)
    return Record(line=0, doc=doc, bytes_read=path.stat().st_size), decoded
