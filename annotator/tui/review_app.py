"""The review (adjudication) app. ``make_review_app`` builds it for the CLI and the tests.

Start-up paints at once; the database (engine, gold annotator, the document list with its
agreement figures) is reached from a worker. Every decision is one database step
(``DbJobs``: a thread worker, in order) and reaches the screen only after it committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.screen import Screen
from textual.widgets import Static

from annotator.schemas.labels import LabelSchema
from annotator.tui import bindings
from annotator.tui.dbjobs import DbJobs, Job
from annotator.tui.ordered_keys import OrderedKeys
from annotator.tui.terminal_driver import ClosesWithTerminal

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from annotator.services.adjudication import Adjudicator, Overview
    from annotator.tui.screens.review import DocReviewScreen


class ReviewApp(OrderedKeys, ClosesWithTerminal, App[None]):
    TITLE = "annotator review"
    CSS = "#starting { padding: 1 2; color: $text-muted; }"

    def __init__(
        self,
        db_url: str | None,
        annotators: Sequence[str],
        gold_name: str,
        schema: LabelSchema,
        lead_name: str,
        keymap: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.user_keymap = dict(keymap or {})  # binding id -> keys, as checked by keymap.load_checked
        if keymap:
            self.set_keymap(keymap)
        self.db_url = db_url
        self.annotator_names = tuple(annotators)
        self.gold_name = gold_name
        self.schema = schema
        self.lead_name = lead_name
        self.jobs = DbJobs(self)
        self.engine: Any = None
        self.adj: Any = None  # services.adjudication.Adjudicator, once the database answered
        self.rows: list[Any] = []  # services.adjudication.DocRow, most disagreement first
        self.verdict: Any = None  # services.agreement.verdict.Verdict on those rows
        self.start_error: str = ""

    def compose(self) -> ComposeResult:
        from annotator.untrusted import safe_line

        yield Static(Text(f"Opening the database for review as {safe_line(self.lead_name, 80)}…"), id="starting")

    def on_mount(self) -> None:
        def work() -> tuple[Engine, Adjudicator, Overview]:
            from annotator.services import adjudication as adjn
            from annotator.store.engine import get_engine, read_scope, session_scope

            engine = get_engine(self.db_url, create=False)
            with session_scope(engine) as session:
                adj = adjn.start(
                    session,
                    lead=self.lead_name,
                    schema=self.schema,
                    annotators=self.annotator_names,
                    gold_name=self.gold_name,
                )
            with read_scope(engine) as session:  # a read: never the write lock
                listed = adjn.overview(session, adj)
            return engine, adj, listed

        self.jobs.submit(lambda: Job(work, self._started, "open the database for review", failed=self._not_started))

    def _started(self, result: tuple[Engine, Adjudicator, Overview]) -> None:
        from annotator.services.commands.runner import CommandRunner
        from annotator.tui.screens.review import ReviewListScreen

        self.engine, self.adj, listed = result
        self.rows, self.verdict = listed.rows, listed.verdict
        self.jobs.runner = CommandRunner(self.engine)  # the review's commands: services.commands.review
        self.push_screen(ReviewListScreen())

    def _not_started(self, exc: BaseException) -> None:
        from annotator.errors import domain_wording
        from annotator.untrusted import display_text

        self.start_error = display_text(" ".join(domain_wording(exc).split()))
        self.query_one("#starting", Static).update(
            Text(f"Could not start the review: {self.start_error}\nPress ctrl+q to leave.")
        )

    def leave(self) -> None:
        """``q``: leave once every decision already pressed is stored (a step queued behind them), so a
        decision the screen showed as made is never lost by quitting while the database is busy."""
        if self.jobs.runner is None:  # the database never opened: nothing can be waiting
            self.exit()
            return
        self.jobs.submit(lambda: Job(lambda: None, lambda _: self.exit(), "leave", failed=lambda _: self.exit()))

    def leave_closed_terminal(self) -> None:
        """The terminal is gone: leave as ``q`` does, once every decision waiting is stored."""
        self.leave()

    # ------------------------------------------------------------------ database side

    def fetch(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        """Run ``fn(session, adjudicator, **kwargs)``, which only reads, in a read-only
        transaction (from a worker thread): never the write lock."""
        return self.jobs.runner.fetch(fn, self.adj, **kwargs)

    def open_document(self, document_id: int, *, replace_screen: bool = False) -> None:
        """Load a document and show it on a review screen."""
        from annotator.services import adjudication as adjn

        def done(doc: Any) -> None:
            from annotator.tui.screens.review import DocReviewScreen

            screen = bindings.labelled(DocReviewScreen, self.schema, "review")(doc, self.schema)
            if replace_screen:
                self.switch_screen(screen)
            else:
                self.push_screen(screen)

        self.jobs.submit(
            lambda: Job(lambda: self.fetch(adjn.load_document, document_id=document_id), done, "open the document")
        )

    def refresh_rows(self, then: Callable[[], None] | None = None) -> None:
        from annotator.services import adjudication as adjn

        def done(listed: Any) -> None:
            self.rows, self.verdict = listed.rows, listed.verdict
            if then is not None:
                then()

        self.jobs.submit(lambda: Job(lambda: self.fetch(adjn.overview), done, "list the documents"))

    def row_for(self, document_id: int) -> Any:
        return next((r for r in self.rows if r.id == document_id), None)

    def settled(self) -> bool:
        """No database step waits or runs, and a review screen shows what it read (tests wait on it)."""
        from annotator.tui.screens.review import DocReviewScreen, ReviewListScreen

        return self.jobs.idle and self.key_gate.idle and isinstance(self.screen, (DocReviewScreen, ReviewListScreen))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette reaches every key of the screen by name, with its key as remapped."""
        return bindings.palette_commands(self, screen, super().get_system_commands(screen))

    @property
    def review_screen(self) -> DocReviewScreen | None:
        from annotator.tui.screens.review import DocReviewScreen

        return self.screen if isinstance(self.screen, DocReviewScreen) else None


def make_review_app(
    db_url: str | None,
    annotators: Sequence[str],
    gold_name: str,
    schema: LabelSchema,
    lead_name: str,
    keymap: dict[str, str] | None = None,
) -> ReviewApp:
    """``keymap``: binding id -> keys (``keymap.load_checked``), shared with the annotate app."""
    return ReviewApp(db_url, annotators, gold_name, schema, lead_name, keymap)
