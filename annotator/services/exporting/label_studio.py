"""Label Studio: a JSON list of tasks it imports, and the labelling config (XML) that fits.

One task per document: ``data`` (``text``, ``title``, ``document_id``), ``meta`` (the
document's provenance) and one annotation per annotator with work on it. In an annotation's
``result``: each span is a ``labels`` region (``id`` ``s<span id>``, ``value.start``/``end``
in code points, end exclusive, ``text``, ``labels``); each enum, integer and text attribute
is a per-region ``choices``, ``number`` or ``textarea`` result with the region's ``id`` and
``from_name`` ``<LABEL>_<attribute>``; each link is a ``relation`` result (``from_id`` the
head, ``to_id`` the child, ``direction: right``, ``labels: [relation]``). ``completed_by`` is
``{"email": <annotator>}`` (Label Studio assigns its importing user; ``annotator import``
reads the name back), ``was_cancelled`` marks a skipped document, ``ground_truth`` the gold
version. The config (``<out>.label-config.xml`` beside the tasks file) declares the labels
with their colours and keys, the ``Text`` object, the relations and, shown when a region of
that label is selected, its attributes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import orjson

from annotator.schemas.labels import EnumAttr, IntegerAttr, LabelSchema, LinkAttr, TextAttr
from annotator.services.exporting.base import Exporter
from annotator.services.exporting.query import DocumentWork, Work

CONTROL = "label"  # the Labels control's name
OBJECT = "text"  # the Text object's name


def config_path(out: Path) -> Path:
    """Where the labelling config goes: ``tasks.json`` -> ``tasks.label-config.xml``."""
    return out.with_name(f"{out.stem if out.suffix else out.name}.label-config.xml")


def control_name(label: str, attribute: str) -> str:
    return f"{label}_{attribute}"


def label_config(schema: LabelSchema, extra_labels: Iterable[str] = ()) -> str:
    """The labelling config (XML) for ``schema``: every name and value is an escaped attribute."""
    out = ["<View>", f"  <Labels name={quoteattr(CONTROL)} toName={quoteattr(OBJECT)}>"]
    for label in schema.labels:
        out.append(
            f"    <Label value={quoteattr(label.name)} background={quoteattr(label.colour)} hotkey={quoteattr(label.key)}/>"
        )
    for extra in extra_labels:
        if not schema.has_label(extra):
            out.append(f"    <Label value={quoteattr(extra)}/>")
    out += ["  </Labels>", f'  <Text name={quoteattr(OBJECT)} value="$text"/>']
    relations = sorted({link.relation_label for label in schema.labels for link in label.links})
    if relations:
        out.append("  <Relations>")
        out += [f"    <Relation value={quoteattr(name)}/>" for name in relations]
        out.append("  </Relations>")
    for label in schema.labels:
        attributes = [a for a in label.attributes if not isinstance(a, LinkAttr)]
        if not attributes:
            continue
        out.append(f'  <View visibleWhen="region-selected" whenLabelValue={quoteattr(label.name)}>')
        out.append(f"    <Header value={quoteattr(label.name + ' attributes')}/>")
        for attr in attributes:
            name = quoteattr(control_name(label.name, attr.name))
            common = f'name={name} toName={quoteattr(OBJECT)} perRegion="true"'
            if isinstance(attr, EnumAttr):
                out.append(f'    <Choices {common} choice="single" showInline="true">')
                out += [f"      <Choice value={quoteattr(value)}/>" for value in attr.values]
                out.append("    </Choices>")
            elif isinstance(attr, IntegerAttr):
                bounds = "".join(
                    f" {key}={quoteattr(str(value))}"
                    for key, value in (("min", attr.minimum), ("max", attr.maximum))
                    if value is not None
                )
                out.append(f"    <Number {common}{bounds}/>")
            elif isinstance(attr, TextAttr):
                out.append(f'    <TextArea {common} maxSubmissions="1" editable="true" rows="1"/>')
        out.append("  </View>")
    out.append("</View>")
    return "\n".join(out) + "\n"


def annotation(text: str, work: Work, schema_of: Any, gold: bool) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    for span in work.spans:
        region = f"s{span.id}"
        where = {"start": span.start, "end": span.end, "text": text[span.start : span.end]}
        results.append(
            {
                "id": region,
                "from_name": CONTROL,
                "to_name": OBJECT,
                "type": "labels",
                "origin": "manual",
                "value": {**where, "labels": [span.label]},
            }
        )
        spec = schema_of(span)
        for key, value in span.attrs.items():
            attr = spec.attribute(key) if spec is not None else None
            if value in (None, "") or attr is None:
                continue
            if isinstance(attr, EnumAttr):
                kind, body = "choices", {"choices": [value]}
            elif isinstance(attr, IntegerAttr):
                kind, body = "number", {"number": value}
            else:
                kind, body = "textarea", {"text": [str(value)]}
            results.append(
                {
                    "id": region,
                    "from_name": control_name(span.label, key),
                    "to_name": OBJECT,
                    "type": kind,
                    "origin": "manual",
                    "value": {**where, **body},
                }
            )
    for link in work.links:
        results.append(
            {
                "from_id": f"s{link.head_id}",
                "to_id": f"s{link.child_id}",
                "type": "relation",
                "direction": "right",
                "labels": [link.relation],
            }
        )
    return {
        "completed_by": {"email": work.annotator},
        "was_cancelled": work.status == "skipped",
        "ground_truth": gold,
        "result": results,
        "meta": {"annotator": work.annotator, "status": work.status},
    }


class LabelStudioExporter(Exporter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._first = True
        self.labels_seen: dict[str, None] = {}

    def _schema_of(self, span: Any) -> Any:
        info = self.reader.schemas.get(span.schema_id)
        if info is None or not info.schema.has_label(span.label):
            return None
        return info.schema.label(span.label)

    def _dump(self, task: dict[str, Any]) -> bytes:
        if self.options.ascii:
            return json.dumps(task, ensure_ascii=True, indent=None).encode("ascii")
        return orjson.dumps(task).replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")

    def write(self, item: DocumentWork) -> None:
        doc = item.document
        meta = {
            "document_id": doc.uid,
            "source": doc.source,
            "sha256": doc.sha256,
            **{k: v for k, v in doc.meta.items()},
        }
        task = {
            "data": {"text": doc.text, "title": doc.title, "document_id": doc.uid},
            "meta": meta,
            "annotations": [
                annotation(doc.text, work, self._schema_of, work.annotator == "gold") for work in item.works
            ],
        }
        for work in item.works:
            for span in work.spans:
                self.labels_seen.setdefault(span.label)
            self.records += 1
            self.spans += len(work.spans)
        self.sink.write((b"[\n" if self._first else b",\n") + self._dump(task))
        self._first = False

    def close(self) -> None:
        self.sink.write(b"[]\n" if self._first else b"\n]\n")
        out = self.options.out
        if out is None:
            self.warnings.append("label-studio: the labelling config (XML) is written beside --out FILE only")
            return
        from annotator.services.exporting.writer import atomic_file

        with atomic_file(config_path(out), force=True) as sink:  # check_request refused an existing one without --force
            sink.write(label_config(self.reader.label_schema(), list(self.labels_seen)).encode("utf-8"))
