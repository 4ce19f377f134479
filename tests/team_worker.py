"""A team member's process for the race tests in tests/test_team_*.py.

``python team_worker.py tag URL DOC_ID ANNOTATOR SPANS_JSON BARRIER_DIR NAME``: the same
person in another terminal adds every span of SPANS_JSON (``[[label, start, end], ...]``), one
transaction each, through ``session_ops.apply_span_changes``; prints one JSON line: how many
were stored and how many were refused as "already tagged".

``python team_worker.py adjudicate URL DOC_ID SOURCE LEAD PEER BARRIER_DIR NAME``: a reviewer
takes SOURCE's version of every group, in lockstep with PEER (both read the document, then
both decide); prints one JSON line: groups decided and stale decisions refused.
Any other failure ends the process with a traceback (the test then fails).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def barrier(folder: Path, name: str, peer: str, step: str) -> None:
    (folder / f"{name}-{step}").touch()
    deadline = time.monotonic() + 60
    while not (folder / f"{peer}-{step}").exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"{name}: {peer} never reached {step}")
        time.sleep(0.002)


def tag(url: str, doc_id: int, annotator: str, spans: list, folder: Path, name: str, peer: str) -> None:
    from annotator.schemas.labels import load_default_schema
    from annotator.services import session_ops as ops
    from annotator.services.annotations import AnnotationError
    from annotator.store.engine import get_engine, session_scope

    schema = load_default_schema()
    engine = get_engine(url)
    with session_scope(engine) as session:
        info = ops.start_session(session, annotator, schema)
    stored = refused = 0
    barrier(folder, name, peer, "start")
    for label, start, end in spans:
        change = (
            None,
            ops.new_span(
                document_id=doc_id,
                annotator_id=info.annotator_id,
                schema_id=info.schema_id,
                label=label,
                start=start,
                end=end,
            ),
        )
        try:
            with session_scope(engine) as session:
                ops.apply_span_changes(
                    session, document_id=doc_id, annotator_id=info.annotator_id, schema=schema, changes=[change]
                )
            stored += 1
        except AnnotationError as exc:
            assert "already tagged" in str(exc), exc
            refused += 1
    print(json.dumps({"stored": stored, "refused": refused}))


def adjudicate(
    url: str, doc_id: int, source: str, lead: str, folder: Path, name: str, peer: str, names: list[str]
) -> None:
    from annotator.schemas.labels import load_default_schema
    from annotator.services import adjudication as adjn
    from annotator.services.annotations import VersionConflict
    from annotator.store.engine import get_engine, session_scope

    engine = get_engine(url)
    with session_scope(engine) as session:
        adj = adjn.start(session, lead=lead, schema=load_default_schema(), annotators=names)
        keys = [g.key for g in adjn.load_document(session, adj, doc_id).groups]
    decided = refused = 0
    for i, key in enumerate(keys):
        barrier(folder, name, peer, f"read{i}")
        with session_scope(engine) as session:
            group = adjn.load_document(session, adj, doc_id).group(key)
        seen = adjn.gold_state(group) if group is not None else None
        barrier(folder, name, peer, f"decide{i}")
        try:
            with session_scope(engine) as session:
                step = adjn.accept(session, adj, document_id=doc_id, group_key=key, source=source, expected=seen)
            assert step.doc is not None
            decided += 1
        except VersionConflict as exc:
            assert isinstance(exc.current, adjn.ReviewDoc), exc  # the fresh state comes with the refusal
            refused += 1
    print(json.dumps({"decided": decided, "refused": refused, "groups": len(keys)}))


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "tag":
        url, doc_id, annotator, spans, folder, name, peer = argv[1:8]
        tag(url, int(doc_id), annotator, json.loads(spans), Path(folder), name, peer)
    elif mode == "adjudicate":
        url, doc_id, source, lead, folder, name, peer, names = argv[1:9]
        adjudicate(url, int(doc_id), source, lead, Path(folder), name, peer, names.split(","))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
