"""The document queue: title, this annotator's status and span count; filter by status."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from annotator.services.records import QueueRow
from annotator.untrusted import safe_line

FILTERS = ("all", "todo", "in_progress", "done", "skipped")
STATUS_MARK = {"todo": "·", "in_progress": "…", "done": "✓", "skipped": "↷"}


class DocumentQueue(DataTable[Text]):
    """Rows are documents; ``enter`` opens one. Titles are shown as plain text, never markup."""

    DEFAULT_CSS = """
    DocumentQueue { width: 36; height: 1fr; border-right: solid $primary-background; overflow-x: hidden; }
    """

    BINDINGS = [
        Binding("f", "cycle_filter", "Filter", id="queue.filter", tooltip="Show only documents with one status"),
    ]

    class Open(Message):
        def __init__(self, document_id: int) -> None:
            super().__init__()
            self.document_id = document_id

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, show_row_labels=False, **kwargs)
        self.rows_data: list[QueueRow] = []
        self.filter = "all"
        self.current_id: int | None = None

    def on_mount(self) -> None:
        self.add_column("", key="status", width=1)
        self.add_column("document", key="title", width=24)
        self.add_column("spans", key="spans", width=5)
        self._update_title()

    def _update_title(self) -> None:
        self.border_title = f"queue: {self.filter.replace('_', ' ')}"

    def set_rows(self, rows: Iterable[QueueRow], current_id: int | None = None) -> None:
        self.rows_data = list(rows)
        if current_id is not None:
            self.current_id = current_id
        self._rebuild()

    def _visible(self) -> list[QueueRow]:
        if self.filter == "all":
            return self.rows_data
        return [r for r in self.rows_data if r.status == self.filter]

    def _rebuild(self) -> None:
        self.clear()
        for row in self._visible():
            mark = "▶" if row.document_id == self.current_id else STATUS_MARK.get(row.status, "?")
            self.add_row(
                Text(mark),
                Text(safe_line(row.title, 120), no_wrap=True, overflow="ellipsis"),
                Text(str(row.spans), justify="right"),
                key=str(row.document_id),
            )
        if self.current_id is not None and str(self.current_id) in self.rows:
            self.move_cursor(row=self.get_row_index(str(self.current_id)), animate=False)

    def update_row(self, document_id: int, *, status: str | None = None, span_delta: int = 0) -> None:
        """Change one document's status or count: its cells only, not the whole table."""
        for i, row in enumerate(self.rows_data):
            if row.document_id == document_id:
                new = QueueRow(
                    row.document_id,
                    row.title,
                    status if status is not None else row.status,
                    max(0, row.spans + span_delta),
                )
                if new == row:
                    return
                self.rows_data[i] = new
                key = str(document_id)
                if new.status != row.status and self.filter != "all":
                    self._rebuild()  # it may leave or join the filtered list
                elif key in self.rows:
                    mark = "▶" if document_id == self.current_id else STATUS_MARK.get(new.status, "?")
                    self.update_cell(key, "status", Text(mark))
                    self.update_cell(key, "spans", Text(str(new.spans), justify="right"))
                return

    def action_cycle_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self._update_title()
        self._rebuild()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Open(int(event.row_key.value)))
