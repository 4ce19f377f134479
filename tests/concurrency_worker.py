"""One annotator's deterministic script of span operations, and what it must leave behind.

Used by tests/test_concurrency_processes.py: ``make_script`` is a pure function of
(worker, ops, seed); ``expected_state`` replays a script in memory; ``main`` (run as a
separate process) replays it against a real database through ``services.spans``.
Spans are named by the script (``key``), never by database id, so the expected state can be
computed without the database.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

LABELS = ("ACTOR", "LOCATION", "QUOTE")
ACTOR_TYPES = ("armed group", "militia", "state force", "NGO", "person")


def document_texts() -> list[str]:
    """Two documents, with astral characters so offsets are code points, not UTF-16 units."""
    rng = random.Random(6)
    words = ["Bangui", "Séléka", "militia", "🙂", "Amnesty", "said", "𝔘𝔑", "village", "displaced", "«quote»"]
    return [" ".join(rng.choice(words) for _ in range(400)) + f" doc{d}" for d in range(2)]


def make_script(worker: int, ops: int, seed: int) -> list[dict]:
    rng = random.Random(seed * 1_000 + worker)
    texts = document_texts()
    live: dict[str, dict] = {}
    script: list[dict] = []
    counter = 0

    def fresh_range(doc: int, label: str) -> tuple[int, int]:
        taken = {(s["start"], s["end"]) for s in live.values() if s["doc"] == doc and s["label"] == label}
        while True:
            start = rng.randrange(0, len(texts[doc]) - 40)
            end = start + rng.randrange(1, 40)
            if (start, end) not in taken:
                return start, end

    def add() -> dict:
        nonlocal counter
        counter += 1
        doc, label = rng.randrange(2), rng.choice(LABELS)
        start, end = fresh_range(doc, label)
        attrs = {"actor_type": rng.choice(ACTOR_TYPES)} if label == "ACTOR" and rng.random() < 0.5 else {}
        op = {
            "op": "add",
            "key": f"w{worker}s{counter}",
            "doc": doc,
            "label": label,
            "start": start,
            "end": end,
            "attrs": attrs,
        }
        live[op["key"]] = {"doc": doc, "label": label, "start": start, "end": end}
        return op

    for _ in range(ops):
        roll = rng.random()
        if not live or roll < 0.40:
            script.append(add())
        elif roll < 0.62:
            key = rng.choice(sorted(live))
            span = live[key]
            kind = rng.choice(("offsets", "attrs", "label"))
            if kind == "offsets":
                start, end = fresh_range(span["doc"], span["label"])
                op = {"op": "edit", "key": key, "start": start, "end": end}
                span.update(start=start, end=end)
            elif kind == "label":
                label = rng.choice([other for other in LABELS if other != span["label"]])
                start, end = fresh_range(span["doc"], label)
                op = {"op": "edit", "key": key, "label": label, "start": start, "end": end, "attrs": {}}
                span.update(label=label, start=start, end=end)
            else:
                attrs = {"actor_type": rng.choice(ACTOR_TYPES)} if span["label"] == "ACTOR" else {}
                op = {"op": "edit", "key": key, "attrs": attrs}
            script.append(op)
        elif roll < 0.77:
            key = rng.choice(sorted(live))
            del live[key]
            script.append({"op": "delete", "key": key})
        elif roll < 0.92:
            quotes = sorted(k for k, s in live.items() if s["label"] == "QUOTE")
            if not quotes:
                script.append(add())
                continue
            head = rng.choice(quotes)
            actors = sorted(k for k, s in live.items() if s["label"] == "ACTOR" and s["doc"] == live[head]["doc"])
            children = rng.sample(actors, min(len(actors), rng.randrange(0, 3)))
            script.append({"op": "link", "head": head, "children": children})
        else:
            script.append({"op": "status", "doc": rng.randrange(2)})
    return script


def expected_state(script: list[dict]) -> dict:
    """What the script leaves: spans by key, the speaker links, and per-document status."""
    spans: dict[str, dict] = {}
    links: dict[str, list[str]] = {}
    status: dict[int, int] = {}
    for op in script:
        kind = op["op"]
        if kind == "add":
            spans[op["key"]] = {k: op[k] for k in ("doc", "label", "start", "end", "attrs")} | {"version": 1}
        elif kind == "edit":
            span = spans[op["key"]]
            if "label" in op and op["label"] != span["label"]:
                links.pop(op["key"], None)
                for head in list(links):
                    links[head] = [c for c in links[head] if c != op["key"]]
            for field in ("label", "start", "end", "attrs"):
                if field in op:
                    span[field] = op[field]
            span["version"] += 1
        elif kind == "delete":
            del spans[op["key"]]
            links.pop(op["key"], None)
            for head in list(links):
                links[head] = [c for c in links[head] if c != op["key"]]
        elif kind == "link":
            links[op["head"]] = list(op["children"])
            spans[op["head"]]["version"] += 1
        elif kind == "status":
            status[op["doc"]] = status.get(op["doc"], 0) + 1
    return {
        "spans": {k: s for k, s in spans.items()},
        "links": {h: sorted(c) for h, c in links.items() if c},
        "status": status,
    }


def main(url: str, worker: int, ops: int, seed: int, go_file: str) -> None:
    from annotator.schemas.labels import load_default_schema
    from annotator.services import annotations as ann
    from annotator.services import corpus
    from annotator.services import spans as span_ops
    from annotator.store.engine import create_db_engine, session_scope
    from annotator.store.models import Span
    from annotator.store.retry import run_transaction

    schema = load_default_schema()
    script = make_script(worker, ops, seed)
    engine = create_db_engine(url)
    with session_scope(engine) as s:
        who = corpus.get_or_create_annotator(s, f"worker{worker}").id
        schema_id = corpus.register_schema(s, schema).id
        docs = [corpus.add_document(s, text=t, source=f"doc{i}")[0].id for i, t in enumerate(document_texts())]
    deadline = time.monotonic() + 120
    while not os.path.exists(go_file):  # start all workers' writes together
        if time.monotonic() > deadline:
            raise SystemExit("no go signal")
        time.sleep(0.005)

    ids: dict[str, int] = {}
    versions: dict[str, int] = {}
    for op in script:
        kind = op["op"]

        def work(s, op=op, kind=kind):
            if kind == "add":
                doc = corpus.get_document(s, docs[op["doc"]])
                span = span_ops.add_span(
                    s,
                    document=doc,
                    annotator_id=who,
                    schema_id=schema_id,
                    schema=schema,
                    label=op["label"],
                    start=op["start"],
                    end=op["end"],
                    attrs=op["attrs"],
                )
                return span.id, span.version
            if kind == "edit":
                changes = {k: op[k] for k in ("label", "start", "end", "attrs") if k in op}
                span = span_ops.update_span(
                    s, ids[op["key"]], schema=schema, expected_version=versions[op["key"]], **changes
                )
                return span.id, span.version
            if kind == "delete":
                span_ops.delete_span(s, ids[op["key"]], expected_version=versions[op["key"]])
                return None, None
            if kind == "link":
                span_ops.set_links(s, ids[op["head"]], "speaker", [ids[c] for c in op["children"]], schema=schema)
                return ids[op["head"]], s.get(Span, ids[op["head"]]).version
            ann.set_status(s, document_id=docs[op["doc"]], annotator_id=who, add_seconds=1.0)
            return None, None

        span_id, version = run_transaction(engine, work, attempts=8)
        key = op.get("key") or op.get("head")
        if kind == "delete":
            del ids[key], versions[key]
        elif span_id is not None:
            ids[key], versions[key] = span_id, version
    engine.dispose()
    print(json.dumps({"worker": worker, "annotator_id": who, "docs": docs, "ids": ids}))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
