"""The suggestion rules on text they were not written against: the held-out set in tests/data/eval.

``dev`` is what rules are tuned on (since round 9 with the former ``test2``..``test8`` in it); ``test`` and
``test9`` are only measured. Each floor below is the figure
measured when it was last changed (README, Suggestions), so a rule change that loses ground
on any set fails here; the bundled articles' gold version is held to its figures too.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest
from support.cli import cli

from annotator.services.suggestions.evaluate import speaker_accuracy

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "data" / "eval"
SETS = {
    "bundled": ROOT / "annotations" / "sample" / "gold.jsonl",
    "dev": EVAL / "dev.jsonl",
    "test": EVAL / "test.jsonl",
}
if (EVAL / "test9.jsonl").exists():
    SETS["test9"] = EVAL / "test9.jsonl"
# overlap precision / recall floors per label, and speaker accuracy, per set
FLOORS = {
    "bundled": {
        # round 7: precision .907 -> .898 (one "told RTL radio"), recall .929 -> .941; round 8: the gold gained 29
        # group-noun ACTOR spans (84 -> 113; conventions8b): round 7's rules measure .898 / .699 on it, round 8's
        # (all branches merged) .865 / .796
        "ACTOR": (0.865, 0.796),
        "LOCATION": (0.98, 0.96),
        "CASUALTY": (0.94, 0.89),
        "QUOTE": (1.0, 1.0),
        "speakers": 1.0,
    },
    "dev": {  # 153 excerpts since round 9 (test2..test8 retired, dev8 added; group nouns as ACTOR; CASUALTY only with
        # a figure); round 8's rules on it, before round 9's (round 8 on the 134 before test8: ACTOR .912/.888,
        # LOCATION .959/.914, CASUALTY .973/.945, QUOTE .995/.972, speakers 367/385); round 9 (re-measured after merge)
        "ACTOR": (0.910, 0.882),
        "LOCATION": (0.970, 0.940),
        "CASUALTY": (0.960, 0.939),
        "QUOTE": (0.993, 0.995),
        "speakers": 0.966,
    },
    # test: measured once per round, after the rules were changed on dev; a floor, not a target. test2..test8 were
    # test splits in rounds 2-8 (their figures are in docs/suggestions.md) and are part of dev since the next round.
    "test9": {  # round 9's fresh split (23 excerpts, annotated blind by two people), measured once after the rules merged
        "ACTOR": (0.859, 0.770),
        "LOCATION": (0.962, 0.727),
        "CASUALTY": (0.954, 0.798),
        "QUOTE": (0.930, 0.883),
        "speakers": 0.807,
    },
    "test": {  # after round 8 (all branches merged; round 7: ACTOR .897/.864 before its gold gained 5 group nouns)
        "ACTOR": (0.895, 0.895),
        "LOCATION": (1.0, 0.9),
        "CASUALTY": (0.923, 0.96),
        "QUOTE": (1.0, 1.0),
        "speakers": 0.882,
    },
}


def _run(*args: str, db: str) -> subprocess.CompletedProcess:
    return cli(*args, env={"ANNOTATOR_DB": db}, timeout=300)


def _build_module():
    """tests/data/eval/build.py, loaded as a module."""
    spec = importlib.util.spec_from_file_location("eval_build", EVAL / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_eval_files_are_what_the_build_script_makes():
    module = _build_module()
    built = module.build()
    assert built["dev"] == (EVAL / "dev.jsonl").read_text(encoding="utf-8")
    assert built["test"] == (EVAL / "test.jsonl").read_text(encoding="utf-8")
    assert set(built) == {path.stem for path in EVAL.glob("*.jsonl")}
    for split, content in built.items():
        assert content == (EVAL / f"{split}.jsonl").read_text(encoding="utf-8"), split
    splits = tuple(built)
    docs = [json.loads(line) for split in splits for line in built[split].splitlines()]
    assert len(docs) >= 49 and {d["meta"]["split"] for d in docs} == set(splits)
    for doc in docs:  # every span is its text; every quote names a speaker that is an ACTOR span
        by_id = {s["id"]: s for s in doc["spans"]}
        assert all(doc["text"][s["start"] : s["end"]] == s["text"] for s in doc["spans"])
        assert all(
            by_id[r["head"]]["label"] == "QUOTE" and by_id[r["child"]]["label"] == "ACTOR" for r in doc["relations"]
        )
        assert doc["meta"]["source"].startswith("http")


def test_a_speaker_line_can_name_which_mention_of_the_actor(tmp_path):
    module = _build_module()
    doc = tmp_path / "dev-99.txt"
    body = "“A,” the source said. Later: “The roads are all cut off by the water now,” the source said."
    lines = ["ACTOR source", "ACTOR source", "QUOTE “The roads are all cut off by the water now,” | source"]
    doc.write_text("url: http://example.org\nsplit: dev\n---\n" + body + "\n---\n" + "\n".join(lines) + "\n")
    nearest = module.parse(doc)  # by default the mention with the fewest characters between it and the quote
    doc.write_text(doc.read_text().replace("| source\n", "| source @1\n"))
    first = module.parse(doc)  # @1: the first mention, though it is further from the quote
    for record, start in ((nearest, body.rindex("source")), (first, body.index("source"))):
        by_id = {s["id"]: s for s in record["spans"]}
        assert [by_id[r["child"]]["start"] for r in record["relations"]] == [start]


def test_speaker_accuracy_counts_reference_quotes_with_a_speaker():
    reference = [
        (1, 0, 10, ((20, 25),)),  # right: a predicted quote overlaps it, its speaker overlaps (20, 25)
        (1, 30, 40, ((50, 55),)),  # wrong speaker
        (1, 60, 70, ((80, 85),)),  # no predicted quote
        (1, 90, 95, ()),  # no speaker: not counted
        (2, 0, 10, ((20, 25),)),  # the other document's prediction does not count
    ]
    predicted = [(1, 2, 8, ((22, 30),)), (1, 30, 40, ((56, 60),)), (3, 0, 10, ((20, 25),))]
    assert speaker_accuracy(predicted, reference) == {"gold_quotes": 4, "right": 1, "accuracy": 0.25}
    assert speaker_accuracy([], []) == {"gold_quotes": 0, "right": 0, "accuracy": 0.0}


@pytest.mark.parametrize("name", sorted(FLOORS))  # a new split gets its floors when it is first measured
def test_figures_hold_on_each_set(name, tmp_path):
    db = f"sqlite:///{tmp_path / 'eval.db'}"
    imported = _run("import", str(SETS[name]), db=db)
    assert imported.returncode == 0, imported.stderr
    result = _run("suggest", "--evaluate", "--against", "gold", "--format", "json", db=db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    floors = FLOORS[name]
    got = {label: (m["precision"], m["recall"]) for label, m in data["overlap"].items()}
    for label in ("ACTOR", "LOCATION", "CASUALTY", "QUOTE"):
        precision, recall = floors[label]
        assert got[label][0] >= precision - 0.005 and got[label][1] >= recall - 0.005, (name, label, got[label])
    speakers = data["speakers"]
    assert speakers["gold_quotes"] == {"bundled": 38, "dev": 443, "test": 17, "test9": 57}.get(
        name, speakers["gold_quotes"]
    )
    assert speakers["accuracy"] >= floors["speakers"] - 0.005, (name, speakers)


def test_a_casualty_category_the_schema_lacks_is_refused(tmp_path):
    module = _build_module()
    doc = tmp_path / "dev-99.txt"
    body = "Gunmen abducted 20 young women."
    doc.write_text(
        f"url: http://example.org\nsplit: dev\n---\n{body}\n---\nCASUALTY abducted 20 young women | missing 20 20\n"
    )
    assert module.parse(doc)["spans"][0]["attrs"]["category"] == "missing"
    doc.write_text(doc.read_text().replace("| missing", "| abducted"))
    with pytest.raises(SystemExit, match="category 'abducted'"):
        module.parse(doc)
