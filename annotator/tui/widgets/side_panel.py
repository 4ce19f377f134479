"""The side panel: label legend and keys, the document's spans in text order, and the
attributes of the selected span. Everything is built from ``rich.text.Text``: document text
is never markup.

The three parts are drawn into one widget (``PanelText``) whose size the panel fixes, one
blank line between them, so a part that changes is shown without a layout of the screen (a
part of its own height, growing from "no span under the cursor" to a span's attributes,
needed one, which took three frames), and only its rows are repainted (all 38 took 15 ms).
Each part is drawn only when what it shows changed: ``parts_drawn`` counts the draws, for
tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

from annotator.services.records import OpenSuggestion, SpanData
from annotator.tui.widgets.row_painter import legend_styles
from annotator.untrusted import safe_line

if TYPE_CHECKING:
    from annotator.schemas.labels import LabelSchema, LabelSpec
    from annotator.schemas.preview import LabelPreview, SchemaPreview

SPAN_LIST_SIZE = 12
PARTS = ("legend", "attrs", "spans")  # top to bottom


class PanelText(Widget):
    """The panel's parts, one blank line between them, through the Line API: each part's rows
    are built when it changes (and kept), and a change repaints that part's rows only (and
    the rows below it when its height changed)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.parts: dict[str, Text] = {part: Text() for part in PARTS}
        self._strips: dict[str, list[Strip]] = {}
        self._lines: list[Strip] | None = None
        self._built_for: tuple[int, object] | None = None  # (width, visual style) the strips are for

    def show(self, part: str, content: Text) -> None:
        width = self.size.width
        if not width:
            self.parts[part] = content
            self._strips.pop(part, None)
            self._lines = None
            self.refresh()
            return
        first, height = self._rows_of(part)
        self.parts[part] = content
        self._strips.pop(part, None)
        self._lines = None
        if len(self._part_strips(part)) == height:
            self.refresh(Region(0, first, width, max(1, height)))
        else:  # the parts below it move
            self.refresh(Region(0, first, width, max(1, self.size.height - first)))

    def _rows_of(self, part: str) -> tuple[int, int]:
        first = 0
        for name in PARTS:
            height = len(self._part_strips(name))
            if name == part:
                return first, height
            first += height + 1
        raise KeyError(part)

    def _part_strips(self, part: str) -> list[Strip]:
        key = (self.size.width, self.visual_style)
        if key != self._built_for:
            self._strips.clear()
            self._lines = None
            self._built_for = key
        strips = self._strips.get(part)
        if strips is None:
            visual = visualize(self, self.parts[part])
            strips = self._strips[part] = Visual.to_strips(self, visual, self.size.width, None, self.visual_style)
        return strips

    def render_line(self, y: int) -> Strip:
        if self._lines is None or self._built_for != (self.size.width, self.visual_style):
            blank = Visual.to_strips(self, visualize(self, Text()), self.size.width, None, self.visual_style)
            lines: list[Strip] = []
            for i, part in enumerate(PARTS):
                lines += (blank if i else []) + self._part_strips(part)
            self._lines = lines
        if y < len(self._lines):
            return self._lines[y]
        return Strip.blank(self.size.width, self.visual_style.rich_style)


class SidePanel(Vertical):
    DEFAULT_CSS = """
    SidePanel { width: 32; border-left: solid $primary-background; padding: 0 1; }
    SidePanel > #side-text { height: 1fr; }
    """

    def __init__(self, schema: LabelSchema | SchemaPreview, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schema = schema
        self.parts_drawn: Counter[str] = Counter()  # part id -> times drawn
        self._text = PanelText(id="side-text")

    def compose(self) -> ComposeResult:
        yield self._text

    @property
    def shown(self) -> dict[str, str]:
        """Each part's text as shown (plain), by part."""
        return {part: text.plain for part, text in self._text.parts.items()}

    def on_mount(self) -> None:
        self.show_legend(char_mode=False)

    def show_legend(self, *, char_mode: bool) -> None:
        text = Text()
        labels: Sequence[LabelSpec | LabelPreview] = self.schema.labels
        shown = legend_styles(labels)
        for i, label in enumerate(labels):
            text.append(f"{label.key}", style="bold")
            text.append(f" {label.name[:11]:<11} ", style=shown[i])
            text.append("\n" if i % 2 else " ")
        if len(labels) % 2:
            text.append("\n")
        text.append("c", style="bold")
        text.append(f" select by {'character' if char_mode else 'word'}   ")
        text.append("?", style="bold")
        text.append(" keys")
        self._draw("legend", text)

    def show_spans(self, text: str, first: int, window: Sequence[SpanData], total: int, selected: int | None) -> None:
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(f"spans ({total})\n", style="bold underline")
        if not window:
            out.append("none yet: put the cursor on a word and press a label key", style="dim")
        for i, span in enumerate(window):
            colour = self._colour(span.label)
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append("▌", style=colour)
            line.append(f"{span.label[:8]:<8} ", style=f"bold {colour}")
            line.append(safe_line(" ".join(text[span.start : span.end].split()), 60))
            line.truncate(max(10, self.content_size.width or 30), overflow="ellipsis")
            if span.id == selected:
                line.stylize("reverse")
            out.append_text(line)
            if i < len(window) - 1:
                out.append("\n")
        if first + len(window) < total:
            out.append(f"\n… {total - first - len(window)} more", style="dim")
        self._draw("spans", out)

    def show_attrs(self, text: str, span: SpanData | None, spans: dict[int, SpanData]) -> None:
        out = Text()
        if span is None:
            out.append("no span under the cursor", style="dim")
            self._draw("attrs", out)
            return
        spec = self.schema.label(span.label) if self.schema.has_label(span.label) else None
        out.append(safe_line(span.label, 40), style=f"bold {self._colour(span.label)}")
        out.append(f"  {span.start}-{span.end}\n", style="dim")
        if spec is None:  # stored under another schema: shown, never edited here
            out.append("not in the schema\n", style="bold reverse")
            for name, value in sorted(span.attrs.items()):
                out.append(f"{safe_line(name, 40)}: ", style="bold")
                out.append(safe_line(str(value), 80) + "\n")
        out.append(safe_line(" ".join(text[span.start : span.end].split()), 120) + "\n")
        for attr in spec.attributes if spec else ():  # a schema not validated yet has none
            out.append(f"{attr.name}: ", style="bold")
            if attr.kind == "link":
                names = [
                    safe_line(" ".join(text[spans[c].start : spans[c].end].split()), 40)
                    for c in span.links.get(attr.name, ())
                    if c in spans
                ]
                out.append("; ".join(names) if names else "— (s to pick)", style="" if names else "dim")
            else:
                value = span.attrs.get(attr.name)
                out.append(safe_line(str(value), 80) if value not in (None, "") else "—", style="" if value else "dim")
            out.append("\n")
        if spec and spec.attributes:
            out.append("enter", style="bold")
            out.append(" edit attributes", style="dim")
        self._draw("attrs", out)

    def show_suggestion(self, text: str, suggestion: OpenSuggestion) -> None:
        out = Text()
        out.append("suggested ", style="italic")
        out.append(suggestion.label, style=f"bold underline {self._colour(suggestion.label)}")
        out.append(f"  {suggestion.source}\n", style="dim")
        out.append(safe_line(" ".join(text[suggestion.start : suggestion.end].split()), 120) + "\n")
        out.append("y", style="bold")
        out.append(" accept  ", style="dim")
        out.append("x", style="bold")
        out.append(" reject  ", style="dim")
        out.append("Y", style="bold")
        out.append(" accept all", style="dim")
        self._draw("attrs", out)

    def _draw(self, part: str, content: Text) -> None:
        """Show ``content`` as ``part`` unless it is shown already (the panel's size is fixed,
        so no layout)."""
        if self._text.parts[part] == content:
            return
        self.parts_drawn[part] += 1
        self._text.show(part, content)

    def _colour(self, label: str) -> str:
        return self.schema.label(label).colour if self.schema.has_label(label) else "#888888"
