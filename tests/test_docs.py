"""The docs stay true: the README is short, every link lands, every listed command exists.

The README is the front page (at most 25 KB); the manual lives in ``docs/``. These tests read
the Markdown as text (no Markdown library): links and headings outside fenced code blocks,
with GitHub's rule for turning a heading into an anchor.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
README_LIMIT = 25_000  # bytes


LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^(```|~~~)")
INLINE_CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^(#{1,6})\s+(?P<title>.+?)\s*#*\s*$")


def doc_pages() -> list[Path]:
    """The Markdown this project keeps as its manual: README, CONTRIBUTING and docs/."""
    pages = [README, REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("**/*.md"))]
    return [p for p in pages if p.exists()]


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) outside fenced code blocks, with inline code blanked out."""
    out: list[tuple[int, str]] = []
    in_fence = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line.lstrip()):
            in_fence = not in_fence
            continue
        if not in_fence:
            out.append((number, INLINE_CODE.sub(lambda m: " " * len(m.group()), line)))
    return out


def links(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    found: list[tuple[int, str]] = []
    for number, line in prose_lines(text):
        found.extend((number, m.group("target")) for m in LINK.finditer(line))
    return found


def github_anchor(title: str) -> str:
    """The id GitHub gives a heading: link markup reduced to its text, lower case,
    punctuation other than ``-`` and ``_`` dropped, spaces become hyphens."""
    title = LINK.sub(lambda m: m.group("text"), title)
    title = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return title.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading's anchor in a Markdown file (a repeated heading gets -1, -2, ...)."""
    seen: dict[str, int] = {}
    result: set[str] = set()
    in_fence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line.lstrip()):
            in_fence = not in_fence
            continue
        match = None if in_fence else HEADING.match(line)
        if match:
            slug = github_anchor(match.group("title"))
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            result.add(slug if count == 0 else f"{slug}-{count}")
    return result


def broken_links(path: Path) -> list[str]:
    problems: list[str] = []
    where = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    for number, target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        relative = resolved.relative_to(REPO).as_posix() if resolved.is_relative_to(REPO) else str(resolved)
        if not resolved.exists():
            problems.append(f"{where}:{number}: {target}: no such file")
            continue
        if anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            problems.append(f"{where}:{number}: {target}: no heading #{anchor} in {relative}")
    return problems


def section(text: str, title: str) -> str:
    """A level-2 section of Markdown text, up to the next level-2 heading."""
    match = re.search(rf"^## {re.escape(title)}\n(?P<body>.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group("body")


def cli_commands(*group: str) -> set[str]:
    """The sub-commands ``annotator [group] --help`` lists, from a real process."""
    result = subprocess.run(
        [sys.executable, "-m", "annotator", *group, "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    listing = result.stdout.split("Commands:", 1)[1]
    return {m.group(1) for m in re.finditer(r"^\s{2}([a-z][\w-]*)\s", listing, flags=re.M)}


def readme_commands() -> set[tuple[str, ...]]:
    """Command paths in the first column of the README's command table: `annotator db grant`
    -> ("db", "grant"); a cell's later code spans (`db current`) share the prefix annotator."""
    body = section(README.read_text(encoding="utf-8"), "Commands")
    paths: set[tuple[str, ...]] = set()
    for row in re.findall(r"^\|(.+?)\|", body, flags=re.M):
        for code in re.findall(r"`([^`]+)`", row):
            words = code.split()
            if words and words[0] == "annotator":
                words = words[1:]
            path = tuple(w for w in _leading_words(words))
            if path:
                paths.add(path)
    return paths


def _leading_words(words: list[str]) -> list[str]:
    taken: list[str] = []
    for word in words:
        if not re.fullmatch(r"[a-z][a-z-]*", word):
            break  # an option, a placeholder (PATH...) or an argument ends the command's name
        taken.append(word)
    return taken


# ---------------------------------------------------------------------------------------


def test_the_readme_is_at_most_25_kb() -> None:
    size = len(README.read_bytes())
    assert size <= README_LIMIT, f"README.md is {size} bytes; move manual text into docs/ (limit {README_LIMIT})"


@pytest.mark.parametrize("page", doc_pages(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    assert broken_links(page) == []


def test_the_link_checker_finds_a_missing_file_and_a_missing_heading(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other\n\n## Where it is\n", encoding="utf-8")
    page = tmp_path / "probe.md"
    page.write_text(
        "# Probe\n\n## Where `x` lives\n\n[ok](#where-x-lives) [ok](other.md#where-it-is) [ok](other.md)\n"
        "[gone](nowhere.md) [bad](#no-such-heading) [bad](other.md#elsewhere)\n"
        "```\n[in code](ignored.md)\n```\n`[inline](ignored.md)`\n",
        encoding="utf-8",
    )
    problems = [p.split(": ", 1)[1] for p in broken_links(page)]
    assert problems == [
        "nowhere.md: no such file",
        f"#no-such-heading: no heading #no-such-heading in {page}",
        f"other.md#elsewhere: no heading #elsewhere in {tmp_path / 'other.md'}",
    ]


def test_github_anchors_drop_punctuation_and_code_marks() -> None:
    assert github_anchor("Agreement: `annotator agreement`") == "agreement-annotator-agreement"
    assert github_anchor("How good they are: `suggest --evaluate`") == "how-good-they-are-suggest---evaluate"
    assert (
        github_anchor("What PostgreSQL's statistics show every role") == "what-postgresqls-statistics-show-every-role"
    )


def test_every_docs_page_is_reachable_from_the_readme() -> None:
    reached: set[Path] = set()
    todo = [README]
    while todo:
        page = todo.pop()
        if page in reached:
            continue
        reached.add(page)
        for _, target in links(page):
            file_part = target.partition("#")[0]
            candidate = (page.parent / file_part).resolve()
            if file_part.endswith(".md") and candidate.exists() and candidate.is_relative_to(REPO):
                todo.append(candidate)
    orphans = [p.relative_to(REPO).as_posix() for p in doc_pages() if p.resolve() not in reached]
    assert orphans == []


def test_every_command_the_readme_lists_exists_and_none_is_left_out() -> None:
    listed = readme_commands()
    top = cli_commands()
    assert {path[0] for path in listed} == top
    for group in sorted({path[0] for path in listed if len(path) > 1}):
        listed_sub = {path[1] for path in listed if path[0] == group and len(path) > 1}
        assert listed_sub == cli_commands(group), f"annotator {group}"


def test_the_quick_start_is_make_run_and_make_test() -> None:
    quick = section(README.read_text(encoding="utf-8"), "Quick start")
    block = re.search(r"```sh\n(?P<code>.*?)```", quick, flags=re.S)
    assert block, "the quick start has a shell block"
    commands = [line.split("#")[0].strip() for line in block.group("code").splitlines()]
    assert commands == ["make run", "make test"]


def test_every_make_target_the_docs_name_is_in_the_makefile() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.M))
    named = {
        (page.relative_to(REPO).as_posix(), target)
        for page in doc_pages()
        for target in re.findall(r"(?:^|`)make ([a-z][\w-]*)", page.read_text(encoding="utf-8"), flags=re.M)
    }
    assert named, "the docs name make targets"
    assert sorted((page, t) for page, t in named if t not in targets) == []


def test_the_code_map_names_modules_that_exist() -> None:
    """docs/architecture.md and CONTRIBUTING.md: every `path/to/module.py` or `path/to/folder/`
    exists, from the repository or from annotator/ (folders made at run time aside)."""
    made_at_run_time = {"annotations/bench/"}
    missing: list[str] = []
    for name in ("docs/architecture.md", "CONTRIBUTING.md"):
        text = (REPO / name).read_text(encoding="utf-8")
        for match in re.finditer(r"`((?:[\w.-]+/)+[\w.-]*)`", text):
            path = match.group(1)
            if path in made_at_run_time:
                continue
            if path.count("/") < 2 and path.endswith("/") or not re.search(r"(\.py|/)$", path):
                continue  # `screens/`: a folder named inside its package's row
            if not ((REPO / path).exists() or (REPO / "annotator" / path).exists()):
                missing.append(f"{name}: {path}")
    assert missing == []


def test_the_code_map_has_no_names_left_to_confirm() -> None:
    """The redesign landed: no name in the code map is marked ‡ ("to confirm") any more."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if "‡" in line] == []


DOTTED = re.compile(r"`(?P<name>(?:schemas|store|services|cli|tui)(?:\.\w+)+)`")


def dotted_name_problem(name: str) -> str | None:
    """None when ``annotator.<name>`` is a module, or an attribute of the longest module prefix."""
    parts = f"annotator.{name}".split(".")
    for cut in range(len(parts), 1, -1):
        module_name = ".".join(parts[:cut])
        try:
            spec = importlib.util.find_spec(module_name)
        except ModuleNotFoundError:  # a parent that is a module, not a package
            spec = None
        if spec is None:
            continue
        target: object = importlib.import_module(module_name)
        for attribute in parts[cut:]:
            if not hasattr(target, attribute):
                return f"{name}: {module_name} has no {'.'.join(parts[cut:])}"
            target = getattr(target, attribute)
        return None
    return f"{name}: no such module"


def test_the_code_map_names_classes_and_functions_that_exist() -> None:
    """Every dotted name in docs/architecture.md (`services.commands.history.History`) is a module
    of annotator or an attribute of one, read from the installed package."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    names = sorted({m.group("name") for m in DOTTED.finditer(text)})
    assert names, "the code map names modules and classes"
    assert [problem for name in names if (problem := dotted_name_problem(name))] == []


def test_the_dotted_name_check_finds_a_missing_module_and_a_missing_name() -> None:
    assert dotted_name_problem("services.commands.history.History") is None
    assert dotted_name_problem("services.commands") is None
    assert dotted_name_problem("services.commands.history.Nothing") == (
        "services.commands.history.Nothing: annotator.services.commands.history has no Nothing"
    )
    assert dotted_name_problem("tui.nothing_here") == "tui.nothing_here: annotator.tui has no nothing_here"
