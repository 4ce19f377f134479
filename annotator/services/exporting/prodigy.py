"""What makes our JSONL record a Prodigy task: ``answer``, the two hashes, whitespace tokens.

- ``answer``: ``accept`` for a document the annotator marked done, ``ignore`` for one they
  skipped (Prodigy's "skip"); work still in progress carries no answer.
- ``_input_hash`` / ``_task_hash`` as Prodigy documents ``set_hashes``: the input hash is a
  32-bit MurmurHash3 (``murmurhash``, the library Prodigy itself uses) of the task's input
  keys (``text``, ``image``, ``html``, ``input``) as sorted JSON; the task hash is the same
  over the task keys (``spans``, ``label``, ``options``, ``arcs``) prefixed with the input
  hash, with the keys Prodigy ignores (``score``, ``rank``, ``model``, ``source``,
  ``pattern``, ``priority``, ``path``, ``_view_id``, ``_session_id``, ``_annotator_id``,
  ``answer``) left out at any depth. So every annotator's record of one text shares its
  input hash, and records differ in task hash exactly when their spans differ.
- ``--tokens``: the ``regex-v1`` tokens cut at every span edge, plus whitespace tokens the
  way spaCy makes them (one trailing space is the previous token's ``ws``; any other run of
  whitespace is a token of its own), so ``Doc(vocab, words, spaces)`` rebuilds the text
  exactly and every span is whole tokens (``token_start``/``token_end``, inclusive).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from annotator.services.exporting.segment import token_offsets

INPUT_KEYS = ("text", "image", "html", "input")
TASK_KEYS = ("spans", "label", "options", "arcs")
IGNORE_KEYS = frozenset(
    (
        "score",
        "rank",
        "model",
        "source",
        "pattern",
        "priority",
        "path",
        "_view_id",
        "_session_id",
        "_annotator_id",
        "answer",
    )
)
ANSWERS = {"done": "accept", "skipped": "ignore"}


def _without_ignored(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_ignored(v) for k, v in value.items() if k not in IGNORE_KEYS}
    if isinstance(value, list):
        return [_without_ignored(v) for v in value]
    return value


def get_hash(task: dict[str, Any], keys: Iterable[str], prefix: int | None = None) -> int:
    """Prodigy's hash of ``task``'s ``keys``: signed 32-bit MurmurHash3 of sorted JSON."""
    import murmurhash

    values = {key: _without_ignored(task[key]) for key in keys if key in task}
    data = orjson.dumps(values, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    if prefix is not None:
        data = f"{prefix}{data}"
    hashed: int = murmurhash.hash(data)  # murmurhash ships no type hints
    return hashed


def set_hashes(task: dict[str, Any]) -> dict[str, Any]:
    task["_input_hash"] = get_hash(task, INPUT_KEYS)
    task["_task_hash"] = get_hash(task, TASK_KEYS, prefix=task["_input_hash"])
    return task


def whitespace_tokens(text: str, spans: Iterable[tuple[int, int]] = ()) -> list[dict[str, Any]]:
    """Prodigy tokens ``{text, start, end, id, ws}`` covering all of ``text`` (see the module)."""
    spans = list(spans)
    starts = {s for s, _ in spans}
    ends = {e for _, e in spans}
    cuts = starts | ends
    out: list[dict[str, Any]] = []

    def token(start: int, end: int) -> None:
        out.append({"text": text[start:end], "start": start, "end": end, "id": len(out), "ws": False})

    def gap(start: int, end: int) -> None:
        if start >= end:
            return
        if out and text[start] == " " and start not in starts and start + 1 not in ends:
            out[-1]["ws"] = True  # one space after a token is its trailing whitespace
            start += 1
        points = [start, *sorted(c for c in cuts if start < c < end), end]
        for a, b in zip(points, points[1:]):
            if a < b:
                token(a, b)

    at = 0
    for start, end in token_offsets(text, 0, len(text), cuts):
        gap(at, start)
        token(start, end)
        at = end
    gap(at, len(text))
    return out


def token_indices(tokens: list[dict[str, Any]]) -> tuple[dict[int, int], dict[int, int]]:
    """Token index by start offset, and by end offset."""
    return {t["start"]: t["id"] for t in tokens}, {t["end"]: t["id"] for t in tokens}
