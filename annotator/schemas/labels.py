"""Label schemas: which labels a project uses, their keys, colours and span attributes.

A schema is data (a TOML file in ``schemas/``) validated by the pydantic models here.
Nothing in this module touches the database or the UI.
"""

from __future__ import annotations

import hashlib
import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from annotator.errors import UserError
from annotator.schemas.preview import (  # noqa: F401  (re-exported: labels is where callers look)
    DEFAULT_SCHEMA_FILE,
    LabelLookup,
    bundled_dir,
    colour_problem,
    default_schema_path,
    label_key_problem,
    label_name_problem,
    read_schema_file,
    repeated,
    style_problem,
)

_ATTR = re.compile(r"^[a-z][a-z0-9_]*$")


def _checked(value: str, problem: str | None) -> str:
    if problem is not None:
        raise ValueError(problem)
    return value


INT_LIMIT = 2**63  # integer attributes lie in [-2^63, 2^63)


class AttrKind(str, Enum):
    ENUM = "enum"
    INTEGER = "integer"
    TEXT = "text"
    LINK = "link"


class _Attr(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = ""
    required: bool = False

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _ATTR.match(value):
            raise ValueError("attribute names are lower_snake_case, e.g. 'actor_type'")
        return value


class EnumAttr(_Attr):
    kind: Literal["enum"] = "enum"
    values: tuple[str, ...] = Field(min_length=1)

    @field_validator("values")
    @classmethod
    def _unique(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(values)) != len(values):
            raise ValueError("enum values must be unique")
        return values


class IntegerAttr(_Attr):
    kind: Literal["integer"] = "integer"
    minimum: int | None = None
    maximum: int | None = None


class TextAttr(_Attr):
    kind: Literal["text"] = "text"
    max_length: int = 500


class LinkAttr(_Attr):
    """A link from this span to one (or, with ``many``, several) spans of ``target`` label."""

    kind: Literal["link"] = "link"
    target: str
    many: bool = False
    relation: str = ""  # the relation label in exports; defaults to the attribute name upper-cased

    @property
    def relation_label(self) -> str:
        return self.relation or self.name.upper()


AttrSpec = Annotated[EnumAttr | IntegerAttr | TextAttr | LinkAttr, Field(discriminator="kind")]


class LabelExamples(BaseModel):
    """Short snippets that show a label's guidelines: what to tag (``positive``) and what not."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    positive: tuple[Annotated[str, Field(min_length=1, max_length=300)], ...] = ()
    negative: tuple[Annotated[str, Field(min_length=1, max_length=300)], ...] = ()


class LabelSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    key: str
    colour: str
    description: str = ""
    # the text style it is drawn with when there is no colour (tui/widgets/row_painter.py);
    # "": one chosen in schema order
    style: str = ""
    attributes: tuple[AttrSpec, ...] = ()
    # how to annotate this label (markdown), shown where people annotate and review; part of
    # the schema's body, so it is stored with every schema version spans are made under
    guidelines: str = Field(default="", max_length=20_000)
    examples: LabelExamples = LabelExamples()

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _checked(value, label_name_problem(value))

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        return _checked(value, label_key_problem(value))

    @field_validator("colour")
    @classmethod
    def _colour(cls, value: str) -> str:
        return _checked(value, colour_problem(value)).lower()

    @field_validator("style")
    @classmethod
    def _style(cls, value: str) -> str:
        return " ".join(_checked(value, style_problem(value)).split())

    @model_validator(mode="after")
    def _unique_attrs(self) -> LabelSpec:
        names = [a.name for a in self.attributes]
        dupes = repeated(names)
        if dupes:
            raise ValueError(f"attribute names repeat: {', '.join(dupes)}")
        return self

    def attribute(self, name: str) -> AttrSpec | None:
        return next((a for a in self.attributes if a.name == name), None)

    @property
    def links(self) -> tuple[LinkAttr, ...]:
        return tuple(a for a in self.attributes if isinstance(a, LinkAttr))

    @property
    def value_attributes(self) -> tuple[AttrSpec, ...]:
        """Attributes stored on the span itself (everything but links)."""
        return tuple(a for a in self.attributes if not isinstance(a, LinkAttr))


class LabelSchema(LabelLookup, BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    version: int = Field(ge=1)
    description: str = ""
    labels: tuple[LabelSpec, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> LabelSchema:
        names = [label.name for label in self.labels]
        keys = [label.key for label in self.labels]
        for what, items in (("label names", names), ("label keys", keys)):
            dupes = repeated(items)
            if dupes:
                raise ValueError(f"{what} repeat: {', '.join(dupes)}")
        for label in self.labels:
            for link in label.links:
                if link.target not in names:
                    raise ValueError(
                        f"label {label.name}: link attribute {link.name!r} targets unknown label {link.target!r}"
                    )
        return self

    def by_key(self, key: str) -> LabelSpec | None:
        return next((label for label in self.labels if label.key == key), None)

    def canonical_json(self) -> str:
        """The schema as compact JSON; a label's empty ``guidelines``/``examples``/``style`` are
        left out, so a schema written before labels had them keeps its fingerprint."""
        bare = {
            i: {
                f for f in ("guidelines", "examples", "style") if getattr(label, f) == LabelSpec.model_fields[f].default
            }
            for i, label in enumerate(self.labels)
        }
        return self.model_dump_json(exclude={"labels": {i: fields for i, fields in bare.items() if fields}})

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the schema's canonical JSON: two files that say the same thing match."""
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    def validate_attrs(self, label: str, attrs: dict[str, Any]) -> dict[str, Any]:
        """Check a span's attribute values against the schema; return them normalised.

        Raises ``ValueError`` with a message naming the attribute.
        """
        spec = self.label(label)
        clean: dict[str, Any] = {}
        for key, value in attrs.items():
            attr = spec.attribute(key)
            if attr is None:
                raise ValueError(f"{label} has no attribute {key!r}")
            if isinstance(attr, LinkAttr):
                raise ValueError(f"{label}.{key} is a link; set it as a link, not a value")
            if value is None or value == "":
                continue
            if isinstance(attr, EnumAttr):
                if value not in attr.values:
                    raise ValueError(f"{label}.{key} must be one of {', '.join(attr.values)}; got {value!r}")
            elif isinstance(attr, IntegerAttr):
                if (
                    isinstance(value, float) and value.is_integer() and abs(value) >= INT_LIMIT
                ):  # a JSON reader's big int
                    value = int(value)
                if isinstance(value, bool) or not isinstance(value, int):
                    try:
                        value = int(str(value).replace(",", "").strip())
                    except ValueError:
                        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:59] + "…"
                        raise ValueError(f"{label}.{key} must be a whole number; got {shown}") from None
                if not -INT_LIMIT <= value < INT_LIMIT:  # a database BIGINT, and what agreement's arrays hold
                    raise ValueError(
                        f"{label}.{key} is out of range ({len(str(abs(value)))} digits); whole numbers must lie within ±2^63"
                    )
                if attr.minimum is not None and value < attr.minimum:
                    raise ValueError(f"{label}.{key} must be at least {attr.minimum}")
                if attr.maximum is not None and value > attr.maximum:
                    raise ValueError(f"{label}.{key} must be at most {attr.maximum}")
            elif isinstance(attr, TextAttr):
                value = str(value)
                if len(value) > attr.max_length:
                    raise ValueError(f"{label}.{key} is longer than {attr.max_length} characters")
            clean[key] = value
        return clean


def _field_path(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    """Turn a pydantic error location into a path a person can find in the file."""
    parts: list[str] = []
    node: Any = data
    for item in loc:
        if isinstance(item, int) and isinstance(node, list) and item < len(node):
            entry = node[item]
            name = entry.get("name") if isinstance(entry, dict) else None
            parts[-1:] = [f"{parts[-1] if parts else ''}[{item}]" + (f" ({name})" if name else "")]
            node = entry
        elif isinstance(item, str):
            if item in {"enum", "integer", "text", "link"} and parts:
                continue  # discriminator tag, not a field in the file
            parts.append(item)
            node = node.get(item) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"


def parse_schema(data: dict[str, Any], origin: str) -> LabelSchema:
    try:
        return LabelSchema.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise UserError(f"{origin}: {_field_path(tuple(err['loc']), data)}: {err['msg']}{more}") from None


def load_schema(path: Path | str) -> LabelSchema:
    """Read and validate a schema file; a mistake raises ``UserError`` naming file and field."""
    return parse_schema(read_schema_file(path), str(Path(path)))


def load_default_schema() -> LabelSchema:
    return load_schema(default_schema_path())
