"""Label schema files: the default schema, and one-line errors that name file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import UserError
from annotator.schemas.labels import EnumAttr, IntegerAttr, LinkAttr, TextAttr, load_schema


def test_default_schema_has_the_four_labels_on_keys_1_to_4(schema):
    assert schema.label_names == ("ACTOR", "LOCATION", "CASUALTY", "QUOTE")
    assert [label.key for label in schema.labels] == ["1", "2", "3", "4"]
    actor = schema.label("ACTOR")
    assert isinstance(actor.attribute("actor_type"), EnumAttr)
    assert isinstance(actor.attribute("canonical"), TextAttr)
    place = schema.label("LOCATION").attribute("place_type")
    assert place.values == ("country", "city/town", "neighbourhood", "site", "region")
    casualty = schema.label("CASUALTY")
    assert casualty.attribute("category").values == (
        "killed",
        "injured",
        "raped",
        "displaced",
        "fled",
        "missing",
        "affected/in need",
    )
    assert isinstance(casualty.attribute("count_min"), IntegerAttr)
    assert isinstance(casualty.attribute("count_max"), IntegerAttr)
    assert casualty.attribute("qualifier").values == (
        "exact",
        "at least",
        "more than",
        "nearly/about",
        "up to",
        "tens/hundreds/thousands of",
    )
    speaker = schema.label("QUOTE").attribute("speaker")
    assert isinstance(speaker, LinkAttr) and speaker.target == "ACTOR" and speaker.many


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD_LABEL = '[[labels]]\nname = "ACTOR"\nkey = "1"\ncolour = "#112233"\n'


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            'name = "x"\nversion = 1\n[[labels]]\nname = "actor"\nkey = "1"\ncolour = "#112233"\n',
            "labels[0] (actor).name",
        ),
        (
            'name = "x"\nversion = 1\n' + GOOD_LABEL + '[[labels]]\nname = "PLACE"\nkey = "2"\ncolour = "green"\n',
            "labels[1] (PLACE).colour",
        ),
        ('name = "x"\nversion = 1\n' + GOOD_LABEL + GOOD_LABEL.replace("ACTOR", "OTHER"), "label keys repeat: 1"),
        ('name = "x"\n' + GOOD_LABEL, "version: Field required"),
        (
            'name = "x"\nversion = 1\n' + GOOD_LABEL + '[[labels.attributes]]\nname = "kind"\nkind = "colour"\n',
            "labels[0] (ACTOR).attributes[0] (kind)",
        ),
        (
            'name = "x"\nversion = 1\n'
            + GOOD_LABEL
            + '[[labels.attributes]]\nname = "who"\nkind = "link"\ntarget = "NOPE"\n',
            "targets unknown label 'NOPE'",
        ),
        (
            'name = "x"\nversion = 1\n'
            + GOOD_LABEL
            + '[[labels.attributes]]\nname = "t"\nkind = "enum"\nvalues = []\n',
            "labels[0] (ACTOR).attributes[0] (t).values",
        ),
        (
            'name = "x"\nversion = 1\n' + GOOD_LABEL + 'shortcut = "x"\n',
            "labels[0] (ACTOR).shortcut: Extra inputs are not permitted",
        ),
        ('name = "x"\nversion = 1\nlabels = [', "not valid TOML"),
    ],
)
def test_schema_mistakes_name_the_file_and_field(tmp_path, body, expected):
    path = _write(tmp_path, body)
    with pytest.raises(UserError) as info:
        load_schema(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


def test_missing_schema_file_is_one_line(tmp_path):
    with pytest.raises(UserError, match="cannot read schema"):
        load_schema(tmp_path / "absent.toml")


def test_attribute_values_are_checked(schema):
    clean = schema.validate_attrs("CASUALTY", {"count_min": "1,600", "category": "killed", "victims": "Muslims"})
    assert clean == {"count_min": 1600, "category": "killed", "victims": "Muslims"}
    with pytest.raises(ValueError, match="CASUALTY.qualifier must be one of"):
        schema.validate_attrs("CASUALTY", {"qualifier": "roughly"})
    with pytest.raises(ValueError, match="CASUALTY.count_max must be a whole number"):
        schema.validate_attrs("CASUALTY", {"count_max": "many"})
    with pytest.raises(ValueError, match="at least 0"):
        schema.validate_attrs("CASUALTY", {"count_max": -3})
    with pytest.raises(ValueError, match="ACTOR has no attribute 'colour'"):
        schema.validate_attrs("ACTOR", {"colour": "red"})
    with pytest.raises(ValueError, match="is a link"):
        schema.validate_attrs("QUOTE", {"speaker": [1]})


def test_fingerprint_is_stable_and_content_sensitive(schema, tmp_path):
    from annotator.schemas.labels import default_schema_path

    text = default_schema_path().read_text()
    copy = _write(tmp_path, text)
    assert load_schema(copy).fingerprint == schema.fingerprint
    changed = _write(tmp_path, text.replace('colour = "#4e9cd6"', 'colour = "#4e9cd7"'))
    assert load_schema(changed).fingerprint != schema.fingerprint
