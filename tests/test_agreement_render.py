"""`annotator agreement`'s tables at 80, 120 and 200 columns: nothing cut, nothing ellipsised, every
column a lead needs kept, the rest dropped by priority and named in the caption; and the verdict in words."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_agreement_golden import ATTRS, LABELS, TEXT1, _doc

from annotator.cli.render.agreement import render
from annotator.services.agreement.report import compute_report

LONG = "A_VERY_LONG_LABEL_NAME_FOR_EVENTS"
ESSENTIAL = ("scope", "spans", "F1 exact", "F1 overlap", "α_u", "Cohen κ", "Fleiss κ", "docs", "unmatched", "title")


def sample_report():
    names = ["alexandra-the-annotator", "bob", "carl"]
    a = [(0, 13, "ACTOR"), (23, 29, "LOCATION"), (31, 60, "CASUALTY"), (63, 70, LONG)]
    b = [(0, 6, "ACTOR"), (23, 29, "ACTOR"), (31, 61, "CASUALTY")]
    c = [(0, 13, "ACTOR"), (63, 70, LONG)]
    docs = [
        _doc(k, TEXT1, {names[0]: a, names[1]: b, names[2]: c if k % 2 else []})
        for k in range(1, 40)  # more documents than the table shows
    ]
    docs[0].title = "A title long enough to need wrapping at eighty columns, " * 3
    labels = [*LABELS, LONG]
    return compute_report(names, docs, labels, ATTRS)


def rendered(report, width: int) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), highlight=False)
    console.print(render(report, console))
    return console.export_text()


@pytest.mark.parametrize("width", [80, 120, 200])
def test_nothing_is_cut_or_ellipsised(width: int) -> None:
    report = sample_report()
    text = rendered(report, width)
    lines = text.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= width
    assert "…" not in text.replace("… 19 more in --format json", "")  # the one '…' is the caption's own
    for head in ESSENTIAL:
        assert head in text, (width, head)
    # every rank and every figure row survived: document ids 1..20 in the documents table
    doc_rows = text[text.index("Documents by disagreement") :]
    for d in report.per_document[:20]:
        assert f"│ {d.rank:>2} │" in doc_rows or f"│ {d.rank} │" in doc_rows, (width, d.rank)
    # names wrap rather than vanish: the long label and the long annotator name are there in pieces
    joined = "".join(ch for ch in text if ch not in "│ \n┃")
    assert LONG in joined and "alexandra-the-annotator" in joined


def test_narrow_terminal_drops_low_priority_columns_and_says_so() -> None:
    report = sample_report()
    narrow, wide = rendered(report, 80), rendered(report, 200)
    assert "not shown at this width" in narrow
    assert "exact unl." in wide and "not shown at this width" not in wide
    assert "ovl. unl." not in narrow.split("Pairs", 1)[1].split("Attributes")[0].split("not shown")[0]


def test_hostile_names_stay_text() -> None:
    d = _doc(1, TEXT1, {"[bold]x\x1b[2J": [(0, 13, "ACTOR")], "b": [(0, 6, "ACTOR")]})
    report = compute_report(["[bold]x\x1b[2J", "b"], [d], LABELS, ATTRS)
    text = rendered(report, 80)
    assert "\x1b" not in text and "[bold]x" in text
