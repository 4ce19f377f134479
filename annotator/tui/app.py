"""The annotation app. ``make_app`` builds it for the CLI and for the tests.

Start-up paints at once. The annotation screen is up from the start while a worker reads
the annotator's current article from an SQLite file with the standard library
(``services.first_read``); the screen shows it, and only after that paint is the database
opened properly (SQLAlchemy, engine, migration check, annotator and schema rows). The
screen's database steps wait for it. When that first read is not possible (PostgreSQL, a new
file, a migration to run) the screen shows the article once the database answers.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.screen import Screen
from textual.widgets import Static

from annotator.errors import UserError
from annotator.schemas.preview import SchemaPreview
from annotator.services.first_read import FirstScreen, read_first_screen
from annotator.store.late_imports import load_database_layer
from annotator.store.writers import announced
from annotator.tui import bindings
from annotator.tui import textmodel as tm
from annotator.tui.dbjobs import DbJobs, Job, _one_line
from annotator.tui.keymap import keymap_path
from annotator.tui.ordered_keys import OrderedKeys
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.terminal_driver import ClosesWithTerminal
from annotator.tui.textmodel import first_rows
from annotator.untrusted import safe_line

if TYPE_CHECKING:
    from annotator.schemas.labels import LabelSchema
    from annotator.services.suggestions.background import Suggester
    from annotator.tui.controller import Controller

    # what the first read found, and the article's text model when there is an article
    FirstRead = tuple[FirstScreen | None, tm.PreparedDocument | None]


class AnnotatorApp(OrderedKeys, ClosesWithTerminal, App[None]):
    TITLE = "annotator"
    ENABLE_COMMAND_PALETTE = True
    CSS = "#starting { padding: 1 2; color: $text-muted; }"

    def __init__(
        self,
        db_url: str | None,
        annotator_name: str,
        schema: LabelSchema | SchemaPreview,
        keymap: dict[str, str] | None = None,
        *,
        suggestions: bool = False,
        make_suggester: Callable[[], Suggester] | None = None,
        retrain_every: int = 10,
    ) -> None:
        """``schema`` may be a ``SchemaPreview``: it is validated when the database opens.
        ``make_suggester`` builds what computes suggestions (default: a worker process);
        ``retrain_every``: documents marked done between two background retrainings (0: never)."""
        super().__init__()
        self.offer_suggestions = suggestions
        self.retrain_every = retrain_every
        self.make_suggester = make_suggester
        self.db_url = db_url
        self.annotator_name = annotator_name
        self.schema = schema
        self.jobs = DbJobs(self)
        self.first_screen: FirstRead | None = None  # what services.first_read read, until the screen shows it
        self.startup_error: Exception | None = None  # a bad --db URL: the CLI reports it after exit
        self._announcement = ExitStack()
        self.lock_url: str | None = None  # the database's URL once open (for "locked by ..." messages)
        self.user_keymap = dict(keymap or {})  # binding id -> keys, as checked by keymap.load_checked
        if keymap:
            self.set_keymap(keymap)

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Opening the database as {safe_line(self.annotator_name, 80)}…"), id="starting")

    def on_mount(self) -> None:
        height = max(1, self.size.height)
        width = max(1, self.size.width)

        def read_first() -> FirstRead:
            # a big document's spans: those of its first screens (two code points a cell)
            first = read_first_screen(self.db_url, self.annotator_name, span_limit=2 * first_rows(height) * width)
            if first is None or first.document is None:
                return first, None
            doc = first.document
            return first, tm.prepare(doc.text, [tm.SpanView(s.id, s.label, s.start, s.end) for s in doc.spans])

        # the read runs while the screen is built
        self.jobs.submit(
            lambda: Job(read_first, self._first_read, "read the database", failed=lambda _: self.start_database())
        )
        self.push_screen(
            bindings.labelled(AnnotateScreen, self.schema, "annotate")(
                self.schema,
                self.annotator_name,
                str(keymap_path()),
                suggestions=self.offer_suggestions,
                make_suggester=self.make_suggester,
            )
        )

    def _first_read(self, found: FirstRead) -> None:
        first, prepared = found
        if first is None:
            self.start_database()
            return
        self.first_screen = (first, prepared)
        screen = self.annotate_screen
        if screen is not None and screen.mounted:  # else the screen takes it when mounted
            screen.show_first(first, prepared)  # which calls start_database once the article is painted

    def start_database(self) -> None:
        """Open the database (engine, migrations, session): the screen's steps wait for it."""

        def work() -> Controller:
            # SQLAlchemy, SQLModel and pydantic load here, after the first paint (start-up speed),
            # one thread at a time (store/late_imports.py)
            load_database_layer()
            from annotator.services import session_ops as ops
            from annotator.store.engine import get_engine, session_scope
            from annotator.tui.controller import Controller

            schema = self.schema.validate() if isinstance(self.schema, SchemaPreview) else self.schema
            engine = get_engine(self.db_url, create=False)
            with session_scope(engine) as session:
                info = ops.start_session(session, self.annotator_name, schema)
            return Controller(engine, schema, info)

        # no retries: a database that cannot be opened at start is reported at once, like
        # every other command does (exit 3), instead of after minutes of "retrying"
        self.jobs.submit(lambda: Job(work, self._started, "open the database", failed=self._not_started, retry=False))

    def _not_started(self, exc: BaseException) -> None:
        """Without a database there is nothing to annotate: end, and let the CLI say why.

        A bad URL or schema is the user's mistake (exit 2); a database that refuses or fails
        is a database problem (exit 3).
        """
        from annotator.store.retry import DatabaseUnavailable  # SQLAlchemy: loaded by now, not at start

        if isinstance(exc, UserError):
            self.startup_error = exc
        else:
            self.startup_error = DatabaseUnavailable(f"--db: cannot open the database: {_one_line(exc)}", attempts=1)
        self.exit(return_code=self.startup_error.exit_code)

    def _started(self, controller: Controller) -> None:
        # listed beside an SQLite file while the app runs: a colleague's locked write names us
        url = self.lock_url = controller.engine.url.render_as_string(hide_password=False)
        self._announcement.enter_context(announced(url, "annotate", self.annotator_name))
        self.schema = controller.schema  # validated
        screen = self.annotate_screen
        if screen is not None:
            screen.attach(controller)
        # Every module is loaded now (Textual, SQLAlchemy, the schema): move the ~150,000 objects
        # start-up made out of the collector's sight. A full collection walked all of them (~170 ms,
        # one key in a few hundred paid it); they live as long as the app (CPython's gc.freeze docs).
        gc.freeze()

    def on_unmount(self) -> None:
        self._announcement.close()

    def leave_closed_terminal(self) -> None:
        """The terminal is gone: leave as ``q`` does (after every step waiting, the time spent is recorded)."""
        screen = self.annotate_screen
        if screen is None:
            self.exit()
        else:
            screen.action_quit()

    @property
    def annotate_screen(self) -> AnnotateScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, AnnotateScreen)), None)

    def settled(self) -> bool:
        """No database step waits or runs, and the screen shows what the database holds (tests wait on it)."""
        screen = self.annotate_screen
        if screen is None or not screen.jobs.idle or not self.key_gate.idle:
            return False
        if screen.doc is None:
            return bool(screen.is_mounted and not (screen.state.queue and screen.state.queue.documents))  # empty, shown
        feed = getattr(screen, "feed", None)
        return self.jobs.idle and (feed is None or feed.idle)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette reaches every key of the screen by name, with its key as remapped."""
        return bindings.palette_commands(self, screen, super().get_system_commands(screen))


def make_app(
    db_url: str | None,
    annotator_name: str,
    schema: LabelSchema | SchemaPreview,
    keymap: dict[str, str] | None = None,
    *,
    suggestions: bool = False,
    make_suggester: Callable[[], Suggester] | None = None,
    retrain_every: int = 10,
) -> AnnotatorApp:
    """The app for ``annotator_name`` on ``db_url``; ``suggestions`` offers pre-annotations."""
    return AnnotatorApp(
        db_url,
        annotator_name,
        schema,
        keymap,
        suggestions=suggestions,
        make_suggester=make_suggester,
        retrain_every=retrain_every,
    )


def binding_ids(schema: LabelSchema | SchemaPreview) -> set[str]:
    """Every binding id a user may remap in keymap.toml (both apps)."""
    return bindings.binding_ids(schema)
