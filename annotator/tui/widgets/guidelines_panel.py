"""Beside a disagreement on the review screen: the guidelines of the labels in dispute.

Plain text from the schema (``schemas.guidelines``), never markup; hidden on terminals narrower
than ``MIN_WIDTH`` (there ``g`` opens them full-screen instead).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from annotator.schemas.guidelines import guidelines_text
from annotator.untrusted import document_display

MIN_WIDTH = 140


class GuidelinesPanel(VerticalScroll):
    DEFAULT_CSS = """
    GuidelinesPanel { dock: right; width: 44; border-left: solid $primary; padding: 0 1; background: $surface; }
    GuidelinesPanel > Static { width: 100%; }
    """

    def __init__(self, schema: Any, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.schema = schema
        self.shown: tuple[str, ...] = ()
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Static(Text(""), markup=False)

    def show_labels(self, labels: Iterable[str], width: int) -> None:
        """The guidelines of ``labels`` (in schema order), or a hint when there are none."""
        self.display = width >= MIN_WIDTH
        wanted = tuple(label.name for label in self.schema.labels if label.name in set(labels))
        if wanted == self.shown and self.text:
            return
        self.shown = wanted
        if wanted:
            self.text = "\n\n".join(guidelines_text(self.schema.label(name)) for name in wanted)
        else:
            self.text = "Guidelines: put the cursor on a marked span (g: every label's guidelines)."
        self.query_one(Static).update(Text(document_display(self.text)))
        self.scroll_home(animate=False)
