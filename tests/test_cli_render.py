"""What cli/render/ draws: untrusted text stays text (no markup, no escape sequences), and a
progress bar exists only when asked for."""

from __future__ import annotations

import io

from rich.console import Console

from annotator.cli.render.progress import bytes_bar, count_bar
from annotator.cli.render.suggestions import evaluation
from annotator.cli.render.team import render as render_team


def shown(renderable: object) -> str:
    out = io.StringIO()
    Console(file=out, width=80, color_system=None, force_terminal=False).print(renderable)
    return out.getvalue()


def test_evaluation_tables_show_hostile_labels_as_text():
    scores = {"precision": 0.5, "recall": 1.0, "f1": 0.667, "tp": 1, "fp": 1, "fn": 0}
    result = {
        "documents": 2,
        "overlap": {"[bold]ACTOR[/bold]": scores, "\x1b[31mRED": scores},
        "exact": {"QUOTE": scores},
        "speakers": {"right": 1, "gold_quotes": 2, "accuracy": 0.5},
    }
    text = shown(evaluation(result, "go\x1bld"))
    assert "suggestions against go\\x1bld on 2 documents" in text
    assert "[bold]ACTOR[/bold]" in text and "\\x1b[31mRED" in text and "\x1b" not in text
    assert "overlap matching" in text and "exact matching" in text
    assert "speakers: 1 of 2 reference quotes right (0.500)" in text


def test_team_tables_show_names_as_text():
    row = {
        "annotator": "[i]eve\x07",
        "assigned": 3,
        "done": 1,
        "skipped": 0,
        "in_progress": 1,
        "seconds": 3600,
        "spans_per_doc": 2.0,
        "f1_overlap": None,
        "alpha_u": None,
        "flags": [],
        "weeks": [],
    }
    text = shown(render_team({"annotators": [row]}))
    assert "[i]eve\\x07" in text and "\x07" not in text and "1:00" in text


def test_bars_only_when_enabled():
    with count_bar("exporting", enabled=False) as progress:
        assert progress is None
    with bytes_bar("importing", enabled=False) as progress_bytes:
        assert progress_bytes is None
    with count_bar("exporting", enabled=True) as progress:
        assert progress is not None
        progress(1, 2)  # draws on stderr (not a terminal here), never raises
