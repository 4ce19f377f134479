"""A small model learnt from accepted spans, for any label schema: a linear-chain CRF
(``python-crfsuite``) over word features, joined with a string matcher and the gazetteer.

Learning from few examples is hard, so the pipeline leans on what needs no statistics:

1. **string matcher**: every surface form of the training spans, with its most frequent
   label, suggested wherever it occurs (INCEpTION's string-matching recommender);
2. **gazetteer**: names of a label the model knows (e.g. LOCATION) from the project
   gazetteer, and gazetteer matches of any label as features;
3. **CRF**: BIO tags from word shape, affixes, case, neighbours and the gazetteer matches as
   features; its spans fill in where 1 and 2 found nothing. Text in capitals throughout
   (a headline "GEMFIRE STARTUP RAISES NEW FUNDS") gives case no meaning, so the CRF's
   guesses there are dropped.

No weights are downloaded: the model is trained here, from the team's spans, and stored in a
directory (``model.crfsuite`` and ``meta.json``: labels, schema, training-set fingerprint,
scores, and the matcher's strings).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.propagation import Tagged

Example = tuple[str, Sequence[tuple[str, int, int]]]  # (text, [(label, start, end), ...])

TOKEN = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*\.?|['’][sS]\b|[^\w\s]", re.UNICODE)
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 200, "feature.possible_transitions": True}


def _shape(word: str) -> str:
    s = re.sub(r"[A-Z]", "X", word)
    s = re.sub(r"[a-z]", "x", s)
    s = re.sub(r"[0-9]", "d", s)
    return re.sub(r"(.)\1+", r"\1\1", s)


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def _marks(toks: list[tuple[str, int, int]], found: Iterable[Suggestion], prefix: str) -> list[dict[str, str]]:
    """Per token, B/I of each gazetteer (or matcher) label whose match covers it (one sweep)."""
    marks: list[dict[str, str]] = [{} for _ in toks]
    spans = sorted((s.start, s.end, s.label) for s in found)
    k = 0
    for start, end, label in spans:
        while k < len(toks) and toks[k][2] <= start:
            k += 1
        j = k
        while j < len(toks) and toks[j][1] < end:
            if toks[j][1] >= start and toks[j][2] <= end:
                marks[j][prefix + label] = "B" if toks[j][1] == start else "I"
            j += 1
    return marks


def features(text: str, toks: list[tuple[str, int, int]], marks: list[dict[str, str]]) -> list[dict[str, Any]]:
    out = []
    for i, (word, _s, _e) in enumerate(toks):
        f: dict[str, Any] = {
            "bias": 1.0,
            "w": word.lower(),
            "shape": _shape(word),
            "p2": word[:2],
            "p3": word[:3],
            "s2": word[-2:],
            "s3": word[-3:],
            "title": word.istitle(),
            "upper": word.isupper(),
            "digit": word.isdigit(),
            "first": i == 0,
            "len": str(min(len(word), 8)),
        }
        for key, value in marks[i].items():
            f["gz:" + key] = value
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(toks):
                other = toks[j][0]
                f[f"{d}:w"], f[f"{d}:shape"], f[f"{d}:title"] = other.lower(), _shape(other), other.istitle()
                if abs(d) == 1:
                    for key, value in marks[j].items():
                        f[f"{d}:gz:" + key] = value
            else:
                f[f"{d}:pad"] = 1.0
        out.append({k: (v if isinstance(v, (float, bool)) else str(v)) for k, v in f.items()})
    return out


def bio(toks: list[tuple[str, int, int]], spans: Iterable[tuple[str, int, int]]) -> list[str]:
    tags = ["O"] * len(toks)
    for label, start, end in spans:
        inside = [k for k, (_w, a, b) in enumerate(toks) if a >= start and b <= end]
        for n, k in enumerate(inside):
            tags[k] = ("B-" if n == 0 else "I-") + label
    return tags


def _spans_from(toks: list[tuple[str, int, int]], tags: list[str]) -> list[tuple[str, int, int]]:
    out, current = [], None
    for k, tag in enumerate([*tags, "O"]):
        if current and (tag == "O" or tag.startswith("B-") or tag[2:] != current[0]):
            out.append((current[0], current[1], toks[k - 1][2]))
            current = None
        if tag.startswith("B-") or (tag.startswith("I-") and current is None):
            current = (tag[2:], toks[k][1])
    return out


def fingerprint(examples: Iterable[Example]) -> str:
    h = hashlib.sha256()
    for text, spans in examples:
        h.update(hashlib.sha256(text.encode("utf-8")).digest())
        h.update(json.dumps(sorted(spans)).encode())
    return h.hexdigest()[:16]


class CrfPipeline:
    """CRF + string matcher + gazetteer; ``find`` gives ``Suggestion`` records (``source`` model:NAME)."""

    def __init__(
        self,
        tagger: Any,
        labels: list[str],
        tagged: Tagged,
        gazetteer: Any = None,
        name: str = "crf",
        meta: dict[str, Any] | None = None,
    ):
        self.tagger = tagger
        self.labels = labels
        self.tagged = tagged
        self.gazetteer = gazetteer
        self.name = name
        self.meta = meta or {}

    def _context(self, text: str) -> tuple[list[Any], list[Suggestion], list[Suggestion]]:
        toks = tokens(text)
        gaz = self.gazetteer.find(text) if self.gazetteer is not None else []
        matched = self.tagged.matcher().find(text) if len(self.tagged) else []
        return toks, gaz, matched

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        toks, gaz, matched = self._context(text)
        out: list[tuple[str, int, int]] = []
        taken: list[tuple[int, int]] = []

        def free(a: int, b: int) -> bool:
            return not any(x < b and a < y for x, y in taken)

        for s in [*matched, *(g for g in gaz if g.label in self.labels)]:
            if free(s.start, s.end):
                out.append((s.label, s.start, s.end))
                taken.append((s.start, s.end))
        if toks and not (text.isupper() and any(c.isalpha() for c in text)):
            for label, a, b in _spans_from(toks, self.tagger.tag(features(text, toks, _marks(toks, gaz, "")))):
                if free(a, b):
                    out.append((label, a, b))
                    taken.append((a, b))
        return sorted(out, key=lambda x: (x[1], x[2]))

    def find(self, text: str) -> list[Suggestion]:
        return [Suggestion(label, a, b, source=f"model:{self.name}") for label, a, b in self.spans(text)]


def train(
    examples: Sequence[Example],
    path: Path,
    *,
    gazetteer: Any = None,
    meta: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
) -> CrfPipeline:
    """Train on ``examples`` and store the pipeline in the directory ``path``."""
    import pycrfsuite

    tagged = Tagged()
    for text, spans in examples:
        for label, start, end in spans:
            tagged.add(label, text[start:end])
    trainer = pycrfsuite.Trainer(verbose=False)
    labels: set[str] = set()
    for text, spans in examples:
        toks = tokens(text)
        gaz = gazetteer.find(text) if gazetteer is not None else []
        # not the matcher: on its own training text it always fires, and the CRF would learn
        # to find nothing else
        trainer.append(features(text, toks, _marks(toks, gaz, "")), bio(toks, spans))
        labels.update(label for label, _s, _e in spans)
    trainer.set_params({**PARAMS, **(params or {})})
    path.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path / "model.crfsuite"))
    info = {
        **(meta or {}),
        "labels": sorted(labels),
        "fingerprint": fingerprint(examples),
        "examples": len(examples),
        "surfaces": [[label, surface, attrs] for (label, surface), attrs in tagged.items()],
    }
    partial = path / "meta.json.partial"  # meta.json last and whole: newest() never finds half a model
    partial.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    partial.replace(path / "meta.json")
    return load(path, gazetteer=gazetteer)


def load(path: Path, *, gazetteer: Any = None) -> CrfPipeline:
    import pycrfsuite

    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path / "model.crfsuite"))
    tagged = Tagged()
    for label, surface, attrs in meta.get("surfaces", []):
        tagged.add(label, surface, attrs)
    return CrfPipeline(tagger, meta["labels"], tagged, gazetteer, name=path.name, meta=meta)


def score_exact(pipeline: CrfPipeline, examples: Sequence[Example]) -> dict[str, Any]:
    """Exact-match precision / recall / F1 over ``examples`` (all labels together)."""
    predicted: set[tuple[int, str, int, int]] = set()
    gold: set[tuple[int, str, int, int]] = set()
    for n, (text, spans) in enumerate(examples):
        predicted.update((n, *s) for s in pipeline.spans(text))
        gold.update((n, *s) for s in spans)
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(gold) if gold else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "tp": tp,
        "predicted": len(predicted),
        "gold": len(gold),
    }
