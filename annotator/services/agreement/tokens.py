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
            held = best[k]
            if held is None or key < held:
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


def token_codes(
    tokens: Sequence[tuple[int, int]], spans: Iterable[tuple[int, int, str]], labels: Sequence[str]
) -> dict[int, int]:
    """One coder's tokens that some span overlaps, as token index -> code, where a code packs
    the token's IO tag and its per-label mask: ``(labels.index(tag) + 1) << len(labels) | mask``
    (bit ``i`` of ``mask``: a span of ``labels[i]`` overlaps the token). Tokens left out have
    code 0: tag ``O``, no label. Spans of other labels are ignored. The same tags as
    ``io_tags`` and the same masks as ``label_mask``, in time proportional to the tokens covered.
    """
    index = {lab: k for k, lab in enumerate(labels)}
    starts = [s for s, _e in tokens]
    ends = [e for _s, e in tokens]
    best: dict[int, tuple[int, int, str]] = {}
    masks: dict[int, int] = {}
    for s, e, label in spans:
        k_label = index.get(label)
        if k_label is None:
            continue
        key = (e - s, s, label)
        bit = 1 << k_label
        for k in _covered(tokens, starts, ends, s, e):
            if k not in best or key < best[k]:
                best[k] = key
            masks[k] = masks.get(k, 0) | bit
    width = len(labels)
    return {k: ((index[best[k][2]] + 1) << width) | masks[k] for k in best}


def joint_token_counts(
    tokens: Sequence[tuple[int, int]], coders: Sequence[Iterable[tuple[int, int, str]]], labels: Sequence[str]
) -> dict[tuple[int, ...], int]:
    """How many tokens of one document have each combination of the coders' codes
    (``token_codes``; one position per coder, in the order given). The combination of all
    zeros (nobody tagged the token) is counted too, so the counts add up to ``len(tokens)``."""
    per_coder = [token_codes(tokens, spans, labels) for spans in coders]
    covered: set[int] = set()
    for codes in per_coder:
        covered.update(codes)
    counts: dict[tuple[int, ...], int] = {}
    for k in covered:
        key = tuple(codes.get(k, 0) for codes in per_coder)
        counts[key] = counts.get(key, 0) + 1
    if len(tokens) > len(covered):
        counts[(0,) * len(per_coder)] = len(tokens) - len(covered)
    return counts


def decode_code(code: int, labels: Sequence[str]) -> tuple[str, int]:
    """``token_codes``' code back to (IO tag, label mask)."""
    if code == 0:
        return OUTSIDE, 0
    width = len(labels)
    return labels[(code >> width) - 1], code & ((1 << width) - 1)
