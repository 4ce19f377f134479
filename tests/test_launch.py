"""The entry point's fast path for `annotator annotate` (no typer before the first paint)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.launch import parse_annotate


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "args, expected",
    [
        ([], (None, None, None, True)),
        (
            ["--as", "ana", "--db", "sqlite:///x.db", "--schema", "s.toml", "--no-suggestions"],
            ("ana", Path("s.toml"), "sqlite:///x.db", False),
        ),
        (["--as=ana", "--suggestions"], ("ana", None, None, True)),
        (["--no-suggestions", "--suggestions"], (None, None, None, True)),
    ],
)
def test_annotate_options_parse_as_the_cli_declares_them(args, expected):
    parsed = parse_annotate(args)
    assert (parsed.as_name, parsed.schema, parsed.db, parsed.suggestions) == expected


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--bogus"], ["extra"], ["--as"], ["--a", "ana"]])
def test_anything_else_goes_to_the_full_cli(args):
    assert parse_annotate(args) is None


def test_the_fast_path_loads_no_cli_framework():
    code = "import json, sys, annotator.launch; print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click', 'pydantic', 'sqlalchemy', 'textual'))))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert loaded == []


def test_help_and_usage_mistakes_still_come_from_the_cli():
    shown = _run("annotate", "--help")
    assert shown.returncode == 0 and "--no-suggestions" in shown.stdout and "--schema" in shown.stdout
    wrong = _run("annotate", "--bogus")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr and "--bogus" in wrong.stderr


def test_fast_path_mistakes_are_one_line(tmp_path):
    empty = _run("annotate", "--as", "", "--db", f"sqlite:///{tmp_path / 'a.db'}")
    assert empty.returncode == 2
    assert empty.stderr.strip() == "annotator: --as: the annotator name is empty"
    broken = tmp_path / "broken.toml"
    broken.write_text("name = [", encoding="utf-8")
    bad_schema = _run("annotate", "--schema", str(broken), "--db", f"sqlite:///{tmp_path / 'a.db'}")
    assert bad_schema.returncode == 2 and bad_schema.stderr.count("\n") == 1
    assert str(broken) in bad_schema.stderr and "not valid TOML" in bad_schema.stderr
