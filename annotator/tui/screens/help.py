"""``?``: every key of the screen below as remapped, with its binding id (for keymap.toml, read
by both apps), and the schema's label guidelines when the screen passes them. The rows come
from ``tui/bindings.help_rows``."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from annotator.tui.screens.modals import modal_css
from annotator.untrusted import document_display


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = modal_css(
        "HelpScreen",
        "HelpScreen > Vertical { width: 96; } HelpScreen DataTable { height: auto; max-height: 30; } HelpScreen #guidelines { max-height: 12; }",
    )
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, rows: list[tuple[str, str, str]], keymap_path: str, guidelines: str = "") -> None:
        """``guidelines``: the schema's label guidelines, shown under the keys (plain text)."""
        super().__init__()
        self.rows = rows
        self.keymap_path = keymap_path
        self.guidelines = guidelines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Keys"), classes="title")
            table: DataTable[Text] = DataTable(cursor_type="row", id="keys")
            yield table
            yield Static(
                Text(f'Remap a key by id in {self.keymap_path} (both apps), e.g.  "annotate.undo" = "ctrl+u"'),
                classes="hint",
            )
            if self.guidelines:
                with VerticalScroll(id="guidelines"):
                    yield Static(Text(document_display(self.guidelines)), markup=False)

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        table.add_columns("key", "does", "id")
        for key, description, binding_id in self.rows:
            table.add_row(Text(key), Text(description), Text(binding_id))
        table.focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
