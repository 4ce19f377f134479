"""brat standoff: a ``.txt`` file and its ``.ann`` file make one document.

- ``T`` lines become spans (the surface text on the line must match the text at the
  offsets). Fragments (``0 5;6 12``) separated only by whitespace, as brat writes a span
  that crosses a line break, become one span; truly discontinuous spans are reported and
  skipped.
- ``A``/``M`` attribute lines set a span attribute of the same name (case does not matter);
  enum values match ignoring case and punctuation, since brat values cannot hold spaces.
- ``#`` AnnotatorNotes set attributes when the note reads ``name=value; name=value`` (or
  ``name: value``) for the label's attributes, or a ``note`` text attribute if it has one.
- ``R`` lines become links when they fit one of the schema's link attributes
  (e.g. ``R1 SPEAKER Arg1:T4 Arg2:T2``: QUOTE.speaker -> ACTOR).
- Events (``E``, with their trigger ``T`` spans), equivalences (``*``), normalisations
  (``N``), and anything that fits nothing in the schema, are reported as skipped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from annotator.schemas.labels import EnumAttr, LabelSchema, LinkAttr, TextAttr
from annotator.untrusted import TAB_OR_LINE_BREAK

from .decode import Decoded, FileRefused, read_text_file
from .newlines import NewlineMap
from .parsed import LabelMap, ParsedDoc, Record, SpanBuilder, describe
from .text_files import title_for

_NOTE_ATTR = re.compile(r"^\s*([A-Za-z][\w-]*)\s*[:=]\s*(.*?)\s*$", re.S)
_NOTE_SPLIT = re.compile(r";\s+(?=[A-Za-z][\w-]*\s*[:=])")  # "count_min=3; victims=Muslims"


def _same_surface(surface: str, text: str) -> bool:
    return surface == text or surface == TAB_OR_LINE_BREAK.sub(" ", text)


def _whitespace_between(text: str, fragments: list[tuple[int, int]]) -> bool:
    ordered = all(a < b for (_s, a), (b, _e) in zip(fragments, fragments[1:]))
    return ordered and all(not text[a:b].strip() for (_s, a), (b, _e) in zip(fragments, fragments[1:]))


_NOTE_NAMES = ("note", "notes", "comment")


def _norm(value: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", value.casefold())


def read_brat(
    txt: Path, ann: Path | None, display: str, ann_display: str, schema: LabelSchema, label_map: LabelMap
) -> tuple[Record, Decoded]:
    decoded = read_text_file(txt)
    text_map = NewlineMap(decoded.text)
    size = txt.stat().st_size
    record = Record(line=1)
    build = SpanBuilder(record, text_map, schema, label_map)
    lines: list[tuple[int, str]] = []
    if ann is not None:
        try:
            ann_data = ann.read_bytes()
        except OSError as exc:
            raise FileRefused(f"{ann_display}: cannot read it ({exc.strerror or exc})") from None
        size += len(ann_data)
        if ann_data.strip():
            from .decode import decode_bytes

            try:
                ann_text = decode_bytes(ann_data).text
            except FileRefused as exc:
                raise FileRefused(f"{ann_display}: {exc.reason}") from None
            lines = [(n, line.rstrip("\r")) for n, line in enumerate(ann_text.split("\n"), start=1) if line.strip()]
    _parse_ann(lines, build, record, ann_display)
    record.bytes_read = size
    record.problem_path = ann_display  # problems name the .ann file and its line
    if not record.problems:
        record.doc = ParsedDoc(
            text=text_map.text,
            title=title_for(text_map.text, txt),
            source=display,
            spans=build.spans,
            links=build.links,
        )
    return record, decoded


def _parse_ann(lines: list[tuple[int, str]], build: SpanBuilder, record: Record, ann_display: str) -> None:
    skip = record.skipped.append
    # Pass 1: events (their trigger spans are skipped with them) and every id's line.
    triggers: set[str] = set()
    for n, line in lines:
        ident, _, rest = line.partition("\t")
        if ident.startswith("E"):
            trigger = rest.split(" ", 1)[0].partition(":")[2]
            if trigger:
                triggers.add(trigger)
            build.keys[ident] = None
            skip(("events (E lines) and their trigger spans", n, f"{ident}: events are not imported"))
    # Pass 2: text-bound annotations.
    for n, line in lines:
        if not line.startswith("T"):
            continue
        parts = line.split("\t", 2)
        ident = parts[0]
        if len(parts) < 2:
            build.problem(n, f"{ident}: expected 'T<id>\\t<label> <start> <end>\\t<text>'")
            continue
        label, _, offsets = parts[1].partition(" ")
        surface = parts[2] if len(parts) > 2 else None
        if ident in triggers:
            build.keys[ident] = None
            continue
        pieces = [piece.split() for piece in offsets.split(";")]
        if not all(len(p) == 2 and all(x.isascii() and x.isdigit() for x in p) for p in pieces):  # not "²"
            build.problem(n, f"{ident}: offsets must be '<start> <end>', got {describe(offsets)}")
            build.keys[ident] = None
            continue
        fragments = [(int(a), int(b)) for a, b in pieces]
        start, end = fragments[0][0], fragments[-1][1]
        if len(fragments) > 1:
            if not _whitespace_between(build.original, fragments):
                build.keys[ident] = None
                skip(
                    (
                        "discontinuous spans (T lines with ';' fragments)",
                        n,
                        f"{ident}: discontinuous span {offsets!r} not imported",
                    )
                )
                continue
            # Fragments split only at line breaks (as brat writes a span that crosses lines):
            # one span from the first start to the last end.
            if surface is not None and _same_surface(surface, " ".join(build.original[a:b] for a, b in fragments)):
                surface = None
        if surface is not None and len(fragments) == 1 and _same_surface(surface, build.original[start:end]):
            surface = None  # brat writes tabs and line breaks in the surface text as spaces
        build.add(n, ident, start=start, end=end, label=label, text=surface, keys=(ident,))
    # Pass 3: everything that refers to spans.
    for n, line in lines:
        kind = line[:1]
        ident, _, rest = line.partition("\t")
        if kind in ("T", "E"):
            continue
        if kind == "R":
            fields = rest.strip().split()
            args = dict(f.split(":", 1) for f in fields[1:] if ":" in f)
            if not fields or "Arg1" not in args or "Arg2" not in args:
                build.problem(n, f"{ident}: expected 'R<id>\\t<type> Arg1:<id> Arg2:<id>'")
                continue
            if args["Arg1"][:1] in ("E", "R") or args["Arg2"][:1] in ("E", "R"):
                skip(("relations to events or relations", n, f"{ident}: relation between events not imported"))
                continue
            build.relation(n, ident, fields[0], args["Arg1"], args["Arg2"], lenient=True)
        elif kind in ("A", "M"):
            fields = rest.split()
            if len(fields) < 2:
                build.problem(n, f"{ident}: expected 'A<id>\\t<name> <target> [<value>]'")
                continue
            _attribute(n, ident, fields[0], fields[1], " ".join(fields[2:]) or None, build, record)
        elif kind == "#":
            head, _, note = rest.partition("\t")
            fields = head.split()
            if len(fields) < 2:
                build.problem(n, f"{ident}: expected '#<id>\\tAnnotatorNotes <target>\\t<note>'")
                continue
            _note(n, ident, fields[1], note, build, record)
        elif kind == "*":
            skip(("equivalences (* lines)", n, f"equivalence {rest.strip()!r} not imported"))
        elif kind == "N":
            skip(("normalisations (N lines)", n, f"{ident}: normalisation not imported"))
        else:
            build.problem(n, f"unrecognised line (brat lines start with T, R, E, A, M, N, * or #): {describe(line)}")


def _span_index(target: str, build: SpanBuilder, record: Record, n: int, ident: str, what: str) -> int | None:
    if target[:1] in ("E", "R"):
        record.skipped.append((f"{what} on events or relations", n, f"{ident}: {what} on {target} not imported"))
        return None
    if target not in build.keys:
        build.problem(n, f"{ident}: refers to {target!r}, which the file does not define")
        return None
    return build.keys[target]


def _attribute(
    n: int, ident: str, name: str, target: str, value: str | None, build: SpanBuilder, record: Record
) -> None:
    index = _span_index(target, build, record, n, ident, "attributes")
    if index is None:
        return
    span = build.spans[index]
    spec = next(
        (
            a
            for a in build.schema.label(span.label).attributes
            if not isinstance(a, LinkAttr) and _norm(a.name) == _norm(name)
        ),
        None,
    )
    if spec is None or value is None:
        why = "binary attributes" if spec is not None else "attributes the schema lacks"
        record.skipped.append((why, n, f"{ident}: {span.label} has no attribute for {name!r}"))
        return
    if isinstance(spec, EnumAttr):
        value = next((v for v in spec.values if _norm(v) == _norm(value)), value)
    build.set_attr(n, index, spec.name, value)


def _note(n: int, ident: str, target: str, note: str, build: SpanBuilder, record: Record) -> None:
    index = _span_index(target, build, record, n, ident, "notes")
    if index is None:
        return
    span = build.spans[index]
    label = build.schema.label(span.label)
    matches = [_NOTE_ATTR.match(piece) for piece in _NOTE_SPLIT.split(note)]
    pairs = [m for m in matches if m is not None]
    if pairs and len(pairs) == len(matches):  # every piece is a name=value pair
        found = [
            next(
                (a for a in label.attributes if not isinstance(a, LinkAttr) and _norm(a.name) == _norm(m.group(1))),
                None,
            )
            for m in pairs
        ]
        specs = [a for a in found if a is not None]
        if len(specs) == len(found):  # every name is one of the label's attributes
            for spec, match in zip(specs, pairs):
                value: Any = match.group(2)
                if isinstance(spec, EnumAttr):
                    value = next((v for v in spec.values if _norm(v) == _norm(value)), value)
                build.set_attr(n, index, spec.name, value)
            return
    spec = next((a for a in label.attributes if isinstance(a, TextAttr) and a.name in _NOTE_NAMES), None)
    if spec is not None:
        build.set_attr(n, index, spec.name, note)
        return
    record.skipped.append(("notes with no attribute to hold them", n, f"{ident}: {span.label} has no note attribute"))


def ann_for(txt: Path) -> Path:
    return txt.with_suffix(".ann")
