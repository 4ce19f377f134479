"""Annotations for documents that were already stored, written set-based, a batch at a time.

Importing another annotator's file onto a stored corpus (or the same file again) must cost
what a fresh import costs, not a query per span. For a batch of such documents:

1. one query reads the stored spans of the batch's (document, annotator) pairs, one their
   links, one their statuses;
2. every incoming span is validated as ``annotations.add_span`` validates it (offsets,
   label, attributes), then compared in memory: a span already stored (same label and
   offsets for that annotator) is counted as such, a new one is inserted with the batch's
   other new spans in one executemany;
3. one query reads the new spans' ids; links whose children differ from what is stored are
   replaced in bulk (the head's version moves on, as ``set_links`` does); statuses that
   differ are inserted or updated in bulk.

An identical re-import so writes nothing and reports every span as already stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session

from annotator.schemas.labels import LabelSchema, LinkAttr
from annotator.services import spans as span_ops
from annotator.store.models import DocumentStatus, Link, Span, Status, table_of, utcnow

from .parsed import ParsedDoc

if TYPE_CHECKING:
    from .summary import ImportSummary

Key = tuple[str, int, int]  # label, start, end
Owner = tuple[int, int]  # document id, annotator id
IN_LIST = 500  # ids per IN (...) list: well under every backend's parameter limit


@dataclass
class _Item:
    document_id: int
    annotator_id: int
    text: str
    doc: ParsedDoc


def _chunks(values: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(values), IN_LIST):
        yield values[i : i + IN_LIST]


class ExistingDocuments:
    """Queue (``add``) what an import brings for stored documents; ``write`` it set-based."""

    def __init__(self, session: Session, schema: LabelSchema, schema_id: Callable[[], int]) -> None:
        self.session = session
        self.schema = schema
        self.schema_id = schema_id
        self.counts: ImportSummary | None = None
        self._items: list[_Item] = []
        self._new: set[tuple[int, int, Key]] = set()  # spans this batch inserts

    def add(self, document_id: int, text: str, annotator_id: int, doc: ParsedDoc) -> None:
        self._items.append(_Item(document_id, annotator_id, text, doc))

    def __len__(self) -> int:
        return len(self._items)

    def write(self, counts: ImportSummary) -> None:
        """Write everything queued; what was added (or already there) is counted in ``counts``."""
        items, self._items = self._items, []
        if not items:
            return
        self.counts = counts
        self._new = set()
        owners = {(i.document_id, i.annotator_id) for i in items}
        doc_ids = sorted({d for d, _ in owners})
        annotator_ids = sorted({a for _, a in owners})
        stored = self._stored_spans(doc_ids, annotator_ids, owners)
        keys_per_item = self._insert_new_spans(items, stored)
        if any(i.doc.links for i in items):
            stored = self._stored_spans(doc_ids, annotator_ids, owners)  # with the new spans' ids
            self._write_links(items, keys_per_item, stored, doc_ids, annotator_ids)
        if any(i.doc.status for i in items):
            self._write_statuses(items, doc_ids, annotator_ids)

    @property
    def _counts(self) -> ImportSummary:
        assert self.counts is not None
        return self.counts

    # ------------------------------------------------------------------ spans

    def _stored_spans(
        self, doc_ids: list[int], annotator_ids: list[int], owners: set[Owner]
    ) -> dict[Owner, dict[Key, int]]:
        stored: dict[Owner, dict[Key, int]] = {owner: {} for owner in owners}
        table = table_of(Span)
        for chunk in _chunks(doc_ids):
            rows = self.session.execute(
                sa.select(
                    table.c.id, table.c.document_id, table.c.annotator_id, table.c.label, table.c.start, table.c.end
                ).where(table.c.document_id.in_(chunk), table.c.annotator_id.in_(annotator_ids))
            )
            for span_id, document_id, annotator_id, label, start, end in rows:
                mine = stored.get((document_id, annotator_id))
                if mine is not None:
                    mine[(label, start, end)] = span_id
        return stored

    def _insert_new_spans(self, items: list[_Item], stored: dict[Owner, dict[Key, int]]) -> list[list[Key]]:
        """Validate every span; insert those not stored yet. Returns each item's span keys."""
        now = utcnow()
        schema_id = self.schema_id()
        rows: list[dict[str, Any]] = []
        keys_per_item: list[list[Key]] = []
        for item in items:
            known = stored[(item.document_id, item.annotator_id)]
            keys: list[Key] = []
            for span in item.doc.spans:
                span_ops.check_offsets(item.text, span.start, span.end)
                span_ops.check_label(self.schema, span.label)
                attrs = self.schema.validate_attrs(span.label, span.attrs)
                key = (span.label, span.start, span.end)
                keys.append(key)
                if key in known:
                    self._counts.spans_already_stored += 1
                    continue
                known[key] = 0  # inserted below; its id is read back before links need it
                self._new.add((item.document_id, item.annotator_id, key))
                rows.append(
                    {
                        "document_id": item.document_id,
                        "annotator_id": item.annotator_id,
                        "schema_id": schema_id,
                        "label": span.label,
                        "start": span.start,
                        "end": span.end,
                        "attrs": attrs,
                        "origin": "import",
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            keys_per_item.append(keys)
        if rows:
            # another importer may store the same span meanwhile (PostgreSQL reads committed
            # rows): the unique position index makes that "already there", never a failure
            insert = span_ops.dialect_insert(self.session)(table_of(Span)).on_conflict_do_nothing()
            self.session.execute(insert, rows)
            self._counts.spans_added += len(rows)
        return keys_per_item

    # ------------------------------------------------------------------ links

    def _write_links(
        self,
        items: list[_Item],
        keys_per_item: list[list[Key]],
        stored: dict[Owner, dict[Key, int]],
        doc_ids: list[int],
        annotator_ids: list[int],
    ) -> None:
        current = self._stored_links(doc_ids, annotator_ids)
        now = utcnow()
        replaced: list[dict[str, Any]] = []
        added: list[dict[str, Any]] = []
        bumped: set[int] = set()
        for item, keys in zip(items, keys_per_item):
            ids = stored[(item.document_id, item.annotator_id)]
            for (head, attribute), children in item.doc.links.items():
                spec = self.schema.label(item.doc.spans[head].label).attribute(attribute)
                assert isinstance(spec, LinkAttr) and all(item.doc.spans[c].label == spec.target for c in children)
                head_id = ids[keys[head]]
                wanted = list(dict.fromkeys(ids[keys[c]] for c in children))
                before = current.setdefault(head_id, {}).get(attribute, [])
                if wanted == before:
                    continue
                if before:
                    replaced.append({"head": head_id, "attr": attribute})
                added.extend(
                    {
                        "head_id": head_id,
                        "child_id": c,
                        "relation": spec.relation_label,
                        "attribute": attribute,
                        "annotator_id": item.annotator_id,
                        "created_at": now,
                    }
                    for c in wanted
                )
                self._counts.links_added += len(set(wanted) - set(before))
                current[head_id][attribute] = wanted
                if (item.document_id, item.annotator_id, keys[head]) not in self._new:
                    bumped.add(head_id)  # a stored span changed: its version moves on, as set_links does
        link, span = table_of(Link), table_of(Span)
        if replaced:
            self.session.execute(
                sa.delete(link).where(link.c.head_id == sa.bindparam("head"), link.c.attribute == sa.bindparam("attr")),
                replaced,
            )
        if added:
            self.session.execute(sa.insert(link), added)
        if bumped:
            self.session.execute(
                sa.update(span)
                .where(span.c.id == sa.bindparam("span_id"))
                .values(version=span.c.version + 1, updated_at=now),
                [{"span_id": h} for h in sorted(bumped)],
            )

    def _stored_links(self, doc_ids: list[int], annotator_ids: list[int]) -> dict[int, dict[str, list[int]]]:
        current: dict[int, dict[str, list[int]]] = {}
        link, span = table_of(Link), table_of(Span)
        for chunk in _chunks(doc_ids):
            rows = self.session.execute(
                sa.select(link.c.head_id, link.c.attribute, link.c.child_id)
                .join(span, span.c.id == link.c.head_id)
                .where(span.c.document_id.in_(chunk), span.c.annotator_id.in_(annotator_ids))
                .order_by(link.c.id)
            )
            for head_id, attribute, child_id in rows:
                current.setdefault(head_id, {}).setdefault(attribute, []).append(child_id)
        return current

    # ------------------------------------------------------------------ statuses

    def _write_statuses(self, items: list[_Item], doc_ids: list[int], annotator_ids: list[int]) -> None:
        table = table_of(DocumentStatus)
        current: dict[Owner, str] = {}
        for chunk in _chunks(doc_ids):
            rows = self.session.execute(
                sa.select(table.c.document_id, table.c.annotator_id, table.c.status).where(
                    table.c.document_id.in_(chunk), table.c.annotator_id.in_(annotator_ids)
                )
            )
            for document_id, annotator_id, status in rows:
                current[(document_id, annotator_id)] = str(getattr(status, "value", status))
        now = utcnow()
        inserts: dict[Owner, dict[str, Any]] = {}
        updates: dict[Owner, dict[str, Any]] = {}
        changes = 0
        for item in items:
            if not item.doc.status:
                continue
            owner = (item.document_id, item.annotator_id)
            status = Status(item.doc.status).value
            if current.get(owner) == status:
                continue  # already so: nothing to write
            changes += 1
            if owner in inserts:
                inserts[owner]["status"] = status
            elif owner not in current:
                inserts[owner] = {
                    "document_id": owner[0],
                    "annotator_id": owner[1],
                    "status": status,
                    "seconds_spent": 0.0,
                    "note": "",
                    "version": 1,
                    "updated_at": now,
                }
            else:
                updates[owner] = {"doc": owner[0], "who": owner[1], "new_status": status}
            current[owner] = status
        if inserts:
            self.session.execute(sa.insert(table), list(inserts.values()))
        if updates:
            self.session.execute(
                sa.update(table)
                .where(table.c.document_id == sa.bindparam("doc"), table.c.annotator_id == sa.bindparam("who"))
                .values(status=sa.bindparam("new_status"), version=table.c.version + 1, updated_at=now),
                list(updates.values()),
            )
        self._counts.statuses_set += changes
