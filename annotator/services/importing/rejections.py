"""Gold's rejected review groups in a JSONL record (``AnnotationRecord.rejected``), checked.

``annotator review``'s ``reject`` leaves a group empty on purpose and records a decision; the
export carries those groups so an import restores them, and a document settled in review stays
settled. Each entry is checked with the record's one definition
(``annotator.schemas.records.RejectedGroup``), then against the text: the key's extent and the
``start``/``end`` agree, lie inside the text, and ``text`` (when given) is the text there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from annotator.schemas.records import RejectedGroup
from annotator.untrusted import is_printable

from .newlines import NewlineMap
from .parsed import Rejection, describe


def read_rejections(value: Any, text_map: NewlineMap, problem: Callable[[str], None]) -> list[Rejection]:
    """The record's ``rejected`` list as ``Rejection``s (offsets mapped like spans); problems reported."""
    if value is None:
        return []
    if not isinstance(value, list):
        problem(f"'rejected' must be a list, got {describe(value)}")
        return []
    out: list[Rejection] = []
    for n, entry in enumerate(value, start=1):
        what = f"rejected group {n}"
        try:
            group = RejectedGroup.model_validate(entry)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "entry"
            problem(f"{what}: {where}: {first['msg']}")
            continue
        key_start, _, key_end = group.group.partition("#")[0].partition("-")
        if (int(key_start), int(key_end)) != (group.start, group.end):
            problem(f"{what}: group {group.group!r} does not span {group.start}-{group.end}")
            continue
        if not group.start <= group.end <= len(text_map.original):
            problem(f"{what}: {group.start}-{group.end} is outside the text ({len(text_map.original)} characters)")
            continue
        if group.text is not None and text_map.original[group.start : group.end] != group.text:
            problem(f"{what}: 'text' is not the text at {group.start}-{group.end}")
            continue
        by = group.decided_by
        if by is not None and not (by.strip() and is_printable(by) and len(by) <= 200):
            problem(f"{what}: 'decided_by' must be a printable name of at most 200 characters")
            continue
        start, end = text_map(group.start), text_map(group.end)
        suffix = group.group.partition("#")[2]
        out.append(Rejection(f"{start}-{end}" + (f"#{suffix}" if suffix else ""), group.decided_by))
    return out
