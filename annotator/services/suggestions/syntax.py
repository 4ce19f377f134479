"""Part-of-speech tags and shallow chunks (noun, verb, prepositional phrases) with code-point offsets.

The rules find casualty figures, speakers and actors by the words around them; a word list
misses the wording it has not seen ("one villager who had seen the bodies said", "several
soldiers were killed"). A tagger and chunker name those phrases by shape instead.

The tagger is TextBlob's copy of pattern.en (MIT): a Brill tagger whose lexicon, morphology
and context rules ship inside the wheel, so nothing downloads at run time. We tokenise
ourselves, keeping each token's offsets into the text, and tag one sentence at a time, so
the work is linear in the text's length (the chunker's own loop is quadratic in a sentence,
and sentences are short; an overlong one is cut at ``MAX_SENTENCE`` tokens).

``parse(text)`` returns a ``Parsed`` (tokens and chunks); results are cached per text,
since several rules ask for the same window. The cache holds one text: a window's parse takes
about 40 times its text's size, and sixteen of them were 5.9x the 3 MB article in benchmark 9
(every rule asks about the window it is given, never an older one).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from types import ModuleType
from typing import Any

MAX_SENTENCE = 120

_ABBREVIATIONS = (
    r"(?:Dr|Mr|Mrs|Ms|Messrs|Gen|Lt|Col|Maj|Capt|Cpt|Sgt|Cpl|Pte|Adm|Brig|Cmdr|Rev|Fr|Prof|Sen|Rep|Gov|Pres|St|Mt"
    r"|Ft|No|Nos|Jr|Sr|Inc|Ltd|Co|Corp|Dept|Univ|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx)\."
)
_TOKEN = re.compile(
    r"\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?"  # 1,200 3.5 10:30 1990s 2nd
    r"|(?:[A-Za-z]\.){2,}"  # U.N. U.S.
    rf"|{_ABBREVIATIONS}"
    r"|\w+(?:[-'’]\w+)*"  # words, hyphenated words, don't, Côte d'Ivoire's
    r"|[^\w\s]",
)
# what the Penn-trained lexicon knows for marks it has never seen in this form
_TAG_TEXT = {"“": "``", "”": "''", "‘": "`", "’": "'", "«": "``", "»": "''", "—": ":", "–": ":"}
_SENTENCE_END = frozenset({".", "!", "?"})


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its offsets in the text, its Penn tag and its chunk tag (``B-NP``, ``I-VP``, ``O``)."""

    start: int
    end: int
    text: str
    tag: str
    chunk: str

    @property
    def phrase(self) -> str:
        """The chunk's kind (``NP``, ``VP``, ``PP``, ``ADJP``, ``ADVP``...) or ``""`` outside any chunk."""
        return self.chunk[2:] if self.chunk != "O" else ""


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of tokens the chunker grouped: ``kind`` is ``NP``, ``VP``, ``PP``...; ``first``/``last`` index tokens."""

    kind: str
    first: int
    last: int
    start: int
    end: int
    sentence: int


def _end(item: Token | Chunk) -> int:
    return item.end


@dataclass(frozen=True, slots=True)
class Parsed:
    tokens: tuple[Token, ...]
    chunks: tuple[Chunk, ...]
    sentences: tuple[tuple[int, int], ...]  # (first token, last token + 1) per sentence

    def chunk_at(self, offset: int) -> Chunk | None:
        """The chunk covering a code-point offset, if any (binary search)."""
        index = bisect_right(self.chunks, offset, key=_end)
        if index < len(self.chunks) and self.chunks[index].start <= offset:
            return self.chunks[index]
        return None

    def token_index(self, offset: int) -> int:
        """Index of the first token that ends after ``offset`` (``len(tokens)`` if none)."""
        return bisect_right(self.tokens, offset, key=_end)

    def noun_phrases(self) -> list[Chunk]:
        return [chunk for chunk in self.chunks if chunk.kind == "NP"]


def _sentences(spans: list[tuple[int, int, str]], text: str) -> list[tuple[int, int]]:
    """Cut the token list into sentences: after . ! ? before a capital, a digit or a quote mark, at a line break,
    and every ``MAX_SENTENCE`` tokens."""
    bounds: list[tuple[int, int]] = []
    first = 0
    for index, (_start, end, word) in enumerate(spans):
        last = index + 1 == len(spans)
        cut = last or index + 1 - first >= MAX_SENTENCE
        if not cut:
            next_start, _, next_word = spans[index + 1]
            if "\n" in text[end:next_start]:
                cut = True
            elif word in _SENTENCE_END:
                cut = next_word[:1].isupper() or next_word[:1].isdigit() or next_word[:1] in "\"“‘'("
        if cut:
            bounds.append((first, index + 1))
            first = index + 1
    return bounds


@lru_cache(maxsize=1)
def _textblob_text() -> ModuleType:
    """TextBlob's ``_text`` module (its lexicon reader, tagging and chunking rules; standard library only),
    loaded from its file when a rule first asks for a parse. ``import textblob`` would import NLTK on its
    way in (about 1 s of the suggestion worker's start, on the way to the first window), which the
    tagger never uses."""
    loaded = sys.modules.get("textblob._text")
    if loaded is not None:
        return loaded
    package = importlib.util.find_spec("textblob")  # finds the package without running its __init__
    if package is None or not package.submodule_search_locations:
        raise ImportError("the textblob package is not installed")
    path = Path(next(iter(package.submodule_search_locations))) / "_text.py"
    spec = importlib.util.spec_from_file_location("annotator_textblob_text", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def _chunk_rules() -> tuple[tuple[tuple[str, re.Pattern[str]], ...], str]:
    text_module = _textblob_text()
    return tuple(text_module.CHUNKS[0]), text_module.SEPARATOR  # the rules for English (and other Germanic ones)


_CONJUNCTIONS = frozenset({"CC", "CJ", "KON", "Conj(neven)"})


def chunk(tagged: list[list[str]]) -> list[list[str]]:
    """TextBlob's ``find_chunks`` for English, rule for rule, but linear: it counts the tokens
    before each match with ``tags[:i].count("/")``, quadratic in a sentence's length; here a
    bisect over the separators' offsets does it. Each row gains its chunk tag (``B-NP``, ``O``)."""
    tags, chunk_tags = _chunk_tags([row[1] for row in tagged])
    return [[row[0], tag, chunk_tag] for row, tag, chunk_tag in zip(tagged, tags, chunk_tags, strict=True)]


# a tag no chunk rule takes (each takes named tags, each followed by the separator): sentences joined with it
# between them are chunked as each alone, in one pass over the window instead of one per sentence
_BETWEEN = "\x00"


def _chunk_sentences(tags: list[str], sentences: Sequence[tuple[int, int]]) -> tuple[list[str], list[str]]:
    """``_chunk_tags`` of each sentence's tags (``sentences``: (first, stop) token ranges that tile ``tags``), the
    answers concatenated, computed on all of them at once: a match cannot run over ``_BETWEEN``."""
    joined: list[str] = []
    for first, stop in sentences:
        joined += tags[first:stop]
        joined.append(_BETWEEN)
    out_tags, out_chunks = _chunk_tags(joined, between=True)
    keep = [tag != _BETWEEN for tag in joined]
    return [t for t, k in zip(out_tags, keep, strict=True) if k], [
        c for c, k in zip(out_chunks, keep, strict=True) if k
    ]


def _chunk_tags(tags: list[str], *, between: bool = False) -> tuple[list[str], list[str]]:
    """``chunk`` on the tags alone: the tags (none holding the separator) and their chunk tags. ``between``:
    ``tags`` are sentences with ``_BETWEEN`` after each (``_chunk_sentences``)."""
    rules, separator = _chunk_rules()
    tags = [tag.replace(separator, "|") for tag in tags]  # no tag may hold the separator
    chunk_tags: list[str | None] = [None] * len(tags)
    joined = separator.join(tags) + separator
    separators = [end - 1 for end in accumulate(len(tag) + 1 for tag in tags)]  # where each tag's "/" is
    for kind, rule in rules:
        for match in rule.finditer(joined):
            first = bisect_right(separators, match.start() - 1)  # tokens wholly before the match
            count = match.group(0).count(separator)
            for k in range(first, first + count):
                if chunk_tags[k] is not None:
                    continue
                if k == first and tags[k] in _CONJUNCTIONS:
                    first += 1  # a conjunction does not start a chunk (as TextBlob)
                elif k == first:
                    chunk_tags[k] = "B-" + kind
                else:
                    chunk_tags[k] = "I-" + kind
    out = [chunk_tag or "O" for chunk_tag in chunk_tags]
    for i in range(len(tags) - 1):
        # "Very nice work" (NP) but "Perhaps" (ADVP) + "you" (NP), as TextBlob corrects it
        if between and tags[i + 1] == _BETWEEN:
            continue  # a sentence's last token: no next word in its sentence
        if tags[i].startswith("RB") and out[i] == "B-NP" and not tags[i + 1].startswith("JJ"):
            out[i] = "B-ADVP"
            out[i + 1] = "B-NP"
    return tags, out


@lru_cache(maxsize=1)
def lexicon() -> dict[str, str]:
    """The tagger's lexicon (word -> Penn tag), loaded once per process: the rules that ask for a word's usual
    tag (a common word, a verb stem) share this one copy, and none of them imports ``textblob`` (and NLTK)."""
    return _lexicon(_textblob_text())


@lru_cache(maxsize=1)
def _tagger() -> tuple[Any, Any, Any]:
    """TextBlob's lexicon lookup (loaded), its number pattern and its suffix rules."""
    text_module = _textblob_text()
    return lexicon().get, text_module.CD.match, text_module._suffix_rules


def preload() -> None:
    """Load the tagger (its lexicon) and the chunker's rules now rather than at the first parse."""
    _tagger()
    _chunk_rules()


def _lexicon(text_module: ModuleType) -> dict[str, str]:
    """``textblob.en``'s lexicon (word -> Penn tag), read as its ``Lexicon.load`` reads it (the first two fields
    of each line that is no ``;;;`` comment) in one pass over the file's lines, several times faster."""
    path = Path(str(text_module.__file__)).parent / "en" / "en-lexicon.txt"
    lines = (line.strip() for line in path.read_text(encoding="utf-8").split("\n"))
    return dict(line.split(" ")[:2] for line in lines if line and not line.startswith(";;;"))


_WORD_TAGS: tuple[dict[str, str], dict[str, str]] = ({}, {})  # (elsewhere, first in a sentence): word -> tag
_MAX_WORD_TAGS = 200_000


def _word_tag(word: str, first: bool) -> str:
    """TextBlob's ``find_tags`` for one token, without its list building: the tagger's lexicon
    (the lower-case form too for a sentence's first word), else NNP for a title-case word, CD for
    a number, else the suffix rules (its English parser applies no context rules). A word's tag
    depends only on the word and on whether it starts the sentence, so it is looked up once."""
    known = _WORD_TAGS[first]
    tag = known.get(word)
    if tag is None:
        lookup, number, suffix_rules = _tagger()
        tag = lookup(word, (first and lookup(word.lower())) or None)
        if tag is None:
            if word.istitle():
                tag = "NNP"
            elif number(word) is not None:
                tag = "CD"
            else:
                tag = suffix_rules([word, "NN"])[1]
        if len(known) >= _MAX_WORD_TAGS:
            known.clear()
        known[word] = tag
    return tag


def _tags(words: list[str]) -> list[str]:
    """The Penn tags of one sentence's words (``_word_tag``, looked up in its memo first)."""
    texts = [_TAG_TEXT.get(word, word) for word in words]
    known = _WORD_TAGS[False]
    tags = [known.get(text) or _word_tag(text, False) for text in texts]
    if texts:
        tags[0] = _word_tag(texts[0], True)
    return tags


@lru_cache(maxsize=1)
def parse(text: str) -> Parsed:
    """Tokens with Penn tags and chunk tags, and the chunks, for ``text``; offsets are code points."""
    spans = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    tokens: list[Token] = []
    chunks: list[Chunk] = []
    sentences = _sentences(spans, text)
    words = [word for _, _, word in spans]
    window_tags: list[str] = []
    for first, stop in sentences:
        window_tags += _tags(words[first:stop])
    all_tags, all_chunks = _chunk_sentences(window_tags, sentences)
    current: list[Any] | None = None  # the chunk being extended: kind, first, last, start, end, sentence
    for number, (first, stop) in enumerate(sentences):
        tags, chunk_tags = all_tags[first:stop], all_chunks[first:stop]
        for index, (start, end, word), tag, chunk in zip(
            range(len(tokens), len(tokens) + stop - first), spans[first:stop], tags, chunk_tags, strict=True
        ):
            tokens.append(Token(start, end, word, tag, chunk))
            if chunk == "O":
                continue
            kind = chunk[2:]
            if chunk.startswith("B-") or current is None or current[2] != index - 1 or current[0] != kind:
                if current is not None:
                    chunks.append(Chunk(*current))
                current = [kind, index, index, start, end, number]
            else:
                current[2], current[4], current[5] = index, end, number
    if current is not None:
        chunks.append(Chunk(*current))
    return Parsed(tuple(tokens), tuple(chunks), tuple(sentences))


def conjuncts(tokens: Sequence[Token], first: int, last: int) -> list[tuple[int, int]]:
    """The token ranges of a chunk's members, split at conjunctions and commas: "residents and displaced people"
    (tokens ``first``..``last``) is two."""
    parts, start = [], first
    for i in range(first, last + 1):
        if tokens[i].tag == "CC" or tokens[i].text == ",":
            if i > start:
                parts.append((start, i - 1))
            start = i + 1
    if start <= last:
        parts.append((start, last))
    return parts
