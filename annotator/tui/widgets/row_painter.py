"""Drawing one row of the article view: spans in their label colours, suggestions apart, and
the highlight, selection and cursor painted on top of a cached row. Pure Rich and Textual
``Strip`` data: no widget state beyond what is passed in.

Without colour (``NO_COLOR`` set, as Textual reads it; the launcher sets it for a dumb
terminal, see ``annotator.terminal_colour``) every label gets its own text style instead, in
schema order (``MONO_STYLES``), suggestions are dim, the selected span is over- and
underlined, and the selection is reverse video, which no span uses.

Span tags (without colour, or with ``ANNOTATOR_SPAN_TAGS=1``): the space just before a span is
drawn as the label's key, superscript when it is a digit ("In²Paris"). One code point, one cell
in place of another: wrapping, the cursor, the selection and the mouse map as before, and the
stored text is untouched. A span at the start of a row or right after a non-space has no tag.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip

from annotator.terminal_colour import no_colour, span_tags
from annotator.tui import textmodel as tm

CURSOR_STYLE = Style(reverse=True)
SELECTION_STYLE = Style(bgcolor="#44475a", color="#ffffff", bold=True)
HIGHLIGHT_STYLE = Style(bold=True, italic=True)  # the selected span
# without colour: reverse video is kept for the selection and the cursor; labels never use it
MONO_SELECTION_STYLE = Style(reverse=True)
MONO_HIGHLIGHT_STYLE = Style(overline=True, underline=True)
MONO_SUGGESTION_STYLE = Style(dim=True)
# one text style per label, in schema order: every combination of bold, underline, italic and
# strikethrough, simplest first (the review's marks come after the labels); cycled after 15
MONO_STYLES = (
    Style(bold=True),
    Style(underline=True),
    Style(italic=True),
    Style(bold=True, underline=True),
    Style(italic=True, underline=True),
    Style(bold=True, italic=True),
    Style(strike=True),
    Style(bold=True, strike=True),
    Style(italic=True, strike=True),
    Style(bold=True, italic=True, underline=True),
    Style(underline=True, strike=True),
    Style(bold=True, underline=True, strike=True),
    Style(italic=True, underline=True, strike=True),
    Style(bold=True, italic=True, strike=True),
    Style(bold=True, italic=True, underline=True, strike=True),
)


def mono_styles(order: Sequence[str], named: Mapping[str, str]) -> dict[str, Style]:
    """Each label's text style without colour: the one the schema names (``style = "bold"``),
    else the next of ``MONO_STYLES`` in schema order that no label names."""
    chosen = {label: Style.parse(named[label]) for label in order if named.get(label)}
    pool = [style for style in MONO_STYLES if style not in chosen.values()] or list(MONO_STYLES)
    rest = [label for label in order if label not in chosen]
    chosen.update({label: pool[i % len(pool)] for i, label in enumerate(rest)})
    return chosen


def legend_styles(labels: Sequence[Any]) -> list[Style]:
    """How the legend shows each label (with ``name``, ``colour``, ``style``, in schema order):
    as the article draws it without colour (its text style), else in its colour."""
    if no_colour():
        mono = mono_styles([label.name for label in labels], {label.name: label.style for label in labels})
        return [mono[label.name] for label in labels]
    return [Style.parse(f"bold #000000 on {label.colour}") for label in labels]


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def tag_of(key: str) -> str:
    """The one-cell tag of a label on ``key``: a superscript digit, else the key's first character."""
    return key[:1].translate(SUPERSCRIPT) if key else "·"


class LabelStyles:
    """Styles of labelled text over a base style (the view's), cached per label stack."""

    def __init__(self, base: Callable[[], Style]) -> None:
        self._base = base
        self._colours: dict[str, str] = {}
        self._cache: dict[tuple[str, ...], Style] = {}
        self.monochrome = no_colour()
        self.tags: dict[str, str] = {}  # label -> its one-cell tag, when tags are shown
        self._mono: dict[str, Style] = {}  # label -> its text style without colour

    def set_colours(
        self, colours: dict[str, str], keys: dict[str, str] | None = None, styles: dict[str, str] | None = None
    ) -> None:
        """The labels' colours, in schema order, their keys (the tags at span starts, when
        shown) and the text styles the schema names for them (without colour; ``mono_styles``)."""
        self._colours = dict(colours)
        self._cache.clear()
        self.monochrome = no_colour()
        self._mono = mono_styles(list(colours), styles or {})
        self.tags = {label: tag_of(key) for label, key in (keys or {}).items()} if span_tags() else {}

    def mono_style(self, label: str) -> Style:
        """The text style ``label`` is drawn with when there is no colour."""
        return self._mono.get(label) or MONO_STYLES[len(self._mono) % len(MONO_STYLES)]

    def for_labels(self, labels: tuple[str, ...]) -> Style:
        """Style of text covered by ``labels`` (outermost first)."""
        cached = self._cache.get(labels)
        if cached is not None:
            return cached
        base = self._base()
        if self.monochrome:
            style = base
            for label in labels:  # nested labels add their styles to the outer ones'
                style = style + self.mono_style(label)
            self._cache[labels] = style
            return style
        base_bg = Color.from_rich_color(base.bgcolor) if base.bgcolor else Color(0, 0, 0)
        style = base
        for depth, label in enumerate(labels):
            colour = Color.parse(self._colours.get(label, "#888888"))
            bg = base_bg.blend(colour, 0.42 if depth == 0 else 0.8)
            fg = bg.get_contrast_text(1.0)
            style = style + Style(bgcolor=bg.rich_color, color=fg.rich_color, underline=depth > 0, bold=depth > 0)
        self._cache[labels] = style
        return style

    def for_suggestion(self, label: str) -> Style:
        """An open suggestion: the label's colour as dim underlined text, no background."""
        key = ("?suggestion", label)
        cached = self._cache.get(key)
        if cached is None and self.monochrome:
            cached = self._cache[key] = self._base() + MONO_SUGGESTION_STYLE
        if cached is None:
            colour = Color.parse(self._colours.get(label, "#888888"))
            cached = self._base() + Style(color=colour.rich_color, underline=True, italic=True)
            self._cache[key] = cached
        return cached


def build_row(
    display: str,
    start: int,
    end: int,
    spans: Sequence[tm.SpanView],
    offered: Sequence[tm.SpanView],
    styles: LabelStyles,
    base: Style,
    width: int,
) -> Strip:
    """The row ``display[start:end]`` with the ``spans`` and suggestions (``offered``) on it."""
    segments: list[Segment] = []
    if not spans and not offered:
        if end > start:
            segments.append(Segment(display[start:end], base))
    else:
        both = [*spans, *offered]
        tags = _tags(display, start, end, spans, styles.tags) if styles.tags else {}
        cuts = sorted(
            {
                start,
                end,
                *(max(start, min(end, c)) for s in both for c in (s.start, s.end)),
                *tags,
                *(t + 1 for t in tags),
            }
        )
        for a, b in zip(cuts, cuts[1:]):
            covering = [s for s in spans if s.start <= a and s.end >= b]
            covering.sort(key=lambda s: (-(s.end - s.start), s.start, s.id))
            if covering:
                style = styles.for_labels(tuple(s.label for s in covering))
            else:
                suggested = [s for s in offered if s.start <= a and s.end >= b]
                style = (
                    styles.for_suggestion(min(suggested, key=lambda s: s.end - s.start).label) if suggested else base
                )
            segments.append(Segment(tags.get(a, display[a:b]), style))
    return Strip(segments).extend_cell_length(width, base).crop(0, width)


def _tags(display: str, start: int, end: int, spans: Sequence[tm.SpanView], tags: dict[str, str]) -> dict[int, str]:
    """Offset of the space before each span starting on this row -> the tag drawn there
    (the longest span's where several start together)."""
    out: dict[int, tuple[int, str]] = {}
    for span in spans:
        at = span.start - 1
        tag = tags.get(span.label)
        if tag is not None and start <= at < end and display[at] == " ":
            length = span.end - span.start
            if at not in out or length > out[at][0]:
                out[at] = (length, tag)
    return {at: tag for at, (_length, tag) in out.items()}


def overlay_row(
    strip: Strip,
    display: str,
    start: int,
    end: int,
    width: int,
    *,
    cursor: int | None,
    solid_cursor: bool,
    selection: tuple[int, int] | None,
    highlight: tuple[int, int] | None,
) -> Strip:
    """Paint the highlight, the selection and the cursor (``None``: not on this row; a solid
    block when ``solid_cursor``, else an underline) over a cached row."""
    sel_here = selection is not None and selection[0] < end and selection[1] > start
    hl_here = highlight is not None and highlight[0] < end and highlight[1] > start
    if cursor is None and not sel_here and not hl_here:
        return strip
    mono = no_colour()
    clusters = tm.row_cells(display, start, end)
    xs = [c[0] for c in clusters]

    def cell(offset: int) -> int:
        i = bisect_right(xs, offset) - 1
        return clusters[max(0, i)][2]

    if hl_here and highlight is not None:
        x1 = cell(min(highlight[1], end)) if highlight[1] < end else clusters[-1][2]
        strip = paint(strip, cell(max(highlight[0], start)), x1, MONO_HIGHLIGHT_STYLE if mono else HIGHLIGHT_STYLE)
    if sel_here and selection is not None:
        x0 = cell(max(selection[0], start))
        x1 = cell(min(selection[1], end)) if selection[1] < end else clusters[-1][2]
        strip = paint(strip, x0, x1, MONO_SELECTION_STYLE if mono else SELECTION_STYLE)
    if cursor is not None and solid_cursor:
        x = cell(cursor)
        i = bisect_right(xs, cursor) - 1
        w = clusters[i + 1][2] - x if 0 <= i < len(clusters) - 1 else 1
        strip = paint(strip, x, min(width, x + max(1, w)), CURSOR_STYLE)
    elif cursor is not None:
        x = cell(cursor)
        strip = paint(strip, x, min(width, x + 1), Style(underline=True))
    return strip


def paint(strip: Strip, x0: int, x1: int, style: Style) -> Strip:
    if x1 <= x0:
        return strip
    left, middle, right = strip.divide([x0, x1, strip.cell_length])
    middle = Strip(list(Segment.apply_style(list(middle), post_style=style)), middle.cell_length)
    return Strip.join([left, middle, right])
