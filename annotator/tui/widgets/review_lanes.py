"""The lanes under the article on the review screen: one group, every annotator's version.

A strip of the text around the current group, then one lane per annotator and one for gold,
each drawing that annotator's spans under the very cells of the text they cover (the
group's own spans bright with their label, the annotator's other spans there dim), then
each version in words: label, text, attributes and links. Everything is ``rich.text.Text``
built from the document through ``untrusted.display_text``: never markup, never a raw
control character.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from annotator.schemas.labels import LabelSchema
from annotator.services.adjudication import Group, ReviewDoc
from annotator.services.records import SpanData
from annotator.untrusted import display_text, safe_line

NAME_WIDTH = 9  # "1 alice  " before each lane
STATE_STYLE = {"open": "bold #ff5f87", "accepted": "bold #5fd787", "rejected": "bold #afafaf"}


def _name(text: str, width: int) -> str:
    text = safe_line(text, width)
    return text[:width].ljust(width)


class ReviewLanes(Static):
    """Shows one group (``show``) or a hint when there is none."""

    DEFAULT_CSS = """
    ReviewLanes {
        height: auto; max-height: 16; border-top: solid $primary; padding: 0 1; background: $surface;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, schema: LabelSchema, *, id: str | None = None) -> None:
        super().__init__(Text(""), id=id, markup=False)
        self.schema = schema
        self.colours = {label.name: label.colour for label in schema.labels}
        self.plain_lines: list[str] = []

    def _colour(self, label: str) -> str:
        return self.colours.get(label, "#888888")

    def show(self, doc: ReviewDoc | None, group: Group | None, index: int, total: int, width: int) -> None:
        text = self.render_group(doc, group, index, total, max(20, width))
        self.plain_lines = text.plain.splitlines()
        self.update(text)

    # ------------------------------------------------------------------ drawing

    def render_group(self, doc: ReviewDoc | None, group: Group | None, index: int, total: int, width: int) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        if doc is None:
            out.append("No document open.", style="dim")
            return out
        if group is None:
            out.append("Put the cursor on a marked span, or press n for the next disagreement.", style="dim")
            return out
        kind = "Agreed" if group.agreed else "Disagreement"
        out.append(f"{kind} {index}/{total}", style="bold")
        out.append("  ")
        out.append(group.state, style=STATE_STYLE.get(group.state, "bold"))
        if group.reason:
            out.append(f" · {safe_line(group.reason, 120)}")
        if group.matches and group.state != "open":
            out.append(f" · gold = {safe_line(', '.join(group.matches), 120)}", style="dim")
        out.append(f"  ({group.start}-{group.end})\n", style="dim")
        lane_width = max(10, width - NAME_WIDTH - 1)
        first, cells = self._window(doc.text, group, lane_width)
        out.append(" " * NAME_WIDTH + "│", style="dim")
        excerpt = Text(no_wrap=True)
        for ch, x in cells:
            excerpt.append(ch, style="bold" if group.start <= x < group.end else "")
        out.append_text(excerpt)
        out.append("\n")
        offsets = [x for _ch, x in cells]
        for k, name in enumerate(doc.annotators, 1):
            mine = {s.id for s in group.versions.get(name, ())}
            lane_spans = [s for s in doc.spans.get(name, ()) if s.start < group.end + lane_width and s.end > first]
            style = "bold" if name in group.matches else ""
            out.append(f"{k} " + _name(name, NAME_WIDTH - 2), style=style)
            out.append("│", style="dim")
            out.append_text(self._lane(offsets, lane_spans, mine))
            out.append("\n")
        gold_ids = {s.id for s in group.gold}
        out.append("  " + _name("gold", NAME_WIDTH - 2), style="bold #ffd75f")
        out.append("│", style="dim")
        out.append_text(
            self._lane(offsets, [s for s in doc.gold if s.start < group.end + lane_width and s.end > first], gold_ids)
        )
        out.append("\n")
        where = {s.id: s for spans in doc.spans.values() for s in spans}
        where.update({s.id: s for s in doc.gold})
        for k, name in enumerate(doc.annotators, 1):
            out.append(f"{k} {safe_line(name, 20)}: ", style="bold" if name in group.matches else "")
            out.append_text(self._describe(doc.text, group.versions.get(name, ()), where))
            out.append("\n")
        out.append("gold: ", style="bold #ffd75f")
        if group.state == "rejected":
            out.append("nothing here (rejected)", style="dim")
        else:
            out.append_text(self._describe(doc.text, group.gold, where))
        return out

    @staticmethod
    def _window(text: str, group: Group, width: int) -> tuple[int, list[tuple[str, int]]]:
        """The text around the group that fits ``width`` cells: (first offset, [(char, offset)])."""
        length = group.end - group.start
        lead = max(0, (width - length) // 2) if length < width else 2
        first = max(0, group.start - lead)
        display = display_text(text[first : first + 4 * width])
        cells: list[tuple[str, int]] = []
        used = 0
        for i, ch in enumerate(display):
            w = cell_len(ch)
            if used + w > width:
                break
            cells.append((ch, first + i))
            used += w
        return first, cells

    def _lane(self, offsets: Sequence[int], spans: Sequence[SpanData], highlighted: set[int]) -> Text:
        """One cell per text cell: which of ``spans`` covers it (highlighted ones drawn last)."""
        if not offsets:
            return Text("")
        cells: list[tuple[str, Style]] = [(" ", Style())] * len(offsets)
        ordered = sorted(spans, key=lambda s: (s.id in highlighted, -(s.end - s.start), s.start))
        for span in ordered:
            bright = span.id in highlighted
            colour = self._colour(span.label)
            style = Style(color="#000000", bgcolor=colour, bold=True) if bright else Style(color=colour, dim=True)
            covered = [i for i, x in enumerate(offsets) if span.start <= x < span.end]
            if not covered:
                continue
            tag = span.label if bright else "·"
            for n, i in enumerate(covered):
                if bright:
                    ch = tag[n] if n < len(tag) else "━"
                else:
                    ch = "─"
                cells[i] = (ch, style)
            if span.end > offsets[-1] + 1 and bright:
                cells[covered[-1]] = ("…", style)
        out = Text(no_wrap=True)
        for ch, style in cells:
            out.append(ch, style=style)
        return out

    def _describe(self, text: str, spans: Sequence[SpanData], where: dict[int, SpanData]) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        if not spans:
            out.append("(nothing)", style="dim")
            return out
        for n, span in enumerate(spans):
            if n:
                out.append("  ·  ", style="dim")
            out.append(span.label, style=f"bold {self._colour(span.label)}")
            out.append(" “")
            out.append(safe_line(" ".join(text[span.start : span.end].split()), 50))
            out.append("”")
            for key, value in sorted(span.attrs.items()):
                out.append(f" {key}=", style="dim")
                out.append(safe_line(str(value), 40))
            for attribute, children in sorted(span.links.items()):
                names = []
                for child in children:
                    target = where.get(child)
                    names.append(safe_line(text[target.start : target.end], 30) if target is not None else "?")
                out.append(f" {attribute}→", style="dim")
                out.append(", ".join(f"“{n}”" for n in names))
        return out
