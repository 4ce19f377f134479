"""Small modal screens: the attribute form, the speaker picker and the skip reason.

Every label and value shown is a ``Text`` or ``Content`` (document text is never markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from annotator.schemas.labels import EnumAttr, IntegerAttr, LabelSchema, LinkAttr
from annotator.services.records import SpanData
from annotator.untrusted import display_text, safe_line


def modal_css(name: str, extra: str = "") -> str:
    """The shared look of a modal (DEFAULT_CSS is scoped to its class, so name it)."""
    return f"""
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 72; max-width: 95%; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 0 1;
}}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} .hint {{ color: $text-muted; }}
{name} .error {{ color: $error; height: auto; }}
{name} VerticalScroll {{ height: auto; max-height: 20; }}
{name} Horizontal {{ height: auto; align-horizontal: right; margin-top: 1; }}
{name} Button {{ margin-left: 1; }}
{name} Label {{ margin-top: 1; }}
{extra}
"""


def _quoted(text: str, limit: int = 120) -> Text:
    return Text(safe_line(" ".join(text.split()), limit))


class AttributeForm(ModalScreen[dict[str, Any] | None]):
    """Edit a span's value attributes (links are set with the speaker picker)."""

    ORDERED_KEYS = True  # keys typed fast reach the field they were typed for (tui/ordered_keys.py)

    DEFAULT_CSS = modal_css("AttributeForm")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
    ]

    def __init__(self, schema: LabelSchema, span: SpanData, span_text: str) -> None:
        super().__init__()
        self.schema = schema
        self.span = span
        self.span_text = span_text
        self.spec = schema.label(span.label)
        # text shown in an Input -> the stored value it stands for (control characters are
        # shown as visible placeholders; an unchanged field keeps the stored value)
        self.shown: dict[str, tuple[str, Any]] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            title = Text()
            title.append(f"{self.span.label} ", style=f"bold {self.spec.colour}")
            title.append_text(_quoted(self.span_text, 60))
            yield Static(title, classes="title")
            with VerticalScroll(can_focus=False):
                for attr in self.spec.value_attributes:
                    yield Label(
                        Text(
                            safe_line(f"{attr.name}" + (f" — {attr.description}" if attr.description else "")),
                            no_wrap=True,
                            overflow="ellipsis",
                        )
                    )
                    current = self.span.attrs.get(attr.name)
                    if isinstance(attr, EnumAttr):
                        yield Select(
                            [(Text(safe_line(v)), v) for v in attr.values],
                            value=current if current in attr.values else Select.NULL,
                            allow_blank=True,
                            id=f"attr-{attr.name}",
                        )
                    else:
                        shown = "" if current is None else display_text(str(current))
                        self.shown[attr.name] = (shown, current)
                        yield Input(
                            shown,
                            type="integer" if isinstance(attr, IntegerAttr) else "text",
                            id=f"attr-{attr.name}",
                            select_on_focus=False,
                        )
                links = [a for a in self.spec.attributes if isinstance(a, LinkAttr)]
                for link in links:
                    yield Static(
                        Text(f"{link.name}: links to {link.target} spans (press s in the document)"), classes="hint"
                    )
            yield Static("", id="error", classes="error")
            yield Static(Text("enter or ctrl+s saves · escape cancels"), classes="hint")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        fields = self.query("Select, Input")
        if fields:
            fields.first().focus()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for attr in self.spec.value_attributes:
            widget = self.query_one(f"#attr-{attr.name}")
            if isinstance(widget, Select):
                value = widget.value
                if value is not Select.NULL and value is not None:
                    out[attr.name] = value
            elif isinstance(widget, Input) and widget.value.strip():
                shown, stored = self.shown.get(attr.name, (None, None))
                out[attr.name] = stored if widget.value == shown else widget.value.strip()
        return out

    def action_save(self) -> None:
        try:
            clean = self.schema.validate_attrs(self.span.label, self.values())
        except ValueError as exc:
            self.query_one("#error", Static).update(Text(safe_line(str(exc))))
            return
        self.dismiss(clean)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save() if event.button.id == "save" else self.action_cancel()


class SpeakerPicker(ModalScreen[list[int] | None]):
    """Pick the span(s) a link attribute points at (e.g. a QUOTE's speakers), nearest first."""

    ORDERED_KEYS = True  # keys typed fast reach the field they were typed for (tui/ordered_keys.py)

    DEFAULT_CSS = modal_css("SpeakerPicker", "SpeakerPicker SelectionList { height: auto; max-height: 16; }")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("enter", "save", "Save", id="picker.save", priority=True),
    ]

    def __init__(
        self,
        head: SpanData,
        head_text: str,
        attribute: LinkAttr,
        candidates: Sequence[tuple[SpanData, str]],
        chosen: Sequence[int],
    ) -> None:
        super().__init__()
        self.head = head
        self.head_text = head_text
        self.attribute = attribute
        self.candidates = list(candidates)
        self.chosen = list(chosen)

    @classmethod
    def in_text(cls, head: SpanData, text: str, attribute: LinkAttr, candidates: Sequence[SpanData]) -> SpeakerPicker:
        """The picker for ``head``'s ``attribute`` in ``text``: each candidate with its words, the
        current targets ticked."""
        return cls(
            head,
            text[head.start : head.end],
            attribute,
            [(s, text[s.start : s.end]) for s in candidates],
            head.links.get(attribute.name, ()),
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            title = Text()
            title.append(f"{self.attribute.name} of {self.head.label} ", style="bold")
            title.append_text(_quoted(self.head_text, 50))
            yield Static(title, classes="title")
            if not self.candidates:
                yield Static(
                    Text(f"No {self.attribute.target} spans in this document yet: tag the speaker first."),
                    classes="hint",
                )
            items = []
            for span, text in self.candidates:
                prompt = Text(no_wrap=True, overflow="ellipsis")
                prompt.append_text(_quoted(text, 50))
                prompt.append(f"  @{span.start}", style="dim")
                items.append(Selection(prompt, span.id, span.id in self.chosen))
            yield SelectionList[int](*items, id="speakers")
            many = "several" if self.attribute.many else "one"
            yield Static(Text(f"space toggles ({many}) · enter saves · escape cancels"), classes="hint")
            yield Static("", id="error", classes="error")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_save(self) -> None:
        selected = self.query_one(SelectionList).selected
        order = [span.id for span, _ in self.candidates]
        picked = sorted(selected, key=order.index)
        if len(picked) > 1 and not self.attribute.many:
            self.query_one("#error", Static).update(
                Text(f"{self.attribute.name} takes one {self.attribute.target} only")
            )
            return
        self.dismiss(picked)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SkipReason(ModalScreen[str | None]):
    ORDERED_KEYS = True  # keys typed fast reach the field they were typed for (tui/ordered_keys.py)
    DEFAULT_CSS = modal_css("SkipReason")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="skip.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Skip this document"), classes="title")
            yield Input(placeholder="reason (optional), e.g. not about the conflict", id="reason", max_length=2000)
            yield Static(Text("enter skips · escape cancels"), classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
