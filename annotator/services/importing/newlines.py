"""Line endings: CRLF and lone CR become LF, and offsets counted in the original text move
onto the normalised one (``NewlineMap``)."""

from __future__ import annotations

import bisect


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
