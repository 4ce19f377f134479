"""The review screens: the document list (most disagreement first) and one document's review.

On a document, the article (``DocumentView``, reused read-only) shows the gold spans in
their label colours, open disagreements in red and agreed spans not yet in gold in grey;
under it, ``ReviewLanes`` shows the current group: every annotator's version in a lane
aligned on the text, and gold's. Every decision is a database step (``app.jobs``) and the
screen shows what the database returned, never before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from annotator.services import adjudication as adjn
from annotator.services.adjudication import Group, ReviewDoc, Step
from annotator.services.commands.history import Direction
from annotator.services.commands.review import (
    AcceptAgreed,
    AcceptVersion,
    AddGold,
    DeleteGold,
    EditGold,
    GoldCommand,
    RejectGroup,
    SetAdjudicated,
)
from annotator.services.records import SpanData
from annotator.tui import bindings, editing, review_model
from annotator.tui import textmodel as tm
from annotator.tui.screens.guidelines import GuidelinesScreen
from annotator.tui.screens.modals import AttributeForm, SpeakerPicker
from annotator.tui.widgets.document_view import DocumentView
from annotator.tui.widgets.guidelines_panel import GuidelinesPanel
from annotator.tui.widgets.review_lanes import ReviewLanes
from annotator.tui.widgets.review_list import ReviewList
from annotator.untrusted import display_text

if TYPE_CHECKING:
    from annotator.tui.review_app import ReviewApp


def _app(screen: Screen[None]) -> ReviewApp:
    return cast("ReviewApp", screen.app)


class ReviewListScreen(Screen[None]):
    CSS_PATH = "review.tcss"
    BINDINGS = [*bindings.review_list_bindings()]

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

    _shown_at_start = False  # the first resume follows the mount: its rows were read with the start

    def on_mount(self) -> None:
        self._show()
        self.table.focus()

    def on_screen_resume(self) -> None:
        if not self._shown_at_start:
            self._shown_at_start = True
            return
        if self.is_mounted and _app(self).adj is not None:
            _app(self).refresh_rows(self._show)  # back from a document: decisions may have changed the list

    def _show(self) -> None:
        app = _app(self)
        self.query_one("#rv-list-top", Static).update(review_model.list_topbar(app.adj, len(app.rows)))
        current = self.table.current_id() if self.table.row_count else None
        self.table.set_rows(app.rows, current)
        self._show_verdict()
        if not app.rows:
            self.query_one("#rv-list-hint", Static).update(
                Text("No document has work from two of these annotators yet (a status or a span each).")
            )

    def _show_verdict(self) -> None:
        """The agreement verdict heads the list (read with the rows, from the same report)."""
        from annotator.agreement_words import verdict_summary

        app = _app(self)
        shown = verdict_summary(app.verdict) if app.rows and app.verdict is not None else ""
        self.query_one("#rv-verdict", Static).update(shown)

    @on(DataTable.RowSelected, "#rv-list")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            _app(self).open_document(int(event.row_key.value))

    def action_refresh(self) -> None:
        _app(self).refresh_rows(self._show)

    def action_help(self) -> None:
        bindings.show_help(self)

    def action_quit(self) -> None:
        _app(self).leave()


class DocReviewScreen(Screen[None]):
    CSS_PATH = "review.tcss"

    BINDINGS = [*bindings.review_doc_bindings()]  # the label keys: see bindings.labelled

    def __init__(self, doc: ReviewDoc, schema: Any) -> None:
        super().__init__()
        self.doc = doc
        self.schema = schema
        self.current_key: str | None = None
        self.marks = review_model.Marks()
        self._reopen_armed = False  # ctrl+d was pressed once on a settled document

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
        labels = _app(self).schema.labels
        colours = {label.name: label.colour for label in labels}
        self.view.set_label_colours(
            {**colours, **review_model.MARK_COLOURS}, {s.name: s.key for s in labels}, {s.name: s.style for s in labels}
        )
        self.view.load(self.doc.text, self.marks.views(self.doc), cursor=0)
        first = review_model.first_group(self.doc)
        if first is not None:
            self._go(first)
        self._show_state()
        self.view.focus()

    # ------------------------------------------------------------------ drawing state

    def _show_doc(self, doc: ReviewDoc) -> None:
        """Show what the database now holds (only the changed spans are redrawn)."""
        self.doc = doc
        changes = self.marks.changes(doc, dict(self.view.spans.by_id))
        if changes:
            self.view.update_spans(changes)
        if self.current_key is not None and doc.group(self.current_key) is None:
            self.current_key = None
        self._show_state()

    def _show_state(self) -> None:
        doc, app = self.doc, _app(self)
        self.query_one("#rv-top", Static).update(review_model.topbar(doc, app.row_for(doc.id), app.rows))
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
        # once wrapped and laid out (the lanes under the article change its height with the group)
        self.view.when_wrapped(self._follow_after_refresh)

    def _follow_after_refresh(self) -> None:
        self.call_after_refresh(self._follow)

    def _follow(self) -> None:
        """Scroll the article so the current group's text is in view (a third down when it was not)."""
        view, group = self.view, self.current_group
        if group is None or view.index is None:
            return
        height = view.scrollable_content_region.height or view.size.height
        first = view.index.row_of(group.start, view.paras)
        last = view.index.row_of(max(group.start, group.end - 1), view.paras)
        top = int(view.scroll_offset.y)
        if height <= 0 or (top <= first and last < top + height):
            return
        y = first - height // 3
        if last >= y + height:  # a group taller than two thirds of the view: its end in view too
            y = last - height + 1
        view.scroll_to(y=max(0, min(y, first)), animate=False)

    @on(DocumentView.CursorMoved, "#rv-doc")
    def _cursor_moved(self, event: DocumentView.CursorMoved) -> None:
        here = review_model.group_at(self.doc, event.offset, self.current_group)
        if here is not None:
            self.current_key = here.key
            self._show_state()

    # ------------------------------------------------------------------ moving

    def _next(self, groups: list[Group], step: int, prefer_open: bool) -> Group | None:
        return review_model.next_group(groups, self.current_group, self.view.cursor, step, prefer_open=prefer_open)

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
        self.notify(display_text(message), severity=severity, markup=False, timeout=4)  # type: ignore[arg-type]

    def _gold(self, kind: type[GoldCommand], description: str, **what: Any) -> GoldCommand:
        """A decision of ``kind`` on this document's gold, made by this review's lead."""
        return kind(adj=_app(self).adj, document_id=self.doc.id, description=description, **what)

    def _run(self, command: GoldCommand) -> None:
        """Queue a decision on gold; the screen shows it once the database committed it."""
        _app(self).jobs.run(command, Direction.DO, then=self._stepped, failed=self._refused)

    def _edit_gold(self, span_id: int, description: str, unchanged: Callable[[SpanData], bool], **what: Any) -> None:
        """Queue an edit of a gold span, made from the span as shown when its turn comes
        (nothing when it is gone or ``unchanged``)."""

        def build() -> GoldCommand | None:
            fresh = next((s for s in self.doc.gold if s.id == span_id), None)
            if fresh is None or unchanged(fresh):
                return None
            return self._gold(EditGold, description, span_id=span_id, expected_version=fresh.version, **what)

        _app(self).jobs.run_when_due(build, Direction.DO, then=self._stepped, failed=self._refused)

    def _refused(self, exc: BaseException) -> None:
        """A step refused because another reviewer changed gold meanwhile: show gold as it is now."""
        fresh = getattr(exc, "current", None)
        if isinstance(fresh, ReviewDoc) and fresh.id == self.doc.id:
            self._show_doc(fresh)

    def _stepped(self, command: GoldCommand, step: Step, direction: Direction = Direction.DO) -> None:
        if direction is not Direction.DO:
            self._say(f"{'Undid' if direction is Direction.UNDO else 'Redid'}: {step.description}")
        if step.detail.get("unlinked") and direction is Direction.DO:
            self._say(
                "Not linked (the linked span is not in gold yet): " + "; ".join(step.detail["unlinked"][:3]), "warning"
            )
        if step.doc is None:
            return
        if step.doc.id != self.doc.id:
            _app(self).open_document(step.doc.id, replace_screen=True)
            return
        self._show_doc(step.doc)

    def _group_or_say(self) -> Group | None:
        group = self.current_group
        if group is None:
            self._say("No group here: n moves to the next disagreement.")
        return group

    def action_number(self, k: int) -> None:
        selection = self.view.selection
        label = _app(self).schema.by_key(str(k))
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
        self._run(
            self._gold(
                AcceptVersion,
                f"accept {source}'s version",
                group_key=group.key,
                source=source,
                expected=adjn.gold_state(group),
            )
        )

    def action_label(self, index: int) -> None:
        labels = _app(self).schema.labels
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
        self.view.clear_selection()
        self._run(self._gold(AddGold, f"add {label}", label=label, start=rng[0], end=rng[1]))

    def action_reject(self) -> None:
        group = self._group_or_say()
        if group is None:
            return
        self._run(self._gold(RejectGroup, "reject the group", group_key=group.key, expected=adjn.gold_state(group)))

    def action_accept_agreed(self) -> None:
        pending = [g for g in self.doc.groups if g.agreed and g.is_open]
        if not pending:
            self._say("Every agreed span is decided already.")
            return
        self._run(self._gold(AcceptAgreed, "accept the agreed spans"))

    def _gold_target(self, want_links: bool = False) -> SpanData | None:
        """The gold span to edit: the innermost one under the cursor, else the current group's."""
        schema = _app(self).schema
        wanted = (lambda s: editing.links_of(schema, s.label)) if want_links else (lambda s: True)
        return review_model.gold_target(self.doc, self.view.cursor, self.current_group, wanted)

    def action_edit_attributes(self) -> None:
        span = self._gold_target()
        if span is None:
            self._say("No gold span here to edit: accept a version first (1-9).")
            return
        problem = editing.no_attributes(_app(self).schema, span)
        if problem is not None:
            self._say(problem)
            return
        span_id = span.id

        def saved(attrs: dict[str, Any] | None) -> None:
            if attrs is not None:
                self._edit_gold(span_id, f"edit {span.label} attributes", lambda s: s.attrs == attrs, attrs=attrs)

        self.app.push_screen(AttributeForm(_app(self).schema, span, self.doc.text[span.start : span.end]), saved)

    def action_pick_speakers(self) -> None:
        head = self._gold_target(want_links=True)
        if head is None:
            self._say("s picks the speaker of a gold QUOTE: accept the QUOTE first.")
            return
        link = _app(self).schema.label(head.label).links[0]
        candidates = editing.speaker_candidates(head, self.doc.gold, link.target)
        text = self.doc.text
        head_id = head.id

        def picked(ids: list[int] | None) -> None:
            if ids is not None:
                unchanged = lambda s: tuple(s.links.get(link.name, ())) == tuple(ids)  # noqa: E731
                self._edit_gold(head_id, f"set {head.label} {link.name}", unchanged, links={link.name: ids})

        self.app.push_screen(
            SpeakerPicker.in_text(head, text, link, candidates),
            picked,
        )

    def action_delete_gold(self) -> None:
        span = self._gold_target()
        if span is None:
            self._say("No gold span here to delete.")
            return
        self._run(self._gold(DeleteGold, f"delete {span.label}", span_id=span.id, expected_version=span.version))

    def _adjudicated_keys(self) -> list[str]:
        return bindings.normal_keys(_app(self).user_keymap.get("review.adjudicated", "ctrl+d"))

    def on_key(self, event: events.Key) -> None:
        """Any other key between two ctrl+d on a settled document: the second one asks again."""
        if event.key not in self._adjudicated_keys():
            self._reopen_armed = False

    def action_adjudicated(self) -> None:
        doc = self.doc
        done = doc.gold_status != "done"
        if not done and not self._reopen_armed:
            # settled already: the same key again (and nothing between) reopens it, never the first press
            self._reopen_armed = True
            self._say(f"This document is already adjudicated: press {self._adjudicated_keys()[0]} again to reopen it.")
            return
        self._reopen_armed = False
        if done and doc.open_groups:
            n = len(doc.open_groups)
            self._say(
                f"{n} group{'s are' if n != 1 else ' is'} still open: decide each (1-9 a version, 0 none, A every agreed one) first.",
                "warning",
            )
            return
        what = "mark the document adjudicated" if done else "reopen the document"
        self._run(self._gold(SetAdjudicated, what, done=done))

    def action_undo(self) -> None:
        self._back_or_forth(Direction.UNDO)

    def action_redo(self) -> None:
        self._back_or_forth(Direction.REDO)

    def _back_or_forth(self, direction: Direction) -> None:
        jobs = _app(self).jobs
        if jobs.history.next_for(direction) is None:
            self._say(f"Nothing to {direction.value}.")
            return
        run = jobs.undo if direction is Direction.UNDO else jobs.redo
        run(then=lambda c, step: self._stepped(c, step, direction), failed=self._refused)

    # ------------------------------------------------------------------ documents

    def _neighbour(self, step: int) -> int | None:
        return editing.step_in([r.id for r in _app(self).rows], self.doc.id, step)

    def action_next_doc(self) -> None:
        target = self._neighbour(1)
        if target is None:
            self._say("This is the last document in the list.")
            return
        _app(self).open_document(target, replace_screen=True)

    def action_prev_doc(self) -> None:
        target = self._neighbour(-1)
        if target is None:
            self._say("This is the first document in the list.")
            return
        _app(self).open_document(target, replace_screen=True)

    def action_back(self) -> None:
        if self.view.selection is not None:
            self.view.clear_selection()
            return
        self.app.pop_screen()

    def action_help(self) -> None:
        bindings.show_help(self)

    def action_guidelines(self) -> None:
        group = self.current_group
        labels = sorted(group.labels) if group is not None else []
        self.app.push_screen(GuidelinesScreen(self.schema, labels[0] if labels else None))

    def action_quit(self) -> None:
        _app(self).leave()

    def on_resize(self) -> None:
        if self.is_mounted:
            self._show_state()
