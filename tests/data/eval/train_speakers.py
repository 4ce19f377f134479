"""Train the speaker ranker (``annotator/services/suggestions/speaker_ranker.py``) and write its weights.

Training data: the gold quotes of the bundled articles (annotations/sample/gold.jsonl) and of the
held-out set's ``dev`` split, never ``test*``. For every quote the rules find that overlaps a gold
quote with a speaker, the candidates are the ACTOR mentions the rules suggest around it (see
``speaker_ranker.candidates_for``), and the right one is the mention overlapping the gold speaker
(the previous quote's speaker is the gold one while training, the ranker's own choice when used).

    python tests/data/eval/train_speakers.py          # write speaker_weights.py
    python tests/data/eval/train_speakers.py --loo [--design gaps|replace|feature]  # leave-one-document-out on dev
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
EVAL = ROOT / "tests" / "data" / "eval"
WEIGHTS = ROOT / "annotator" / "services" / "suggestions" / "speaker_weights.py"


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _gold_quotes(rec: dict) -> list[tuple[int, int, list[tuple[int, int]]]]:
    by_id = {s["id"]: s for s in rec["spans"]}
    speakers: dict[int, list[tuple[int, int]]] = {}
    for rel in rec.get("relations", []):
        child = by_id[rel["child"]]
        speakers.setdefault(rel["head"], []).append((child["start"], child["end"]))
    return sorted((by_id[h]["start"], by_id[h]["end"], t) for h, t in speakers.items())


class Doc:
    """A gold document with the rules' raw suggestions (speaker ranker off)."""

    def __init__(self, rec: dict, sources) -> None:
        from annotator.services.suggestions import windows
        from annotator.services.suggestions.engine import window_suggestions

        self.rec, self.text = rec, rec["text"]
        self.raw = []
        for window in windows.plan(self.text):
            self.raw += window_suggestions(self.text, window, sources)
        self.gold = _gold_quotes(rec)

    def quotes(self):
        return sorted((s for s in self.raw if s.label == "QUOTE"), key=lambda s: s.start)

    def gold_for(self, q):
        return next((g for g in self.gold if g[0] < q.end and q.start < g[1]), None)

    def groups(self) -> list[tuple[np.ndarray, int]]:
        from annotator.services.suggestions import speaker_ranker as sr

        actors = sr._disjoint([s for s in self.raw if s.label == "ACTOR"])
        quotes = self.quotes()
        spans = [(q.start, q.end) for q in quotes]
        out, previous = [], None
        for q in quotes:
            g = self.gold_for(q)
            cands = sr.candidates_for(
                self.text, q, actors, spans, "actor_type", q.link_keys.get("speaker", ()), previous
            )
            if g is None:
                continue
            right = [i for i, c in enumerate(cands) if any(c.key[1] < b and a < c.key[2] for a, b in g[2])]
            previous = cands[right[0]].key if right else None
            if right and len(cands) > 1:
                out.append((np.array([c.vector for c in cands]), right[0]))
        return out

    def right(self, weights=None) -> tuple[int, int]:
        """(gold quotes right, gold quotes): the rules' links, or the ranker's with ``weights``."""
        import copy

        from annotator.services.suggestions import speaker_ranker as sr

        raw = copy.deepcopy(self.raw)
        if weights is not None:
            sr.rank_speakers(
                self.text, raw, weights, speaker_attr="speaker", actor_label="ACTOR", type_attr="actor_type"
            )
        quotes = [s for s in raw if s.label == "QUOTE"]
        hits = 0
        for a, b, targets in self.gold:
            ok = False
            for q in quotes:
                if q.start < b and a < q.end:
                    keys = q.link_keys.get("speaker", ())
                    if any(k[1] < tb and ta < k[2] for k in keys for ta, tb in targets):
                        ok = True
            hits += ok
        return hits, len(self.gold)


def load_docs():
    from annotator.schemas.labels import load_default_schema
    from annotator.services.suggestions.engine import Sources

    sources = Sources.build(load_default_schema(), trained=False)
    sources.options["speaker_ranker"] = False
    bundled = [Doc(r, sources) for r in _records(ROOT / "annotations" / "sample" / "gold.jsonl")]
    dev = [Doc(r, sources) for r in _records(EVAL / "dev.jsonl")]
    return bundled, dev


def _without(groups, names: set[str]):
    from annotator.services.suggestions import speaker_ranker as sr

    keep = np.array([f not in names for f in sr.FEATURES], dtype=float)
    return [(m * keep, r) for m, r in groups]


DESIGNS = {
    "gaps": "rules, the ranker for the quotes they leave without a speaker (shipped)",
    "replace": "ranker alone, replacing the rules' links",
    "feature": "ranker with the rules' choice as a feature",
}


def leave_one_out(bundled, dev, without: set[str] = frozenset(), design: str = "gaps") -> dict[str, tuple[int, int]]:
    """Each dev document scored by a ranker trained on the bundled articles and the other dev documents."""
    from annotator.services.suggestions import speaker_ranker as sr

    only_unlinked = sr.ONLY_UNLINKED
    sr.ONLY_UNLINKED = design == "gaps"
    without = set(without) | ({"rules_choice"} if design != "feature" else set())
    if design == "feature":
        without.discard("rules_choice")
    rules = ranker = total = 0
    rules_retired = ranker_retired = total_retired = 0
    try:
        for i, doc in enumerate(dev):
            groups = [g for d in bundled + dev[:i] + dev[i + 1 :] for g in d.groups()]
            w = sr.train(_without(groups, without))
            r, n = doc.right()
            k, _ = doc.right(w)
            rules, ranker, total = rules + r, ranker + k, total + n
            if doc.rec["meta"]["title"].startswith("test"):  # test2..test8, retired into dev in rounds 5 to 9
                rules_retired, ranker_retired, total_retired = rules_retired + r, ranker_retired + k, total_retired + n
            print(f"{doc.rec['meta']['title']}: rules {r}/{n}, ranker {k}/{n}", file=sys.stderr)
    finally:
        sr.ONLY_UNLINKED = only_unlinked
    return {
        "rules alone": (rules, total),
        DESIGNS[design]: (ranker, total),
        "rules alone, retired test2..test8": (rules_retired, total_retired),
        f"{design}, retired test2..test8": (ranker_retired, total_retired),
    }


def main() -> int:
    from annotator.services.suggestions import speaker_ranker as sr

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--loo", action="store_true", help="leave-one-document-out on dev instead of writing weights")
    p.add_argument("--design", choices=sorted(DESIGNS), default="gaps", help="with --loo: which design to estimate")
    p.add_argument(
        "--without",
        action="append",
        default=["rules_choice"],
        help="leave a feature out (repeatable; rules_choice is always out: the ranker links only the quotes "
        "the rules left without a speaker)",
    )
    args = p.parse_args()
    bundled, dev = load_docs()
    if args.loo:
        for name, (right, total) in leave_one_out(bundled, dev, set(args.without), args.design).items():
            print(f"{name}: {right}/{total} = {right / max(1, total):.3f}")
        return 0
    groups = [g for d in bundled + dev for g in d.groups()]
    w = sr.train(_without(groups, set(args.without)))
    body = ",\n".join(f"    {x!r},  # {name}" for x, name in zip(w, sr.FEATURES, strict=True))
    WEIGHTS.write_text(
        '"""Weights of the speaker ranker (``speaker_ranker.FEATURES`` order), written by\n'
        "``python tests/data/eval/train_speakers.py`` from the bundled and dev gold quotes "
        f'({len(groups)} quotes with a choice). Do not edit."""\n\n'
        f"WEIGHTS: tuple[float, ...] = (\n{body},\n)\n",
        encoding="utf-8",
    )
    print(f"trained on {len(groups)} quotes; wrote {WEIGHTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
