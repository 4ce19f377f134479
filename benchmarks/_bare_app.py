"""The floor for start-up: a bare Textual app that shows one static line (benchmark 2)."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("BENCHMARK READY", markup=False)


if __name__ == "__main__":
    Bare().run()
