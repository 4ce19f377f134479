"""The annotate screen's top bar: position in the queue, status, counts, title, who annotates."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from annotator.tui.annotate_state import TopBarFacts
from annotator.untrusted import safe_line


class TopBar(Static):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.facts: TopBarFacts | None = None

    def show(self, facts: TopBarFacts) -> None:
        """Draw ``facts`` (nothing is drawn when they are what the bar shows already)."""
        if facts == self.facts:
            return
        self.facts = facts
        self.update(render_topbar(facts))


def render_topbar(facts: TopBarFacts) -> Text:
    bar = Text(no_wrap=True, overflow="ellipsis")
    if not facts.shown:
        bar.append(" Opening the database…", style="bold")
    elif not facts.has_document:
        bar.append(" No documents yet: import some with  annotator import PATH", style="bold")
    else:
        bar.append(f" {facts.position}/{facts.documents} ", style="bold reverse")
        bar.append(f" {facts.status.replace('_', ' ')} ", style="bold")
        bar.append(f"{facts.spans} spans ", style="dim")
        if facts.review:
            bar.append(f"{facts.review} ", style="bold italic")
        elif facts.suggestions:
            bar.append(f"{facts.suggestions} suggested (y/x, Y all, j/k, r review) ", style="dim italic")
        if facts.progress is not None:
            bar.append(f"suggesting… {facts.progress:.0%} ", style="dim italic")
        if facts.retraining:
            bar.append("retraining… ", style="dim italic")
        bar.append(safe_line(facts.title, 200))
    bar.append(f"  [{safe_line(facts.annotator, 60)}]", style="dim")
    return bar
