"""The annotate screen's search box: hidden until ``/``; enter searches, escape closes."""

from __future__ import annotations

from textual.widgets import Input


class SearchBar(Input):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(placeholder="search this document (enter: find, escape: close)", **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.display = False

    def open(self) -> None:
        self.display = True
        self.focus()

    def close(self) -> None:
        self.display = False
