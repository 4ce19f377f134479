"""The layers stay layers: schemas -> store -> services -> cli / tui.

Checked twice: statically (every module's imports, read with ``ast``, including imports made
inside functions) and dynamically (a fresh interpreter imports every services module and
then looks at ``sys.modules``), so a lazy import or a re-export cannot hide a violation.
Imports under ``if TYPE_CHECKING:`` are type hints only and do not count.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import REPO

PACKAGE = REPO / "annotator"

# layer -> import prefixes it must never use (a prefix matches the module and its submodules)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "schemas": (
        "annotator.store",
        "annotator.services",
        "annotator.cli",
        "annotator.tui",
        "sqlalchemy",
        "sqlmodel",
        "textual",
    ),
    "store": ("annotator.services", "annotator.cli", "annotator.tui", "textual"),
    "services": ("annotator.cli", "annotator.tui", "textual"),
    # UI code never builds SQL: no SQLAlchemy/SQLModel, no tables. It opens an engine and a
    # transaction (store.engine), classifies errors (store.retry) and calls services.
    "tui": (
        "sqlalchemy",
        "sqlmodel",
        "annotator.store.models",
        "annotator.store.migrate",
        "annotator.store.roles",
        "annotator.cli",
    ),
    # the command line is UI too: it opens engines and sessions and calls services, no tables
    "cli": ("annotator.store.models", "annotator.tui.screens", "annotator.tui.widgets"),
}
# Calls that build or run SQL; none belongs in the UI layer (``widget.select(...)`` is fine).
SQL_METHODS = {"exec", "execute", "exec_driver_sql", "scalars", "scalar"}
SQL_FUNCTIONS = {"select", "text", "insert", "update", "delete"}
# Heavy packages a CLI module may import only inside its command functions.
HEAVY = ("sqlalchemy", "sqlmodel", "textual", "spacy", "alembic", "psycopg")


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def layer_of(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of nodes inside ``if TYPE_CHECKING:`` blocks."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                for child in node.body:
                    skip.update(id(n) for n in ast.walk(child))
    return skip


def imports(path: Path, source: str | None = None) -> list[tuple[int, str, bool]]:
    """(line, imported module, at module top level) for every import in ``path``."""
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"), filename=str(path))
    skip = _type_checking_nodes(tree)
    top = {id(n) for n in tree.body}
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[int, str, bool]] = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # "from annotator import tui" imports annotator.tui
            names = [f"{target}.{alias.name}" for alias in node.names] if target == "annotator" else [target]
            found += [(node.lineno, name, id(node) in top) for name in names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "__import__"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value, False))
    return found


def _matches(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_every_layer_imports_only_downwards():
    problems = []
    for path in modules():
        layer = layer_of(path)
        for line, module, _top in imports(path):
            for prefix in FORBIDDEN.get(layer or "", ()):
                if _matches(module, prefix):
                    problems.append(f"{path.relative_to(REPO)}:{line}: the {layer} layer imports {module}")
    assert problems == []


def test_ui_code_runs_no_sql():
    problems = []
    for path in modules():
        if layer_of(path) not in ("tui", "cli"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr in SQL_METHODS
                    or isinstance(func, ast.Name)
                    and func.id in SQL_FUNCTIONS
                ):
                    name = func.attr if isinstance(func, ast.Attribute) else func.id
                    problems.append(f"{path.relative_to(REPO)}:{node.lineno}: {name}(...) in UI code")
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("sa", "sqlalchemy", "sqlmodel")
            ):
                problems.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value.id}.{node.attr} in UI code")
    assert problems == []


def test_cli_modules_import_heavy_packages_lazily():
    problems = []
    for path in modules():
        if layer_of(path) != "cli":
            continue
        for line, module, top in imports(path):
            if top and any(_matches(module, heavy) for heavy in HEAVY):
                problems.append(f"{path.relative_to(REPO)}:{line}: {module} imported at module level")
    assert problems == []


# Owned by other engineers this session, converted when their branches merge (issue 14): the
# agreement tables move to cli/render/agreement.py; adjudication and session_ops still word
# some errors with flags (the CLI and the screens read those through errors.domain_wording).
NOT_YET_CONVERTED: tuple[str, ...] = ()


def _not_yet_converted(path: Path) -> bool:
    return str(path.relative_to(PACKAGE)).startswith(NOT_YET_CONVERTED)


def test_services_draw_nothing():
    """Tables and progress bars are the command line's (cli/render/): no service imports Rich."""
    problems = [
        f"{path.relative_to(REPO)}:{line}: {module}"
        for path in modules()
        if layer_of(path) == "services" and not _not_yet_converted(path)
        for line, module, _top in imports(path)
        if _matches(module, "rich")
    ]
    assert problems == []
    assert any(_matches(m, "rich") for _l, m, _t in imports(PACKAGE / "cli" / "render" / "progress.py"))


def flag_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal, plain or f-string, that starts with ``--``."""
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    fstring_parts: set[int] = set()  # judged by their f-string's first part, not one by one
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            fstring_parts.update(id(part) for part in node.values)
            first = node.values[0] if node.values else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.startswith("--"):
                found.append((node.lineno, first.value))
    for node in ast.walk(tree):
        if id(node) in fstring_parts:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("--"):
            found.append((node.lineno, node.value))
    return sorted(found)


def test_service_strings_never_name_a_flag():
    """Services speak of fields (``UserError(message, field="annotators")``); the CLI names flags."""
    problems = [
        f"{path.relative_to(REPO)}:{line}: {text!r}"
        for path in modules()
        if layer_of(path) == "services" and not _not_yet_converted(path)
        for line, text in flag_literals(path.read_text(encoding="utf-8"))
    ]
    assert problems == []
    # not vacuous: both kinds of literal are seen
    sample = 'raise UserError(f"--as: {name}")\nx = "--format: bad"\ny = f"see --force {z}--"\n'
    assert [text for _line, text in flag_literals(sample)] == ["--as: ", "--format: bad"]


def test_the_checker_sees_violations():
    """The static check is not vacuous: it finds imports inside functions and relative ones."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import textual.app\n"
        "def f():\n    from ...tui import app\n    import textual\n    __import__('sqlmodel')\n"
        "from annotator import cli\n"
    )
    found = [m for _line, m, _top in imports(PACKAGE / "services" / "sub" / "mod.py", source)]
    assert sorted(found) == ["annotator.cli", "annotator.tui", "sqlmodel", "textual", "typing"]


def _fresh_import(code: str) -> dict:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


WALK = """
import importlib, json, pkgutil, sys
import {package} as root
names = [root.__name__] + [m.name for m in pkgutil.walk_packages(root.__path__, root.__name__ + ".")]
for name in names:
    importlib.import_module(name)
print(json.dumps({{"imported": names, "loaded": sorted(sys.modules)}}))
"""


@pytest.mark.parametrize(
    "package, banned",
    [
        ("annotator.services", ("textual", "annotator.tui", "annotator.cli")),
        ("annotator.store", ("textual", "annotator.services", "annotator.tui", "annotator.cli")),
        ("annotator.schemas", ("sqlalchemy", "sqlmodel", "textual", "annotator.store", "annotator.services")),
    ],
)
def test_importing_a_layer_loads_nothing_above_it(package, banned):
    state = _fresh_import(WALK.format(package=package))
    assert len(state["imported"]) > 1 or package == "annotator.schemas"
    loaded = [m for m in state["loaded"] if any(_matches(m, b) for b in banned)]
    assert loaded == []


def test_cli_entry_point_loads_no_heavy_package():
    state = _fresh_import("import json, sys, annotator.cli; print(json.dumps({'loaded': sorted(sys.modules)}))")
    assert [m for m in state["loaded"] if any(_matches(m, h) for h in HEAVY)] == []
