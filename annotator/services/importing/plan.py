"""Which files an import reads, and as what format.

Folders are walked recursively (hidden files and folders skipped) in sorted order. With
``--format auto`` the extension decides: ``.jsonl``/``.ndjson`` JSONL; ``.conll``,
``.iob``, ``.bio``, ``.bioes`` CoNLL; ``.ann`` (with its ``.txt``) brat; ``.txt``/``.md``
plain text, except that a ``.txt`` with an ``.ann`` beside it is brat, and a ``.txt`` whose
every line is ``token ... TAG`` is CoNLL. Files of other kinds inside folders are ignored;
naming one explicitly reads it as the forced ``--format`` (or refuses it under auto).
A folder's ``README``, ``LICENSE`` and ``CHANGELOG`` files describe the folder, not the
corpus, and are left out unless named explicitly.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import UserError

FORMATS = ("auto", "text", "jsonl", "brat", "conll")
TEXT_EXT = {".txt", ".md", ".markdown", ".text"}
JSONL_EXT = {".jsonl", ".ndjson"}
CONLL_EXT = {".conll", ".conll03", ".iob", ".iob2", ".bio", ".bioes", ".bilou"}
_CONLL_LINE = re.compile(r"^\S+(?:[ \t]+\S+)*[ \t]+(?:O|[BIESLU]-\S+)$")


@dataclass(frozen=True)
class Planned:
    fmt: str  # text, jsonl, brat or conll
    path: Path  # for brat: the .txt
    display: str
    ann: Path | None = None  # brat only
    refused: str | None = None  # a reason to refuse the file without reading it

    @property
    def size(self) -> int:
        total = 0
        for p in (self.path, self.ann):
            if p is not None:
                try:
                    total += p.stat().st_size
                except OSError:
                    pass
        return total


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def looks_like_conll(path: Path, sample_bytes: int = 16384) -> bool:
    """A ``.txt`` whose non-blank lines are all ``token ... TAG`` (IOB/BIOES tags)."""
    try:
        with path.open("rb") as fh:
            sample = fh.read(sample_bytes)
    except OSError:
        return False
    try:
        text = sample.decode("utf-8", errors="strict" if len(sample) < sample_bytes else "ignore")
    except UnicodeDecodeError:
        return False
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(sample) >= sample_bytes and lines:
        lines = lines[:-1]  # may be cut short
    tokens = [line for line in lines if not line.startswith("-DOCSTART-")]
    return len(tokens) >= 3 and all(_CONLL_LINE.match(line) for line in tokens)


def _auto_format(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in JSONL_EXT:
        return "jsonl"
    if suffix in CONLL_EXT:
        return "conll"
    if suffix == ".ann":
        return "brat"
    if suffix in TEXT_EXT:
        if suffix == ".txt" and path.with_suffix(".ann").is_file():
            return "brat"
        if suffix == ".txt" and looks_like_conll(path):
            return "conll"
        return "text"
    return None


def _wanted_in_folder(path: Path, fmt: str) -> bool:
    suffix = path.suffix.lower()
    if fmt == "auto":
        return suffix in TEXT_EXT | JSONL_EXT | CONLL_EXT | {".ann"}
    if fmt == "text":
        return suffix in TEXT_EXT
    if fmt == "jsonl":
        return suffix in JSONL_EXT
    if fmt == "brat":
        return suffix in {".txt", ".ann"}
    return suffix in CONLL_EXT | {".txt", ".tsv"}


_NOT_CORPUS = ("readme", "license", "licence", "changelog", "copying")


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            Path(root) / name
            for name in sorted(files)
            if not name.startswith(".") and not name.lower().startswith(_NOT_CORPUS)
        )
    return found


def plan_paths(paths: list[Path | str], fmt: str = "auto") -> list[Planned]:
    if fmt not in FORMATS:
        raise UserError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    if not paths:
        raise UserError("nothing to import: give one or more files or folders")
    planned: list[Planned] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise UserError(f"{path}: no such file or folder")
        if path.is_dir():
            candidates = [p for p in _walk(path) if _wanted_in_folder(p, fmt)]
            if not candidates:
                raise UserError(f"{path}: no files to import in this folder (.txt, .md, .jsonl, .ann, .conll ...)")
            explicit = False
        else:
            candidates = [path]
            explicit = True
        for candidate in candidates:
            item = _plan_file(candidate, fmt, explicit)
            if item is None:
                continue
            key = item.path.resolve()
            if key in seen:
                continue
            seen.add(key)
            planned.append(item)
    return planned


def _plan_file(path: Path, fmt: str, explicit: bool) -> Planned | None:
    display = display_path(path)
    chosen = _auto_format(path) if fmt == "auto" else fmt
    if chosen is None:
        if not explicit:
            return None
        return Planned("text", path, display, refused=f"unknown kind of file {path.suffix or '(no extension)'!r}; say what it is with --format")
    if chosen == "brat":
        if path.suffix.lower() == ".ann":
            txt = path.with_suffix(".txt")
            if not txt.is_file():
                return Planned("brat", path, display, refused="brat annotations without their text: no .txt file beside it")
            return Planned("brat", txt, display_path(txt), ann=path)
        ann = path.with_suffix(".ann")
        return Planned("brat", path, display, ann=ann if ann.is_file() else None)
    return Planned(chosen, path, display)
