"""γ (Mathet et al. 2015) beside α_u through the optional pygamma-agreement; skipped without the extra."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygamma_agreement")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from agreement_sample_loader import load_records

from annotator.schemas.labels import load_default_schema
from annotator.services.agreement.gamma import gamma
from annotator.services.agreement.load import DocData, SpanRec
from annotator.store.engine import get_engine

TEXT = "Seleka rebels attacked Bangui and Boali on Tuesday, witnesses said. " * 3


def docs(shift: int) -> list[DocData]:
    spans = [(0, 13, "ACTOR"), (23, 29, "LOCATION"), (34, 39, "LOCATION"), (69, 82, "ACTOR"), (92, 98, "LOCATION")]
    a = [SpanRec(s, e, lab) for s, e, lab in spans]
    b = [SpanRec(s + shift, e + shift, lab) for s, e, lab in spans]
    return [DocData(1, "u", "t", TEXT, ["a", "b"], {"a": a, "b": b})]


def test_identical_annotations_agree_fully_and_shifts_cost() -> None:
    same = gamma(["a", "b"], docs(0))
    shifted = gamma(["a", "b"], docs(3))
    assert same.gamma is not None and same.gamma > 0.99 and same.units == 10 and same.documents == 1
    assert shifted.gamma is not None and shifted.gamma < same.gamma
    assert gamma(["a", "b"], docs(3)).gamma == shifted.gamma  # seeded: the same data, the same γ


def test_nothing_to_align_is_undefined() -> None:
    empty = [DocData(1, "u", "t", TEXT, ["a", "b"], {"a": [], "b": []})]
    assert gamma(["a", "b"], empty).gamma is None


def test_cli_gamma_beside_alpha(sqlite_url: str) -> None:
    spans = [(0, 13, "ACTOR"), (23, 29, "LOCATION"), (34, 39, "LOCATION"), (69, 82, "ACTOR")]
    records = [
        {"text": TEXT, "annotator": name, "spans": [{"start": s + k, "end": e, "label": lab} for s, e, lab in spans]}
        for k, name in enumerate(("ann", "ben"))
    ]
    load_records(get_engine(sqlite_url), load_default_schema(), records)
    env = dict(os.environ)
    base = [sys.executable, "-m", "annotator", "agreement", "--db", sqlite_url]
    plain = subprocess.run([*base, "--format", "json"], capture_output=True, timeout=600, env=env)
    table = subprocess.run([*base, "--gamma"], capture_output=True, text=True, timeout=600, env=env)
    assert table.returncode == 0, table.stderr
    assert "γ (Mathet et al. 2015) 0." in table.stdout and "α_u beside it" in table.stdout
    as_json = subprocess.run([*base, "--gamma", "--format", "json"], capture_output=True, timeout=600, env=env)
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert 0 < report["gamma"]["gamma"] < 1 and report["gamma"]["documents"] == 1 and report["gamma"]["units"] == 8
    del report["gamma"]  # everything else is the JSON without --gamma
    assert report == json.loads(plain.stdout)
