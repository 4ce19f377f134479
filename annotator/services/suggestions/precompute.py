"""``annotator suggest``: precompute and store suggestions for every document of the corpus.

Per document: a short read (read-only: never the write lock), the compute outside any
transaction, then one short bulk write (``store.store_suggestions``), so an annotator
tagging in the app, or a colleague importing into the same SQLite file, never waits behind
the rules. Progress is reported through a callback; nothing here prints.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable

from annotator.errors import UserError
from annotator.store import writers
from annotator.store.retry import DatabaseUnavailable
from annotator.services.suggestions.background import read_inputs
from annotator.services.suggestions.engine import Sources, suggest


def precompute(
    engine: Any, annotator_name: str, sources: Sources, *, progress: Callable[[int, int], None] = lambda done, total: None
) -> tuple[Counter[str], int]:
    """Store fresh open suggestions for ``annotator_name`` on every document. Returns the
    stored suggestions counted by label, and the number of documents."""
    from annotator.services.corpus import document_ids, get_or_create_annotator, register_schema
    from annotator.services.suggestions.propagation import tagged_by
    from annotator.services.suggestions.store import store_suggestions
    from annotator.store.engine import read_scope, session_scope

    with session_scope(engine) as session:  # the annotator and schema rows may be new
        annotator_id = get_or_create_annotator(session, annotator_name).id
        register_schema(session, sources.schema)
    with read_scope(engine) as session:
        doc_ids = document_ids(session)
        tagged = tagged_by(session, annotator_id)
    if not doc_ids:
        raise UserError("the database holds no documents: run 'annotator import PATH' first")
    counts: Counter[str] = Counter()
    for done, doc_id in enumerate(doc_ids, 1):
        with read_scope(engine) as session:
            inputs = read_inputs(session, document_id=doc_id, annotator_id=annotator_id, propagation=False)
        if inputs is not None:
            found = suggest(inputs.text, sources, tagged=tagged, existing=inputs.existing, rejected=inputs.rejected)
            try:
                with session_scope(engine) as session:  # one short write per document
                    stored = store_suggestions(session, doc_id, annotator_id, found)
            except Exception as exc:
                if writers.is_locked_error(exc):
                    url = engine.url.render_as_string(hide_password=False)
                    raise DatabaseUnavailable(
                        f"stored suggestions for {done - 1} of {len(doc_ids)} documents, then {writers.explain_lock(url)}",
                        attempts=1,
                    ) from None
                raise
            counts.update(r.label for r in stored.open)
        progress(done, len(doc_ids))
    return counts, len(doc_ids)
