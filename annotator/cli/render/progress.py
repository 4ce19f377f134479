"""Progress bars on standard error for the commands whose services report progress by callback."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from annotator.untrusted import escape_controls

Counted = Callable[[int, int], None]  # (done, total)
CountedBytes = Callable[[int, int, str], None]  # (bytes done, bytes in total, current file)


def wanted() -> bool:
    """A bar only when someone watches: standard error is a terminal."""
    return sys.stderr.isatty()


@contextmanager
def count_bar(description: str, *, enabled: bool) -> Iterator[Counted | None]:
    """A bar counting items (documents): yields the callback, or None when not ``enabled``."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(escape_controls(description), markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@contextmanager
def bytes_bar(description: str, *, enabled: bool) -> Iterator[CountedBytes | None]:
    """A bar counting bytes read, with the current file's name (escaped): for imports."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(escape_controls(description), markup=False),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[file]}", markup=False),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None, file="")
        yield lambda done, total, current: bar.update(
            task, completed=done, total=total, file=escape_controls(current)[-60:]
        )
