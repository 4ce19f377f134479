"""``g``: the guidelines of the label under the cursor (``left``/``right``: the other labels)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from annotator.schemas.guidelines import guidelines_text
from annotator.tui.screens.modals import modal_css
from annotator.untrusted import display_text, document_display


class GuidelinesScreen(ModalScreen[None]):
    DEFAULT_CSS = modal_css(
        "GuidelinesScreen",
        "GuidelinesScreen > Vertical { width: 96; } GuidelinesScreen VerticalScroll { max-height: 30; }",
    )
    BINDINGS = [
        Binding("escape,g,q", "dismiss", "Close", id="guidelines.close"),
        Binding("right,tab", "step(1)", "Next label", id="guidelines.next"),
        Binding("left,shift+tab", "step(-1)", "Previous label", id="guidelines.prev"),
    ]

    def __init__(self, schema: Any, label: str | None = None) -> None:
        super().__init__()
        self.schema = schema
        names = [lab.name for lab in schema.labels]
        self.index = names.index(label) if label in names else 0

    @property
    def label(self) -> Any:
        return self.schema.labels[self.index]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="gl-title", classes="title")
            with VerticalScroll():
                yield Static(id="gl-body", markup=False)
            yield Static(Text("left/right: other labels · escape: close"), classes="hint")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        count = len(self.schema.labels)
        title = f"Guidelines: {self.label.name}  ({self.index + 1}/{count}, schema {self.schema.name} v{getattr(self.schema, 'version', '?')})"
        self.query_one("#gl-title", Static).update(Text(display_text(title)))
        self.query_one("#gl-body", Static).update(Text(document_display(guidelines_text(self.label))))
        self.query_one(VerticalScroll).scroll_home(animate=False)

    def action_step(self, step: int) -> None:
        self.index = (self.index + step) % len(self.schema.labels)
        self._show()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
