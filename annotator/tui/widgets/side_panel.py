"""The side panel: label legend and keys, the document's spans in text order, and the
attributes of the selected span. Everything is built from ``rich.text.Text``: document text
is never markup.

The panel is one Line-API widget of a size the screen fixes: its three parts (one blank row
between them) are lists of lines, so a part that changes is shown without a layout of the
screen. Each distinct line is turned into strips once (``Visual.to_strips``, which builds
Textual ``Content``) and kept in an LRU keyed by what the line shows, so walking back and
forth over the same spans and suggestions builds nothing; and only the rows whose strip
differs from the one on screen are refreshed (a move onto a span whose list mark moves: the
two rows of the mark and the attribute rows that changed, not the 34 rows below them).
Counters for tests: ``parts_drawn`` (a part's lines changed), ``lines_built`` (strips built:
cache misses) and ``rows_refreshed`` (rows handed to the compositor).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.cache import LRUCache
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
LINE_CACHE_SIZE = 1024  # distinct lines kept as strips (a span row is ~40 segments: small)


BLANK = Text()


def line_key(line: Text) -> Hashable:
    """What a line shows (its text and styles): equal keys draw equal strips."""
    return (line.plain, tuple(line.spans), str(line.style))  # (Content takes no more from a Text)


class SidePanel(Widget):
    DEFAULT_CSS = """
    SidePanel { width: 32; height: 1fr; border-left: solid $primary-background; padding: 0 1; }
    """

    def __init__(self, schema: LabelSchema | SchemaPreview, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._schema = schema
        self.parts_drawn: Counter[str] = Counter()  # part id -> times its lines changed
        self.lines_built = 0  # lines turned into strips (cache misses)
        self.rows_refreshed = 0  # rows handed to the compositor to repaint
        self._parts: dict[str, list[Text]] = {part: [Text()] for part in PARTS}  # a blank row each until drawn
        self._keys: dict[str, list[Hashable]] = {part: [line_key(Text())] for part in PARTS}
        self._strips: LRUCache[Hashable, list[Strip]] = LRUCache(LINE_CACHE_SIZE)
        self._span_rows: LRUCache[tuple[str, str, str, bool, int], Text] = LRUCache(LINE_CACHE_SIZE)
        self._rows: list[Strip] | None = None  # the panel's rows as last shown
        self._rows_height = 0  # the panel's height when they were built
        self._built_for: tuple[int, object] | None = None  # (width, visual style) the strips are for
        self._shown: list[Strip] | None = None  # the rows on screen while parts are drawn (None: unknown)
        self._pending = False  # parts drawn since the rows were last repainted
        self._batched = False

    @property
    def schema(self) -> LabelSchema | SchemaPreview:
        return self._schema

    @schema.setter
    def schema(self, schema: LabelSchema | SchemaPreview) -> None:
        """The validated schema replaces the preview (which knows no attributes): the reserved rows follow it."""
        self._schema = schema
        if self._rows is not None:
            self._rows = None
            self.refresh()

    @property
    def shown(self) -> dict[str, str]:
        """Each part's text as shown (plain), by part."""
        return {part: "\n".join(line.plain for line in lines) for part, lines in self._parts.items()}

    # ------------------------------------------------------------------ drawing (the Line API)

    def _line_strips(self, key: Hashable, line: Text) -> list[Strip]:
        strips = self._strips.get(key)
        if strips is None:
            self.lines_built += 1
            visual = visualize(self, line)
            strips = Visual.to_strips(self, visual, self.size.width, None, self.visual_style)
            self._strips[key] = strips
        return strips

    def _build_rows(self) -> list[Strip]:
        rows: list[Strip] = []
        for i, part in enumerate(PARTS):
            if i:
                rows.append(self._blank())
            part_start = len(rows)
            for key, line in zip(self._keys[part], self._parts[part], strict=True):
                rows += self._line_strips(key, line)
            if part == "attrs":  # the span list below starts on the same row whatever the attributes show
                rows += [self._blank()] * (self._attrs_rows(part_start, len(rows)) - len(rows))
        return rows

    def _attrs_rows(self, attrs_start: int, attrs_end: int) -> int:
        """The row the attributes part is padded to: room for the schema's tallest span (its label, two rows of
        text, each attribute, the edit hint), so moving onto or off a span or suggestion repaints only the
        attributes' rows, never the span list below them. Rows are reserved only where the whole list
        still fits below them: a short panel (80x24) gives the list every row it needs first."""
        tallest = max((len(label.attributes) for label in self.schema.labels), default=0)
        reserve = 1 + 2 + tallest + 1
        room = self.size.height - attrs_start - 1 - len(self._parts["spans"])  # the list below keeps its rows
        return max(attrs_end, attrs_start + max(0, min(reserve, room)))

    def _blank(self) -> Strip:
        return self._line_strips(line_key(BLANK), BLANK)[0]

    def _current_rows(self) -> list[Strip]:
        built_for = (self.size.width, self.visual_style)
        if built_for != self._built_for:  # another width or theme: every line again
            self._strips.clear()
            self._rows = None
            self._built_for = built_for
        if self._rows is None or self._rows_height != self.size.height:  # the reserved rows follow the height
            self._rows = self._build_rows()
            self._rows_height = self.size.height
        return self._rows

    def render_line(self, y: int) -> Strip:
        rows = self._current_rows()
        return rows[y] if y < len(rows) else self._below()

    def _below(self) -> Strip:
        """A row below the parts (drawn as before this panel kept its rows: the SVG snapshots hold it)."""
        return Strip.blank(self.size.width, self.visual_style.rich_style)

    def _show(self, part: str, lines: list[Text]) -> None:
        """Show ``lines`` as ``part`` unless they are shown already; repaint only the rows that differ."""
        keys = [line_key(line) for line in lines]
        if keys == self._keys[part]:
            return
        self.parts_drawn[part] += 1
        if not self._pending:  # the rows on screen, to compare with once the parts are drawn
            width = self.size.width
            self._pending = True
            self._shown = self._rows if self._built_for == (width, self.visual_style) and width else None
        self._parts[part], self._keys[part] = lines, keys
        self._rows = None
        if not self._batched:
            self._repaint()

    @contextmanager
    def drawing_together(self) -> Iterator[None]:
        """Draw several parts, then repaint the rows that differ once (not after each part)."""
        self._batched = True
        try:
            yield
        finally:
            self._batched = False
            if self._pending:
                self._repaint()

    def _repaint(self) -> None:
        old, self._shown, self._pending = self._shown, None, False
        width = self.size.width
        if not old:  # nothing drawn yet, not drawn since the last full refresh, or at another width
            self.refresh()
            return
        new = self._current_rows()
        below = self._below()
        first: int | None = None
        for y in range(max(len(old), len(new)) + 1):
            same = (
                y >= len(old)
                and y >= len(new)
                or (old[y] if y < len(old) else below) == (new[y] if y < len(new) else below)
            )
            if not same and first is None:
                first = y
            elif same and first is not None:
                self.rows_refreshed += y - first
                self.refresh(Region(0, first, width, y - first))
                first = None

    # ------------------------------------------------------------------ the parts

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
        lines = [Text().append(f"spans ({total})", style="bold underline")]
        if not window:
            lines.append(Text().append("none yet: put the cursor on a word and press a label key", style="dim"))
        width = max(10, self.size.width or 30)
        for span in window:
            lines.append(self._span_row(text, span, span.id == selected, width))
        if first + len(window) < total:
            lines.append(Text().append(f"… {total - first - len(window)} more", style="dim"))
        self._show("spans", lines)

    def _span_row(self, text: str, span: SpanData, selected: bool, width: int) -> Text:
        """One row of the span list (kept: a move that changes the list's mark rebuilds no row)."""
        snippet, colour = text[span.start : span.end], self._colour(span.label)
        key = (span.label, colour, snippet, selected, width)
        line = self._span_rows.get(key)
        if line is None:
            line = Text()
            line.append("▌", style=colour)
            line.append(f"{span.label[:8]:<8} ", style=f"bold {colour}")
            line.append(safe_line(" ".join(snippet.split()), 60))
            line.truncate(width, overflow="ellipsis")
            if selected:
                line.stylize("reverse")
            self._span_rows[key] = line
        return line

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
        """Show ``content`` (lines separated by newlines) as ``part``."""
        self._show(part, list(content.split("\n", allow_blank=True)))

    def _colour(self, label: str) -> str:
        return self.schema.label(label).colour if self.schema.has_label(label) else "#888888"
