"""CoNLL / IOB token-per-line files, streamed one document at a time.

One token per line, two or more columns (tab-separated if the line has a tab, else
whitespace-separated); the first column is the token and the last its tag, in IOB1, IOB2,
BIOES/BILOU or plain IO. A sentence whose first column counts its tokens (1, 2, 3 ...,
three or more columns) has an index column and the token second; then every column after
the token that holds tags is a tag layer, so GermEval's ``idx token outer inner`` gives
both the outer and the nested inner spans (overlapping spans are fine in the store).
``#`` comment lines are skipped. A blank line ends a sentence (several blank lines count as one);
``-DOCSTART-`` lines start a new document, and a file without them is one document.

The text is rebuilt with one space between tokens and a newline between sentences, so
every span's offsets are exact in the stored text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from annotator.schemas.labels import LabelSchema

from .decode import BadLine, LineReader
from .newlines import NewlineMap
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
        # each sentence: (token, tags (one per tag layer), line)
        self.sentences: list[list[tuple[str, tuple[str, ...], int]]] = []
        self.current: list[tuple[list[str], int]] = []  # the sentence being read: raw columns and line
        self.problems: list[tuple[int, str]] = []
        self.indexed = False  # the last sentence had an index column (GermEval)

    def end_sentence(self, indexed_before: bool) -> bool:
        """Interpret the sentence just read; return whether it had an index column."""
        lines, self.current = self.current, []
        if not lines:
            return indexed_before
        indexed = _has_index(lines, indexed_before)
        token_at = 1 if indexed else 0
        first = lines[0][0]
        layers = [j for j in range(2, len(first)) if _PREFIXED_TAG.match(first[j])] if indexed else []
        if not layers or layers[-1] != len(first) - 1:
            layers = [-1]
        sentence: list[tuple[str, tuple[str, ...], int]] = []
        for columns, number in lines:
            if len(columns) < token_at + 2:
                self.problems.append(
                    (number, f"expected a token and its tag (two or more columns), got {describe(' '.join(columns))}")
                )
                continue
            try:
                tags = tuple(columns[j] for j in layers)
            except IndexError:
                self.problems.append(
                    (number, f"expected {len(first)} columns like line {lines[0][1]}, got {len(columns)}")
                )
                continue
            bad = next((tag for tag in tags if not is_tag(tag)), None)
            if bad is not None:
                self.problems.append((number, f"{describe(bad)} is not an IOB tag (O, B-X, I-X, E-X, S-X ...)"))
                continue
            token = columns[token_at]
            if "\x00" in token:
                self.problems.append((number, "the token contains NUL characters"))
                continue
            sentence.append((token, tags, number))
        if sentence:
            self.sentences.append(sentence)
        return indexed

    @property
    def empty(self) -> bool:
        return not self.sentences and not self.current


def _has_index(lines: list[tuple[list[str], int]], indexed_before: bool) -> bool:
    """A first column that counts the sentence's tokens 1, 2, 3 ... (GermEval: ``idx token
    outer inner``). A one-token sentence keeps what the sentence before it had."""
    if not all(len(columns) >= 3 and columns[0] == str(i) for i, (columns, _n) in enumerate(lines, start=1)):
        return False
    return len(lines) > 1 or indexed_before


def read_conll(reader: LineReader, display: str, schema: LabelSchema, label_map: LabelMap) -> Iterator[Record]:
    doc = _Doc(1)
    multi = False
    done = 0
    width = 0  # the column count of the file's token lines
    indexed = False
    try:
        for number, line, done in reader.lines():
            assert isinstance(line, str)
            stripped = line.strip()
            if not stripped:
                indexed = doc.end_sentence(indexed)
                continue
            columns = split_columns(stripped)
            if columns[0] == DOCSTART:
                indexed = doc.end_sentence(indexed)
                if not doc.empty or doc.problems:
                    yield _build(doc, display, schema, label_map, multi, done)
                multi = True
                doc = _Doc(number)
                continue
            if columns[0].startswith("#") and (
                not _PREFIXED_TAG.match(columns[-1]) or (width and len(columns) != width)
            ):
                continue  # a comment line (CoNLL-U "# text = ...", GermEval "#\tsource")
            width = width or len(columns)
            if doc.empty and not multi:
                doc.line = number
            doc.current.append((columns, number))
    except BadLine as exc:
        doc.problems.append((exc.line, exc.message + "; the rest of the file was not read"))
    doc.end_sentence(indexed)
    if not doc.empty or doc.problems:
        yield _build(doc, display, schema, label_map, multi, done)


def _build(doc: _Doc, display: str, schema: LabelSchema, label_map: LabelMap, multi: bool, done: int) -> Record:
    record = Record(line=doc.line, problems=list(doc.problems), bytes_read=done)
    pieces: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    position = 0
    for s, sentence in enumerate(doc.sentences):
        if s:
            pieces.append("\n")
            position += 1
        spans = []
        for t, (token, _tags, _line) in enumerate(sentence):
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
        lines = [ln for *_x, ln in sentence]
        for layer in range(len(sentence[0][1])):  # outer and inner tags (GermEval) are both spans
            tags = [tags[layer] for _tok, tags, _line in sentence]
            for label, first, last, line in _chunks(tags, lines):
                build.add(
                    line,
                    f"token {describe(sentence[first][0], 30)}",
                    start=token_offsets[first][0],
                    end=token_offsets[last][1],
                    label=label,
                )
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
