"""Documents, annotators and schema versions: adding and finding them.

Plain functions that take a ``Session``; no UI. Callers own the transaction (commit or roll
back), so an importer can add a whole file's records atomically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, select

from annotator.errors import UserError
from annotator.schemas.labels import LabelSchema
from annotator.store.models import GOLD_ANNOTATOR, Annotator, Document, SchemaVersion, utcnow

GOLD = GOLD_ANNOTATOR


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else in the text changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def title_from_text(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:120] + ("…" if len(line) > 120 else "")
    return fallback


def find_document_by_sha(session: Session, sha: str) -> Document | None:
    return session.exec(select(Document).where(Document.sha256 == sha)).first()


def add_document(
    session: Session,
    *,
    text: str,
    title: str | None = None,
    source: str = "",
    meta: dict[str, Any] | None = None,
) -> tuple[Document, bool]:
    """Store a document unless the same text (by SHA-256) is already there.

    Returns ``(document, created)``. The text is stored exactly as given; callers normalise
    line endings first (``normalise_newlines``) when the input is a file.
    """
    sha = text_sha256(text)
    existing = find_document_by_sha(session, sha)
    if existing is not None:
        return existing, False
    pending = next((obj for obj in session.new if isinstance(obj, Document) and obj.sha256 == sha), None)
    if pending is not None:
        return pending, False
    doc = Document(
        uid=sha[:16],
        title=(title or title_from_text(text, source or sha[:16]))[:500],
        source=source[:2000],
        text=text,
        sha256=sha,
        meta=dict(meta or {}),
    )
    session.add(doc)
    session.flush()
    return doc, True


class NewDocument(NamedTuple):
    """One document for ``add_documents``: what ``add_document`` takes, as a tuple."""

    text: str
    title: str | None = None
    source: str = ""
    meta: dict[str, Any] | None = None


def add_documents(session: Session, docs: Sequence[NewDocument], *, ids: bool = True) -> list[tuple[int | None, bool]]:
    """``add_document`` for many documents at once, in a constant number of statements.

    One ``SELECT sha256, id ... WHERE sha256 IN (...)`` finds the texts already stored, one
    executemany INSERT (in a savepoint) adds the others and one more SELECT reads their ids;
    of several inputs with the same text the first is created and the rest are duplicates of
    it. Returns ``(document id, created)`` per input, in order; documents are created in input
    order. ``ids=False`` skips reading the new ids back (created documents then have ``None``).
    If another transaction stored one of these texts after the lookup (the unique constraint
    on ``sha256`` refuses the INSERT), the batch is retried one document at a time, each in
    its own savepoint, and such a text counts as already there. Other integrity errors are
    raised.

    (An executemany, not ``INSERT ... RETURNING`` over many rows: psycopg re-parses a
    statement with thousands of parameters on every call, while it prepares the one-row
    INSERT of an executemany once; on SQLite the two cost the same.)
    """
    if not docs:
        return []
    table: sa.Table = Document.__table__  # type: ignore[attr-defined]
    shas = [text_sha256(doc.text) for doc in docs]
    found: dict[str, int] = dict(
        session.execute(
            sa.select(table.c.sha256, table.c.id).where(table.c.sha256.in_(list(dict.fromkeys(shas))))
        ).all()
    )
    now = utcnow()
    rows: dict[str, dict[str, Any]] = {}
    for doc, sha in zip(docs, shas):
        if sha not in found and sha not in rows:
            rows[sha] = {
                "uid": sha[:16],
                "title": (doc.title or title_from_text(doc.text, doc.source or sha[:16]))[:500],
                "source": doc.source[:2000],
                "text": doc.text,
                "sha256": sha,
                "meta": dict(doc.meta or {}),
                "created_at": now,
            }
    created: set[str] = set()
    if rows:
        try:
            with session.begin_nested():
                session.execute(sa.insert(table), list(rows.values()))
            created.update(rows)
            if ids:
                found.update(
                    session.execute(sa.select(table.c.sha256, table.c.id).where(table.c.sha256.in_(list(rows)))).all()
                )
        except sa.exc.IntegrityError:
            for sha, row in rows.items():  # someone else stored some of them meanwhile
                try:
                    with session.begin_nested():
                        found[sha] = session.execute(sa.insert(table).returning(table.c.id), row).scalar_one()
                    created.add(sha)
                except sa.exc.IntegrityError:
                    theirs = session.execute(sa.select(table.c.id).where(table.c.sha256 == sha)).scalar_one_or_none()
                    if theirs is None:
                        raise
                    found[sha] = theirs
    out: list[tuple[int | None, bool]] = []
    for sha in shas:
        out.append((found.get(sha), sha in created))
        created.discard(sha)  # later copies of the same text are duplicates
    return out


def get_document(session: Session, ref: int | str) -> Document | None:
    """A document by numeric id or by uid."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        return session.get(Document, int(ref))
    return session.exec(select(Document).where(Document.uid == ref)).first()


def document_ids(session: Session) -> list[int]:
    """Every document's id, in import order."""
    return [
        doc_id for doc_id in session.exec(select(col(Document.id)).order_by(col(Document.id))) if doc_id is not None
    ]


def count_documents(session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(Document)).one()


def get_or_create_annotator(session: Session, name: str) -> Annotator:
    """The annotator called ``name`` in any case ("Alice" finds "alice"), created if new."""
    return ensure_annotator(session, name)[0]


def ensure_annotator(session: Session, name: str) -> tuple[Annotator, bool]:
    """(the annotator called ``name`` in any case, whether this call created it)."""
    name = name.strip()
    if not name:
        raise ValueError("an annotator needs a name")
    found = find_annotator(session, name)
    if found is not None:
        return found, False
    created = _insert_or_fetch(
        session, Annotator(name=name), lambda: session.exec(select(Annotator).where(Annotator.name == name)).one()
    )
    return created, True


def same_name(a: str, b: str) -> bool:
    """Annotator names compare without regard to case: "Alice" is "alice"."""
    return a.casefold() == b.casefold()


def find_annotator(session: Session, name: str) -> Annotator | None:
    """The annotator called ``name``, compared without regard to case (an exact match first).

    One statement: the database's ``lower()`` folds ASCII only on SQLite, so the names are
    compared with Python's ``casefold`` (a team has tens of annotators, not millions).
    """
    folded = name.casefold()
    found: Annotator | None = None
    for annotator in session.exec(select(Annotator).order_by(col(Annotator.id))):
        if annotator.name == name:
            return annotator
        if found is None and annotator.name.casefold() == folded:
            found = annotator  # the oldest of names that differ only in case
    return found


def annotator_ids_by_name(names: Iterable[tuple[int, str]]) -> dict[str, int]:
    """Folded name -> id for (id, name) rows; the oldest wins where two differ only in case."""
    by_name: dict[str, int] = {}
    for annotator_id, name in sorted(names):
        by_name.setdefault(name.casefold(), annotator_id)
    return by_name


def register_schema(session: Session, schema: LabelSchema) -> SchemaVersion:
    """The stored row for this schema (name, version and exact content), created if new."""
    fingerprint = schema.fingerprint
    found = session.exec(
        select(SchemaVersion).where(
            SchemaVersion.name == schema.name,
            SchemaVersion.version == schema.version,
            SchemaVersion.fingerprint == fingerprint,
        )
    ).first()
    if found is not None:
        return found
    row = SchemaVersion(
        name=schema.name, version=schema.version, fingerprint=fingerprint, body=schema.model_dump(mode="json")
    )
    try:
        stored: SchemaVersion = _insert_or_fetch(
            session,
            row,
            lambda: session.exec(
                select(SchemaVersion).where(
                    SchemaVersion.name == schema.name,
                    SchemaVersion.version == schema.version,
                    SchemaVersion.fingerprint == fingerprint,
                )
            ).one(),
        )
    except sa.exc.ProgrammingError as exc:  # a team role: only the lead registers schemas
        if getattr(exc.orig, "sqlstate", None) != "42501":
            raise
        raise UserError(
            f"label schema {schema.name!r} version {schema.version} (this exact content) is not on this database, and only "
            "the lead registers schemas: ask them to run 'annotator db grant' or 'annotator import' with this --schema"
        ) from None
    return stored


def read_schema_row(row_id: int, name: Any, version: Any, body: Any) -> tuple[LabelSchema | None, str | None]:
    """A stored schema row as a ``LabelSchema``, or ``(None, one line naming the bad row)``.

    Every reader goes through here: a junk row (written by hand, or by an older version)
    is skipped with that line, never a traceback."""
    try:
        return LabelSchema.model_validate(body), None
    except Exception as exc:  # pydantic's ValidationError, or a body that is not an object at all
        first = str(exc).splitlines()
        reason = " ".join(first[1:3]).strip() if len(first) > 1 else (first[0] if first else type(exc).__name__)
        return (
            None,
            f"label_schema row {row_id} ({name!r} v{version}) is not a valid label schema and was skipped: {reason[:200]}",
        )


def _insert_or_fetch(session: Session, row: Any, fetch: Any) -> Any:
    """Insert ``row``; if another process inserted the same unique row first, return theirs."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except sa.exc.IntegrityError:
        return fetch()
    return row


def schema_of(row: SchemaVersion) -> LabelSchema:
    return LabelSchema.model_validate(row.body)
