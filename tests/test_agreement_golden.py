"""`annotator agreement --format json` stays byte for byte what it was before the report became typed.

The golden files in tests/data/agreement/ were written by the dict-building ``compute_report`` (before the
typed report) from the shipped sample (alice, bob and gold) and from made-up documents; regenerate them only
for a deliberate change of the JSON: ``python tests/test_agreement_golden.py`` (then review the diff).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import orjson
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from agreement_sample_loader import SAMPLE, load_records  # noqa: E402
from support.cli import cli  # noqa: E402

from annotator.schemas.labels import load_default_schema  # noqa: E402
from annotator.services.agreement.load import AttrInfo, DocData, SpanRec  # noqa: E402
from annotator.services.agreement.report import compute_report  # noqa: E402
from annotator.store.engine import get_engine  # noqa: E402
from annotator.untrusted import json_for_terminal  # noqa: E402

GOLDEN = HERE / "data" / "agreement"
CLI_CASES = {
    "sample-three": ["--as", "alice,bob,gold"],
    "sample-default": [],
    "sample-filtered": ["--as", "bob,alice", "--label", "QUOTE,ACTOR", "--all-status"],
}
LABELS = ["ACTOR", "LOCATION", "CASUALTY", "QUOTE"]
ATTRS = {
    "ACTOR": {"actor_type": AttrInfo("enum"), "canonical": AttrInfo("text")},
    "CASUALTY": {"count_min": AttrInfo("integer"), "category": AttrInfo("enum")},
    "QUOTE": {"speaker": AttrInfo("link")},
}
TEXT1 = "Seleka rebels attacked Bangui. At least 10 people were killed, Amnesty said."
TEXT2 = "Anti-balaka militias burned Boali. Nobody was hurt \x1b[31m."


def _doc(id_: int, text: str, spans_by: dict) -> DocData:
    return DocData(
        id_,
        f"u{id_}",
        f"doc {id_}\x07",
        text,
        list(spans_by),
        {a: [SpanRec(*s) for s in v] for a, v in spans_by.items()},
    )


def made_up_reports() -> dict[str, bytes]:
    a = [(0, 13, "ACTOR", {"actor_type": "armed_group"}), (23, 29, "LOCATION"), (31, 60, "CASUALTY", {"count_min": 10})]
    b = [(0, 6, "ACTOR", {"actor_type": "state"}), (23, 29, "ACTOR"), (31, 61, "CASUALTY", {"count_min": "ten"})]
    c = [(0, 13, "ACTOR"), (63, 70, "ACTOR")]
    d1 = _doc(1, TEXT1, {"a": a, "b": b, "c": c})
    d2 = _doc(2, TEXT2, {"a": [(0, 20, "ACTOR"), (28, 33, "LOCATION")], "b": [(0, 20, "ACTOR")]})
    d3 = _doc(3, TEXT2, {"b": [], "c": []})
    cases = {
        "made-up-three": compute_report(["a", "b", "c"], [d1, d2, d3], LABELS, ATTRS),
        "made-up-empty": compute_report(["a", "b"], [], LABELS, ATTRS, all_status=True),
    }
    return {name: _json(getattr(report, "to_json", lambda r=report: r)()) for name, report in cases.items()}


def _json(report: object) -> bytes:
    return json_for_terminal(orjson.dumps(report, option=orjson.OPT_INDENT_2)) + b"\n"


def load_shipped(url: str) -> None:
    schema = load_default_schema()
    engine = get_engine(url)
    for name in ("alice", "bob", "gold"):
        with open(SAMPLE / f"{name}.jsonl", encoding="utf-8") as fh:
            load_records(engine, schema, [json.loads(line) for line in fh if line.strip()])


def cli_json(url: str, args: list[str]) -> bytes:
    result = cli("agreement", "--format", "json", "--db", url, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout.encode()


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_cli_json_is_byte_for_byte_the_golden_file(case: str, sqlite_url: str) -> None:
    load_shipped(sqlite_url)
    got = cli_json(sqlite_url, CLI_CASES[case])
    assert got == (GOLDEN / f"{case}.json").read_bytes()


def test_made_up_reports_are_byte_for_byte_the_golden_files() -> None:
    for name, got in made_up_reports().items():
        assert got == (GOLDEN / f"{name}.json").read_bytes(), name


if __name__ == "__main__":  # regenerate (a deliberate change of the JSON only)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/golden.db"
        get_engine(url)
        load_shipped(url)
        for case, args in CLI_CASES.items():
            (GOLDEN / f"{case}.json").write_bytes(cli_json(url, args))
    for name, data in made_up_reports().items():
        (GOLDEN / f"{name}.json").write_bytes(data)
