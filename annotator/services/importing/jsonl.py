"""JSONL records, streamed one line at a time: our export shape, Prodigy and doccano.

Each line is recognised on its own:

- ours (``AnnotationRecord``): ``text``, ``spans`` (``id``, ``start``, ``end``, ``label``,
  ``text``, ``attrs``), ``relations`` (``label``, ``head``/``child`` span ids), ``annotator``,
  ``status``, ``meta``;
- Prodigy: ``text``, ``spans`` (``start``/``end``/``label``), ``answer``, optional ``meta``
  and ``relations`` (``head_span``/``child_span``); ``reject``/``ignore`` answers carry no
  annotations and are only counted;
- doccano sequence labelling: ``text`` + ``label: [[start, end, "LABEL"], ...]`` (or the
  import keys ``column_data``/``column_label``), and the relation shape ``entities``
  (``id``, ``start_offset``, ``end_offset``, ``label``) + ``relations`` (``from_id``,
  ``to_id``, ``type``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

import orjson

from annotator.schemas.labels import LabelSchema
from annotator.services.corpus import text_sha256

from .decode import BadLine, LineReader
from .newlines import NewlineMap
from .parsed import LabelMap, ParsedDoc, Record, SpanBuilder, annotator_problem, check_status, describe, whole_number
from .rejections import read_rejections

# Keys of our export's ``meta`` that describe the record, not the document.
_RECORD_META = {"document_id", "sha256", "schema", "schema_name", "schema_version", "title", "source"}


def read_jsonl(reader: LineReader, display: str, schema: LabelSchema, label_map: LabelMap) -> Iterator[Record]:
    """Yield one ``Record`` per non-blank line (``BadLine`` ends the file with a problem)."""
    try:
        for number, line, done in reader.lines():
            if not line.strip():
                continue
            yield parse_line(line, number, display, schema, label_map, done, line_start=reader.line_start)
    except BadLine as exc:
        yield Record(line=exc.line, problems=[(exc.line, exc.message + "; the rest of the file was not read")])


def parse_line(
    line: bytes | str,
    number: int,
    display: str,
    schema: LabelSchema,
    label_map: LabelMap,
    done: int = 0,
    *,
    line_start: int = 0,
) -> Record:
    record = Record(line=number, bytes_read=done)
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        bad = _bad_utf8_at(line)
        if bad is not None:  # never re-decoded: the same message wherever the byte sits
            record.problems.append(
                (number, f"not valid UTF-8 at byte {line_start + bad} (0x{line[bad]:02x}); this record is not stored")
            )
        elif "surrogate" in str(exc):  # "\ud800" alone: half of a UTF-16 pair, not a character
            record.problems.append((number, f"not valid JSON: a \\u escape is half of a UTF-16 surrogate pair ({exc})"))
        else:
            record.problems.append((number, f"not valid JSON ({exc})"))
        return record
    if not isinstance(obj, dict):
        record.problems.append((number, f"expected a JSON object, got {type(obj).__name__}"))
        return record
    parse_object(obj, record, display, schema, label_map)
    return record


def _good_id(value: Any) -> bool:
    return isinstance(value, str) or whole_number(value)


def _bad_utf8_at(line: bytes | str) -> int | None:
    """Where a raw line stops being UTF-8 (its byte index), or ``None``."""
    if isinstance(line, str) or line.isascii():
        return None
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def parse_object(obj: dict[str, Any], record: Record, display: str, schema: LabelSchema, label_map: LabelMap) -> None:
    line = record.line

    def problem(message: str) -> None:
        record.problems.append((line, message))

    answer = obj.get("answer")
    if answer is not None and answer not in ("accept", "reject", "ignore"):
        problem(f"'answer' must be accept, reject or ignore, got {describe(answer)}")
        return
    if answer in ("reject", "ignore") and obj.get("status") is None:  # ours says its status (skipped -> ignore)
        record.answer = answer
        return

    text = obj.get("text", obj.get("column_data"))
    if text is None:
        problem("the record has no 'text'")
        return
    if not isinstance(text, str):
        problem(f"'text' must be a string, got {type(text).__name__}")
        return
    if not text:
        problem("'text' is empty")
        return
    if "\x00" in text:
        problem(
            f"'text' contains a NUL character (U+0000, at offset {text.index(chr(0))}), which databases cannot store; remove it"
        )
        return

    text_map = NewlineMap(text)
    build = SpanBuilder(record, text_map, schema, label_map)
    _spans(obj, build, line)
    _relations(obj, build, line)
    rejected = read_rejections(obj.get("rejected"), text_map, problem)

    meta_in = obj.get("meta")
    meta: dict[str, Any] = (
        dict(meta_in) if isinstance(meta_in, dict) else ({} if meta_in is None else {"meta": meta_in})
    )
    sha = meta.get("sha256")
    if isinstance(sha, str) and sha and sha != text_sha256(text) and sha != text_sha256(text_map.text):
        problem("meta.sha256 does not match the text (was the text edited after export?)")
    title = meta.get("title") if isinstance(meta.get("title"), str) and meta.get("title") else None
    given_source = meta.get("source")
    source: str = given_source if isinstance(given_source, str) and given_source else f"{display}:{line}"
    for key in _RECORD_META:
        meta.pop(key, None)

    try:
        status = check_status(obj.get("status"))
    except ValueError as exc:
        problem(str(exc))
        return
    if status is None and answer == "accept":
        status = "done"
    annotator = obj.get("annotator")
    if annotator is None:
        annotator = obj.get("_annotator_id")
    if annotator is not None and (not isinstance(annotator, str) or not annotator.strip()):
        problem(f"'annotator' must be a non-empty string, got {describe(annotator)}")
        return
    if annotator is not None and annotator_problem(annotator.strip()):
        problem(f"'annotator': {annotator_problem(annotator.strip())}")
        return
    if record.problems:
        return
    record.doc = ParsedDoc(
        text=text_map.text,
        title=title,
        source=source,
        meta=meta,
        annotator=annotator.strip() if annotator else None,
        status=status,
        spans=build.spans,
        links=build.links,
        rejected=rejected,
    )


def _spans(obj: dict[str, Any], build: SpanBuilder, line: int) -> None:
    spans = obj.get("spans")
    if spans is not None:
        if not isinstance(spans, list):
            build.problem(line, f"'spans' must be a list, got {type(spans).__name__}")
        else:
            for n, span in enumerate(spans, start=1):
                what = f"span {n}"
                if not isinstance(span, dict):
                    build.problem(line, f"{what}: expected an object with start, end and label, got {describe(span)}")
                    continue
                keys: list[Any] = []
                if span.get("id") is not None:
                    if not _good_id(span["id"]):
                        build.problem(
                            line, f"{what}: 'id' must be a string or a whole number, got {describe(span['id'])}"
                        )
                        continue
                    keys.append(("id", span["id"]))
                if (
                    whole_number(span.get("start"))
                    and whole_number(span.get("end"))
                    and isinstance(span.get("label"), str)
                ):
                    keys.append(("pos", span["start"], span["end"], span["label"]))
                build.add(
                    line,
                    what,
                    start=span.get("start"),
                    end=span.get("end"),
                    label=span.get("label"),
                    text=span.get("text"),
                    attrs=span.get("attrs"),
                    keys=tuple(keys),
                )
    for key in ("label", "column_label"):
        labels = obj.get(key)
        if labels is None:
            continue
        if not isinstance(labels, list):
            build.problem(line, f"{key!r} must be a list of [start, end, label], got {describe(labels)}")
            continue
        for n, triple in enumerate(labels, start=1):
            what = f"{key} {n}"
            if isinstance(triple, str):
                build.problem(
                    line,
                    f"{what}: {describe(triple)} is a document category, not a span (text classification is not imported)",
                )
                continue
            if not isinstance(triple, (list, tuple)) or len(triple) != 3:
                build.problem(line, f"{what}: expected [start, end, label], got {describe(triple)}")
                continue
            build.add(line, what, start=triple[0], end=triple[1], label=triple[2])
    entities = obj.get("entities")
    if entities is not None:
        if not isinstance(entities, list):
            build.problem(line, f"'entities' must be a list, got {type(entities).__name__}")
            return
        for n, entity in enumerate(entities, start=1):
            what = f"entity {n}"
            if not isinstance(entity, dict):
                build.problem(line, f"{what}: expected an object, got {describe(entity)}")
                continue
            if entity.get("id") is not None and not _good_id(entity["id"]):
                build.problem(line, f"{what}: 'id' must be a string or a whole number, got {describe(entity['id'])}")
                continue
            entity_keys: tuple[Hashable, ...] = (("id", entity["id"]),) if entity.get("id") is not None else ()
            build.add(
                line,
                what,
                start=entity.get("start_offset", entity.get("start")),
                end=entity.get("end_offset", entity.get("end")),
                label=entity.get("label"),
                keys=entity_keys,
            )


def _relations(obj: dict[str, Any], build: SpanBuilder, line: int) -> None:
    relations = obj.get("relations")
    if relations is None:
        return
    if not isinstance(relations, list):
        build.problem(line, f"'relations' must be a list, got {type(relations).__name__}")
        return
    for n, rel in enumerate(relations, start=1):
        what = f"relation {n}"
        if not isinstance(rel, dict):
            build.problem(line, f"{what}: expected an object, got {describe(rel)}")
            continue
        if "head_span" in rel or "child_span" in rel:  # Prodigy: the spans themselves
            head, child = rel.get("head_span"), rel.get("child_span")
            if not (isinstance(head, dict) and isinstance(child, dict)):
                build.problem(line, f"{what}: 'head_span' and 'child_span' must be span objects")
                continue
            head_key: tuple[Any, ...] = ("pos", head.get("start"), head.get("end"), head.get("label"))
            child_key: tuple[Any, ...] = ("pos", child.get("start"), child.get("end"), child.get("label"))
            label = rel.get("label")
        elif "from_id" in rel or "to_id" in rel:  # doccano
            head_key, child_key, label = ("id", rel.get("from_id")), ("id", rel.get("to_id")), rel.get("type")
        else:  # ours
            head_key, child_key, label = ("id", rel.get("head")), ("id", rel.get("child")), rel.get("label")
        try:
            hash(head_key), hash(child_key)
        except TypeError:
            build.problem(line, f"{what}: head and child must be span ids")
            continue
        build.relation(line, what, label, head_key, child_key)


def open_jsonl(path: Path) -> LineReader:
    return LineReader.open(path)
