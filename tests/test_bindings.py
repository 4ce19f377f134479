"""The bindings module and the keymap check, without an app: both apps' defaults give no key
to two binding ids, and a keymap or a schema that would let one key shadow another is refused
with one line naming the file, the line and both ids. A property test holds the check equal to
what Textual itself does with the keymap (``BindingsMap.apply_keymap``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.paths import REPO
from textual.binding import BindingsMap

from annotator.errors import UserError
from annotator.schemas.labels import load_default_schema, load_schema
from annotator.schemas.preview import preview_schema
from annotator.tui import bindings
from annotator.tui.keymap import check, keymap_path, load_checked

SCHEMA = load_default_schema()


def _write_keymap(text: str) -> Path:
    path = keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _refusal(text: str, schema=SCHEMA) -> str:
    _write_keymap(text)
    with pytest.raises(UserError) as caught:
        load_checked(schema)
    message = str(caught.value)
    assert "\n" not in message
    return message


LABEL_SCHEMAS = sorted(p for p in (REPO / "schemas").glob("*.toml") if "[[labels]]" in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", LABEL_SCHEMAS, ids=lambda p: p.name)
def test_every_bundled_schema_and_the_defaults_give_each_key_to_one_id(path):
    schema = load_schema(path)
    check({}, bindings.scopes(schema), path=keymap_path(), schema_origin=str(path))
    assert load_checked(schema) == {}  # no keymap file: nothing to remap, nothing refused


def test_ids_cover_both_apps_the_labels_and_the_queue_filter():
    ids = bindings.binding_ids(SCHEMA)
    assert {"annotate.tag_all", "annotate.undo", "label.ACTOR", "doc.word_left", "queue.filter"} <= ids
    assert {"review.next", "review.accept_agreed", "review.accept_1", "review.list_quit", "form.save"} <= ids
    # review's digits choose an annotator's version: the default schema's digit keys add no label there
    assert not any(i.startswith("review.label.") for i in ids)


def test_the_readme_example_that_disabled_tag_all_is_refused_naming_both_ids():
    message = _refusal('"annotate.undo" = "u"\n"label.ACTOR" = "a,1"      # several keys: comma separated\n')
    assert message.startswith(f"{keymap_path()}:2: label.ACTOR = 'a,1' gives a to two bindings")
    assert "label.ACTOR and annotate.tag_all" in message


def test_one_key_for_two_actions_is_refused_at_the_later_line():
    message = _refusal('"annotate.undo" = "u"\n"annotate.redo" = "u"\n')
    assert message.startswith(f"{keymap_path()}:2: annotate.redo = 'u' gives u to two bindings on the annotate screen")
    assert "annotate.redo and annotate.undo" in message


def test_a_key_of_a_widget_on_the_screen_is_a_shadow_too():
    message = _refusal('"annotate.tag_all" = "left"\n')
    assert "annotate.tag_all and doc.left" in message or "doc.left and annotate.tag_all" in message
    message = _refusal('"queue.filter" = "a"\n')  # the queue's key would hide tag-all while it has focus
    assert "queue.filter" in message and "annotate.tag_all" in message
    message = _refusal('"review.accept_agreed" = "n"\n')
    assert "on the review document screen" in message and "review.accept_agreed and review.next" in message


def test_characters_are_compared_as_textual_names_them():
    assert _refusal('"annotate.search" = "?"\n').endswith(
        "annotate.search and annotate.help (remap one of them to another key)"
    )
    _write_keymap('"annotate.help" = "?"\n')  # its own key, written as a character
    assert load_checked(SCHEMA) == {"annotate.help": "?"}


def test_swapping_two_keys_and_moving_one_away_are_accepted():
    _write_keymap('[keys]\n"annotate.undo" = "ctrl+y"\n"annotate.redo" = "ctrl+z"\n"annotate.tag_all" = "A"\n')
    assert load_checked(SCHEMA) == {"annotate.undo": "ctrl+y", "annotate.redo": "ctrl+z", "annotate.tag_all": "A"}
    _write_keymap('"label.ACTOR" = "a,1"\n"annotate.tag_all" = "ctrl+t"\n')  # the README's example, made right
    assert load_checked(SCHEMA)["label.ACTOR"] == "a,1"


def test_unknown_ids_reserved_keys_and_bad_values_name_file_and_line():
    assert _refusal('\n"annotate.nothing" = "x"\n') == (
        f"{keymap_path()}:2: annotate.nothing: no such binding id (press ? in the app to see them)"
    )
    assert _refusal('"annotate.done" = "ctrl+p"\n').endswith(
        ":1: annotate.done: ctrl+p is the command palette's key; choose another"
    )
    assert "ctrl+b is tmux's prefix key" in _refusal('"review.undo" = "ctrl+b"\n')
    assert 'keys must be a string such as "ctrl+u"' in _refusal('"annotate.undo" = 3\n')
    assert 'keys must be a string such as "ctrl+u"' in _refusal('"annotate.undo" = "u,"\n')
    assert "not valid TOML" in _refusal('"annotate.undo" = \n')


def test_a_schema_label_key_that_takes_a_command_key_is_refused_at_its_line(tmp_path):
    text = (REPO / "schemas" / "conflict.toml").read_text(encoding="utf-8").replace('key = "2"', 'key = "a"', 1)
    path = tmp_path / "lettered.toml"
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.strip() == 'key = "a"')
    schema = preview_schema(path)
    with pytest.raises(UserError) as caught:
        load_checked(schema, origin=str(path))
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: label key 'a' is taken on the annotate screen:")
    assert "label.LOCATION and annotate.tag_all" in message and "\n" not in message
    # remapping tag-all away makes room for the label (and review binds it as review.label.LOCATION)
    _write_keymap('"annotate.tag_all" = "ctrl+t"\n')
    assert load_checked(schema, origin=str(path)) == {"annotate.tag_all": "ctrl+t"}
    assert "review.label.LOCATION" in bindings.binding_ids(schema)


def test_labelled_screens_are_subclasses_made_once_per_schema():
    from annotator.tui.screens.annotate import AnnotateScreen
    from annotator.tui.screens.review import DocReviewScreen

    made = bindings.labelled(AnnotateScreen, SCHEMA, "annotate")
    assert issubclass(made, AnnotateScreen) and made.__name__ == "AnnotateScreen"
    assert made is bindings.labelled(AnnotateScreen, preview_schema(None), "annotate")
    assert [b.id for b in made.BINDINGS] == [f"label.{label.name}" for label in SCHEMA.labels]
    assert bindings.labelled(DocReviewScreen, SCHEMA, "review").BINDINGS == []  # digits: no review label


# ---------------------------------------------------------------------------- against Textual

_SCOPES = [s for s in bindings.scopes(SCHEMA) if s.app != "both"]
_IDS = sorted({b.id for s in _SCOPES for _l, b in s.with_ids() if b.id})
_KEYS = ["a", "b", "u", "n", "1", "question_mark", "left", "tab", "ctrl+z", "ctrl+y", "f", "escape"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.sampled_from(_IDS),
        st.lists(st.sampled_from(_KEYS), min_size=1, max_size=2).map(",".join),
        max_size=4,
    )
)
def test_an_accepted_keymap_leaves_every_binding_reachable_in_textual(keymap):
    """Textual applies the keymap to the screen's bindings; the check accepts a keymap exactly
    when, after that, each key in a scope still runs one binding and no id lost a key."""
    try:
        check(keymap, _SCOPES, path=Path("keymap.toml"), schema_origin="schema")
        accepted = True
    except UserError:
        accepted = False
    textual_ok = True
    for scope in _SCOPES:
        live = BindingsMap.merge(BindingsMap(layer.bindings) for layer in scope.layers)
        live.apply_keymap(keymap)
        with_ids = {key: [b for b in found if b.id] for key, found in live.key_to_bindings.items()}
        if any(len({b.id for b in found}) > 1 for found in with_ids.values()):
            textual_ok = False  # two ids on one key: the first shadows the other
        for _layer, binding in scope.with_ids():
            for key in bindings.effective_keys(binding, keymap):
                if binding.id not in {b.id for b in with_ids.get(key, [])}:
                    textual_ok = False  # Textual dropped it: silently disabled
    assert accepted == textual_ok


def test_docs_keys_lists_every_id_and_its_example_is_accepted():
    text = (REPO / "docs" / "keys.md").read_text(encoding="utf-8")
    missing = {
        i
        for i in bindings.binding_ids(SCHEMA)
        if f"`{i}`" not in text and not (i.startswith("review.accept_") and i[-1] in "2345678")
    }
    assert missing == set()
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    _write_keymap(example)
    assert load_checked(SCHEMA)["label.ACTOR"] == "a,1"
