"""Quotes with no speech verb next to them: a helper of ``quotes.py``.

- **A speech verb anywhere in the quote's sentence**: "“Four militants ... were liquidated” in the
  clash in the region of X, an official with the local branch of the security service said": the
  verb is further than the attribution patterns of ``quotes.py`` reach, but in the same sentence
  (outside any quote). A noun of saying in the sentence ("in a statement", "a spokesman's words")
  attributes a short phrase quote too, with no speaker.
- **The attribution in the sentence before or after, in the same paragraph**, for a quoted passage
  of three words or more: "X said on Monday. “...” the rest of the paragraph".
- **Headline quotes**: a short line with no final punctuation ("Refugees ‘escape horror’ of the
  battle", "- ‘Practically an invasion’ -") quotes someone the article names later; no speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from annotator.services.suggestions.base import Suggestion, sentence_end, sentence_start
from annotator.services.suggestions.quote_marks import Quote


class _Positioned(Protocol):
    pos: int


_E = TypeVar("_E", bound=_Positioned)

# nouns of saying: a sentence holding one reports words ("in a statement", "the spokesman's words", "a tweet")
SAYING_NOUNS = re.compile(
    r"(?<![\w-])(?:statement|communiqu[eé]|press\s+(?:release|conference|briefing)|interview|spokes(?:man|woman|"
    r"person)|words|remarks|tweet|post|message|speech|announcement|declaration)s?(?![\w-])",
    re.IGNORECASE,
)
# "the statement said": a document whose issuer spoke; "the ministry's statement read": its owner
DOCUMENT = re.compile(
    r"(?:^|[\s,])the\s+(?:[\w-]+\s+){0,2}(?:statement|communiqu[eé]|press\s+release|declaration)\s*,?\s*(?:also\s+)?$",
    re.IGNORECASE,
)
DOCUMENT_OWNER = re.compile(
    r"(?:^|[\s,])(?:the\s+)?(?P<owner>(?:[\w-]+\s+){0,3}[\w-]+)['’]s\s+(?:[\w-]+\s+)?"
    r"(?:statement|communiqu[eé]|press\s+release|declaration|letter|message|post|tweet)\s*,?\s*$",
    re.IGNORECASE,
)


def after_document(text: str, at: int) -> bool:
    """A document noun right before ``at``: "the statement read", "the ministry's communiqué read"."""
    return bool(DOCUMENT.search(text, max(0, at - 60), at) or DOCUMENT_OWNER.search(text, max(0, at - 90), at))


# names, nicknames and translations in quotes are no quotations
# "known as Interahamwe or 'Those who attack together'": a second name, no quotation
_NAMING_OR = re.compile(r"(?:known\s+as|called|named|nicknamed)\s+[^.,;!?“”\"«»]{1,40}\s+or\s+(?:the\s+)?$", re.I)
_NAMING = re.compile(
    r"(?:known\s+as|dubbed|called|named|nicknamed|translates?\s+as|translated\s+as|meaning|so-called|the\s+word|"
    r"the\s+term|titled|entitled|label(?:l)?ed|slogan|the\s+phrase)\s*(?:the\s+|a\s+)?$",
    re.IGNORECASE,
)


def naming(before: str) -> bool:
    """The words before a quote name it rather than quote it: "known as the “Ledger”", "known as X or '...'"."""
    return bool(_NAMING.search(before) or _NAMING_OR.search(before))


# "“horror”, the one word they all used": the frame of ``quote_frames.word_frame`` after the quote
_WORD_AFTER = re.compile(
    r"\s*,?\s*(?:the\s+)?(?:one\s+|only\s+)?(?:words?|term|phrase)\s+(?:[\w’'-]+\s+){1,5}?(?:all\s+)?"
    r"(?:used|use|uses|chose|repeated|kept\s+using)\b",
    re.IGNORECASE,
)
_HEADLINE_WORDS = 16  # a headline is short
_FINAL = frozenset(".!?:;,")


CONTEXT = {"sentence", "noun", "neighbour", "headline"}  # the mechanisms on (each measured alone on dev)


def in_context(
    text: str,
    q: Quote,
    words: int,
    paragraph: tuple[int, int],
    events_in: Callable[[int, int], Sequence[_E]],
    resolve: Callable[[_E], list[tuple[str, int, int]]],
    inside: Callable[[int], bool],
) -> tuple[bool, list[tuple[str, int, int]] | None]:
    """(attributed, speaker) of a quote with no speech verb next to it (``quote_context``)."""
    event = sentence_event(text, q, events_in, inside) if "sentence" in CONTEXT else None
    if event is not None:
        return True, resolve(event) or None
    if "noun" in CONTEXT and (
        saying_noun(text, q) or q.close_at is not None and _WORD_AFTER.match(text, q.close_at + 1)
    ):
        return True, None
    if "neighbour" in CONTEXT and words >= 3:
        event = neighbour_event(text, q, paragraph, events_in, inside)
        if event is not None:
            return True, resolve(event) or None
    return False, None


def sentence_event(
    text: str, q: Quote, events_in: Callable[[int, int], Sequence[_E]], inside: Callable[[int], bool]
) -> _E | None:
    """The speech event in the quote's sentence outside quotes, nearest the quote (after it first)."""
    s0 = sentence_start(text, q.open_at)
    after = q.close_at + 1 if q.close_at is not None else q.end
    s1 = sentence_end(text, after) if after < len(text) and text[after : after + 1] != "\n" else after
    following = [e for e in events_in(after, s1) if not inside(e.pos)]
    if following:
        return following[0]
    preceding = [e for e in events_in(s0, q.open_at) if not inside(e.pos)]
    return preceding[-1] if preceding else None


def saying_noun(text: str, q: Quote) -> bool:
    """A noun of saying in the quote's sentence, outside the quote ("... of “...”, the ministry's statement read")."""
    s0 = sentence_start(text, q.open_at)
    after = q.close_at + 1 if q.close_at is not None else q.end
    s1 = sentence_end(text, after) if after < len(text) and text[after : after + 1] != "\n" else after
    return bool(SAYING_NOUNS.search(text, s0, q.open_at) or SAYING_NOUNS.search(text, after, s1))


def neighbour_event(
    text: str,
    q: Quote,
    paragraph: tuple[int, int],
    events_in: Callable[[int, int], Sequence[_E]],
    inside: Callable[[int], bool],
) -> _E | None:
    """The last speech event of the sentence before the quote's, else the first of the sentence after it,
    in the quote's paragraph and outside quotes."""
    s0 = sentence_start(text, q.open_at)
    if s0 > paragraph[0]:
        prev0 = sentence_start(text, max(paragraph[0], s0 - 2))
        before = [e for e in events_in(prev0, s0) if not inside(e.pos)]
        if before:
            return before[-1]
    after = q.close_at + 1 if q.close_at is not None else q.end
    s1 = sentence_end(text, after)
    if s1 < paragraph[1]:
        nxt = [e for e in events_in(s1, sentence_end(text, s1 + 1)) if not inside(e.pos)]
        if nxt:
            return nxt[0]
    return None


def headline(text: str, q: Quote, paragraph: tuple[int, int]) -> bool:
    """The quote stands in a short line with no final punctuation, closed: a headline or a subheading."""
    line = text[paragraph[0] : paragraph[1]].rstrip()
    return (
        q.close_at is not None
        and len(line) > paragraph[0] - paragraph[0]
        and line[-1:] not in _FINAL
        and paragraph[0] + len(line) - 1 > q.close_at  # the line goes on after the quote
        and len(line.split()) <= _HEADLINE_WORDS
        and not all(w[:1].isupper() for w in text[q.open_at + 1 : q.close_at].split())  # “Desert Shield”: a name
    )


def speakers_from_body(text: str, headlines: list[Suggestion], found: list[Suggestion], speaker_attr: str) -> None:
    """A headline quote with no speaker takes the speaker of the first later quote holding its words
    ("- ‘Practically an invasion’ -" ... "It is practically an invasion,” said X"), in place."""
    lowered = text.lower()
    quotes = sorted((s for s in found if s.link_keys.get(speaker_attr)), key=lambda s: s.start)
    starts = [s.start for s in quotes]
    for h in headlines:
        if h.link_keys.get(speaker_attr):
            continue
        words = text[h.start + 1 : h.end - 1].strip(" ,.!?'\"‘’“”").lower()
        at = lowered.find(words, h.end) if words else -1
        while at != -1:
            index = bisect_right(starts, at) - 1
            if index >= 0 and at + len(words) <= quotes[index].end:
                h.link_keys = {**h.link_keys, speaker_attr: quotes[index].link_keys[speaker_attr][:1]}
                break
            at = lowered.find(words, at + 1)
