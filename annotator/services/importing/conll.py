"""CoNLL / IOB token-per-line files, streamed one document at a time.

One token per line, two or more columns (tab-separated if the line has a tab, else
whitespace-separated); the first column is the token and the last its tag, in IOB1, IOB2,
BIOES/BILOU or plain IO. A blank line ends a sentence (several blank lines count as one);
``-DOCSTART-`` lines start a new document, and a file without them is one document.

The text is rebuilt with one space between tokens and a newline between sentences, so
every span's offsets are exact in the stored text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from annotator.schemas.labels import LabelSchema

from .decode import BadLine, LineReader, NewlineMap
from .parsed import LabelMap, ParsedDoc, Record, SpanBuilder, describe

DOCSTART = "-DOCSTART-"
_TAG = re.compile(r"^(?:O|([BIESLU])[-_](\S+)|([A-Za-z][\w.:]*))$")
_PREFIXED_TAG = re.compile(r"^(?:O|[BIESLU][-_]\S+)$")


def split_columns(line: str) -> list[str]:
    if "\t" in line:
        return [c.strip() for c in line.split("\t") if c.strip()]
    return line.split()


def is_tag(value: str) -> bool:
    return bool(_TAG.match(value))


class _Doc:
    def __init__(self, line: int) -> None:
        self.line = line
        self.sentences: list[list[tuple[str, str, int]]] = []
        self.current: list[tuple[str, str, int]] = []
        self.problems: list[tuple[int, str]] = []

    def end_sentence(self) -> None:
        if self.current:
            self.sentences.append(self.current)
            self.current = []

    @property
    def empty(self) -> bool:
        return not self.sentences and not self.current


def read_conll(reader: LineReader, display: str, schema: LabelSchema, label_map: LabelMap) -> Iterator[Record]:
    doc = _Doc(1)
    multi = False
    done = 0
    width = 0  # the column count of the file's token lines
    try:
        for number, line, done in reader.lines():
            assert isinstance(line, str)
            stripped = line.strip()
            if not stripped:
                doc.end_sentence()
                continue
            columns = split_columns(stripped)
            if columns[0] == DOCSTART:
                if not doc.empty or doc.problems:
                    yield _build(doc, display, schema, label_map, multi, done)
                multi = True
                doc = _Doc(number)
                continue
            if columns[0].startswith("#") and (
                not _PREFIXED_TAG.match(columns[-1]) or (width and len(columns) != width)
            ):
                continue  # a comment line (CoNLL-U "# text = ...", GermEval "#\tsource")
            if len(columns) < 2:
                doc.problems.append((number, f"expected a token and its tag (two or more columns), got {describe(stripped)}"))
                continue
            width = width or len(columns)
            token, tag = columns[0], columns[-1]
            if not is_tag(tag):
                doc.problems.append((number, f"{describe(tag)} is not an IOB tag (O, B-X, I-X, E-X, S-X ...)"))
                continue
            if "\x00" in token:
                doc.problems.append((number, "the token contains NUL characters"))
                continue
            if doc.empty and not multi:
                doc.line = number
            doc.current.append((token, tag, number))
    except BadLine as exc:
        doc.problems.append((exc.line, exc.message + "; the rest of the file was not read"))
    if not doc.empty or doc.problems:
        yield _build(doc, display, schema, label_map, multi, done)


def _build(doc: _Doc, display: str, schema: LabelSchema, label_map: LabelMap, multi: bool, done: int) -> Record:
    doc.end_sentence()
    record = Record(line=doc.line, problems=list(doc.problems), bytes_read=done)
    pieces: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    position = 0
    for s, sentence in enumerate(doc.sentences):
        if s:
            pieces.append("\n")
            position += 1
        spans = []
        for t, (token, _tag, _line) in enumerate(sentence):
            if t:
                pieces.append(" ")
                position += 1
            pieces.append(token)
            spans.append((position, position + len(token)))
            position += len(token)
        offsets.append(spans)
    text = "".join(pieces)
    if not text:
        if not record.problems:
            record.problems.append((doc.line, "the document has no tokens"))
        return record
    build = SpanBuilder(record, NewlineMap(text), schema, label_map)
    for sentence, token_offsets in zip(doc.sentences, offsets):
        for label, first, last, line in _chunks([tag for _tok, tag, _line in sentence], [ln for *_x, ln in sentence]):
            build.add(line, f"token {describe(sentence[first][0], 30)}", start=token_offsets[first][0], end=token_offsets[last][1], label=label)
    if record.problems:
        return record
    record.doc = ParsedDoc(
        text=text,
        title=None,
        source=f"{display}:{doc.line}" if multi else display,
        spans=build.spans,
        links=build.links,
    )
    return record


def _chunks(tags: list[str], lines: list[int]) -> Iterator[tuple[str, int, int, int]]:
    """``(label, first token, last token, line)`` for each span the tags describe."""
    open_label: str | None = None
    first = 0
    for i, tag in enumerate(tags):
        match = _TAG.match(tag)
        assert match
        if tag == "O":
            prefix, label = "O", None
        elif match.group(1):
            prefix, label = match.group(1), match.group(2)
        else:
            prefix, label = "I", match.group(3)
        if open_label is not None and (prefix in ("O", "B", "S", "U") or label != open_label):
            yield open_label, first, i - 1, lines[first]
            open_label = None
        if label is None:
            continue
        if open_label is None:
            open_label, first = label, i
        if prefix in ("E", "L", "S", "U"):
            yield open_label, first, i, lines[first]
            open_label = None
    if open_label is not None:
        yield open_label, first, len(tags) - 1, lines[first]
