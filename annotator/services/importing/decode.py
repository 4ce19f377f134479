"""Turning input bytes into text: encodings, refusals and line endings.

UTF-8 is tried first; other encodings (Latin-1, UTF-16 with a BOM, ...) are detected with
charset-normalizer and named, so the importer can say which one it used. Binary files
(NUL bytes, undecodable) and empty files are refused with a one-line reason. The only change
made to decoded text is that CRLF and lone CR line endings become LF; ``NewlineMap`` moves
offsets that were counted in the original text onto the normalised one.
"""

from __future__ import annotations

import bisect
import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

SNIFF_BYTES = 1 << 20  # how much of a streamed file decides its encoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = set("\t\n\r\f\v")


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


def _looks_binary(text: str) -> bool:
    sample = text[:100_000]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
    return controls > max(2, len(sample) // 200)


def _truncated_utf8(data: bytes) -> bool:
    """UTF-8 cut off mid-character: valid up to an incomplete last sequence, with other
    non-ASCII characters before it (pure ASCII + one high byte is more likely Latin-1)."""
    try:
        head = codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return not head.isascii()


def detect_encoding(sample: bytes, *, complete: bool) -> str:
    """The codec to read bytes with, or ``FileRefused``.

    ``complete`` says whether ``sample`` is the whole file (else it may end mid-character).
    """
    codec = _bom_codec(sample)
    if codec:
        return codec
    if b"\x00" in sample:
        raise FileRefused("binary file (it contains NUL bytes)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if complete and _truncated_utf8(sample):
        raise FileRefused("truncated: it is UTF-8 but ends in the middle of a character (an incomplete copy or download?)")
    try:  # UTF-16 surrogates encoded one by one (CESU-8 / WTF-8, from Java or JavaScript)
        codecs.getincrementaldecoder("utf-8")("surrogatepass").decode(sample, final=complete)
        raise FileRefused("UTF-8 with encoded UTF-16 surrogates (CESU-8, from Java or JavaScript?); re-encode it as real UTF-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise FileRefused("not text: it is neither UTF-8 nor any encoding we can detect (binary?)")
    return codecs.lookup(best.encoding).name


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
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRefused(f"cannot read it ({exc.strerror or exc})") from None
    return decode_bytes(data)


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

    @classmethod
    def open(cls, path: Path, *, as_text: bool = False) -> "LineReader":
        try:
            size = path.stat().st_size
            with path.open("rb") as fh:
                sample = fh.read(SNIFF_BYTES)
        except OSError as exc:
            raise FileRefused(f"cannot read it ({exc.strerror or exc})") from None
        if size == 0 or not sample:
            raise FileRefused("empty file")
        encoding = detect_encoding(sample, complete=len(sample) >= size)
        return cls(path, encoding, as_text)

    @property
    def detected(self) -> bool:
        return self.encoding not in ("utf-8", "utf-8-sig")

    def lines(self) -> Iterator[tuple[int, bytes | str, int]]:
        with self.path.open("rb") as fh:
            if self.encoding in ("utf-8", "utf-8-sig"):
                yield from self._utf8_lines(fh)
            else:
                yield from self._decoded_lines(fh)

    def _utf8_lines(self, fh: BinaryIO) -> Iterator[tuple[int, bytes | str, int]]:
        done = 0
        for number, raw in enumerate(fh, start=1):
            done += len(raw)
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            line = raw.rstrip(b"\r\n")
            if self.as_text:
                try:
                    yield number, line.decode("utf-8"), done
                except UnicodeDecodeError as exc:
                    raise _BadLine(number, f"not valid UTF-8 (byte {exc.start + 1} of the line)") from None
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


class NewlineMap:
    """CRLF/CR -> LF, and where each original offset lands in the normalised text.

    Only the CR of each CRLF pair is removed (a lone CR becomes LF in place), so an offset
    ``i`` moves left by the number of removed CRs before it.
    """

    def __init__(self, original: str) -> None:
        self.original = original
        if "\r" not in original:
            self.text = original
            self._removed: list[int] = []
            return
        removed: list[int] = []
        start = 0
        while True:
            i = original.find("\r\n", start)
            if i < 0:
                break
            removed.append(i)
            start = i + 2
        self._removed = removed
        self.text = original.replace("\r\n", "\n").replace("\r", "\n")

    @property
    def changed(self) -> bool:
        return self.text is not self.original and self.text != self.original

    def __call__(self, offset: int) -> int:
        if not self._removed:
            return offset
        return offset - bisect.bisect_left(self._removed, offset)


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
