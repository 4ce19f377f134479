"""The suite's own rules: no test imports from conftest, and no test reads Textual's private attributes.

Tests share code through the ``support`` package; they observe the apps through public API
(keys, ``App.settled()``, ``App.export_screenshot``, ``App.notify``) and the database. Each
rule fails naming file:line of every offence.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import textual
from support.paths import REPO

TESTS = REPO / "tests"
# always private to Textual, whatever else defines a name like them
KNOWN_TEXTUAL_PRIVATE = frozenset(
    {
        "_bindings",
        "_nodes",
        "_driver",
        "_screen_stack",
        "_compositor",
        "_notifications",
        "_exit_renderables",
        "_background_screens",
        "_modal_binding_chain",
    }
)


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _defined_private_names(root: Path) -> set[str]:
    """Single-underscore names a package defines: methods, attributes it assigns, module globals."""
    names: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _private(node.name):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and _private(node.attr):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and _private(node.id):
                names.add(node.id)
    return names


@cache
def textual_private_names() -> frozenset[str]:
    """Textual's private names that the project does not define for itself (a module's own
    ``_helper`` is the project's business; Textual's ``_compositor`` is not)."""
    textual_names = _defined_private_names(Path(textual.__file__).parent)
    own_names = _defined_private_names(REPO / "annotator")
    return frozenset((textual_names - own_names) | KNOWN_TEXTUAL_PRIVATE)


def _test_files() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(TESTS.rglob("*.py")):
        yield str(path.relative_to(REPO)), ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def conftest_imports(where: str, tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[-1] == "conftest":
            found.append(f"{where}:{node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Import):
            found += [
                f"{where}:{node.lineno}: import {a.name}" for a in node.names if a.name.split(".")[-1] == "conftest"
            ]
    return found


def private_textual_reads(where: str, tree: ast.Module, private: frozenset[str]) -> list[str]:
    """``obj._name`` for a Textual private name, on anything but the test's own ``self``/``cls``."""
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or node.attr not in private:
            continue
        if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
            continue  # a helper class of the test's own
        found.append((node.lineno, node.col_offset, f"{where}:{node.lineno}: {ast.unparse(node)}"))
    return [hit for _line, _column, hit in sorted(found)]


def test_no_test_imports_from_conftest() -> None:
    found = [hit for where, tree in _test_files() for hit in conftest_imports(where, tree)]
    assert not found, "import from tests/support instead:\n" + "\n".join(found)


def test_no_test_reads_textual_private_attributes() -> None:
    private = textual_private_names()
    found = [hit for where, tree in _test_files() for hit in private_textual_reads(where, tree, private)]
    assert not found, "use Textual's public API, tests/support or the database:\n" + "\n".join(found)


def test_the_rules_catch_what_they_are_about() -> None:
    sample = ast.parse(
        "from conftest import REPO\n"
        "import tests.conftest\n"
        "def f(app, pilot):\n"
        "    app._bindings.key_to_bindings\n"
        "    pilot.app.screen._compositor.render_strips()\n"
        "    app.screen._nodes\n"
        "    self._driver\n"  # a test's own helper class may name its attributes as it likes
        "    app.bindings, app._own_helper\n"
    )
    private = textual_private_names()
    assert conftest_imports("t.py", sample) == [
        "t.py:1: from conftest import ...",
        "t.py:2: import tests.conftest",
    ]
    assert private_textual_reads("t.py", sample, private) == [
        "t.py:4: app._bindings",
        "t.py:5: pilot.app.screen._compositor",
        "t.py:6: app.screen._nodes",
    ]
    # the project's own private helpers are not Textual's; Textual's are found in its source
    assert "_check_action_state" in private  # read from Textual's source, not only the list above
    assert "_say" not in private  # the annotation screen's own helper
