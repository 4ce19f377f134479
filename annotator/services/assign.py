"""``annotator assign``: give every selected document k annotators, balanced, in the database.

How it runs (the algorithm is ``services.assign_plan``):

* **Read, no write lock.** The documents are read in id order, a batch at a time (keyset
  pages of ``BATCH`` ids), each batch with its assignments and which of them are started (a
  status other than todo, or spans) in two set-based queries: first only the documents
  someone has touched, to count loads (the others just add k places each, one ``count``),
  then all of them, to decide. What changes goes to two temporary tables on the same connection (on
  SQLite they live in the connection's own temp database, so the shared file is not locked).
  Memory holds one batch and the team, whatever the corpus size.
* **One short write.** A single transaction creates missing annotators, deletes the dropped
  assignments (``DELETE ... WHERE id IN (SELECT ... JOIN plan)``; an assignment started
  meanwhile is kept) and inserts the new ones (``INSERT ... SELECT`` from the plan).

Running it again with the same arguments finds nothing to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapped
from sqlmodel import col

from annotator.errors import UserError
from annotator.services.assign_plan import DocState, Planner
from annotator.store.models import GOLD_ANNOTATOR, Annotator, Assignment, Document, DocumentStatus, Span, utcnow
from annotator.untrusted import is_printable

if TYPE_CHECKING:
    import sqlite3

    import psycopg

BATCH = 5_000
_UID = re.compile(r"^[0-9a-f]{16}$")
_RANGE = re.compile(r"^(\d+)-(\d+)$")

# Primary keys as read back: never NULL in the database, though the models type them ``int | None``
# (a row not yet flushed has no id). Same columns, typed as what a query returns.
_DOCUMENT_ID = cast("Mapped[int]", col(Document.id))
_ANNOTATOR_ID = cast("Mapped[int]", col(Annotator.id))

_TEMP = {
    "tmp_assign_add": "document_id INTEGER NOT NULL, slot INTEGER NOT NULL",
    "tmp_assign_drop": "document_id INTEGER NOT NULL, annotator_id INTEGER NOT NULL, forced INTEGER NOT NULL",
    "tmp_assign_who": "slot INTEGER NOT NULL, annotator_id INTEGER NOT NULL",
}


@dataclass
class AssignResult:
    documents: int
    loads: dict[str, int]  # annotator -> documents assigned (of the selection) after the run
    added: int
    removed: int
    kept_started: int = 0  # drops skipped: the assignment was started while planning
    overflow: int = 0  # places given beyond an even share (protected work left no other way)
    new_annotators: list[str] = field(default_factory=list)  # names this run created (announced once)


def document_filter(spec: str | None) -> Any:
    """``--documents``: comma-separated ids (``12``), id ranges (``10-20``), uids (16 hex
    digits) and ``source:GLOB`` (``*`` and ``?`` wildcards). None selects every document."""
    if spec is None or not spec.strip():
        return sa.true()
    ids: list[int] = []
    uids: list[str] = []
    clauses: list[Any] = []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        if item.isdigit():
            ids.append(int(item))
        elif (found := _RANGE.match(item)) is not None:
            lo, hi = int(found.group(1)), int(found.group(2))
            if lo > hi:
                raise UserError(f"range {item!r} runs backwards", field="documents")
            clauses.append(col(Document.id).between(lo, hi))
        elif _UID.match(item.lower()):
            uids.append(item.lower())
        elif item.startswith("source:") and item[7:]:
            pattern = (
                item[7:]
                .replace("\\", "\\\\")
                .replace("%", "\\%")
                .replace("_", "\\_")
                .replace("*", "%")
                .replace("?", "_")
            )
            clauses.append(col(Document.source).like(pattern, escape="\\"))
        else:
            raise UserError(f"{item!r} is not a document id, id range (10-20), uid or source:GLOB", field="documents")
    if ids:
        clauses.append(col(Document.id).in_(ids))
    if uids:
        clauses.append(col(Document.uid).in_(uids))
    return sa.or_(*clauses) if clauses else sa.false()


def _started_pairs(lo: int, hi: int) -> Any:
    statuses = sa.select(col(DocumentStatus.document_id), col(DocumentStatus.annotator_id)).where(
        col(DocumentStatus.document_id).between(lo, hi), col(DocumentStatus.status) != "todo"
    )
    spans = (
        sa.select(col(Span.document_id), col(Span.annotator_id)).where(col(Span.document_id).between(lo, hi)).distinct()
    )
    return sa.union(statuses, spans)


def read_documents(conn: Connection, where: Any, slot_of: dict[int, int], batch: int = BATCH) -> Iterator[DocState]:
    """The selected documents in id order with their assignments, a batch at a time."""
    after = 0
    while True:
        docs = conn.execute(
            sa.select(_DOCUMENT_ID, col(Document.uid))
            .where(where, col(Document.id) > after)
            .order_by(col(Document.id))
            .limit(batch)
        ).all()
        if not docs:
            return
        lo, hi = docs[0][0], docs[-1][0]
        states = {doc_id: DocState(doc_id, uid) for doc_id, uid in docs}
        started = {(d, a) for d, a in conn.execute(_started_pairs(lo, hi)).all() if d in states}
        for doc_id, aid in conn.execute(
            sa.select(col(Assignment.document_id), col(Assignment.assignee_id)).where(
                col(Assignment.document_id).between(lo, hi)
            )
        ).all():
            if doc_id in states:
                states[doc_id].assigned[aid] = (doc_id, aid) in started
        for doc_id, aid in started:
            if aid in slot_of and aid not in states[doc_id].assigned:
                states[doc_id].started_unassigned.add(slot_of[aid])
        yield from states.values()
        after = hi


def _stored_spelling(conn: Connection, names: list[str]) -> list[str]:
    """``names`` as the database spells them: "Alice" is the stored "alice" (the oldest of a case pair)."""
    if not names:
        return names
    rows = conn.execute(sa.select(col(Annotator.id), col(Annotator.name)).order_by(col(Annotator.id).desc())).all()
    spelling = {name.casefold(): name for _, name in rows}  # the oldest written last: it wins
    chosen: dict[str, str] = {}
    for name in names:  # a new name given twice in two cases is one annotator, as first typed
        chosen.setdefault(name.casefold(), spelling.get(name.casefold(), name))
    return list(chosen.values())


def _team(conn: Connection, names: list[str]) -> list[int | None]:
    found = dict(
        conn.execute(sa.select(col(Annotator.name), col(Annotator.id)).where(col(Annotator.name).in_(names))).all()
    )
    return [found.get(name) for name in names]


def _temp_tables(conn: Connection, create: bool) -> None:
    for table, columns in _TEMP.items():
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
        if create:
            conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {table} ({columns})")


def _bulk(conn: Connection, table: str, columns: tuple[str, ...], rows: Sequence[tuple[int, ...]]) -> None:
    if not rows:
        return
    # the driver's own connection: psycopg (3) on PostgreSQL (COPY is its API), sqlite3 otherwise
    if conn.dialect.name == "postgresql":
        pg = cast("psycopg.Connection[Any]", conn.connection.dbapi_connection)
        with pg.cursor() as cursor:  # COPY: the fast path on PostgreSQL
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    lite = cast("sqlite3.Connection", conn.connection.dbapi_connection)
    lite.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def assign(
    engine: Engine,
    names: list[str],
    *,
    per_document: int | None,
    documents: str | None = None,
    seed: int = 0,
    reassign: Sequence[str] = (),
    batch: int = BATCH,
) -> AssignResult:
    """Assign the selected documents to ``names`` (``per_document=None``: to everyone).

    ``reassign`` names annotators whose started work may move too. Runs as the lead: on
    PostgreSQL only the tables' owner may write assignments (row-level security)."""
    from annotator.store.engine import read_only

    names = _clean_names(names)
    where = document_filter(documents)
    with read_only(engine).connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        try:
            with conn.begin():
                _temp_tables(conn, create=True)
                names, reassign = _stored_spelling(conn, names), _stored_spelling(conn, list(reassign))
                slot_ids = _team(conn, names)
                known = _known(conn, list(reassign))
                unknown = [n for n in reassign if n not in names and n not in known]
                if unknown:
                    raise UserError(f"no annotator named {unknown[0]!r}", field="reassign")
                reassign_ids = set(
                    conn.execute(sa.select(_ANNOTATOR_ID).where(col(Annotator.name).in_(list(reassign)))).scalars()
                )
                try:
                    planner = Planner(names, slot_ids, k=per_document, seed=seed, reassign=reassign_ids)
                except ValueError as exc:
                    raise UserError(str(exc), field="per_document") from None
                result = _plan(conn, planner, where, batch)
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="READ COMMITTED")
            conn = conn.execution_options(annotator_read_only=False)
            try:
                with conn.begin():
                    _apply(conn, names, result)
            except sa.exc.DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient privilege: a team role
                    raise UserError(
                        "assign: only the lead (who owns the tables) may change assignments; nothing was changed"
                    ) from None
                raise
        finally:
            if conn.in_transaction():
                conn.rollback()
            with conn.begin():
                _temp_tables(conn, create=False)
    return result


def _known(conn: Connection, names: list[str]) -> set[str]:
    return set(conn.execute(sa.select(col(Annotator.name)).where(col(Annotator.name).in_(list(names)))).scalars())


def _clean_names(names: list[str]) -> list[str]:
    cleaned: list[str] = []
    for name in (n.strip() for n in names):
        if not name:
            continue
        if not is_printable(name):
            raise UserError(f"annotator name {name!r} has control characters", field="assignees")
        if name == GOLD_ANNOTATOR:
            raise UserError(
                f"{GOLD_ANNOTATOR!r} is the adjudicated version, written in review; assign people", field="assignees"
            )
        if len(name) > 200:
            raise UserError(f"annotator name {name[:20]!r}... is longer than 200 characters", field="assignees")
        if name not in cleaned:
            cleaned.append(name)
    if not cleaned:
        raise UserError("name at least one annotator (comma-separated)", field="assignees")
    return cleaned


def touched() -> Any:
    """Documents someone has an assignment on, a status other than todo, or spans: the only
    ones whose settling is not simply "k places, nobody yet"."""
    return sa.or_(
        sa.exists().where(col(Assignment.document_id) == col(Document.id)),
        sa.exists().where(col(DocumentStatus.document_id) == col(Document.id), col(DocumentStatus.status) != "todo"),
        sa.exists().where(col(Span.document_id) == col(Document.id)),
    )


def _plan(conn: Connection, planner: Planner, where: Any, batch: int) -> AssignResult:
    documents = conn.execute(sa.select(sa.func.count()).select_from(Document).where(where)).scalar_one()
    fresh = documents
    for doc in read_documents(conn, sa.and_(where, touched()), planner.slot_of, batch):  # pass 1: only these matter
        planner.count(planner.settle(doc))
        fresh -= 1
    planner.count_fresh(fresh)
    planner.start_pass_two()
    added = removed = overflow = 0
    adds: list[tuple[int, int]] = []
    drops: list[tuple[int, int, int]] = []
    for doc in read_documents(conn, where, planner.slot_of, batch):
        decision = planner.decide(doc)
        adds.extend((doc.document_id, slot) for slot in decision.adds)
        drops.extend((doc.document_id, aid, int(aid in planner.reassign)) for aid in decision.drops)
        overflow += decision.overflow
        if len(adds) >= batch or len(drops) >= batch:
            added, removed = added + len(adds), removed + len(drops)
            _bulk(conn, "tmp_assign_add", ("document_id", "slot"), adds)
            _bulk(conn, "tmp_assign_drop", ("document_id", "annotator_id", "forced"), drops)
            adds, drops = [], []
    added, removed = added + len(adds), removed + len(drops)
    _bulk(conn, "tmp_assign_add", ("document_id", "slot"), adds)
    _bulk(conn, "tmp_assign_drop", ("document_id", "annotator_id", "forced"), drops)
    loads = dict(zip(planner.names, planner.loads))
    return AssignResult(documents, loads, added, removed, overflow=overflow)


_STARTED = (
    "EXISTS (SELECT 1 FROM document_status s WHERE s.document_id = a.document_id AND s.annotator_id = a.assignee_id"
    " AND s.status <> 'todo') OR EXISTS (SELECT 1 FROM span x WHERE x.document_id = a.document_id"
    " AND x.annotator_id = a.assignee_id)"
)


def _apply(conn: Connection, names: list[str], result: AssignResult) -> None:
    """The one write: annotators, then drops (unless started meanwhile), then adds."""
    if result.added == 0 and result.removed == 0:
        return
    now = utcnow()
    team: list[int] = []  # annotator id by slot
    for name, found in zip(names, _team(conn, names)):
        if found is None:
            found = conn.execute(
                sa.insert(Annotator).values(name=name, created_at=now).returning(_ANNOTATOR_ID)
            ).scalar_one()
            result.new_annotators.append(name)
        team.append(found)
    _bulk(conn, "tmp_assign_who", ("slot", "annotator_id"), list(enumerate(team)))
    if (
        conn.dialect.name == "postgresql"
    ):  # temp tables have no statistics until analysed: plan the joins on real counts
        for table in _TEMP:
            conn.exec_driver_sql(f"ANALYZE {table}")
    if result.removed:
        deleted = conn.exec_driver_sql(
            "DELETE FROM assignment WHERE id IN (SELECT a.id FROM assignment a JOIN tmp_assign_drop p"
            " ON p.document_id = a.document_id AND p.annotator_id = a.assignee_id"
            f" WHERE p.forced = 1 OR NOT ({_STARTED}))"
        ).rowcount
        result.kept_started = result.removed - deleted
        result.removed = deleted
    if result.added:
        result.added = conn.execute(
            sa.text(
                "INSERT INTO assignment (document_id, assignee_id, assigned_at)"
                " SELECT p.document_id, w.annotator_id, :now FROM tmp_assign_add p JOIN tmp_assign_who w ON w.slot = p.slot"
                " WHERE EXISTS (SELECT 1 FROM document d WHERE d.id = p.document_id) AND NOT EXISTS"
                " (SELECT 1 FROM assignment x WHERE x.document_id = p.document_id AND x.assignee_id = w.annotator_id)"
            ),
            {"now": now},
        ).rowcount
