"""What the format readers produce: documents checked against the schema, as plain data.

Readers never touch the database. Each yields ``Record`` objects: a ``ParsedDoc`` ready to
store, or the problems that make the record invalid, or a Prodigy answer that carries no
annotations. ``SpanBuilder`` holds the checks every format shares (offsets, labels after the
label map, the recorded span text, attributes, links), so all formats report the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from annotator.errors import UserError
from annotator.schemas.labels import LabelSchema, LinkAttr
from annotator.store.models import Status
from annotator.untrusted import name_breaker

from .newlines import NewlineMap

DROP = "-"


@dataclass
class ParsedSpan:
    label: str
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedDoc:
    text: str
    title: str | None = None
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    annotator: str | None = None
    status: str | None = None
    spans: list[ParsedSpan] = field(default_factory=list)
    links: dict[tuple[int, str], list[int]] = field(default_factory=dict)  # (head index, attribute) -> child indices
    rejected: list[Rejection] = field(default_factory=list)  # gold's review groups left empty on purpose

    @property
    def needs_annotator(self) -> bool:
        return bool(self.spans or self.status or self.rejected)


@dataclass(frozen=True)
class Rejection:
    """A review group the adjudicator rejected (``AnnotationRecord.rejected``): restored as a decision."""

    group: str  # "START-END" or "START-END#N", offsets into the stored (newline-normalised) text
    decided_by: str | None = None


@dataclass
class Record:
    """One unit of input: a JSONL line, a brat document, a CoNLL document, a text file."""

    line: int
    doc: ParsedDoc | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    answer: str | None = None  # "reject"/"ignore": Prodigy records that carry no annotations
    skipped: list[tuple[str, int, str]] = field(default_factory=list)  # (kind, line, message)
    dropped_spans: int = 0  # removed by the label map (FROM=-)
    bytes_read: int = 0
    problem_path: str | None = None  # the file problems point into, when not the one being read
    unknown_labels: Counter[str] = field(default_factory=Counter)  # labels (before mapping) the schema lacks

    @property
    def ok(self) -> bool:
        return not self.problems and self.answer is None and self.doc is not None


class LabelMap:
    """``--label-map FROM=TO,...``: rename other tools' labels; ``FROM=-`` drops them."""

    def __init__(self, mapping: dict[str, str] | None, schema: LabelSchema) -> None:
        self.mapping = dict(mapping or {})
        relation_labels = {a.relation_label for label in schema.labels for a in label.links}
        for source, target in self.mapping.items():
            if target != DROP and not schema.has_label(target) and target not in relation_labels:
                raise UserError(
                    f"{source}={target}: {target!r} is not a label of schema {schema.name!r} "
                    f"({', '.join(schema.label_names)}); use {source}=- to drop it",
                    field="label_map",
                )

    @classmethod
    def parse(cls, value: str | dict[str, str] | LabelMap | None, schema: LabelSchema) -> LabelMap:
        if isinstance(value, LabelMap):
            return value
        if value is None or isinstance(value, dict):
            return cls(value, schema)
        mapping: dict[str, str] = {}
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            source, sep, target = part.partition("=")
            source, target = source.strip(), target.strip()
            if not sep or not source:
                raise UserError(f"expected FROM=TO (or FROM=- to drop), got {part!r}", field="label_map")
            mapping[source] = target or DROP
        return cls(mapping, schema)

    def __call__(self, label: str) -> str | None:
        """The schema label for ``label``, or ``None`` when the map drops it."""
        target = self.mapping.get(label, label)
        return None if target == DROP else target


def describe(value: Any, limit: int = 60) -> str:
    """A short, safe rendering of an untrusted value for a message (control chars escaped)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ---- names, titles and sources: what both databases store alike ------------------------

ANNOTATOR_NAME_MAX = 200  # the annotator.name column


def annotator_problem(name: str) -> str | None:
    """Why ``name`` cannot be an annotator's name, or ``None``.

    PostgreSQL refuses NUL and names over 200 characters while SQLite stores them, so both
    refuse them here; control characters, line and paragraph separators and lone
    surrogates would break every table and terminal the name is shown in.
    """
    if not name.strip():
        return "the annotator needs a name"
    if len(name) > ANNOTATOR_NAME_MAX:
        return f"annotator names are at most {ANNOTATOR_NAME_MAX} characters; {describe(name, 40)} has {len(name)}"
    bad = name_breaker(name)
    if bad is not None:
        return f"the annotator name {describe(name)} holds a control character ({describe(bad)})"
    return None


class SpanBuilder:
    """Collects one document's spans and links, checking each against text and schema."""

    def __init__(self, record: Record, text_map: NewlineMap, schema: LabelSchema, label_map: LabelMap) -> None:
        self.record = record
        self.map = text_map
        self.original = text_map.original
        self.schema = schema
        self.label_map = label_map
        self.spans: list[ParsedSpan] = []
        self._index: dict[tuple[str, int, int], int] = {}
        self.keys: dict[Hashable, int | None] = {}  # reader's key (span id, brat T id...) -> index; None if dropped
        self.links: dict[tuple[int, str], list[int]] = {}

    def problem(self, line: int, message: str) -> None:
        self.record.problems.append((line, message))

    def add(self, line: int, what: str, *, keys: tuple[Hashable, ...] = (), **span: Any) -> int | None:
        """Check one span; return its index (``None`` if dropped or invalid).

        ``keys`` are the names relations use for this span (an id, or its offsets and
        label); a dropped or invalid span's keys resolve to ``None`` so that relations to
        it are skipped instead of being reported a second time.
        """
        index = self._add(line, what, **span)
        for key in keys:
            self.keys[key] = index
        return index

    def _add(
        self, line: int, what: str, *, start: Any, end: Any, label: Any, text: Any = None, attrs: Any = None
    ) -> int | None:
        if not isinstance(label, str) or not label:
            self.problem(line, f"{what}: 'label' must be a non-empty string, got {describe(label)}")
            return None
        name = f"{what} ({describe(label, 40)})"
        if not (whole_number(start) and whole_number(end)):
            self.problem(
                line, f"{name}: start and end must be whole numbers, got {describe(start)} and {describe(end)}"
            )
            return None
        if start < 0 or end > len(self.original):
            self.problem(line, f"{name}: span {start}-{end} lies outside the text (length {len(self.original)})")
            return None
        if end <= start:
            self.problem(line, f"{name}: span {start}-{end} is empty or reversed (end must be greater than start)")
            return None
        if text is not None and text != self.original[start:end]:
            self.problem(
                line,
                f"{name}: its recorded text {describe(text)} does not match the document's text at "
                f"{start}-{end}: {describe(self.original[start:end])}",
            )
            return None
        mapped = self.label_map(label)
        if mapped is None:
            self.record.dropped_spans += 1
            return None
        if not self.schema.has_label(mapped):
            via = f" (mapped from {label!r})" if mapped != label else ""
            self.problem(line, f"{what}: label {mapped!r}{via} is not in schema {self.schema.name!r}")
            self.record.unknown_labels[label] += 1
            return None
        clean: dict[str, Any] = {}
        if attrs:
            if not isinstance(attrs, dict):
                self.problem(line, f"{name}: 'attrs' must be an object, got {describe(attrs)}")
                return None
            try:
                clean = self.schema.validate_attrs(mapped, attrs)
            except ValueError as exc:
                self.problem(line, f"{name}: {exc}")
                return None
        new_start, new_end = self.map(start), self.map(end)
        if new_end <= new_start:
            self.problem(line, f"{name}: span {start}-{end} holds only a line break")
            return None
        ident = (mapped, new_start, new_end)
        index = self._index.get(ident)
        if index is None:
            index = len(self.spans)
            self._index[ident] = index
            self.spans.append(ParsedSpan(mapped, new_start, new_end, clean))
        else:  # reported, never merged in silence
            self.record.skipped.append(
                (
                    "duplicate spans (each stored once)",
                    line,
                    f"{name}: duplicate span {mapped} {new_start}-{new_end} {describe(self.map.text[new_start:new_end], 40)} stored once",
                )
            )
            if clean:
                self.spans[index].attrs.update(clean)
        return index

    def set_attr(self, line: int, index: int, name: str, value: Any) -> None:
        span = self.spans[index]
        try:
            clean = self.schema.validate_attrs(span.label, {name: value})
        except ValueError as exc:
            self.problem(line, str(exc))
            return
        span.attrs.update(clean)

    def link_attribute(self, relation: str, head: int, child: int) -> LinkAttr | None:
        """The head label's link attribute that ``relation`` names and the child fits."""
        head_spec = self.schema.label(self.spans[head].label)
        child_label = self.spans[child].label
        wanted = relation.casefold()
        for attr in head_spec.links:
            if wanted in (attr.relation_label.casefold(), attr.name.casefold()) and attr.target == child_label:
                found: LinkAttr = attr
                return found
        return None

    def relation(
        self, line: int, what: str, label: Any, head_key: Hashable, child_key: Hashable, *, lenient: bool = False
    ) -> bool:
        """Link ``head`` to ``child`` through the link attribute ``label`` names.

        ``lenient`` (brat): a relation that fits no link attribute is reported as skipped
        instead of being an error. Returns whether a link was recorded.
        """
        if not isinstance(label, str) or not label:
            self.problem(line, f"{what}: 'label' must be a non-empty string, got {describe(label)}")
            return False
        mapped = self.label_map(label)
        if mapped is None:
            return False
        if head_key not in self.keys or child_key not in self.keys:
            missing = head_key if head_key not in self.keys else child_key
            self.problem(
                line,
                f"{what} ({describe(label, 40)}): refers to span {_show_key(missing)}, which the record does not have",
            )
            return False
        head, child = self.keys[head_key], self.keys[child_key]
        if head is None or child is None:
            return False  # one end was dropped by the label map
        attr = self.link_attribute(mapped, head, child)
        if attr is None:
            message = (
                f"{what}: relation {mapped!r} from {self.spans[head].label} to {self.spans[child].label} "
                f"fits no link attribute of schema {self.schema.name!r}"
            )
            if lenient:
                self.record.skipped.append(("relations that fit no link attribute", line, message))
            else:
                self.problem(line, message + f"; map it with --label-map {label}=RELATION or drop it with {label}=-")
            return False
        children = self.links.setdefault((head, attr.name), [])
        if child not in children:
            children.append(child)
        if len(children) > 1 and not attr.many:
            self.problem(line, f"{what}: {self.spans[head].label}.{attr.name} links to one {attr.target} span only")
            return False
        return True


def _show_key(key: Hashable) -> str:
    if isinstance(key, tuple) and key and key[0] == "pos":
        return f"{key[1]}-{key[2]} ({key[3]})"
    if isinstance(key, tuple) and len(key) == 2:
        return str(key[1])
    return str(key)


def check_status(value: Any) -> str | None:
    """A valid status string, or raises ``ValueError`` with the message."""
    if value is None:
        return None
    valid = [s.value for s in Status]
    if value not in valid:
        raise ValueError(f"'status' must be one of {', '.join(valid)}, got {describe(value)}")
    return str(value)
