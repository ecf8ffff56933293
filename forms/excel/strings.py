"""How much text a workbook's cells expand to once read.

A shared string is stored once (`xl/sharedStrings.xml`) and named by its index from any number
of cells, but the reader copies it into every cell that names it: 5 000 cells naming one string
of 32 000 characters are a 48 KB file that reads as 330 MB. So the size of each shared string is
measured as its part streams by, and every sheet adds up, piece by piece, the strings its cells
name; the workbook is refused as soon as the total passes MAX_TEXT.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter

_SI = re.compile(rb"si(?<=[<:]si)[\s/>]")  # a shared string's element, prefixed or not
# A cell of type "s" and the index in its value; the literal first, for speed.
_SHARED_CELL = re.compile(rb't="s"(?<=\st="s")[^<>]*>\s*<(?:[\w.-]+:)?v>\s*(\d+)\s*<')
_SHARED_TYPE = re.compile(rb't="s"(?<=\st="s")')
_TAIL = 3  # bytes kept across chunks: a "<si" cut by the boundary is still found


class StringSizes:
    """The size in bytes (markup included: an upper bound of the text) of each shared string,
    fed the part a chunk at a time."""

    def __init__(self) -> None:
        self._starts = array("q")
        self._tail = b""
        self._offset = 0  # of the start of `_tail` in the part
        self.sizes = array("q")
        self.largest = 0

    def feed(self, chunk: bytes) -> None:
        buffer = self._tail + chunk
        self._starts.extend(self._offset + match.start() for match in _SI.finditer(buffer))
        self._offset += len(buffer) - min(_TAIL, len(buffer))
        self._tail = buffer[-_TAIL:]

    def close(self) -> None:
        end = self._offset + len(self._tail)
        starts = self._starts
        self.sizes = array("q", (b - a for a, b in zip(starts, [*starts[1:], end], strict=True)))
        self.largest = max(self.sizes, default=0)

    def text_of(self, buf: bytes | bytearray, lo: int, hi: int) -> int:
        """Bytes of shared text the cells of `buf[lo:hi]` name; a cell whose index could not
        be read here counts as the largest string."""
        named = _SHARED_CELL.findall(buf, lo, hi)
        total = 0
        sizes, count = self.sizes, len(self.sizes)
        for index, times in Counter(named).items():
            at = int(index)
            if at < count:
                total += sizes[at] * times
        unread = len(_SHARED_TYPE.findall(buf, lo, hi)) - len(named)
        return total + max(0, unread) * self.largest

