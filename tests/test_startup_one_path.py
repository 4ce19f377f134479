"""One start path: the fast first read shares its option table, SQL text and schema rules with
the full path, and these tests hold each pair equal (issue 14, "One start path"; issue 15's
``--version``).

- ``annotate``'s options: argparse (``launch.parse_annotate``) and typer (``annotator annotate``)
  read the same arguments the same way, or both refuse them.
- The first screen: ``services.first_read`` (sqlite3) returns the rows ``session_ops.queue``,
  ``annotations.spans_for`` and ``get_status`` return (SQLAlchemy) on the same database.
- The schema: ``SchemaPreview.of`` accepts a schema exactly when pydantic does (for labels
  without attributes) and reads the same labels.
- The migration head constant is Alembic's head.
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from annotator import launch
from annotator.cli import annotate_cmd
from annotator.cli import app as cli_app
from annotator.errors import UserError
from annotator.schemas.labels import parse_schema
from annotator.schemas.preview import SchemaPreview

HEAVY = ("typer", "click", "pydantic", "sqlalchemy", "sqlmodel", "alembic", "textual", "rich")

# ---------------------------------------------------------------------------- options

_WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=8)
_NUMBERS = st.one_of(st.integers(-3, 40).map(str), st.sampled_from(["", "x", "1.5", " 7", "+3", "0x1"]))


@st.composite
def annotate_args(draw: st.DrawFn) -> list[str]:
    """Arguments built from the option table: known options in any order, some repeated,
    sometimes glued with ``=``, sometimes a value missing or a stray word."""
    args: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        option = draw(st.sampled_from(launch.ANNOTATE_OPTIONS))
        if option.kind is bool:
            args.append(draw(st.sampled_from(option.flags)))
            continue
        value = draw(_NUMBERS if option.kind is int else _WORDS)
        if value.startswith("-"):
            args.append(f"{option.flag}={value}")  # a value that looks like an option goes glued
        elif draw(st.booleans()):
            args.append(f"{option.flag}={value}")
        else:
            args += [option.flag, value]
    if draw(st.integers(0, 9)) == 0:
        args.insert(draw(st.integers(0, len(args))), draw(st.sampled_from(["--as", "extra", "--bogus", "--db"])))
    return args


def _typer_reading(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[Any, ...] | None:
    """What ``annotator annotate ARGS`` hands to ``run_annotate`` through typer (None: refused)."""
    seen: list[tuple[Any, ...]] = []
    monkeypatch.setattr(annotate_cmd, "run_annotate", lambda *values: seen.append(values))
    result = CliRunner().invoke(cli_app, ["annotate", *args])
    if result.exit_code != 0:
        assert not seen and result.exit_code == 2, result.output
        return None
    assert len(seen) == 1, result.output
    return seen[0]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=annotate_args())
def test_annotate_options_read_the_same_through_argparse_and_typer(args, monkeypatch):
    """Whatever the fast path accepts, typer reads the same; what it refuses goes to typer
    anyway (``launch.main``), so a person always gets typer's reading."""
    fast = launch.parse_annotate(args)
    full = _typer_reading(args, monkeypatch)
    if fast is not None:
        assert full == tuple(getattr(fast, o.dest) for o in launch.ANNOTATE_OPTIONS), args


def test_the_annotate_command_declares_the_option_table():
    import inspect
    import typing

    import typer

    command = annotate_cmd_function()
    parameters = inspect.signature(command).parameters
    hints = typing.get_type_hints(command, include_extras=True)
    assert list(parameters) == [o.dest for o in launch.ANNOTATE_OPTIONS]
    for option in launch.ANNOTATE_OPTIONS:
        declared = parameters[option.dest]
        assert declared.default == option.default
        info = next(a for a in hints[option.dest].__metadata__ if isinstance(a, typer.models.OptionInfo))
        assert (
            (info.default, *info.param_decls) == (option.flag,)
            and info.help == option.help
            and info.min == option.minimum
        )


def annotate_cmd_function():
    import typer

    app = typer.Typer()
    annotate_cmd.register(app)
    return app.registered_commands[0].callback


# ---------------------------------------------------------------------------- --version


def test_version_prints_the_package_metadata_version_and_loads_nothing_heavy():
    expected = f"annotator {importlib.metadata.version('annotator')}\n"
    for flag in ("--version", "-V"):
        shown = subprocess.run([sys.executable, "-m", "annotator", flag], capture_output=True, text=True, timeout=60)
        assert (shown.returncode, shown.stdout, shown.stderr) == (0, expected, "")
    code = (
        "import json, sys; sys.argv = ['annotator', '--version']; import annotator.launch as l; l.main();"
        f" print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.splitlines() == [expected.strip(), "[]"]


def test_version_through_the_typer_cli_and_in_its_help():
    runner = CliRunner()
    for flag in ("--version", "-V"):
        result = runner.invoke(cli_app, [flag])
        assert (result.exit_code, result.output) == (0, f"annotator {launch.version()}\n")
    assert "--version" in runner.invoke(cli_app, ["--help"]).output


# ---------------------------------------------------------------------------- schema

_LABEL_NAMES = st.one_of(st.sampled_from(["ACTOR", "LOCATION", "A", "X_1", "QUOTE"]), st.text(max_size=6))
_KEYS = st.one_of(st.sampled_from(["1", "2", "a", "é", " ", "\t", "12", ""]), st.text(max_size=2))
_COLOURS = st.one_of(st.sampled_from(["#aabbcc", "#AABBCC", "#123", "red", "#12345g"]), st.text(max_size=7))


@st.composite
def schema_data(draw: st.DrawFn) -> dict[str, Any]:
    labels = []
    for _ in range(draw(st.integers(0, 4))):
        label: dict[str, Any] = {
            "name": draw(_LABEL_NAMES),
            "key": draw(_KEYS),
            "colour": draw(_COLOURS),
        }
        if draw(st.booleans()):
            label["description"] = draw(st.one_of(st.text(max_size=10), st.integers()))
        labels.append(label)
    return {"name": draw(st.sampled_from(["conflict", ""])), "version": 1, "labels": labels}


@settings(max_examples=400, deadline=None)
@given(data=schema_data())
def test_the_preview_and_pydantic_read_the_same_schema(data):
    preview = SchemaPreview.of(data, "s.toml")
    try:
        validated = parse_schema(data, "s.toml")
    except UserError:
        assert preview is None, data
        return
    assert preview is not None, data
    assert preview.name == validated.name
    assert [(p.name, p.key, p.colour, p.description) for p in preview.labels] == [
        (v.name, v.key, v.colour, v.description) for v in validated.labels
    ]
    assert preview.validate() == validated


def test_the_bundled_schemas_read_the_same_both_ways():
    from annotator.schemas.labels import load_schema
    from annotator.schemas.preview import bundled_dir, read_schema_file

    schemas = [p for p in sorted(bundled_dir("schemas").glob("*.toml")) if "labels" in read_schema_file(p)]
    assert schemas  # conflict.toml at least (the other files there are gazetteers)
    for path in schemas:
        preview = SchemaPreview.of(read_schema_file(path), str(path))
        validated = load_schema(path)
        assert preview is not None and preview.validate() == validated
        assert [(p.name, p.key, p.colour) for p in preview.labels] == [
            (v.name, v.key, v.colour) for v in validated.labels
        ]


# ---------------------------------------------------------------------------- migrations


def test_the_head_revision_constant_is_alembics():
    from alembic.script import ScriptDirectory

    from annotator.store import migrate
    from annotator.store.migrate_head import HEAD_REVISION

    head = ScriptDirectory(str(migrate.MIGRATIONS)).get_current_head()
    assert head == HEAD_REVISION, "a new migration: run `python -m annotator.store.migrate_head`"
    assert migrate.head_revision() == head


def test_a_current_database_is_checked_without_alembic(sqlite_url):
    code = (
        "import json, sys; from annotator.store.engine import get_engine; get_engine(sys.argv[1]);"
        " print(json.dumps('alembic' in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, sqlite_url], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) is False


# ---------------------------------------------------------------------------- first read

TEXTS = ("Rebels attacked Bangui on Monday.\n", "Amnesty said so.\n", "Nothing here.\n")
LABELS = ("ACTOR", "QUOTE", "ACTOR", "QUOTE", "LOCATION", "CASUALTY")  # quotes and speakers often


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    """A migrated SQLite file with three documents, copied for each example."""
    from annotator.services import corpus
    from annotator.store.engine import get_engine, session_scope

    path = tmp_path_factory.mktemp("first-read") / "template.db"
    engine = get_engine(f"sqlite:///{path}")
    with session_scope(engine) as session:
        for i, text in enumerate(TEXTS):
            corpus.add_document(session, text=text, title=f"doc {i + 1}", source=f"test-{i + 1}")
    engine.dispose()
    return path


_SPAN = st.tuples(st.sampled_from([0, 0, 1, 2]), st.sampled_from(LABELS), st.integers(0, 12), st.integers(1, 12))


@st.composite
def stored_work(draw: st.DrawFn) -> dict[str, Any]:
    who = ("ana", "bob")
    return {
        "spans": {name: draw(st.lists(_SPAN, max_size=6)) for name in who},
        "links": draw(st.booleans()),  # each of ana's QUOTEs linked to an ACTOR of hers on its document
        "statuses": draw(
            st.lists(
                st.tuples(st.sampled_from(who), st.integers(0, 2), st.sampled_from(["done", "skipped", "in_progress"])),
                max_size=3,
            )
        ),
        "assigned": draw(st.lists(st.tuples(st.sampled_from(who), st.integers(0, 2)), max_size=3)),
        "opened": draw(st.one_of(st.none(), st.integers(0, 2))),
        "reader": draw(st.sampled_from(["ana", "ana", "bob", "zoe"])),
    }


def _store_work(url: str, work: dict[str, Any]) -> None:
    from annotator.schemas.labels import load_default_schema
    from annotator.services import annotations as ann
    from annotator.services import session_ops as ops
    from annotator.services import spans as span_ops
    from annotator.store.engine import get_engine, session_scope
    from annotator.store.models import Assignment, Document, Span, Status

    schema = load_default_schema()
    engine = get_engine(url)
    with session_scope(engine) as session:
        docs = [session.get(Document, i) for i in (1, 2, 3)]
        infos = {name: ops.start_session(session, name, schema) for name in ("ana", "bob")}
        made: list[int] = []
        for name, spans in work["spans"].items():
            info = infos[name]
            for doc_index, label, start, length in spans:
                doc = docs[doc_index]
                end = min(start + length, len(doc.text))
                if start >= end:
                    continue
                attrs = {"actor_type": "militia"} if label == "ACTOR" and start % 2 else None
                span = span_ops.add_span(
                    session,
                    document=doc,
                    annotator_id=info.annotator_id,
                    schema_id=info.schema_id,
                    schema=schema,
                    label=label,
                    start=start,
                    end=end,
                    attrs=attrs,
                )
                session.flush()
                if name == "ana":
                    made.append(span.id)
        spans_of_ana = {sid: session.get(Span, sid) for sid in made}
        if work["links"]:
            quotes = [span for span in spans_of_ana.values() if span.label == "QUOTE"]
            for quote in quotes:
                actors = [
                    c.id for c in spans_of_ana.values() if c.label == "ACTOR" and c.document_id == quote.document_id
                ]
                if actors:
                    span_ops.set_links(session, quote.id, "speaker", actors[:2], schema=schema)
        for name, doc_index, status in work["statuses"]:
            ann.set_status(
                session, document_id=doc_index + 1, annotator_id=infos[name].annotator_id, status=Status(status)
            )
        for name, doc_index in set(work["assigned"]):
            session.add(Assignment(document_id=doc_index + 1, assignee_id=infos[name].annotator_id))
        if work["opened"] is not None:
            ops.open_document(session, document_id=work["opened"] + 1, annotator_id=infos["ana"].annotator_id)
    engine.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(work=stored_work(), window=st.integers(1, 4))
def test_the_first_read_and_the_full_read_return_the_same_rows(work, window, template_db, tmp_path):
    from sqlmodel import select

    from annotator.services import annotations as ann
    from annotator.services import queue
    from annotator.services import session_ops as ops
    from annotator.services.first_read import read_first_screen
    from annotator.store.engine import get_engine, session_scope
    from annotator.store.models import Annotator

    path = tmp_path / f"db-{abs(hash(repr(work)))}.db"
    shutil.copyfile(template_db, path)
    url = f"sqlite:///{path}"
    _store_work(url, work)
    first = read_first_screen(url, work["reader"], window=window)  # windows of 1-4 of the 3 documents
    assert first is not None
    engine = get_engine(url)
    with session_scope(engine) as session:
        row = session.exec(select(Annotator).where(Annotator.name == work["reader"])).first()
        who = row.id if row is not None else -1  # a new annotator: nobody's statuses and spans
        assert first.annotator_id == (row.id if row is not None else None)
        doc = first.document
        assert doc is not None  # the template has documents; with assignments, ana's or bob's
        # the window the services read around that document, and only that window
        assert first.queue == queue.window(
            session, annotator_id=who, filter_name="all", document_id=doc.id, size=window
        )
        whole = ops.queue(session, who)
        assert first.queue.rows == whole[first.queue.first : first.queue.first + window]
        if row is not None and row.last_document_id is not None:
            assert doc.id == row.last_document_id or row.last_document_id not in [r.document_id for r in whole]
        else:  # never opened one: the first of the queue
            assert doc.id == whole[0].document_id
        assert doc.spans == ann.spans_for(session, doc.id, who)
        event(f"spans shown: {'some' if doc.spans else 'none'}, linked: {any(sp.links for sp in doc.spans)}")
        stored = ann.get_status(session, doc.id, who)
        assert (doc.status, doc.note) == ((stored.status, stored.note or "") if stored else ("todo", ""))
        assert first.spans_complete and first.spans_total == len(doc.spans)
    engine.dispose()
