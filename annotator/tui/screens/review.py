"""The review screens: the document list (most disagreement first) and one document's review.

On a document, the article (``DocumentView``, reused read-only) shows the gold spans in
their label colours, open disagreements in red and agreed spans not yet in gold in grey;
under it, ``ReviewLanes`` shows the current group: every annotator's version in a lane
aligned on the text, and gold's. Every decision is a database step (``app.jobs``) and the
screen shows what the database returned, never before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from annotator.services import adjudication as adjn
from annotator.services.adjudication import Group, ReviewDoc, Step
from annotator.services.annotations import SpanData
from annotator.tui import textmodel as tm
from annotator.tui.dbjobs import Job
from annotator.tui.screens.guidelines import GuidelinesScreen
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.modals import AttributeForm, SpeakerPicker
from annotator.tui.widgets.document_view import DocumentView
from annotator.tui.widgets.guidelines_panel import GuidelinesPanel
from annotator.tui.widgets.review_lanes import ReviewLanes
from annotator.tui.widgets.review_list import ReviewList

OPEN = "~open"  # drawing-only labels of the article view
AGREED = "~agreed"
MARK_COLOURS = {OPEN: "#ff2f6d", AGREED: "#8a9ba8"}


def _b(
    key: str, action: str, description: str, binding_id: str, show: bool = False, key_display: str | None = None
) -> Binding:
    return Binding(key, action, description, show=show, id=f"review.{binding_id}", key_display=key_display)


def _fig(value: Any) -> str:
    return "undefined" if value is None else f"{value:.3f}"


class ReviewListScreen(Screen[None]):
    CSS_PATH = "review.tcss"
    BINDINGS = [
        _b("r", "refresh", "Refresh", "refresh", show=True),
        _b("question_mark", "help", "Keys", "list_help", show=True, key_display="?"),
        _b("q", "quit", "Quit", "list_quit", show=True),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="rv-list-top")
        yield Static(Text("Agreement: computing the verdict…", style="dim"), id="rv-verdict")
        yield ReviewList(id="rv-list")
        yield Static(
            Text(
                "enter reviews a document · documents with the most disagreement first (1 − f1 exact) · open = groups not yet decided"
            ),
            id="rv-list-hint",
        )
        yield Footer()

    @property
    def table(self) -> ReviewList:
        return self.query_one("#rv-list", ReviewList)

    def on_mount(self) -> None:
        self._show()
        self.table.focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.app.adj is not None:
            self.app.refresh_rows(self._show)

    def _show(self) -> None:
        app = self.app
        adj = app.adj
        bar = Text(no_wrap=True, overflow="ellipsis")
        bar.append(" Review ", style="bold reverse")
        bar.append(" " + " vs ".join(tm.safe_line(a, 30) for a in adj.annotators))
        bar.append(f" → {tm.safe_line(adj.gold_name, 30)}", style="bold #ffd75f")
        bar.append(f"  ·  {len(app.rows)} document{'s' if len(app.rows) != 1 else ''}", style="dim")
        bar.append(f"  ·  lead {tm.safe_line(adj.lead, 30)}", style="dim")
        self.query_one("#rv-list-top", Static).update(bar)
        current = self.table.current_id() if self.table.row_count else None
        self.table.set_rows(app.rows, current)
        self._show_verdict()
        if not app.rows:
            self.query_one("#rv-list-hint", Static).update(
                Text("No document has work from two of these annotators yet (a status or a span each).")
            )

    def _show_verdict(self) -> None:
        """The agreement verdict heads the list (computed off the screen's thread)."""
        from annotator.agreement_words import verdict_summary
        from annotator.services.agreement.verdict import verdict_for

        app = self.app
        if len(app.rows) == 0:
            self.query_one("#rv-verdict", Static).update("")
            return

        def done(verdict: Any) -> None:
            self.query_one("#rv-verdict", Static).update(verdict_summary(verdict))

        work = lambda: app.read(lambda session, adj: verdict_for(session, adj.annotators))  # noqa: E731
        app.jobs.submit(lambda: Job(work, done, "the agreement verdict"))

    @on(DataTable.RowSelected, "#rv-list")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.app.open_document(int(event.row_key.value))

    def action_refresh(self) -> None:
        self.app.refresh_rows(self._show)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(_binding_rows(self, [self]), "keymap.toml (annotate screen only)"))

    def action_quit(self) -> None:
        self.app.exit()


def _binding_rows(screen: Screen, nodes: list[Any]) -> list[tuple[str, str, str]]:
    keys: dict[str, list[str]] = {}
    described: dict[str, str] = {}
    for node in nodes:
        for bindings in node._bindings.key_to_bindings.values():
            for binding in bindings:
                if not binding.id:
                    continue
                keys.setdefault(binding.id, []).append(screen.app.get_key_display(binding))
                described.setdefault(binding.id, binding.description)
    return [(", ".join(dict.fromkeys(k)), described[i], i) for i, k in keys.items()]


class DocReviewScreen(Screen[None]):
    CSS_PATH = "review.tcss"

    BINDINGS = [
        _b("n", "next_disagreement", "Next disagreement", "next", show=True),
        _b("N", "prev_disagreement", "Previous disagreement", "prev"),
        _b("tab", "next_group", "Next group", "next_group"),
        _b("shift+tab", "prev_group", "Previous group", "prev_group"),
        *[
            _b(
                str(k),
                f"number({k})",
                f"Accept annotator {k}'s version",
                f"accept_{k}",
                show=k == 1,
                key_display="1-9" if k == 1 else None,
            )
            for k in range(1, 10)
        ],
        _b("0", "reject", "None of these", "reject", show=True),
        _b("A", "accept_agreed", "Accept all agreed", "accept_agreed", show=True),
        _b("e,enter", "edit_attributes", "Edit attributes", "edit"),
        _b("s", "pick_speakers", "Speaker", "speakers"),
        _b("delete,backspace", "delete_gold", "Delete gold span", "delete", key_display="del"),
        _b("ctrl+z", "undo", "Undo", "undo", show=True),
        _b("ctrl+y", "redo", "Redo", "redo"),
        _b("ctrl+d", "adjudicated", "Adjudicated", "adjudicated", show=True),
        _b("right_square_bracket", "next_doc", "Next doc", "next_doc", key_display="]"),
        _b("left_square_bracket", "prev_doc", "Prev doc", "prev_doc", key_display="["),
        _b("escape", "back", "List", "back", show=True),
        _b("question_mark", "help", "Keys", "help", show=True, key_display="?"),
        _b("g", "guidelines", "Guidelines", "guidelines"),
        _b("q", "quit", "Quit", "quit"),
    ]

    def __init__(self, doc: ReviewDoc, schema: Any) -> None:
        super().__init__()
        self.doc = doc
        self.schema = schema
        self.current_key: str | None = None
        self._mark_ids: dict[str, int] = {}
        # label keys that are not digits tag a selection directly (digits: see action_number)
        for index, label in enumerate(schema.labels):
            if not label.key.isdigit():
                binding = Binding(label.key, f"label({index})", f"Add {label.name}", id=f"review.label.{label.name}")
                self._bindings.key_to_bindings.setdefault(label.key, []).append(binding)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="rv-top")
        yield GuidelinesPanel(self.schema, id="rv-guidelines")
        yield DocumentView(id="rv-doc")
        yield ReviewLanes(self.schema, id="rv-lanes")
        yield Footer()

    @property
    def view(self) -> DocumentView:
        return self.query_one("#rv-doc", DocumentView)

    @property
    def lanes(self) -> ReviewLanes:
        return self.query_one("#rv-lanes", ReviewLanes)

    def on_mount(self) -> None:
        colours = {label.name: label.colour for label in self.app.schema.labels}
        self.view.set_label_colours({**colours, **MARK_COLOURS})
        self.view.load(self.doc.text, self._span_views(self.doc), cursor=0)
        first = next((g for g in self.doc.groups if g.is_open and not g.agreed), None) or (
            self.doc.groups[0] if self.doc.groups else None
        )
        if first is not None:
            self._go(first)
        self._show_state()
        self.view.focus()

    # ------------------------------------------------------------------ drawing state

    def _mark_id(self, key: str) -> int:
        if key not in self._mark_ids:
            self._mark_ids[key] = -(len(self._mark_ids) + 1)
        return self._mark_ids[key]

    def _span_views(self, doc: ReviewDoc) -> list[tm.SpanView]:
        views = [tm.SpanView(s.id, s.label, s.start, s.end) for s in doc.gold]
        for g in doc.groups:
            if g.is_open:
                views.append(tm.SpanView(self._mark_id(g.key), AGREED if g.agreed else OPEN, g.start, g.end))
        return views

    def _show_doc(self, doc: ReviewDoc) -> None:
        """Show what the database now holds (only the changed spans are redrawn)."""
        self.doc = doc
        wanted = {v.id: v for v in self._span_views(doc)}
        shown = dict(self.view.spans.by_id)
        changes: dict[int, tm.SpanView | None] = {i: None for i in shown if i not in wanted}
        changes.update({i: v for i, v in wanted.items() if shown.get(i) != v})
        if changes:
            self.view.update_spans(changes)
        if self.current_key is not None and doc.group(self.current_key) is None:
            self.current_key = None
        self._show_state()

    def _show_state(self) -> None:
        doc = self.doc
        app = self.app
        row = app.row_for(doc.id)
        figures = row.figures if row is not None else {}
        bar = Text(no_wrap=True, overflow="ellipsis")
        position = next((i for i, r in enumerate(app.rows, 1) if r.id == doc.id), 0)
        bar.append(f" {position}/{len(app.rows)} ", style="bold reverse")
        bar.append(
            f" gold: {doc.gold_status.replace('_', ' ')} ",
            style="bold #5fd787" if doc.gold_status == "done" else "bold #ffd75f",
        )
        open_n = len(doc.open_groups)
        bar.append(f" open {open_n}/{len(doc.groups)} ", style="bold #ff5f87" if open_n else "#5fd787")
        bar.append(
            f" f1 overlap {_fig(figures.get('f1_overlap'))} · α_u {_fig(figures.get('alpha_unitizing'))} ", style="dim"
        )
        bar.append(tm.safe_line(doc.title, 200))
        self.query_one("#rv-top", Static).update(bar)
        group = self.current_group
        groups = self._ring(group.agreed if group is not None else False)
        index = groups.index(group) + 1 if group in groups else 0
        self.lanes.show(doc, group, index, len(groups), self.lanes.size.width or self.app.size.width - 2)
        self.view.set_highlight((group.start, group.end) if group is not None else None)
        self.query_one(GuidelinesPanel).show_labels(group.labels if group is not None else (), self.app.size.width)

    @property
    def current_group(self) -> Group | None:
        return self.doc.group(self.current_key) if self.current_key is not None else None

    def _ring(self, agreed: bool) -> list[Group]:
        return [g for g in self.doc.groups if g.agreed == agreed]

    def _go(self, group: Group | None) -> None:
        if group is None:
            return
        self.current_key = group.key
        self.view.move_to(group.start)
        self._show_state()

    @on(DocumentView.CursorMoved, "#rv-doc")
    def _cursor_moved(self, event: DocumentView.CursorMoved) -> None:
        offset = event.offset
        group = self.current_group
        if group is not None and group.start <= offset < max(group.end, group.start + 1):
            return
        here = [g for g in self.doc.groups if g.start <= offset < g.end]
        if here:
            self.current_key = min(here, key=lambda g: (g.end - g.start, not g.is_open)).key
            self._show_state()

    # ------------------------------------------------------------------ moving

    def _next(self, groups: list[Group], step: int, prefer_open: bool) -> Group | None:
        if not groups:
            return None
        here = self.view.cursor
        current = self.current_group
        ordered = groups if step > 0 else list(reversed(groups))
        if current in groups:
            i = groups.index(current)
            rotated = [groups[(i + step * k) % len(groups)] for k in range(1, len(groups) + 1)]
        else:
            after = [g for g in ordered if (g.start > here if step > 0 else g.start < here)]
            rotated = after + [g for g in ordered if g not in after]
        if prefer_open:
            opened = [g for g in rotated if g.is_open]
            if opened:
                return opened[0]
        return rotated[0]

    def action_next_disagreement(self) -> None:
        target = self._next(self.doc.disagreements, 1, prefer_open=True)
        if target is None:
            self._say("No disagreements in this document.")
        self._go(target)

    def action_prev_disagreement(self) -> None:
        target = self._next(self.doc.disagreements, -1, prefer_open=True)
        if target is None:
            self._say("No disagreements in this document.")
        self._go(target)

    def action_next_group(self) -> None:
        self._go(self._next(self.doc.groups, 1, prefer_open=False))

    def action_prev_group(self) -> None:
        self._go(self._next(self.doc.groups, -1, prefer_open=False))

    # ------------------------------------------------------------------ steps

    def _say(self, message: str, severity: str = "information") -> None:
        self.notify(tm.display_text(message), severity=severity, markup=False, timeout=4)  # type: ignore[arg-type]

    def _submit(self, what: str, build: Callable[[], Callable[[], Step] | None], mode: str = "do") -> None:
        """Queue a database step: ``build()`` (run when its turn comes) returns the work, or None."""
        app = self.app

        def prepare() -> Job | None:
            work = build()
            if work is None:
                return None
            return Job(work, lambda step: self._stepped(step, mode), what, failed=self._refused)

        app.jobs.submit(prepare)

    def _refused(self, exc: BaseException) -> None:
        """A step refused because another reviewer changed gold meanwhile: show gold as it is now."""
        fresh = getattr(exc, "current", None)
        if isinstance(fresh, ReviewDoc) and fresh.id == self.doc.id:
            self._show_doc(fresh)

    def _stepped(self, step: Step, mode: str) -> None:
        app = self.app
        if mode == "do":
            app.undo_stack.append(step)
            app.redo_stack.clear()
        elif mode == "undo":
            if app.undo_stack and app.undo_stack[-1] is step:
                app.undo_stack.pop()
            app.redo_stack.append(step)
            self._say(f"Undid: {step.description}")
        else:
            if app.redo_stack and app.redo_stack[-1] is step:
                app.redo_stack.pop()
            app.undo_stack.append(step)
            self._say(f"Redid: {step.description}")
        if step.detail.get("unlinked") and mode == "do":
            self._say(
                "Not linked (the linked span is not in gold yet): " + "; ".join(step.detail["unlinked"][:3]), "warning"
            )
        if step.doc is None:
            return
        if step.doc.id != self.doc.id:
            self.app.open_document(step.doc.id, replace_screen=True)
            return
        self._show_doc(step.doc)

    def _group_or_say(self) -> Group | None:
        group = self.current_group
        if group is None:
            self._say("No group here: n moves to the next disagreement.")
        return group

    def action_number(self, k: int) -> None:
        selection = self.view.selection
        label = self.app.schema.by_key(str(k))
        if selection is not None and label is not None:
            self._add(label.name, selection)
            return
        group = self._group_or_say()
        if group is None:
            return
        names = self.doc.annotators
        if not 1 <= k <= len(names):
            self._say(f"There are {len(names)} annotators here: 1-{len(names)} picks one.")
            return
        source = names[k - 1]
        doc_id, key, seen = self.doc.id, group.key, adjn.gold_state(group)
        self._submit(
            f"accept {source}'s version",
            lambda: lambda: self.app.read(adjn.accept, document_id=doc_id, group_key=key, source=source, expected=seen),
        )

    def action_label(self, index: int) -> None:
        labels = self.app.schema.labels
        if not 0 <= index < len(labels):
            return
        selection = self.view.selection
        rng = selection if selection is not None else tm.word_at(self.doc.text, self.view.cursor)
        if rng is None:
            self._say("Nothing to tag here: select some text first.")
            return
        self._add(labels[index].name, rng)

    def _add(self, label: str, selection: tuple[int, int]) -> None:
        rng = tm.snap_to_words(self.doc.text, *selection) or selection
        if any(s.label == label and (s.start, s.end) == rng for s in self.doc.gold):
            self._say(f"Gold already has that text as {label}.")
            return
        doc_id = self.doc.id
        self.view.clear_selection()
        self._submit(
            f"add {label}",
            lambda: lambda: self.app.read(adjn.add, document_id=doc_id, label=label, start=rng[0], end=rng[1]),
        )

    def action_reject(self) -> None:
        group = self._group_or_say()
        if group is None:
            return
        doc_id, key, seen = self.doc.id, group.key, adjn.gold_state(group)
        self._submit(
            "reject the group",
            lambda: lambda: self.app.read(adjn.reject, document_id=doc_id, group_key=key, expected=seen),
        )

    def action_accept_agreed(self) -> None:
        pending = [g for g in self.doc.groups if g.agreed and g.is_open]
        if not pending:
            self._say("Every agreed span is decided already.")
            return
        doc_id = self.doc.id
        self._submit(
            "accept the agreed spans", lambda: lambda: self.app.read(adjn.accept_all_agreed, document_id=doc_id)
        )

    def _gold_target(self, want_links: bool = False) -> SpanData | None:
        """The gold span to edit: the innermost one under the cursor, else the current group's."""
        schema = self.app.schema
        ok = (
            (lambda s: bool(schema.has_label(s.label) and schema.label(s.label).links))
            if want_links
            else (lambda s: True)
        )
        cursor = self.view.cursor
        under = [s for s in self.doc.gold if s.start <= cursor < s.end and ok(s)]
        if under:
            return min(under, key=lambda s: s.end - s.start)
        group = self.current_group
        if group is not None:
            return next((s for s in group.gold if ok(s)), None)
        return None

    def action_edit_attributes(self) -> None:
        span = self._gold_target()
        if span is None:
            self._say("No gold span here to edit: accept a version first (1-9).")
            return
        spec = self.app.schema.label(span.label) if self.app.schema.has_label(span.label) else None
        if spec is None or not spec.value_attributes:
            self._say(
                f"{span.label} has no attributes to edit"
                + (" (s picks its links)." if spec is not None and spec.links else ".")
            )
            return
        span_id = span.id

        def saved(attrs: dict[str, Any] | None) -> None:
            if attrs is None:
                return

            def build():
                fresh = next((s for s in self.doc.gold if s.id == span_id), None)
                if fresh is None or fresh.attrs == attrs:
                    return None
                return lambda: self.app.read(adjn.edit, span_id=span_id, attrs=attrs, expected_version=fresh.version)

            self._submit(f"edit {span.label} attributes", build)

        self.app.push_screen(AttributeForm(self.app.schema, span, self.doc.text[span.start : span.end]), saved)

    def action_pick_speakers(self) -> None:
        head = self._gold_target(want_links=True)
        if head is None:
            self._say("s picks the speaker of a gold QUOTE: accept the QUOTE first.")
            return
        link = self.app.schema.label(head.label).links[0]

        def distance(span: SpanData) -> tuple[int, int]:
            if span.start < head.end and span.end > head.start:
                return (0, span.start)
            gap = span.start - head.end if span.start >= head.end else head.start - span.end
            return (gap, span.start)

        candidates = sorted((s for s in self.doc.gold if s.label == link.target), key=distance)
        text = self.doc.text
        head_id = head.id

        def picked(ids: list[int] | None) -> None:
            if ids is None:
                return

            def build():
                fresh = next((s for s in self.doc.gold if s.id == head_id), None)
                if fresh is None or tuple(fresh.links.get(link.name, ())) == tuple(ids):
                    return None
                return lambda: self.app.read(
                    adjn.edit, span_id=head_id, links={link.name: ids}, expected_version=fresh.version
                )

            self._submit(f"set {head.label} {link.name}", build)

        self.app.push_screen(
            SpeakerPicker(
                head,
                text[head.start : head.end],
                link,
                [(s, text[s.start : s.end]) for s in candidates],
                head.links.get(link.name, ()),
            ),
            picked,
        )

    def action_delete_gold(self) -> None:
        span = self._gold_target()
        if span is None:
            self._say("No gold span here to delete.")
            return
        span_id, version = span.id, span.version
        self._submit(
            f"delete {span.label}",
            lambda: lambda: self.app.read(adjn.delete, span_id=span_id, expected_version=version),
        )

    def action_adjudicated(self) -> None:
        doc = self.doc
        done = doc.gold_status != "done"
        if done and doc.open_groups:
            n = len(doc.open_groups)
            self._say(
                f"{n} group{'s are' if n != 1 else ' is'} still open: decide each (1-9 a version, 0 none, A every agreed one) first.",
                "warning",
            )
            return
        doc_id = doc.id
        self._submit(
            "mark the document adjudicated" if done else "reopen the document",
            lambda: lambda: self.app.read(adjn.set_adjudicated, document_id=doc_id, done=done),
        )

    def action_undo(self) -> None:
        app = self.app
        if not app.undo_stack:
            self._say("Nothing to undo.")
            return

        def build():
            if not app.undo_stack:
                return None
            step = app.undo_stack[-1]
            return lambda: app.read(adjn.undo, step=step)

        self._submit("undo", build, "undo")

    def action_redo(self) -> None:
        app = self.app
        if not app.redo_stack:
            self._say("Nothing to redo.")
            return

        def build():
            if not app.redo_stack:
                return None
            step = app.redo_stack[-1]
            return lambda: app.read(adjn.redo, step=step)

        self._submit("redo", build, "redo")

    # ------------------------------------------------------------------ documents

    def _neighbour(self, step: int) -> int | None:
        ids = [r.id for r in self.app.rows]
        if self.doc.id not in ids:
            return None
        i = ids.index(self.doc.id) + step
        return ids[i] if 0 <= i < len(ids) else None

    def action_next_doc(self) -> None:
        target = self._neighbour(1)
        if target is None:
            self._say("This is the last document in the list.")
            return
        self.app.open_document(target, replace_screen=True)

    def action_prev_doc(self) -> None:
        target = self._neighbour(-1)
        if target is None:
            self._say("This is the first document in the list.")
            return
        self.app.open_document(target, replace_screen=True)

    def action_back(self) -> None:
        if self.view.selection is not None:
            self.view.clear_selection()
            return
        self.app.pop_screen()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(_binding_rows(self, [self.view, self]), "keymap.toml (annotate screen only)"))

    def action_guidelines(self) -> None:
        group = self.current_group
        labels = sorted(group.labels) if group is not None else []
        self.app.push_screen(GuidelinesScreen(self.schema, labels[0] if labels else None))

    def action_quit(self) -> None:
        self.app.exit()

    def on_resize(self) -> None:
        if self.is_mounted:
            self._show_state()
