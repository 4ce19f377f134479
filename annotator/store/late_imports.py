"""One thread at a time imports the database layer (SQLModel, and with it SQLAlchemy and pydantic).

The app imports these late, in worker threads, so the first paint does not wait for them. At
start two threads did so at once: the database opening (``AnnotatorApp.start_database``) and
the suggestion worker's warm-up (``SuggestionFeed``; ``suggestions.propagation`` imports
``sqlmodel``). When two threads' imports of one package cross, Python breaks the cycle between
their module locks by handing one of them a partially initialised module, and the import
fails ("cannot import name 'AdaptedConnection' from partially initialized module
'sqlalchemy.engine'"): the database never opened, 1 start in 3 on a loaded machine. Every
thread that may be first to need the layer calls ``load_database_layer()`` before importing
anything that uses it; after the first call it costs a lock and a dictionary lookup.
"""

from __future__ import annotations

import threading

_importing = threading.Lock()


def load_database_layer() -> None:
    with _importing:
        import sqlmodel  # noqa: F401  (SQLAlchemy and pydantic come with it)
