"""Generated test data and throwaway databases for the benchmarks.

Articles are deterministic pseudo news text (seeded), so every run measures the same input.
Spans sit on word boundaries and never overlap within one annotator.
"""

from __future__ import annotations

import hashlib
import os
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_WORDS = (
    "the militia attacked village near town on Tuesday and residents fled into bush while "
    "government forces said they would restore order in region where thousands of people have "
    "been displaced since fighting began last month according to aid workers who spoke to "
    "reporters at camp outside capital many families arrived with nothing after walking for days "
    "officials from the United Nations warned that food supplies were running low and that more "
    "than two hundred civilians had been killed in clashes between armed groups"
).split()
_NAMES = (
    "Bangui",
    "Boda",
    "Bossangoa",
    "Seleka",
    "anti-Balaka",
    "MINUSCA",
    "Amnesty",
    "Touadera",
    "Sangaris",
    "Bambari",
)


def article(i: int, size: int = 2048, seed: int = 7) -> str:
    """A deterministic article of about ``size`` characters (paragraphs of ~400-800 chars)."""
    rng = random.Random(seed * 1_000_003 + i)
    parts: list[str] = [f"Report {i}: {rng.choice(_NAMES)} {rng.choice(_WORDS)} {rng.choice(_WORDS)}\n\n"]
    n = len(parts[0])
    para = 0
    while n < size:
        words = [rng.choice(_NAMES) if rng.random() < 0.08 else rng.choice(_WORDS) for _ in range(rng.randint(60, 120))]
        words[0] = words[0].capitalize()
        text = " ".join(words) + ". "
        para += len(text)
        if para > 600:
            text += "\n\n"
            para = 0
        parts.append(text)
        n += len(text)
    return "".join(parts)[:size].rstrip() + "\n"


def big_article(size: int, seed: int = 11) -> str:
    """One long article of ``size`` characters (e.g. 3 MB): many paragraphs."""
    chunks: list[str] = []
    n = 0
    i = 0
    while n < size:
        a = article(i, 4096, seed)
        chunks.append(a + "\n")
        n += len(a) + 1
        i += 1
    return "".join(chunks)[:size]


def word_bounds(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = None
    for idx, ch in enumerate(text):
        if ch.isalnum() or ch == "-":
            if start is None:
                start = idx
        elif start is not None:
            out.append((start, idx))
            start = None
    if start is not None:
        out.append((start, len(text)))
    return out


LABELS = ("ACTOR", "LOCATION", "CASUALTY", "QUOTE")


def spans_for_text(
    text: str, count: int, seed: int = 3, bounds: list[tuple[int, int]] | None = None
) -> list[tuple[int, int, str]]:
    """``count`` non-overlapping spans of 1-3 words, spread over the text, in order."""
    bounds = bounds if bounds is not None else word_bounds(text)
    rng = random.Random(seed)
    if not bounds or count <= 0:
        return []
    step = max(1, len(bounds) // count)
    out: list[tuple[int, int, str]] = []
    for k in range(count):
        first = k * step
        if first >= len(bounds):
            break
        last = min(len(bounds) - 1, first + rng.randint(0, min(2, step - 1)))
        out.append((bounds[first][0], bounds[last][1], LABELS[rng.randrange(len(LABELS))]))
    return out


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# ----------------------------------------------------------------------------- databases


@contextmanager
def pg_database(admin_url: str, keep: bool = False) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server at ``admin_url``; dropped afterwards."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    from annotator.store.engine import resolve_url

    admin_url = resolve_url(admin_url)
    name = f"annotator_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        from annotator.store.engine import _cached_engine

        _cached_engine.cache_clear()
        if not keep:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def database(backend: str, tmp: Path, pg_admin: str | None) -> Iterator[str]:
    """A fresh, empty database URL (not yet migrated) on ``backend``."""
    if backend == "sqlite":
        path = tmp / f"bench-{uuid.uuid4().hex[:8]}.db"
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        assert pg_admin, "PostgreSQL needs --pg"
        with pg_database(pg_admin) as url:
            yield url


@dataclass
class Filled:
    url: str
    doc_ids: list[int]
    annotator_ids: dict[str, int]
    schema_id: int


def migrated(url: str):
    from annotator.store import migrate
    from annotator.store.engine import create_db_engine

    engine = create_db_engine(url)
    migrate.upgrade(engine)
    return engine


def bulk_fill(
    url: str,
    *,
    docs: int,
    doc_size: int = 2048,
    annotators: tuple[str, ...] = ("ann1",),
    spans_per_doc: int = 0,
    batch: int = 2000,
    seed: int = 7,
    vary_per_annotator: bool = False,
) -> Filled:
    """Fill a fresh database fast (bare executemany), for benchmarks that need data present.

    With ``vary_per_annotator``, annotators disagree a little (some spans shifted or relabelled),
    as real annotators do, so agreement is neither 0 nor 1.
    """
    import sqlalchemy as sa
    from sqlmodel import Session

    from annotator.schemas.labels import load_default_schema
    from annotator.services.corpus import get_or_create_annotator, register_schema
    from annotator.store.models import Document, Span, utcnow

    engine = migrated(url)
    schema = load_default_schema()
    with Session(engine) as s:
        schema_id = register_schema(s, schema).id
        ann_ids = {name: get_or_create_annotator(s, name).id for name in annotators}
        s.commit()
    now = utcnow()
    doc_table = Document.__table__
    span_table = Span.__table__
    doc_ids: list[int] = []
    with engine.begin() as conn:
        start_id = conn.execute(sa.select(sa.func.coalesce(sa.func.max(doc_table.c.id), 0))).scalar_one() + 1
    for lo in range(0, docs, batch):
        hi = min(docs, lo + batch)
        doc_rows = []
        span_rows = []
        for i in range(lo, hi):
            text = article(i, doc_size, seed)
            h = sha(text)
            did = start_id + i
            doc_ids.append(did)
            doc_rows.append(
                {
                    "id": did,
                    "uid": h[:16],
                    "title": text.split("\n", 1)[0][:120],
                    "source": f"gen/{i}",
                    "text": text,
                    "sha256": h,
                    "meta": {},
                    "created_at": now,
                }
            )
            if spans_per_doc:
                base = spans_for_text(text, spans_per_doc, seed=i)
                rng = random.Random(i)
                for a_idx, aid in enumerate(ann_ids.values()):
                    for st, en, label in base:
                        if vary_per_annotator and a_idx and rng.random() < 0.15:
                            if rng.random() < 0.5:
                                label = LABELS[(LABELS.index(label) + a_idx) % len(LABELS)]
                            else:
                                continue
                        span_rows.append(
                            {
                                "document_id": did,
                                "annotator_id": aid,
                                "schema_id": schema_id,
                                "label": label,
                                "start": st,
                                "end": en,
                                "attrs": {},
                                "origin": "import",
                                "version": 1,
                                "created_at": now,
                                "updated_at": now,
                            }
                        )
        with engine.begin() as conn:
            conn.execute(doc_table.insert(), doc_rows)
            if span_rows:
                conn.execute(span_table.insert(), span_rows)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('document', 'id'), (SELECT max(id) FROM document))"
            )
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return Filled(url, doc_ids, ann_ids, schema_id)
