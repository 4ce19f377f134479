"""Turning input bytes into text: encodings, refusals and line endings.

Which encoding, in this order (``detect_encoding``):

1. a byte-order mark names UTF-8, UTF-16 or UTF-32 (when the bytes after it decode so: a
   cp1251 "юя" looks like a UTF-16 BOM);
2. NUL bytes only in the high-byte places of UTF-16/UTF-32 code units (every other byte
   zero for Latin text) decode as UTF-16/32 LE or BE without a BOM when that gives
   printable, plausible text; any other NUL byte makes the file binary;
3. bytes that are valid UTF-8 are UTF-8 (refusing UTF-8 cut mid-character and CESU-8);
4. otherwise charset-normalizer makes a guess, and it competes with the usual single-byte
   encodings (cp1252 = Windows Western, a superset of Latin-1 for text; cp1250 Central
   European; cp1251 and KOI8-R Cyrillic). Each candidate must decode into printable text and
   is scored by how odd its words look (a Latin and a Cyrillic letter in one word, a word
   of nothing but accented letters, a symbol inside a word, ``lOWER-UPPER`` inside a
   word). The fewest oddities win; on a tie charset-normalizer's guess wins only when it
   had enough evidence (``EVIDENCE_BYTES`` non-ASCII bytes and a mainstream encoding),
   else cp1252 comes first, and a guess from little evidence must be clearly better (it
   counts one oddity more). charset-normalizer alone misreads short inputs ("Il est allé à
   Bangui." in Latin-1 came out as cp1006). When cp1252 gives the same text as the guess,
   the file is said to be cp1252.

The importer names the encoding it used. Binary files (NUL bytes, undecodable) and empty
files are refused with a one-line reason. The only change made to decoded text is that CRLF
and lone CR line endings become LF (``newlines.py``, where ``NewlineMap`` moves offsets counted in the
original text onto the normalised one).
"""

from __future__ import annotations

import codecs
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from annotator.untrusted import LAYOUT_CONTROLS, is_control, is_surrogate, is_unassigned, stray_controls

SNIFF_BYTES = 1 << 20  # how much of a streamed file decides its encoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class FileRefused(Exception):
    """A file that is not text we can read (binary, empty, undecodable): one-line reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec used, e.g. "utf-8", "utf-16", "cp1252"

    @property
    def detected(self) -> bool:
        """True when the file was not plain UTF-8 (worth telling the user)."""
        return self.encoding not in ("utf-8", "utf-8-sig")


def _bom_codec(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


BINARY_CONTROL_SHARE = 0.10  # over this share of C0 control characters, a NUL-free file is binary


def _looks_binary(text: str) -> bool:
    """Binary, as ``file`` and charset detectors judge it: a high share of control characters.

    A text with a few ESC sequences, BELs, backspaces or form feeds (a captured terminal
    session, an old report) is text; the app shows its controls as control pictures.
    """
    sample = text[:100_000]
    if not sample:
        return False
    controls = stray_controls(sample)  # C0 controls but tab and line breaks (a regex: C speed)
    return controls > max(8, len(sample) * BINARY_CONTROL_SHARE)


# A well-formed UTF-8 sequence of two to four bytes (no overlongs, no surrogates).
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def utf8_elsewhere(sample: bytes) -> bool:
    """Bytes that fail as UTF-8 but are UTF-8 elsewhere: more of their non-ASCII bytes form
    well-formed UTF-8 sequences than not. Such a file has a bad byte; it is never re-decoded
    in another encoding (which would turn every other non-ASCII character into mojibake)."""
    high = len(sample.translate(None, bytes(range(128))))
    valid = sum(len(m) for m in _UTF8_MULTI.findall(sample))
    return valid > 0 and valid > high - valid


def bad_utf8(data: bytes) -> str:
    """Where ``data`` (a whole file) stops being UTF-8: ``at byte N (line L)``."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return f"not valid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}, line {line})"
    return "valid UTF-8"


def _truncated_utf8(data: bytes) -> bool:
    """UTF-8 cut off mid-character: valid up to an incomplete last sequence, with other
    non-ASCII characters before it (pure ASCII + one high byte is more likely Latin-1)."""
    try:
        head = codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return not head.isascii()


def detect_encoding(sample: bytes, *, complete: bool, streamed: bool = False) -> str:
    """The codec to read bytes with, or ``FileRefused``.

    ``complete`` says whether ``sample`` is the whole file (else it may end mid-character);
    ``streamed``, whether the file is read line by line (JSONL, CoNLL). Bytes that are UTF-8 elsewhere (``utf8_elsewhere``) are never re-decoded: a whole file
    is refused naming the bad byte, a streamed one is read as UTF-8 and the line holding it
    is reported, wherever it sits.
    """
    codec = _bom_codec(sample)
    if codec and (codec == "utf-8-sig" or _try_decode(sample, codec, complete) is not None):
        return codec  # (a cp1251 "юя" or a Latin-1 "þÿ" looks like a UTF-16 BOM but does not decode as UTF-16)
    if b"\x00" in sample:  # UTF-16/32 without a BOM, or binary
        codec = _bomless_utf16_32(sample, complete)
        if codec:
            return codec
        raise FileRefused("binary file (it contains NUL bytes)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if complete and _truncated_utf8(sample):
        raise FileRefused(
            "truncated: it is UTF-8 but ends in the middle of a character (an incomplete copy or download?)"
        )
    try:  # UTF-16 surrogates encoded one by one (CESU-8 / WTF-8, from Java or JavaScript)
        codecs.getincrementaldecoder("utf-8")("surrogatepass").decode(sample, final=complete)
        raise FileRefused(
            "UTF-8 with encoded UTF-16 surrogates (CESU-8, from Java or JavaScript?); re-encode it as real UTF-8"
        )
    except UnicodeDecodeError:
        pass
    if utf8_elsewhere(sample):
        if complete and not streamed:
            raise FileRefused(f"{bad_utf8(sample)}, though it is UTF-8 elsewhere; fix that byte (it is not re-decoded)")
        return "utf-8"  # streamed: the line holding the bad byte is reported
    return _guess_single_or_multibyte(sample, complete)


# ---- encodings without a BOM -------------------------------------------------------------

EVIDENCE_BYTES = 64  # non-ASCII bytes charset-normalizer needs before its guess wins a tie
SCORE_CHARS = 200_000  # how much decoded text the plausibility score reads
FALLBACKS = ("cp1252", "cp1250", "cp1251", "koi8-r", "latin-1")  # in order of preference on a tie
# What charset-normalizer may name and be believed on a tie; anything else (cp1006, mac-*,
# EBCDIC, DOS code pages...) only wins by being clearly more plausible.
MAINSTREAM = frozenset(
    codecs.lookup(name).name
    for name in (
        "cp1250",
        "cp1251",
        "cp1252",
        "cp1253",
        "cp1254",
        "cp1255",
        "cp1256",
        "cp1257",
        "cp1258",
        "cp874",
        "latin-1",
        "iso8859-2",
        "iso8859-3",
        "iso8859-4",
        "iso8859-5",
        "iso8859-6",
        "iso8859-7",
        "iso8859-8",
        "iso8859-9",
        "iso8859-13",
        "iso8859-15",
        "koi8-r",
        "koi8-u",
        "tis-620",
        "shift_jis",
        "cp932",
        "euc_jp",
        "iso2022_jp",
        "euc_kr",
        "cp949",
        "gb2312",
        "gbk",
        "gb18030",
        "big5",
        "big5hkscs",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "utf-32",
        "utf-32-le",
        "utf-32-be",
    )
)
# Alphabets a word does not mix (CJK is left out: "Tシャツ" is a real Japanese word).
_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "ARMENIAN", "GEORGIAN", "THAI", "HANGUL"})
_PSEUDO_GRAPHICS = re.compile(r"[\u2320\u2321\u2500-\u259f]")  # KOI8-R's and DOS's box drawing
_WORD = re.compile(r"[^\W\d_]+")
# Symbols of the Latin-1 and Windows code pages that no word holds inside it (not ’ or ·).
_SYMBOL_IN_WORD = re.compile(
    r"(?<=[^\W\d_])[\u00a1-\u00a9\u00ab-\u00b4\u00b6\u00b8\u00b9\u00bb-\u00bf\u00d7\u00f7\u02c6\u02c7\u02d8\u02d9"
    r"\u02db\u02dc\u02dd\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]+(?=[^\W\d_])"
)


def _try_decode(sample: bytes, codec: str, complete: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder(codec)().decode(sample, final=complete)
    except (UnicodeDecodeError, LookupError):
        return None


def _unprintable(text: str) -> int:
    """Characters no text file holds: C0 controls but tab and line breaks, C1 controls,
    unassigned code points, surrogates, U+FFFD."""
    return sum(
        1
        for ch in text
        if (is_control(ch) and ch not in LAYOUT_CONTROLS) or ch == "\ufffd" or is_surrogate(ch) or is_unassigned(ch)
    )


def _printable(text: str) -> bool:
    return _unprintable(text) <= max(2, len(text) // 200) and "\x00" not in text


def _script(ch: str) -> str | None:
    if ch.isascii():
        return "LATIN"
    word = unicodedata.name(ch, "").split(" ", 1)[0]
    return word if word in _SCRIPTS else None


def oddities(text: str) -> int:
    """How implausible ``text`` looks as the decoding of a file (0 for ordinary prose).

    Counts words that mix alphabets (``allй``: Latin-1 read as Cyrillic), words of two or
    more letters none of them ASCII in Latin script (``Ïðèâåò``: Cyrillic read as Latin-1),
    a lower-case letter followed by a capital inside a word with non-ASCII letters
    (``рТЙЧЕФ``: KOI8-R read as cp1251), and Latin-1 symbols between two letters
    (``Za¿ó³æ``: cp1250 read as cp1252), and box-drawing characters (``⌠▄▀``: anything read
    as KOI8-R).
    """
    count = len(_SYMBOL_IN_WORD.findall(text)) + len(_PSEUDO_GRAPHICS.findall(text))
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        scripts = {s for s in map(_script, word) if s}
        if (
            len(scripts) > 1
            or len(word) >= 2
            and scripts == {"LATIN"}
            and not any(ch.isascii() for ch in word)
            or any(a.islower() and b.isupper() and not (a.isascii() and b.isascii()) for a, b in zip(word, word[1:]))
        ):
            count += 1
    return count


def _bomless_utf16_32(sample: bytes, complete: bool) -> str | None:
    """UTF-16/32 without a BOM: its zero bytes (the high bytes of spaces, digits, Latin
    letters...) sit only in the high-byte places of its code units, and it decodes into
    printable text. Anything else with NUL bytes is binary."""
    n = len(sample)
    head = sample[:65536]
    zeros = [i for i, byte in enumerate(head) if byte == 0]
    for codec, size, high in (
        ("utf-32-le", 4, {1, 2, 3}),
        ("utf-32-be", 4, {0, 1, 2}),
        ("utf-16-le", 2, {1}),
        ("utf-16-be", 2, {0}),
    ):
        if n < size or (complete and n % size):
            continue
        misplaced = sum(1 for i in zeros if i % size not in high)
        placed = len(zeros) - misplaced
        mostly_ascii = placed * 2 >= len(high) * (min(n, len(head)) // size)
        if not placed or misplaced > 1 + placed // 20:  # a few U+xx00 characters (Ā, Ѐ...) have a zero low byte
            continue
        text = _try_decode(sample if complete else sample[: n - n % size], codec, complete)
        if text and "\x00" not in text and _unprintable(text[:SCORE_CHARS]) == 0:
            words = len(_WORD.findall(text[:SCORE_CHARS]))
            spaced = any(ch in text for ch in " \n\t")  # spaces give text its zero bytes
            if (spaced or mostly_ascii) and oddities(text[:SCORE_CHARS]) * 10 <= words:
                return codec
    return None


def _guess_single_or_multibyte(sample: bytes, complete: bool) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    guess = codecs.lookup(best.encoding).name if best is not None else None
    evidence = len(sample.translate(None, bytes(range(128))))  # its non-ASCII bytes
    trusted = guess in MAINSTREAM and evidence >= EVIDENCE_BYTES and best is not None and best.chaos <= 0.2
    guessed = [guess] if guess else []  # trusted implies a guess (it is in MAINSTREAM)
    order = list(dict.fromkeys((guessed if trusted else []) + list(FALLBACKS) + guessed))
    head = sample[: SCORE_CHARS * 4]
    scored: list[tuple[int, int, str, str]] = []
    for rank, codec in enumerate(order):
        text = _try_decode(head, codec, complete and len(head) == len(sample))
        if text is None or not _printable(text[:SCORE_CHARS]):
            continue
        penalty = 1 if codec == guess and not trusted and codec not in FALLBACKS else 0  # a guess from little evidence
        scored.append((oddities(text[:SCORE_CHARS]) + penalty, rank, codec, text))
    if not scored:
        if guess is None:
            raise FileRefused("not text: it is neither UTF-8 nor any encoding we can detect (binary?)")
        return guess
    _score, _rank, codec, text = min(scored)
    western = _try_decode(head, "cp1252", True)
    if codec != "cp1252" and western == text:
        return "cp1252"  # the same text: name the encoding people know
    return codec


def decode_bytes(data: bytes) -> Decoded:
    """Decode a whole file; refuse empty, binary or undecodable content."""
    if not data:
        raise FileRefused("empty file")
    codec = detect_encoding(data, complete=True)
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        raise FileRefused(f"cannot be decoded as {codec}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text or _looks_binary(text):
        raise FileRefused("binary file (it holds control characters, not text)")
    if not text.strip():
        raise FileRefused("empty file (only whitespace)")
    return Decoded(text, codec)


def read_text_file(path: Path) -> Decoded:
    """A whole text file (a regular file, at most ``files.MAX_FILE_BYTES``), decoded."""
    from .files import read_capped

    return decode_bytes(read_capped(path))


@dataclass
class LineReader:
    """A streamed text file, line by line, in constant memory.

    ``lines()`` yields ``(line_number, line, bytes_read_so_far)``; ``line`` keeps no line
    ending. For UTF-8 the lines are ``bytes`` (orjson reads them directly) unless
    ``as_text``; for other encodings they are ``str``.
    """

    path: Path
    encoding: str
    as_text: bool = False

    line_start: int = 0  # where the last line yielded starts in the file (UTF-8 only)

    @classmethod
    def open(cls, path: Path, *, as_text: bool = False) -> LineReader:
        from .files import open_regular

        try:
            with open_regular(path) as fh:
                size = os.fstat(fh.fileno()).st_size
                sample = fh.read(SNIFF_BYTES)
        except OSError as exc:
            raise FileRefused(f"cannot read it ({exc.strerror or exc})") from None
        if size == 0 or not sample:
            raise FileRefused("empty file")
        encoding = detect_encoding(sample, complete=len(sample) >= size, streamed=True)
        return cls(path, encoding, as_text)

    @property
    def detected(self) -> bool:
        return self.encoding not in ("utf-8", "utf-8-sig")

    def lines(self) -> Iterator[tuple[int, bytes | str, int]]:
        from .files import open_regular

        with open_regular(self.path) as fh:
            if self.encoding in ("utf-8", "utf-8-sig"):
                yield from self._utf8_lines(fh)
            else:
                yield from self._decoded_lines(fh)

    def _utf8_lines(self, fh: BinaryIO) -> Iterator[tuple[int, bytes | str, int]]:
        from .files import MAX_FILE_BYTES

        done = 0
        for number, raw in enumerate(iter(lambda: fh.readline(MAX_FILE_BYTES + 1), b""), start=1):
            if len(raw) > MAX_FILE_BYTES:
                raise _BadLine(number, f"a line longer than {MAX_FILE_BYTES >> 20} MB (is it really line-based?)")
            self.line_start = done
            done += len(raw)
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
                self.line_start = len(codecs.BOM_UTF8)
            line = raw.rstrip(b"\r\n")
            if self.as_text:
                try:
                    yield number, line.decode("utf-8"), done
                except UnicodeDecodeError as exc:
                    offset = self.line_start + exc.start
                    raise _BadLine(number, f"not valid UTF-8 at byte {offset} (0x{line[exc.start]:02x})") from None
            else:
                yield number, line, done

    def _decoded_lines(self, fh: BinaryIO) -> Iterator[tuple[int, bytes | str, int]]:
        # newline="" splits on LF, CRLF and CR alike and keeps the ending for us to strip.
        wrapper = io.TextIOWrapper(fh, encoding=self.encoding, newline="")
        width = 4 if self.encoding.startswith("utf-32") else 2 if self.encoding.startswith("utf-16") else 1
        done = 0
        number = 0
        try:
            for raw in wrapper:
                number += 1
                done += width * len(raw)  # an estimate, for the progress bar only
                line = raw.rstrip("\r\n")
                if number == 1 and line.startswith("\ufeff"):
                    line = line[1:]
                yield number, line, done
        except UnicodeDecodeError as exc:
            raise _BadLine(number + 1, f"cannot be decoded as {self.encoding} ({exc.reason})") from None


class _BadLine(Exception):
    """A streamed line that cannot be decoded: the rest of the file cannot be trusted."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


BadLine = _BadLine
