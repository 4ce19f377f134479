"""The annotation screen's way through its open suggestions, at the keyboard.

``SuggestionReview`` keeps the *current* suggestion (the one the cursor was put on) and:

- ``jump(+1 / -1)``: the next / previous open suggestion in text order, wrapping around
  (``annotate.next_suggestion`` / ``annotate.prev_suggestion``);
- one-at-a-time review (``annotate.review_suggestions`` toggles it, like Prodigy's accept
  flow): the cursor sits on the current suggestion, ``y`` / ``x`` accept / reject it and
  ``space`` skips it, each moving on to the next one; the top bar says "suggestion 3 of 41";
  ``escape`` leaves. When none is left open, review ends by itself.

Decisions go through the screen's ``_decide`` (an undoable ``SuggestionEdit``), so undo covers
them. The review moves on at once, before the database answers, so keys pressed in a row
each act on their own suggestion; when the answer removes the current one (a quote's speaker
accepted with its quote), ``refresh`` moves on to the next one still open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.tui import textmodel as tm


class SuggestionReview:
    def __init__(self, screen: Any) -> None:
        self.screen = screen
        self.active = False
        self.current: tm.SpanView | None = None  # as it was when chosen (it may be gone since)

    # ---------------------------------------------------------------- where we are

    @property
    def _index(self) -> tm.SpanIndex:
        return self.screen.view.suggestions  # type: ignore[no-any-return]

    def here(self) -> tm.SpanView | None:
        """The current suggestion, if still open and the cursor is on it."""
        current = self.current
        if current is None or current.id not in self._index.by_id:
            return None
        if current.start <= self.screen.view.cursor <= current.end:
            return current
        return None

    def under_cursor(self) -> tm.SpanView | None:
        """The suggestion ``y`` / ``x`` act on: the current one while the cursor is on it, else
        the innermost under the cursor (or just before it)."""
        view = self.screen.view
        found = self.here() or view.suggestions.innermost(view.cursor)
        if found is None and view.cursor > 0:
            found = view.suggestions.innermost(view.cursor - 1)
        return found

    def key(self, action: str) -> None:
        """``y`` (accept), ``x`` (reject), ``Y`` (accept_all); in review, ``y`` / ``x`` move on."""
        screen = self.screen
        if screen.doc is None:
            return
        if action == "accept_all":
            if not len(self._index):
                screen.say("No open suggestions in this document.")
                return
            screen.decide_suggestion(action, None, f"accept {len(self._index)} suggestions")
            return
        if self.active:
            self.decide(action)
            return
        here = self.under_cursor()
        if here is None:
            screen.say("No suggestion under the cursor (suggestions are the underlined, coloured words).")
            return
        screen.decide_suggestion(action, here.id, f"{action} a suggestion")

    def status(self) -> str:
        """For the top bar: "suggestion 3 of 41" while reviewing."""
        if not self.active:
            return ""
        index = self._index
        if self.current is None or self.current.id not in index.by_id:
            return f"reviewing: {len(index)} open"
        return f"suggestion {index.position(self.current.id) + 1} of {len(index)} (y/x/space, esc ends)"

    def reset(self) -> None:
        """Another document: nothing current, review off."""
        self.active = False
        self.current = None

    # ---------------------------------------------------------------- moving

    def _step_from(self, origin: tm.SpanView | None, step: int) -> tm.SpanView | None:
        """The open suggestion after (before) ``origin`` or the cursor, wrapping around."""
        index = self._index
        if not len(index):
            return None
        if origin is not None:
            found = index.after(origin) if step > 0 else index.before(origin)
        else:  # forwards: the first starting at or after the cursor; backwards: the last before it
            cursor = self.screen.view.cursor
            found = index.next_after(None, cursor - 1) if step > 0 else index.prev_before(None, cursor)
        if found is None:  # wrap around
            found = index.at_position(0 if step > 0 else len(index) - 1)
        return found

    def _origin(self) -> tm.SpanView | None:
        """Where a move starts: the current suggestion, while the cursor is on it."""
        current = self.current
        if current is not None and current.start <= self.screen.view.cursor <= current.end:
            return current
        return None

    def go_to(self, suggestion: tm.SpanView | None) -> None:
        self.current = suggestion
        if suggestion is not None:
            self.screen.view.move_to(suggestion.start)
        self.screen.refresh_suggestion_state()

    def jump(self, step: int) -> None:
        """The next (``+1``) or previous (``-1``) open suggestion."""
        if not len(self._index):
            self.screen.say("No open suggestions in this document.")
            return
        self.go_to(self._step_from(self._origin(), step))

    # ---------------------------------------------------------------- review mode

    def toggle(self) -> None:
        if self.active:
            self.leave()
            return
        if not len(self._index):
            self.screen.say("No open suggestions to review in this document.")
            return
        self.active = True
        here = self.screen.view.suggestions.innermost(self.screen.view.cursor)
        self.go_to(here if here is not None else self._step_from(None, 1))
        self.screen.say("Reviewing suggestions: y accept, x reject, space skip, escape ends.")

    def leave(self) -> None:
        if self.active:
            self.active = False
            self.screen.refresh_suggestion_state()
            self.screen.say("Review of suggestions ended.")

    def target(self) -> tm.SpanView | None:
        """What ``y`` / ``x`` act on in review mode: the suggestion under the cursor, else the current one."""
        found = self.here()
        if found is not None:
            return found
        under = self.screen.view.suggestions.innermost(self.screen.view.cursor)
        if under is not None:
            return under  # type: ignore[no-any-return]
        current = self.current
        return current if current is not None and current.id in self._index.by_id else None

    def decide(self, action: str) -> None:
        """Accept or reject the current suggestion and move on to the next one."""
        target = self.target()
        if target is None:
            self.refresh()
            return
        self.screen.decide_suggestion(action, target.id, f"{action} a suggestion")
        self._move_past(target)

    def skip(self) -> None:
        target = self.target()
        if target is None:
            self.refresh()
            return
        self._move_past(target)

    def _move_past(self, done: tm.SpanView) -> None:
        index = self._index
        following = index.after(done)
        if following is None and len(index) > (1 if done.id in index.by_id else 0):
            following = index.at_position(0)  # wrap around to what was skipped
            if following.id == done.id:
                following = None
        if following is None:
            self.current = done  # its answer may still come: refresh() ends the review then
            self.screen.refresh_suggestion_state()
            return
        self.go_to(following)

    def refresh(self) -> None:
        """Suggestions changed (stored, decided, undone): keep the review on an open one."""
        if not self.active:
            return
        index = self._index
        current = self.current
        if current is not None and current.id in index.by_id:
            return
        if not len(index):
            self.active = False
            self.current = None
            self.screen.say("No open suggestions left: review done.")
            return
        following = index.after(current) if current is not None else None
        self.go_to(following if following is not None else index.at_position(0))
