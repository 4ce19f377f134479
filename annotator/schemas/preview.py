"""A label schema file as written, before pydantic validates it: enough to draw a first screen.

``labels.load_schema`` validates a schema with pydantic, whose import and model building cost
about as much as the rest of the annotation app's start. The app's first screen needs only
each label's name, key and colour, so ``annotator annotate`` reads the file here
(``read_schema_file``: the same one-line errors for an unreadable file or bad TOML), shows
the article with a ``SchemaPreview`` and validates the schema (``SchemaPreview.validate``)
in a worker right after, before anything is stored under it.

``SchemaPreview.of`` returns None unless the labels are plainly right (names, one-character
keys, ``#rrggbb`` colours, nothing repeated), so a mistake there is still reported by
pydantic's precise message before the app starts. No pydantic import here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.errors import UserError
from annotator.untrusted import is_printable

if TYPE_CHECKING:
    from annotator.schemas.labels import LabelSchema

LABEL_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_SCHEMA_FILE = "conflict.toml"


def bundled_dir(name: str) -> Path:
    """A folder shipped with the project (``schemas`` or ``sources``).

    In a checkout (editable install) it is the top-level folder; in a wheel it is bundled
    under ``annotator/_bundled``.
    """
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent / name, package / "_bundled" / name):
        if candidate.is_dir():
            return candidate
    raise UserError(f"the bundled folder {name!r} is missing from this installation")


def default_schema_path() -> Path:
    return bundled_dir("schemas") / DEFAULT_SCHEMA_FILE


def read_schema_file(path: Path | str) -> dict[str, Any]:
    """A schema file's TOML as data; an unreadable file or bad TOML is a ``UserError``."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read schema ({exc.strerror or exc})") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"{path}: schema is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None


# The rules for a label's name, key and colour, and for repeats: ``labels.LabelSpec`` and
# ``LabelSchema`` validate with these very functions, so the preview and the schema agree.


def label_name_problem(value: str) -> str | None:
    return None if LABEL_NAME.match(value) else "label names are UPPER_SNAKE_CASE, e.g. 'ACTOR'"


def label_key_problem(value: str) -> str | None:
    if len(value) != 1 or not is_printable(value) or value.isspace():
        return "a label key is one printable character, e.g. '1'"
    return None


def colour_problem(value: str) -> str | None:
    return None if COLOUR.match(value) else "colours are '#rrggbb' hex strings"


STYLE_WORDS = ("bold", "italic", "underline", "strike")


def style_problem(value: str) -> str | None:
    """A label's text style without colour: some of ``STYLE_WORDS``, space separated ("" : chosen for it)."""
    words = value.split()
    if all(w in STYLE_WORDS for w in words) and len(set(words)) == len(words):
        return None
    return f"a style is some of {', '.join(STYLE_WORDS)}, space separated, e.g. 'bold underline'"


def repeated(items: list[str]) -> list[str]:
    """The items that occur more than once, sorted."""
    seen: set[str] = set()
    twice: set[str] = set()
    for item in items:
        (twice if item in seen else seen).add(item)
    return sorted(twice)


class LabelLookup:
    """Finding labels by name (in ``self.labels``); shared by the preview and ``LabelSchema``."""

    if TYPE_CHECKING:
        labels: tuple[Any, ...]  # a field of each subclass

    def label(self, name: str) -> Any:
        for label in self.labels:
            if label.name == name:
                return label
        raise KeyError(name)

    def has_label(self, name: str) -> bool:
        return any(label.name == name for label in self.labels)

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)


@dataclass(frozen=True)
class LabelPreview:
    name: str
    key: str
    colour: str
    description: str = ""
    style: str = ""
    attributes: tuple[Any, ...] = ()  # known once validated
    links: tuple[Any, ...] = ()
    value_attributes: tuple[Any, ...] = ()


@dataclass(frozen=True)
class SchemaPreview(LabelLookup):
    """The labels of a schema file not validated yet (see the module's docstring)."""

    name: str
    labels: tuple[LabelPreview, ...]
    data: dict[str, Any]
    origin: str

    @classmethod
    def of(cls, data: Any, origin: str) -> SchemaPreview | None:
        if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
            return None
        labels = data.get("labels")
        if not isinstance(labels, list) or not labels:
            return None
        found: list[LabelPreview] = []
        for label in labels:
            if not isinstance(label, dict):
                return None
            name, key, colour = label.get("name"), label.get("key"), label.get("colour")
            description, style = label.get("description", ""), label.get("style", "")
            if not (
                isinstance(name, str)
                and label_name_problem(name) is None
                and isinstance(key, str)
                and label_key_problem(key) is None
                and isinstance(colour, str)
                and colour_problem(colour) is None
                and isinstance(description, str)
                and isinstance(style, str)
                and style_problem(style) is None
            ):
                return None
            found.append(LabelPreview(name, key, colour.lower(), description, " ".join(style.split())))
        if repeated([p.name for p in found]) or repeated([p.key for p in found]):
            return None
        return cls(data["name"], tuple(found), data, origin)

    def validate(self) -> LabelSchema:
        """The validated schema (imports pydantic); a mistake is ``labels.parse_schema``'s error."""
        from annotator.schemas.labels import parse_schema  # pydantic: after the first paint (start-up speed)

        return parse_schema(self.data, self.origin)


def preview_schema(path: Path | None) -> SchemaPreview | LabelSchema:
    """``path`` (else the bundled default) read for a first screen: a ``SchemaPreview`` when its
    labels are plainly right, else validated at once (so a mistake is reported now)."""
    path = path or default_schema_path()
    data = read_schema_file(path)
    preview = SchemaPreview.of(data, str(path))
    if preview is not None:
        return preview
    from annotator.schemas.labels import parse_schema

    return parse_schema(data, str(path))
