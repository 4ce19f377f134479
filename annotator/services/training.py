"""``annotator train``: a suggestion model learnt from the team's accepted spans.

Training data: the spans of the named annotators (default: the ``gold`` annotator when it
has spans, else every annotator's spans on the documents they marked done), for the labels
of the schema. One document in five (chosen by a hash of its text, so the same each run) is
held back and the pipeline trained on the rest is scored on it (exact matching); then the
pipeline is trained on everything and stored in ``models_dir()/<schema>-<UTC time>/`` with the
schema name and version, the training set's fingerprint and the scores. ``newest`` finds the
latest one for a schema; ``engine.Sources.build`` loads it beside the rules.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.errors import UserError
from annotator.schemas.labels import LabelSchema

MODELS_ENV = "ANNOTATOR_MODELS"
HOLD_BACK = 5  # one document in five


def models_dir() -> Path:
    """``$ANNOTATOR_MODELS``, else ``$XDG_DATA_HOME/annotator/models``."""
    if os.environ.get(MODELS_ENV):
        return Path(os.environ[MODELS_ENV])
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "annotator" / "models"


def newest(schema: LabelSchema, root: Path | None = None) -> Path | None:
    root = root or models_dir()
    if not root.is_dir():
        return None
    mine = sorted(
        p for p in root.glob(f"{schema.name}-*") if (p / "meta.json").is_file() and (p / "model.crfsuite").is_file()
    )
    return mine[-1] if mine else None


def examples_from(
    session: Any, schema: LabelSchema, names: list[str] | None = None
) -> tuple[list[tuple[str, list[tuple[str, int, int]]]], list[str]]:
    """(text, [(label, start, end)]) per document, and the annotators they came from."""
    from sqlmodel import col, select  # here: the suggestion worker asks only for ``newest``

    from annotator.services.annotations import spans_for
    from annotator.services.corpus import find_annotator
    from annotator.store.models import Annotator, Document, DocumentStatus, Span, Status, stored_id

    labels = set(schema.label_names)
    pairs: list[tuple[int, int]] = []  # (document, annotator)
    if names:
        used = []
        for name in names:
            who = find_annotator(session, name)
            if who is None:
                raise UserError(f"no annotator named {name!r} in this database", field="training_annotators")
            used.append(name)
            pairs += [
                (d, stored_id(who))
                for d in session.exec(select(col(Span.document_id)).where(col(Span.annotator_id) == who.id).distinct())
            ]
    else:
        gold = find_annotator(session, "gold")
        gold_docs = (
            list(session.exec(select(col(Span.document_id)).where(col(Span.annotator_id) == gold.id).distinct()))
            if gold
            else []
        )
        if gold_docs:
            used, pairs = ["gold"], [(d, stored_id(gold)) for d in gold_docs] if gold else []
        else:
            rows = session.exec(
                select(col(DocumentStatus.document_id), col(DocumentStatus.annotator_id)).where(
                    col(DocumentStatus.status) == Status.DONE
                )
            )
            pairs = list(rows)
            ids = {a for _d, a in pairs}
            used = (
                sorted(a.name for a in session.exec(select(Annotator).where(col(Annotator.id).in_(ids)))) if ids else []
            )
    examples = []
    for doc_id, annotator_id in sorted(set(pairs)):
        document = session.get(Document, doc_id)
        spans = [(s.label, s.start, s.end) for s in spans_for(session, doc_id, annotator_id) if s.label in labels]
        if document is not None:
            examples.append((document.text, spans))
    return examples, used


def _held_back(text: str) -> bool:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % HOLD_BACK == 0


def train(
    session: Any,
    schema: LabelSchema,
    names: list[str] | None = None,
    *,
    root: Path | None = None,
    gazetteer: Any = None,
) -> dict[str, Any]:
    """Train, score on the held-back documents, store; returns what was done (for the CLI)."""
    examples, used = examples_from(session, schema, names)
    return train_examples(examples, used, schema, root=root, gazetteer=gazetteer)


def train_examples(
    examples: list[tuple[str, list[tuple[str, int, int]]]],
    used: list[str],
    schema: LabelSchema,
    *,
    root: Path | None = None,
    gazetteer: Any = None,
) -> dict[str, Any]:
    """``train`` on examples already read (``examples_from``): the app reads them in a
    read-only transaction and trains after it ended, holding no database snapshot."""
    from annotator.services.suggestions import crf

    if sum(1 for _t, spans in examples if spans) < 2:
        raise UserError(
            "train: fewer than two documents with spans to learn from (mark documents done, or name annotators with --from)"
        )
    held = [e for e in examples if _held_back(e[0])] or examples[-1:]
    rest = [e for e in examples if e not in held] or examples
    with tempfile.TemporaryDirectory(prefix="annotator-train-") as tmp:
        scores = crf.score_exact(crf.train(rest, Path(tmp) / "held", gazetteer=gazetteer), held)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = (root or models_dir()) / f"{schema.name}-{stamp}"
    meta = {
        "schema": schema.name,
        "schema_version": schema.version,
        "annotators": used,
        "held_back": len(held),
        "held_back_scores": scores,
        "trained_at": stamp,
    }
    pipeline = crf.train(examples, path, gazetteer=gazetteer, meta=meta)
    return {
        "path": str(path),
        "documents": len(examples),
        "held_back": len(held),
        "scores": scores,
        "annotators": used,
        "labels": pipeline.labels,
        "fingerprint": pipeline.meta["fingerprint"],
    }
