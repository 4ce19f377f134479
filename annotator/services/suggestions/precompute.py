"""``annotator suggest``: precompute and store suggestions for every document of the corpus.

Per document: a short read (read-only: never the write lock), then the compute window by
window outside any transaction (``background.Suggester``, in this process), each window
stored by one short bulk write (``store.store_suggestions``), exactly as the app does. So an
annotator tagging in the app, or a colleague importing into the same SQLite file, never
waits behind the rules, and memory holds one window's suggestions, not a whole report's.
Progress is reported through a callback; nothing here prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from annotator.errors import UserError
from annotator.services.suggestions.background import Batch, Suggester, read_inputs
from annotator.services.suggestions.engine import Sources
from annotator.store import writers
from annotator.store.retry import DatabaseUnavailable


def precompute(
    engine: Any,
    annotator_name: str,
    sources: Sources,
    *,
    progress: Callable[[int, int], None] | None = None,
    new_annotator: Callable[[str], None] | None = None,
) -> tuple[Counter[str], int]:
    """Store fresh open suggestions for ``annotator_name`` on every document. Returns the
    stored suggestions counted by label, and the number of documents.

    ``progress(done, total)`` hears of each document; ``new_annotator(name)`` of the annotator
    when this run created it (names compare without regard to case)."""
    from annotator.services.corpus import document_ids, ensure_annotator, register_schema
    from annotator.services.suggestions.propagation import tagged_by
    from annotator.services.suggestions.store import store_suggestions
    from annotator.store.engine import read_scope, session_scope

    with session_scope(engine) as session:  # the annotator and schema rows may be new
        annotator, created = ensure_annotator(session, annotator_name)
        assert annotator.id is not None
        annotator_id: int = annotator.id
        if created and new_annotator is not None:
            new_annotator(annotator.name)
        register_schema(session, sources.schema)
    with read_scope(engine) as session:
        doc_ids = document_ids(session)
        tagged = tagged_by(session, annotator_id)
    if not doc_ids:
        raise UserError("the database holds no documents: run 'annotator import PATH' first")
    counts: Counter[str] = Counter()
    suggester = Suggester(sources=sources)
    url = engine.url.render_as_string(hide_password=False)
    for done, doc_id in enumerate(doc_ids, 1):
        with read_scope(engine) as session:
            inputs = read_inputs(session, document_id=doc_id, annotator_id=annotator_id, propagation=False)
        if inputs is not None:
            inputs = replace(inputs, tagged=tagged)

            def store(batch: Batch, done: int = done) -> None:
                try:
                    with session_scope(engine) as session:  # one short write per window
                        stored = store_suggestions(
                            session, batch.document_id, annotator_id, batch.suggestions, within=batch.within
                        )
                except Exception as exc:
                    if writers.is_locked_error(exc):
                        raise DatabaseUnavailable(
                            f"stored suggestions for {done - 1} of {len(doc_ids)} documents, then {writers.explain_lock(url)}",
                            attempts=1,
                        ) from None
                    raise
                counts.update(r.label for r in stored.open)

            suggester.run(inputs, deliver=store)
        if progress is not None:
            progress(done, len(doc_ids))
    return counts, len(doc_ids)
