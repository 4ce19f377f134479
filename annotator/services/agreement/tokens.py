"""The tokenisation behind token-level agreement, and IO tags per token.

One simple, named rule so that the figures can be reproduced anywhere: a token is a run of
Unicode word characters or a single other non-space character (``\\w+|[^\\w\\s]``). A token is
tagged with a label when a span of that label overlaps at least one of its characters; when
several spans overlap it (nested spans), the shortest (innermost) one gives the tag.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
OUTSIDE = "O"
TOKENISATION = {
    "name": "regex-words-punct",
    "pattern": TOKEN_RE.pattern,
    "tags": "IO: a token takes the label of the innermost span overlapping it, else O",
}


def tokenize(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` code-point offsets of every token in ``text``."""
    return [m.span() for m in TOKEN_RE.finditer(text)]


def _covered(tokens: Sequence[tuple[int, int]], starts: list[int], ends: list[int], s: int, e: int) -> range:
    """Indices of the tokens that share at least one character with ``[s, e)``."""
    return range(bisect_right(ends, s), bisect_left(starts, e))


def io_tags(tokens: Sequence[tuple[int, int]], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """One tag per token: the label of the innermost overlapping span, else ``O``."""
    starts = [s for s, _e in tokens]
    ends = [e for _s, e in tokens]
    tags = [OUTSIDE] * len(tokens)
    best: list[tuple[int, int, str] | None] = [None] * len(tokens)
    for s, e, label in spans:
        key = (e - s, s, label)
        for k in _covered(tokens, starts, ends, s, e):
            if best[k] is None or key < best[k]:
                best[k] = key
                tags[k] = label
    return tags


def label_mask(tokens: Sequence[tuple[int, int]], spans: Iterable[tuple[int, int, str]], label: str) -> list[bool]:
    """For one label: is each token overlapped by a span of that label (binary IO)?"""
    starts = [s for s, _e in tokens]
    ends = [e for _s, e in tokens]
    mask = [False] * len(tokens)
    for s, e, lab in spans:
        if lab == label:
            for k in _covered(tokens, starts, ends, s, e):
                mask[k] = True
    return mask
