"""Label Studio's JSON task export (or import list): one task per document.

A file holds a list of tasks (or one task object). Each task has ``data`` (the text under
``data.text``, or its only string value) and ``annotations`` and/or ``predictions``, each a
``result`` list:

- ``type: labels`` results are spans (``value.start``/``end``, code points, end exclusive;
  ``value.text`` must match; one span per entry of ``value.labels``);
- ``type: relation`` results (``from_id``/``to_id``, ``direction``, ``labels``) become links
  when they fit a link attribute of the schema (no label: the only link attribute that fits);
- ``choices``, ``textarea`` and ``number`` results that share a region's ``id`` set that
  span's attribute named by ``from_name`` (``actor_type``, or ``ACTOR_actor_type`` as our
  export writes it).

Each annotation's ``completed_by`` names its annotator when it can (an e-mail or a name, as
a string or in an object); a bare user number cannot, so ``--as`` applies. An annotation
``was_cancelled`` is the status ``skipped``, any other is ``done``; predictions set no status.
Problems are reported on the line where the task starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.schemas.labels import LabelSchema

from .decode import FileRefused, bad_utf8
from .files import read_capped
from .newlines import NewlineMap
from .parsed import LabelMap, ParsedDoc, Record, SpanBuilder, annotator_problem, describe, whole_number

_WHITESPACE = " \t\r\n"


def _tasks(data: bytes) -> Iterator[tuple[int, Any]]:
    """(line where it starts, task) for each task of the file (a list or one object)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FileRefused(bad_utf8(data)) from None
    decoder = json.JSONDecoder()
    pos = len(text) - len(text.lstrip(_WHITESPACE))
    line = 1 + text.count("\n", 0, pos)

    def value_at(at: int) -> tuple[Any, int]:
        try:
            return decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            raise FileRefused(f"not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})") from None
        except RecursionError:
            raise FileRefused("not readable JSON (nested too deeply)") from None

    if text.startswith("{", pos):
        task, end = value_at(pos)
        if text[end:].strip(_WHITESPACE):
            raise FileRefused("not valid JSON: more after the task object")
        yield line, task
        return
    if not text.startswith("[", pos):
        raise FileRefused("not a Label Studio export: expected a JSON list of tasks")
    pos += 1
    while True:
        skipped = len(text) - len(text[pos:].lstrip(_WHITESPACE)) - pos
        line += text.count("\n", pos, pos + skipped)
        pos += skipped
        if text.startswith("]", pos):
            if text[pos + 1 :].strip(_WHITESPACE):
                raise FileRefused("not valid JSON: more after the list of tasks")
            return
        task, end = value_at(pos)
        yield line, task
        line += text.count("\n", pos, end)
        pos = end + len(text[end:]) - len(text[end:].lstrip(_WHITESPACE))
        line += text.count("\n", end, pos)
        if text.startswith(",", pos):
            pos += 1
        elif not text.startswith("]", pos):
            raise FileRefused(f"not valid JSON at line {line}: expected , or ] between tasks")


def annotator_name(completed_by: Any) -> str | None:
    """A nameable ``completed_by`` (e-mail, name), or ``None`` (a bare user id, nothing)."""
    if isinstance(completed_by, str) and completed_by.strip():
        return completed_by.strip()
    if isinstance(completed_by, dict):
        for key in ("email", "username"):
            value = completed_by.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
        name = " ".join(str(completed_by.get(k) or "").strip() for k in ("first_name", "last_name")).strip()
        return name or None
    return None


def read_label_studio(path: Path, display: str, schema: LabelSchema, label_map: LabelMap) -> Iterator[Record]:
    data = read_capped(path)
    for number, (line, task) in enumerate(_tasks(data), start=1):
        yield from _task_records(task, number, line, display, schema, label_map, len(data))


def _task_records(
    task: Any, number: int, line: int, display: str, schema: LabelSchema, label_map: LabelMap, size: int
) -> Iterator[Record]:
    where = f"task {number}"
    if not isinstance(task, dict):
        yield Record(line=line, problems=[(line, f"{where}: expected a task object, got {describe(task)}")])
        return
    body = task.get("data", task)
    text = body.get("text") if isinstance(body, dict) else None
    if text is None and isinstance(body, dict):
        strings = [v for v in body.values() if isinstance(v, str)]
        text = strings[0] if len(strings) == 1 else None
    if not isinstance(text, str) or not text:
        yield Record(line=line, problems=[(line, f"{where}: no text in 'data' (expected data.text)")])
        return
    if "\x00" in text:
        yield Record(
            line=line, problems=[(line, f"{where}: the text contains a NUL character, which databases cannot store")]
        )
        return
    meta: dict[str, Any] = {}
    if isinstance(task.get("meta"), dict):
        meta.update(task["meta"])
    if task.get("id") is not None and isinstance(task.get("id"), (int, str)):
        meta["label_studio_task"] = task["id"]
    title = body.get("title") if isinstance(body.get("title"), str) and body.get("title") else meta.pop("title", None)
    source = meta.pop("source", None)
    source = source if isinstance(source, str) and source else f"{display}:{line}"
    for key in ("document_id", "sha256", "annotator", "status"):
        meta.pop(key, None)
    groups = [("annotation", a) for a in _list(task.get("annotations"))] + [
        ("prediction", p) for p in _list(task.get("predictions"))
    ]
    if not groups:
        yield Record(
            line=line, bytes_read=size, doc=ParsedDoc(text=NewlineMap(text).text, title=title, source=source, meta=meta)
        )
        return
    for kind, group in groups:
        yield _annotation_record(kind, group, where, line, text, title, source, meta, schema, label_map, size)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _annotation_record(
    kind: str,
    group: Any,
    where: str,
    line: int,
    text: str,
    title: Any,
    source: str,
    meta: dict[str, Any],
    schema: LabelSchema,
    label_map: LabelMap,
    size: int,
) -> Record:
    record = Record(line=line, bytes_read=size)
    text_map = NewlineMap(text)
    build = SpanBuilder(record, text_map, schema, label_map)
    if not isinstance(group, dict) or not isinstance(group.get("result", []), list):
        record.problems.append((line, f"{where}: each {kind} must be an object with a 'result' list"))
        return record
    name = annotator_name(group.get("completed_by")) if kind == "annotation" else None
    if name is not None and annotator_problem(name):
        record.problems.append((line, f"{where}: completed_by: {annotator_problem(name)}"))
        return record
    regions: dict[Any, list[int]] = {}
    results = [r for r in group.get("result", []) if isinstance(r, dict)]
    for n, result in enumerate(results, start=1):
        value = result.get("value")
        if result.get("type") != "labels" or not isinstance(value, dict):
            continue
        labels = value.get("labels")
        labels = labels if isinstance(labels, list) else [labels]
        what = f"{where}, result {n}"
        region = result.get("id")
        try:
            hash(region)
        except TypeError:
            record.problems.append((line, f"{what}: 'id' must be a string or a number, got {describe(region)}"))
            continue
        for label in labels:
            index = build.add(
                line, what, start=value.get("start"), end=value.get("end"), label=label, text=value.get("text")
            )
            if index is not None and region is not None:
                regions.setdefault(region, []).append(index)
        if region is not None:
            build.keys[("id", region)] = regions.get(region, [None])[0]
    for n, result in enumerate(results, start=1):
        rtype = result.get("type")
        what = f"{where}, result {n}"
        if rtype == "relation":
            _relation(build, line, what, result, schema)
        elif rtype in ("choices", "textarea", "number", "rating"):
            _attribute(build, record, line, what, result, regions)
        elif rtype != "labels":
            record.skipped.append(
                (f"Label Studio {rtype} results", line, f"{what}: type {describe(rtype)} is not imported")
            )
    if record.problems:
        return record
    status = None
    if kind == "annotation":
        status = "skipped" if group.get("was_cancelled") else "done"
    record.doc = ParsedDoc(
        text=text_map.text,
        title=title if isinstance(title, str) else None,
        source=source,
        meta=dict(meta),
        annotator=name,
        status=status,
        spans=build.spans,
        links=build.links,
    )
    return record


def _relation(build: SpanBuilder, line: int, what: str, result: dict[str, Any], schema: LabelSchema) -> None:
    head_key, child_key = ("id", result.get("from_id")), ("id", result.get("to_id"))
    try:
        hash(head_key), hash(child_key)
    except TypeError:
        build.problem(line, f"{what}: from_id and to_id must be region ids")
        return
    if result.get("direction") == "left":
        head_key, child_key = child_key, head_key
    labels = [name for name in _list(result.get("labels")) if isinstance(name, str) and name]
    if not labels:
        head, child = build.keys.get(head_key), build.keys.get(child_key)
        if head is None or child is None:
            if head_key not in build.keys or child_key not in build.keys:
                build.problem(line, f"{what}: the relation refers to a region the annotation does not have")
            return
        fitting = [a for a in schema.label(build.spans[head].label).links if a.target == build.spans[child].label]
        labels = [fitting[0].relation_label] if len(fitting) == 1 else ["(unlabelled)"]
    for label in labels:
        build.relation(line, what, label, head_key, child_key)


def _attribute(
    build: SpanBuilder, record: Record, line: int, what: str, result: dict[str, Any], regions: dict[Any, list[int]]
) -> None:
    value = result.get("value")
    region = result.get("id")
    try:
        indices = regions.get(region, []) if region is not None else []
    except TypeError:
        indices = []
    if not indices or not isinstance(value, dict):
        record.skipped.append(
            ("Label Studio classifications of the whole task", line, f"{what}: {result.get('type')} not tied to a span")
        )
        return
    control = str(result.get("from_name") or "")
    if result.get("type") == "choices":
        choices = _list(value.get("choices"))
        found: Any = choices[0] if len(choices) == 1 else choices
    elif result.get("type") == "textarea":
        texts = [t for t in _list(value.get("text")) if isinstance(t, str)]
        found = "\n".join(texts)
    else:
        found = value.get(result.get("type"))
        if not whole_number(found) and isinstance(found, float) and found.is_integer():
            found = int(found)
    for index in indices:
        label = build.spans[index].label
        spec = build.schema.label(label)
        names = {a.name for a in spec.value_attributes}
        attribute = next(
            (
                n
                for n in names
                if control in (n, f"{label}_{n}", f"{label}.{n}", f"{label}:{n}") or control.casefold() == n.casefold()
            ),
            None,
        )
        if attribute is None:
            record.skipped.append(
                (
                    "Label Studio controls that name no attribute",
                    line,
                    f"{what}: {describe(control)} is not an attribute of {label}",
                )
            )
            continue
        build.set_attr(line, index, attribute, found)
