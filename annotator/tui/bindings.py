"""Every key of both apps in one place: the screens' bindings (each with an id), the label
bindings built from the schema, where keys are live together, the help rows and the command
palette's entries.

Only Textual's public binding API is used: ``Binding(id=...)`` in a class's ``BINDINGS``,
``App.set_keymap`` for the user's remapping (``keymap.toml``, see ``tui/keymap.py``), and
``App.get_key_display``. The schema's label keys are data, so a screen gets them as the
``BINDINGS`` of a subclass made for that schema (``labelled``), never by editing a live
node's bindings.

A *scope* is a set of bindings that are live at the same time (a screen, the widgets on it,
the app's own keys). Within one scope no key may belong to two binding ids: ``keymap.check``
refuses a keymap or schema that would make one key shadow another.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.app import App, SystemCommand
    from textual.dom import DOMNode
    from textual.screen import Screen


class LabelLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def key(self) -> str: ...


class SchemaLike(Protocol):
    @property
    def labels(self) -> Sequence[LabelLike]: ...


def _binding(
    prefix: str,
    key: str,
    action: str,
    description: str,
    binding_id: str,
    show: bool = False,
    key_display: str | None = None,
) -> Binding:
    return Binding(key, action, description, show=show, id=f"{prefix}.{binding_id}", key_display=key_display)


def view_bindings() -> list[Binding]:
    """The article view's moves, in both apps (ids ``doc.*``); ``shift`` extends the selection."""
    b = partial(_binding, "doc")
    return [
        b("left", "move('left')", "Left", "left"),
        b("right", "move('right')", "Right", "right"),
        b("up", "move('up')", "Up", "up"),
        b("down", "move('down')", "Down", "down"),
        b("ctrl+left", "move('word_left')", "Word left", "word_left"),
        b("ctrl+right", "move('word_right')", "Word right", "word_right"),
        b("home", "move('home')", "Line start", "home"),
        b("end", "move('end')", "Line end", "end"),
        b("pageup", "move('pageup')", "Page up", "pageup"),
        b("pagedown", "move('pagedown')", "Page down", "pagedown"),
        b("ctrl+home", "move('doc_start')", "Document start", "doc_start"),
        b("ctrl+end", "move('doc_end')", "Document end", "doc_end"),
        b("shift+left", "move('left', True)", "Extend left", "select_left"),
        b("shift+right", "move('right', True)", "Extend right", "select_right"),
        b("shift+up", "move('up', True)", "Extend up", "select_up"),
        b("shift+down", "move('down', True)", "Extend down", "select_down"),
        b("shift+ctrl+left,ctrl+shift+left", "move('word_left', True)", "Extend word left", "select_word_left"),
        b("shift+ctrl+right,ctrl+shift+right", "move('word_right', True)", "Extend word right", "select_word_right"),
        b("shift+home", "move('home', True)", "Extend to line start", "select_home"),
        b("shift+end", "move('end', True)", "Extend to line end", "select_end"),
        b("shift+ctrl+home,ctrl+shift+home", "move('doc_start', True)", "Extend to document start", "select_doc_start"),
        b("shift+ctrl+end,ctrl+shift+end", "move('doc_end', True)", "Extend to document end", "select_doc_end"),
    ]


def annotate_bindings() -> list[Binding]:
    """The annotation screen's commands (ids ``annotate.*``)."""
    b = partial(_binding, "annotate")
    return [
        b("tab", "next_span", "Next span", "next_span"),
        b("shift+tab", "prev_span", "Previous span", "prev_span"),
        b("delete,backspace", "delete_span", "Delete span", "delete_span", key_display="del"),
        b("enter", "edit_attributes", "Attributes", "attributes"),
        b("s", "pick_speakers", "Speaker", "speakers"),
        b("a", "tag_all", "Tag all occurrences", "tag_all"),
        b("c", "toggle_char_mode", "Character mode", "char_mode"),
        b("ctrl+z", "undo", "Undo", "undo", show=True),
        b("ctrl+y", "redo", "Redo", "redo"),
        b("right_square_bracket", "next_doc", "Next doc", "next_doc", show=True, key_display="]"),
        b("left_square_bracket", "prev_doc", "Prev doc", "prev_doc", key_display="["),
        b("ctrl+d", "done", "Done", "done", show=True),
        b("ctrl+s", "skip", "Skip", "skip"),
        b("slash", "search", "Search", "search", key_display="/"),
        b("n", "search_next", "Next match", "search_next"),
        b("N", "search_prev", "Previous match", "search_prev"),
        b("o", "toggle_queue", "Queue", "queue"),
        _binding("queue", "f", "cycle_filter", "Filter", "filter"),  # whatever has focus
        b("y", "accept_suggestion", "Accept suggestion", "accept_suggestion"),
        b("Y", "accept_all_suggestions", "Accept all suggestions", "accept_all_suggestions"),
        b("x", "reject_suggestion", "Reject suggestion", "reject_suggestion"),
        b("j", "next_suggestion", "Next suggestion", "next_suggestion"),
        b("k", "prev_suggestion", "Previous suggestion", "prev_suggestion"),
        b("r", "review_suggestions", "Review suggestions one by one", "review_suggestions"),
        b("space", "skip_suggestion", "Skip suggestion (review)", "skip_suggestion"),
        b("escape", "cancel", "Cancel", "cancel"),
        b("question_mark", "help", "Keys", "help", show=True, key_display="?"),
        b("g", "guidelines", "Guidelines", "guidelines"),
        b("q", "quit", "Quit", "quit", show=True),
    ]


def review_list_bindings() -> list[Binding]:
    """The review app's document list (ids ``review.*``)."""
    b = partial(_binding, "review")
    return [
        b("r", "refresh", "Refresh", "refresh", show=True),
        b("question_mark", "help", "Keys", "list_help", show=True, key_display="?"),
        b("q", "quit", "Quit", "list_quit", show=True),
    ]


def review_doc_bindings() -> list[Binding]:
    """One document under review (ids ``review.*``)."""
    b = partial(_binding, "review")
    accept = [
        b(str(k), f"number({k})", f"Accept annotator {k}'s version", f"accept_{k}", k == 1, "1-9" if k == 1 else None)
        for k in range(1, 10)
    ]
    return [
        b("n", "next_disagreement", "Next disagreement", "next", show=True),
        b("N", "prev_disagreement", "Previous disagreement", "prev"),
        b("tab", "next_group", "Next group", "next_group"),
        b("shift+tab", "prev_group", "Previous group", "prev_group"),
        *accept,
        b("0", "reject", "None of these", "reject", show=True),
        b("A", "accept_agreed", "Accept all agreed", "accept_agreed", show=True),
        b("e,enter", "edit_attributes", "Edit attributes", "edit"),
        b("s", "pick_speakers", "Speaker", "speakers"),
        b("delete,backspace", "delete_gold", "Delete gold span", "delete", key_display="del"),
        b("ctrl+z", "undo", "Undo", "undo", show=True),
        b("ctrl+y", "redo", "Redo", "redo"),
        b("ctrl+d", "adjudicated", "Adjudicated", "adjudicated", show=True),
        b("right_square_bracket", "next_doc", "Next doc", "next_doc", key_display="]"),
        b("left_square_bracket", "prev_doc", "Prev doc", "prev_doc", key_display="["),
        b("escape", "back", "List", "back", show=True),
        b("question_mark", "help", "Keys", "help", show=True, key_display="?"),
        b("g", "guidelines", "Guidelines", "guidelines"),
        b("q", "quit", "Quit", "quit"),
    ]


def label_bindings(schema: SchemaLike, app: str) -> list[Binding]:
    """The schema's label keys: ``label.NAME`` tags in annotate; ``review.label.NAME`` adds a
    gold span in review, where digits are taken by the annotators' versions (no label there)."""
    if app == "annotate":
        return [
            Binding(label.key, f"tag({index})", label.name, show=index < 4, id=f"label.{label.name}")
            for index, label in enumerate(schema.labels)
        ]
    return [
        Binding(label.key, f"label({index})", f"Add {label.name}", show=False, id=f"review.label.{label.name}")
        for index, label in enumerate(schema.labels)
        if not label.key.isdigit()
    ]


ScreenT = TypeVar("ScreenT", bound=type)


def labelled(screen_class: ScreenT, schema: SchemaLike, app: str) -> ScreenT:
    """``screen_class`` with the schema's label keys added to its ``BINDINGS`` (a subclass:
    Textual reads bindings from classes; one subclass per schema, made once)."""
    return cast(ScreenT, _labelled(screen_class, tuple((label.name, label.key) for label in schema.labels), app))


@lru_cache(maxsize=32)
def _labelled(screen_class: type, labels: tuple[tuple[str, str], ...], app: str) -> type:
    schema = _LabelsSchema(tuple(_Label(name, key) for name, key in labels))
    namespace = {
        "BINDINGS": label_bindings(schema, app),
        "__module__": screen_class.__module__,  # Textual finds CSS_PATH beside the module
        "__qualname__": screen_class.__qualname__,
    }
    return type(screen_class.__name__, (screen_class,), namespace)


@dataclass(frozen=True)
class _Label:
    name: str
    key: str


@dataclass(frozen=True)
class _LabelsSchema:
    labels: tuple[_Label, ...]


# ---------------------------------------------------------------------------- scopes


@dataclass(frozen=True)
class Layer:
    """Bindings of one node: ``selector`` finds it on the screen (None: the screen itself)."""

    selector: str | None
    bindings: tuple[Binding, ...]


@dataclass(frozen=True)
class Scope:
    """Bindings live at the same time: no key may belong to two ids in one scope."""

    name: str
    app: str  # "annotate", "review", or "both" (the modal screens)
    layers: tuple[Layer, ...]

    def with_ids(self) -> Iterator[tuple[Layer, Binding]]:
        for layer in self.layers:
            for binding in layer.bindings:
                if binding.id:
                    yield layer, binding


# Keys no keymap may take: the app's own (Textual's, without ids) and tmux's prefix.
RESERVED_KEYS = {
    "ctrl+q": "the app's quit key",
    "ctrl+c": "the app's copy/quit-help key",
    "ctrl+p": "the command palette's key",
    "ctrl+b": "tmux's prefix key",
}

# Which scope a screen class belongs to (by name: no screen module is imported for it).
SCREEN_SCOPES = {"AnnotateScreen": "annotate", "ReviewListScreen": "review list", "DocReviewScreen": "review document"}


def scopes(schema: SchemaLike, *, modals: bool = True) -> list[Scope]:
    """Every scope of both apps; ``modals``: also the small modal screens (their modules
    import the validated schema model, so a start without a keymap file skips them)."""
    from annotator.tui.widgets.document_view import DocumentView
    from annotator.tui.widgets.queue import DocumentQueue

    view = Layer("DocumentView", tuple(_as_bindings(DocumentView.BINDINGS)))
    found = [
        Scope(
            "annotate",
            "annotate",
            (
                Layer(None, (*annotate_bindings(), *label_bindings(schema, "annotate"))),
                view,
                Layer("DocumentQueue", tuple(_as_bindings(DocumentQueue.BINDINGS))),
            ),
        ),
        Scope("review list", "review", (Layer(None, tuple(review_list_bindings())),)),
        Scope(
            "review document",
            "review",
            (Layer(None, (*review_doc_bindings(), *label_bindings(schema, "review"))), view),
        ),
    ]
    if modals:
        from annotator.tui.screens.guidelines import GuidelinesScreen
        from annotator.tui.screens.help import HelpScreen
        from annotator.tui.screens.modals import AttributeForm, SkipReason, SpeakerPicker

        for name, cls in (
            ("attribute form", AttributeForm),
            ("speaker picker", SpeakerPicker),
            ("skip reason", SkipReason),
            ("keys", HelpScreen),
            ("guidelines", GuidelinesScreen),
        ):
            found.append(Scope(name, "both", (Layer(None, tuple(_as_bindings(cls.BINDINGS))),)))
    return found


def _as_bindings(items: Iterable[Any]) -> Iterator[Binding]:
    for item in items:
        yield item if isinstance(item, Binding) else Binding(*item)


def binding_ids(schema: SchemaLike) -> set[str]:
    """Every binding id a user may remap in keymap.toml (both apps)."""
    return {binding.id for scope in scopes(schema) for _layer, binding in scope.with_ids() if binding.id}


def normal_keys(keys: str) -> list[str]:
    """``keys`` (comma separated) as Textual names them once bound: ``?`` is ``question_mark``."""
    return list(dict.fromkeys(b.key for b in Binding.make_bindings([Binding(keys, "")])))


def effective_keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys that run ``binding`` once ``keymap`` is applied (Textual's own rule)."""
    remapped = keymap.get(binding.id or "")
    return normal_keys(remapped if remapped else binding.key)


# ---------------------------------------------------------------------------- help and palette


def _scope_of(screen: Screen[Any], schema: SchemaLike) -> Scope | None:
    names = {cls.__name__ for cls in type(screen).__mro__}
    wanted = next((scope for cls, scope in SCREEN_SCOPES.items() if cls in names), None)
    return next((s for s in scopes(schema, modals=False) if s.name == wanted), None)


def _entries(app: App[Any], screen: Screen[Any]) -> Iterator[tuple[Layer, Binding, str]]:
    """(layer, binding, keys as shown) of every id of the screen's scope, once each, the
    screen's own first, then its widgets'."""
    keymap: Mapping[str, str] = getattr(app, "user_keymap", {}) or {}
    scope = _scope_of(screen, app.schema)  # type: ignore[attr-defined]
    if scope is None:
        return
    shown: dict[str, list[str]] = {}
    first: dict[str, tuple[Layer, Binding]] = {}
    for layer, binding in scope.with_ids():
        ident = binding.id or ""
        first.setdefault(ident, (layer, binding))
        if ident in keymap:
            keys = [app.get_key_display(binding.with_key(key)) for key in effective_keys(binding, keymap)]
        else:
            keys = [app.get_key_display(one) for one in Binding.make_bindings([binding])]
        shown.setdefault(ident, []).extend(keys)
    for ident, (layer, binding) in first.items():
        yield layer, binding, ", ".join(dict.fromkeys(shown[ident]))


def help_rows(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """(keys as remapped, description, id) of every binding of ``screen``'s scope."""
    return [(keys, binding.description, binding.id or "") for _l, binding, keys in _entries(screen.app, screen)]


def show_help(screen: Screen[Any], guidelines: str = "") -> None:
    """``?``: the keys of ``screen`` as remapped, where to remap them, and ``guidelines``."""
    from annotator.tui.keymap import keymap_path
    from annotator.tui.screens.help import HelpScreen

    screen.app.push_screen(HelpScreen(help_rows(screen), str(keymap_path()), guidelines))


def palette_commands(
    app: App[Any], screen: Screen[Any], textual_commands: Iterable[SystemCommand]
) -> Iterator[SystemCommand]:
    """Every command of the screen by name, with its key as remapped and its id; then
    Textual's own commands, except those with a title already given ("Quit", "Keys")."""
    from textual.app import SystemCommand
    from textual.markup import escape as escape_markup

    titles: set[str] = set()
    for layer, binding, keys in _entries(app, screen):
        nodes = [screen] if layer.selector is None else list(screen.query(layer.selector))
        if not nodes:
            continue
        node: DOMNode = nodes[0]
        titles.add(binding.description)
        yield SystemCommand(
            binding.description,
            escape_markup(f"{keys}  ·  {binding.id}"),  # the palette's help text is markup
            partial(app.call_later, app.run_action, binding.action, node),
        )
    for command in textual_commands:
        if command.title not in titles:
            yield command
