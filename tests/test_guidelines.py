"""Guidelines as data: in the schema file, versioned with it, matching the sample gold, and
shown where people annotate (g, ?) and beside a disagreement in review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import review_support
from tui_helpers import add_docs, app_for, screen_text, settle

from annotator.errors import UserError
from annotator.schemas.guidelines import guidelines_text
from annotator.schemas.labels import load_schema
from annotator.services import corpus
from annotator.store.engine import get_engine, session_scope

GOLD = Path(__file__).resolve().parent.parent / "annotations" / "sample" / "gold.jsonl"


def _gold_texts() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for span in record["spans"]:
            out.setdefault(span["label"], set()).add(record["text"][span["start"] : span["end"]])
    return out


def test_default_schema_guidelines_follow_the_sample_gold(schema):
    gold = _gold_texts()
    assert schema.version == 3
    for label in schema.labels:
        assert len(label.guidelines) > 200 and label.examples.positive and label.examples.negative
        for snippet in label.examples.positive:  # each positive example holds a span the gold version has
            assert any(text in snippet for text in gold[label.name]), (label.name, snippet)
        for snippet in label.examples.negative:  # and no negative one is a gold span of that label
            assert snippet.split(" (")[0] not in gold[label.name], (label.name, snippet)
    # the conventions the gold follows, in words
    assert "including its quotation marks" in schema.label("QUOTE").guidelines
    assert "No determiner and no title" in schema.label("ACTOR").guidelines
    assert (
        "from the qualifier" in schema.label("CASUALTY").guidelines
        and "no adjuncts" in schema.label("CASUALTY").guidelines
    )
    assert "name only" in schema.label("LOCATION").guidelines


def _write(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(
        'name = "x"\nversion = 1\n[[labels]]\nname = "ACTOR"\nkey = "1"\ncolour = "#112233"\n' + extra, encoding="utf-8"
    )
    return path


def test_guidelines_are_versioned_with_the_schema(tmp_path, sqlite_url):
    bare = load_schema(_write(tmp_path, ""))
    assert "guidelines" not in bare.canonical_json()  # a schema without them keeps its old fingerprint
    with_text = load_schema(
        _write(tmp_path, 'guidelines = "Tag the noun phrase."\nexamples = { positive = ["rebels"] }\n')
    )
    assert with_text.fingerprint != bare.fingerprint
    assert with_text.label("ACTOR").examples.positive == ("rebels",)
    with session_scope(get_engine(sqlite_url)) as s:
        row = corpus.register_schema(s, with_text)
        stored = corpus.schema_of(row)
    assert stored.label("ACTOR").guidelines == "Tag the noun phrase."  # the stored version keeps them
    assert "+ rebels" in guidelines_text(stored.label("ACTOR"))


@pytest.mark.parametrize(
    "extra, field",
    [
        ("guidelines = 3\n", "labels[0] (ACTOR).guidelines"),
        ('examples = { good = ["x"] }\n', "labels[0] (ACTOR).examples.good"),
        ('examples = { positive = [""] }\n', "labels[0] (ACTOR).examples.positive"),
    ],
)
def test_bad_guidelines_name_the_field(tmp_path, extra, field):
    with pytest.raises(UserError) as info:
        load_schema(_write(tmp_path, extra))
    assert field in str(info.value) and "\n" not in str(info.value)


TEXT = 'Rebels attacked Bangui. "We will stay," said Ali.\n'


async def test_g_shows_the_guidelines_of_the_label_under_the_cursor_and_question_mark_all(sqlite_url):
    add_docs(sqlite_url, TEXT)
    async with app_for(sqlite_url).run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.annotate_screen
        screen.view.move_to(TEXT.index("Bangui"))
        await pilot.press("2")  # LOCATION on Bangui; the cursor stays on it
        await settle(pilot)
        await pilot.press("g")
        await pilot.pause()
        shown = screen_text(pilot.app)
        assert "Guidelines: LOCATION" in shown and "name only" in shown
        await pilot.press("right")
        await pilot.pause()
        assert "Guidelines: CASUALTY" in screen_text(pilot.app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = pilot.app.screen.guidelines
        assert help_text.index("LOCATION (key 2)") < help_text.index(
            "ACTOR (key 1)"
        )  # the label under the cursor first
        assert all(f"{name} (key" in help_text for name in ("ACTOR", "CASUALTY", "QUOTE"))


async def test_review_shows_the_guidelines_beside_a_disagreement(sqlite_url):
    review_support.seed(sqlite_url)
    async with review_support.review_app(sqlite_url).run_test(size=(160, 40)) as pilot:
        await review_support.settle(pilot)
        await review_support.press(pilot, "enter")
        screen = pilot.app.screen
        panel = screen.query_one("#rv-guidelines")
        assert panel.display and screen.current_group.labels == {"ACTOR"}
        assert panel.shown == ("ACTOR",) and "No determiner and no title" in screen_text(pilot.app)
        # a group where the annotators chose different labels shows both labels' guidelines
        target = next(g for g in screen.doc.groups if len(g.labels) > 1)
        screen._go(target)
        await pilot.pause()
        assert panel.shown == ("ACTOR", "LOCATION")
        await pilot.press("g")  # full screen (what a terminal narrower than 140 columns offers)
        await pilot.pause()
        assert "Guidelines: ACTOR" in screen_text(pilot.app)
