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


FORM_CSS = """
AttributeForm #fields { height: auto; scrollbar-size-vertical: 1; }
AttributeForm .field { height: 1; margin: 0 0 1 0; align-horizontal: left; }
AttributeForm .field SelectCurrent { margin: 0; }
AttributeForm .field > Label { width: 14; margin: 0 1 0 0; color: $text-muted; }
AttributeForm .field:focus-within > Label { color: $text; text-style: bold; }
AttributeForm .field > Input, AttributeForm .field > Select { width: 1fr; }
AttributeForm .field > Input, AttributeForm .field SelectCurrent { background: $boost; }
AttributeForm #about { height: 2; }
AttributeForm #buttons { margin-top: 0; }
"""
# rows of the form around its fields: border 2, title 2, about 2, hint 1, buttons 1, error 1
FORM_CHROME = 9


class AttributeForm(ModalScreen[dict[str, Any] | None]):
    """Edit a span's value attributes (links are set with the speaker picker).

    One row per attribute (name, then a compact field), so a label's every field fits at 80x24;
    the focused field's description is shown under them. A schema with more attributes than fit
    scrolls, with a scroll bar beside the fields."""

    ORDERED_KEYS = True  # keys typed fast reach the field they were typed for (tui/ordered_keys.py)
    DEFAULT_CSS = modal_css("AttributeForm", FORM_CSS)
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
            with VerticalScroll(can_focus=False, id="fields"):
                for attr in self.spec.value_attributes:
                    with Horizontal(classes="field"):
                        yield Label(Text(safe_line(attr.name), no_wrap=True, overflow="ellipsis"))
                        yield self._field(attr)
                links = [a for a in self.spec.attributes if isinstance(a, LinkAttr)]
                for link in links:
                    yield Static(
                        Text(f"{link.name}: links to {link.target} spans (press s in the document)"), classes="hint"
                    )
            yield Static("", id="about", classes="hint")
            yield Static("", id="error", classes="error")
            yield Static(Text("enter or ctrl+s saves · escape cancels · tab next field"), classes="hint")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Save", id="save", variant="primary", compact=True)

    def _field(self, attr: Any) -> Select[str] | Input:
        current = self.span.attrs.get(attr.name)
        if isinstance(attr, EnumAttr):
            return Select(
                [(Text(safe_line(v)), v) for v in attr.values],
                value=current if current in attr.values else Select.NULL,
                allow_blank=True,
                id=f"attr-{attr.name}",
                compact=True,
            )
        shown = "" if current is None else display_text(str(current))
        self.shown[attr.name] = (shown, current)
        return Input(
            shown,
            type="integer" if isinstance(attr, IntegerAttr) else "text",
            id=f"attr-{attr.name}",
            select_on_focus=False,
            compact=True,
        )

    def on_mount(self) -> None:
        self._fit()
        fields = self.query("Select, Input")
        if fields:
            fields.first().focus()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The fields get the rows the screen has left (the rest scrolls, with a scroll bar)."""
        rows = int(self.size.height * 0.9) - FORM_CHROME
        self.query_one("#fields", VerticalScroll).styles.max_height = max(2, rows)

    def on_descendant_focus(self, event: Any) -> None:
        """Under the fields: what the focused field is for (the schema's description)."""
        widget_id = getattr(event.widget, "id", None) or ""
        name = widget_id.removeprefix("attr-")
        attr = next((a for a in self.spec.value_attributes if a.name == name and widget_id.startswith("attr-")), None)
        about = f"{attr.name}: {attr.description}" if attr is not None and attr.description else ""
        self.query_one("#about", Static).update(Text(safe_line(about, 200)))

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
