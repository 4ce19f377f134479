"""The floors for benchmarks 2 and 15: bare Textual apps.

Without arguments (benchmark 2, start-up): one static line. With ``--keys`` (benchmark 15,
keystroke through a pty): the same line plus one that each arrow key rewrites, the least an
app that answers a key on screen can do.
"""

import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("BENCHMARK READY", markup=False)


class BareKeys(Bare):
    """Rewrites one line per arrow key (what it says changes every time, so every key repaints)."""

    BINDINGS = [Binding(key, f"moved('{key}')") for key in ("left", "right", "up", "down")]

    def __init__(self) -> None:
        super().__init__()
        self.moves = 0

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static("no key yet", id="line", markup=False)

    def action_moved(self, key: str) -> None:
        self.moves += 1
        self.query_one("#line", Static).update(f"key {self.moves}: {key}")


if __name__ == "__main__":
    (BareKeys() if "--keys" in sys.argv[1:] else Bare()).run()
