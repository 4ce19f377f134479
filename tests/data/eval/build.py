"""Build the held-out evaluation set (dev.jsonl, test.jsonl) from the annotated excerpts in docs/.

Each docs/*.txt file is a short excerpt of real conflict reporting with its provenance and
its annotation, written by hand following the README's guidelines (see SOURCES.md):

    url: https://...            (header lines, ``key: value``)
    split: dev | test | test9
    retired: test2 (optional: the test split an excerpt belonged to before it moved to dev)
    ---
    the excerpt, verbatim
    ---
    LABEL surface text [@N] [| attributes]

A span line names its label and the exact text; ``@N`` picks the N-th occurrence (default:
the first occurrence not overlapping a span of that label). Attributes, after ``|``:
ACTOR ``actor_type``; LOCATION ``place_type``; CASUALTY ``category min max qualifier |
victims``; QUOTE the speaker: the text of an ACTOR span, the nearest such span (fewest characters
between it and the quote; before round 8, nearest by start) is linked, or with ``@N`` the N-th ACTOR span of that text (for an attribution after a long quote).

Run ``python tests/data/eval/build.py`` after editing; tests/test_suggest_heldout.py checks
the JSONL files are what this script makes.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
# dev: what rules are tuned on (with test2..test8, retired into it in rounds 5-9); test and test9: only measured
SPLITS = ("dev", "test", "test9")


def _casualty_values(name: str) -> set[str]:
    """The values the schema (schemas/conflict.toml) allows for the CASUALTY attribute ``name``."""
    schema = tomllib.loads((HERE.parents[2] / "schemas" / "conflict.toml").read_text(encoding="utf-8"))
    casualty = next(label for label in schema["labels"] if label["name"] == "CASUALTY")
    return set(next(attr for attr in casualty["attributes"] if attr["name"] == name)["values"])


CATEGORIES = _casualty_values("category")  # a span line gives it as one word: "affected/in need" cannot be written
QUALIFIERS = _casualty_values("qualifier")


def _gap(a: dict, b: dict) -> int:
    """Characters between two spans (0 when they touch or overlap): the nearest mention of a speaker is the one
    closest to any part of the quote, so an attribution right after a long quote beats one far before it."""
    return max(a["start"] - b["end"], b["start"] - a["end"], 0)


def _fail(path: Path, line: str, why: str) -> None:
    raise SystemExit(f"{path.name}: {line!r}: {why}")


def parse(path: Path) -> dict:
    raw = path.read_text(encoding="utf-8")
    head, text, body = raw.split("\n---\n", 2)
    meta = dict(line.split(": ", 1) for line in head.splitlines() if line.strip())
    text = text.strip("\n")
    spans: list[dict] = []
    taken: dict[str, set[int]] = {}
    pending_speakers: list[tuple[dict, str, str]] = []
    for line in body.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, rest = line.split(" ", 1)
        surface, _, attrs_text = rest.partition(" | ")
        nth = None
        if " @" in surface and surface.rsplit(" @", 1)[1].isdigit():
            surface, n = surface.rsplit(" @", 1)
            nth = int(n)
        starts, at = [], text.find(surface)
        while at >= 0:
            end = at + len(surface)
            if not (at > 0 and text[at - 1].isalnum()) and not (end < len(text) and text[end].isalnum()):
                starts.append(at)
            at = text.find(surface, at + 1)
        if not starts:
            _fail(path, line, "text not found in the excerpt")
        used = taken.setdefault(label, set())
        if nth is not None:
            if nth > len(starts):
                _fail(path, line, f"only {len(starts)} occurrences")
            start = starts[nth - 1]
        else:
            placed = [(s["start"], s["end"]) for s in spans if s["label"] == label]
            free = [s for s in starts if s not in used and not any(a < s + len(surface) and s < b for a, b in placed)]
            if not free:
                _fail(path, line, "every occurrence already taken")
            start = free[0]
        used.add(start)
        span = {
            "id": len(spans) + 1,
            "start": start,
            "end": start + len(surface),
            "label": label,
            "text": surface,
            "attrs": {},
        }
        attrs = [a.strip() for a in attrs_text.split(" | ")] if attrs_text else []
        if label == "ACTOR" and attrs:
            span["attrs"]["actor_type"] = attrs[0]
        elif label == "LOCATION" and attrs:
            span["attrs"]["place_type"] = attrs[0]
        elif label == "CASUALTY" and attrs:
            words = attrs[0].split()
            category, low, high = words[0], words[1], words[2]
            qualifier = " ".join(words[3:]) or "exact"
            if qualifier not in QUALIFIERS:
                _fail(path, line, f"qualifier {qualifier!r}")
            if category not in CATEGORIES | {"-"}:
                _fail(path, line, f"category {category!r} is not one of the schema's")
            if category != "-":
                span["attrs"]["category"] = category
            if low != "-":
                span["attrs"]["count_min"] = int(low)
            if high != "-":
                span["attrs"]["count_max"] = int(high)
            span["attrs"]["qualifier"] = qualifier
            if len(attrs) > 1:
                span["attrs"]["victims"] = attrs[1]
        elif label == "QUOTE" and attrs:
            pending_speakers.append((span, attrs[0], line))
        spans.append(span)
    relations = []
    for quote, speaker, line in pending_speakers:
        nth_actor = None
        if " @" in speaker and speaker.rsplit(" @", 1)[1].isdigit():
            speaker, n = speaker.rsplit(" @", 1)
            nth_actor = int(n)
        actors = sorted((s for s in spans if s["label"] == "ACTOR" and s["text"] == speaker), key=lambda a: a["start"])
        if not actors or (nth_actor is not None and nth_actor > len(actors)):
            _fail(path, line, f"no ACTOR span {speaker!r}")
        if nth_actor is not None:
            nearest = actors[nth_actor - 1]
        else:
            nearest = min(actors, key=lambda a: (_gap(a, quote), a["start"]))
        relations.append({"label": "SPEAKER", "head": quote["id"], "child": nearest["id"]})
    for a in spans:
        for b in spans:
            if a is not b and a["label"] == b["label"] and a["start"] < b["end"] and b["start"] < a["end"]:
                _fail(path, a["text"], f"overlaps another {a['label']} span {b['text']!r}")
        edge = (a["start"] > 0 and text[a["start"] - 1].isalnum()) or (
            a["end"] < len(text) and text[a["end"]].isalnum()
        )
        if edge:
            _fail(path, a["text"], "does not start or end at a word boundary")
    spans.sort(key=lambda s: (s["start"], -s["end"]))
    return {
        "text": text,
        "spans": spans,
        "relations": relations,
        "annotator": "gold",
        "status": "done",
        "meta": {
            "title": path.stem,
            "source": meta.get("url", ""),
            "outlet": meta.get("outlet", ""),
            "region": meta.get("region", ""),
            "split": meta["split"],
        },
    }


def build(out_dir: Path = HERE) -> dict[str, str]:
    lines: dict[str, list[str]] = {split: [] for split in SPLITS}
    for path in sorted((HERE / "docs").glob("*.txt")):
        record = parse(path)
        if record["meta"]["split"] not in lines:
            _fail(path, record["meta"]["split"], "split is not " + ", ".join(SPLITS))
        lines[record["meta"]["split"]].append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return {split: "".join(line + "\n" for line in rows) for split, rows in lines.items() if rows}


if __name__ == "__main__":
    for split, content in build().items():
        (HERE / f"{split}.jsonl").write_text(content, encoding="utf-8")
        print(f"{split}.jsonl: {content.count(chr(10))} documents", file=sys.stderr)
