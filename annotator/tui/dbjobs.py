"""Database steps for the UI: one at a time, in order, off the event loop.

``run(command, direction, then=...)`` queues a person's change: the command applies itself
in one transaction (``runner.run``), the ``history`` records it once committed, and only
then ``then(command, outcome)`` shows it. Other steps (opening a document, reading the
queue) are ``submit``-ted as jobs.

Each step is submitted as a ``prepare`` callable that runs on the UI thread when the step's
turn comes (so it sees everything earlier steps showed) and returns a ``Job``: ``work`` runs
in a thread worker, ``done`` runs back on the UI thread only after ``work`` committed. A lost
connection is reported in words and retried; any other failure is reported and nothing is
shown as saved.
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.dom import DOMNode

from annotator.services.commands.history import Direction, History

RETRY_DELAYS: tuple[float, ...] = (0.5, 1, 2, 4, 8, 15, 30, 30)


@dataclass
class Job:
    work: Callable[[], Any]
    done: Callable[[Any], None]
    what: str  # "save the span": completes "Could not ..."
    failed: Callable[[BaseException], None] | None = None
    retry: bool = True


class DbJobs:
    def __init__(self, owner: DOMNode, delays: tuple[float, ...] = RETRY_DELAYS) -> None:
        self.owner = owner
        self.delays = delays
        self.runner: Any = None  # services.commands.runner.CommandRunner, once the database is open
        self.history: History[Any] = History()
        self._pending: deque[Callable[[], Job | None]] = deque()
        self._background: deque[Callable[[], Job | None]] = deque()
        self._running = False
        self._held = False
        self.completed = 0
        self.failures = 0

    @property
    def idle(self) -> bool:
        return not self._running and not self._pending and not self._background and not self._held

    def submit(self, prepare: Callable[[], Job | None], *, first: bool = False, background: bool = False) -> None:
        """Queue a step (``first``: ahead of every step still waiting). A ``background`` step
        (storing suggestions) runs only when no other step waits: a person's change never
        queues behind one, and background steps keep their own order."""
        if background:
            self._background.append(prepare)
        elif first:
            self._pending.appendleft(prepare)
        else:
            self._pending.append(prepare)
        self._pump()

    def run(
        self,
        command: Any,
        direction: Direction = Direction.DO,
        *,
        then: Callable[[Any, Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Queue ``command`` (a person's change) to run ``direction``."""
        self.run_when_due(lambda: command, direction, then=then, failed=failed)

    def run_when_due(
        self,
        build: Callable[[], Any],
        direction: Direction = Direction.DO,
        *,
        then: Callable[[Any, Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Queue a command that ``build()`` makes when its turn comes (after every earlier
        step was shown), or None for nothing to do."""

        def prepare() -> Job | None:
            command = build()
            if command is None:
                return None
            key = uuid.uuid4().hex  # this write's idempotency key: the same on every retry of it
            runner = self.runner

            def work() -> Any:
                return runner.run(command, backwards=direction.backwards, key=key)

            def done(outcome: Any) -> None:
                self.history.record(command, direction)
                then(command, outcome)

            return Job(work, done, direction.describe(command.description), failed=failed)

        self.submit(prepare)

    def undo(self, *, then: Callable[[Any, Any], None], failed: Callable[[BaseException], None] | None = None) -> None:
        """Queue the undo of the newest command (as it is when the step's turn comes)."""
        self.run_when_due(lambda: self.history.next_for(Direction.UNDO), Direction.UNDO, then=then, failed=failed)

    def redo(self, *, then: Callable[[Any, Any], None], failed: Callable[[BaseException], None] | None = None) -> None:
        self.run_when_due(lambda: self.history.next_for(Direction.REDO), Direction.REDO, then=then, failed=failed)

    def hold(self) -> None:
        """Keep steps waiting (in order) until ``release``: the database is not open yet."""
        self._held = True

    def release(self) -> None:
        self._held = False
        self._pump()

    def _pump(self) -> None:
        while not self._running and not self._held and (self._pending or self._background):
            prepare = (self._pending or self._background).popleft()
            job = prepare()
            if job is None:
                continue
            self._running = True
            self.owner.run_worker(lambda job=job: self._in_thread(job), thread=True, group="db", exit_on_error=False)

    def _in_thread(self, job: Job) -> None:
        app = self.owner.app
        attempt = 0
        while True:
            try:
                result = job.work()
            except Exception as exc:  # reported in words below, never as a traceback
                if job.retry and is_connection_error(exc) and attempt < len(self.delays):
                    delay = self.delays[attempt]
                    attempt += 1
                    self._call(app, self._warn_retry, job, exc, delay, attempt)
                    time.sleep(delay)
                    continue
                self._call(app, self._failed, job, exc)
                return
            self._call(app, self._succeeded, job, result)
            return

    @staticmethod
    def _call(app: Any, fn: Callable[..., None], *args: Any) -> None:
        try:
            app.call_from_thread(fn, *args)
        except RuntimeError:
            pass  # the app is gone; the database already has (or has not) the change

    def _warn_retry(self, job: Job, exc: BaseException, delay: float, attempt: int) -> None:
        from annotator.store import writers

        url = getattr(self.owner.app, "lock_url", None)
        if url and writers.is_locked_error(exc):
            self.owner.app.notify(
                f"Could not {job.what} yet: {writers.explain_lock(url)}. Retrying in {delay:g} s "
                f"(attempt {attempt} of {len(self.delays)}); nothing is shown until it is saved.",
                title="Database locked",
                severity="warning",
                markup=False,
            )
            return
        self.owner.app.notify(
            f"Lost the database connection while trying to {job.what} ({_one_line(exc)}). "
            f"Retrying in {delay:g} s (attempt {attempt} of {len(self.delays)}); nothing is shown until it is saved.",
            title="Database unreachable",
            severity="warning",
            markup=False,
        )

    def _succeeded(self, job: Job, result: Any) -> None:
        try:
            self.completed += 1
            job.done(result)
        finally:
            self._running = False
            self._pump()

    def _failed(self, job: Job, exc: BaseException) -> None:
        try:
            self.failures += 1
            if is_connection_error(exc):
                message = f"Could not {job.what}: the database is unreachable ({_one_line(exc)}). Nothing was saved."
            else:
                message = f"Could not {job.what}: {_one_line(exc)}"
            self.owner.app.notify(message, severity="error", markup=False, timeout=8)
            if job.failed is not None:
                job.failed(exc)
        finally:
            self._running = False
            self._pump()


def is_connection_error(exc: BaseException) -> bool:
    try:
        from annotator.store.retry import is_connection_error as check  # SQLAlchemy: imported late
    except ImportError:  # the failure being reported may be that very import: report it, do not raise
        return False
    return check(exc)


def _one_line(exc: BaseException) -> str:
    from annotator.errors import domain_wording
    from annotator.untrusted import display_text

    text = domain_wording(getattr(exc, "orig", None) or exc) or type(exc).__name__
    return display_text(" ".join(text.split())[:300])  # quoted data may hold control characters
