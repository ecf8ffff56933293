"""Which cells of an upload are formatted as an Excel percentage, from the styles part.

Someone who types "95%" in Excel gets 0.95 stored in a cell with a percent format; the reader
turns that back into the 95 the outline means, so it must know those cells. Decided from the
bytes of `xl/styles.xml` and of the sheet, which the safety checks have already decompressed.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from forms.excel.zip_parts import SMALL_PART

_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_NUMFMT = re.compile(rb'<(?:\w+:)?numFmt\s+([^>]*)>')
_CELLXFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_REF = re.compile(r"([A-Z]*)(\d+)")
_MAYBE_PERCENT = re.compile(rb'%|numFmtId="(?:9|10)"')
_PERCENT_BUILTIN = {9, 10}


def percent_cells(xml: bytes | bytearray, percent_styles: frozenset[int]) -> set[tuple[int, int]]:
    """Zero-based (row, col) of the cells of the sheet `xml` whose style is one of
    `percent_styles` (see `percent_styles`). Empty without such styles (our template has none)."""
    if not percent_styles:
        return set()
    found: set[tuple[int, int]] = set()
    for match in _CELL.finditer(xml):
        attrs = dict(_ATTR.findall(match.group(1)))
        style, ref = attrs.get(b"s"), attrs.get(b"r")
        if style is None or ref is None or int(style) not in percent_styles:
            continue
        cell = _REF.fullmatch(ref.decode("ascii", "replace"))
        if cell:
            found.add((int(cell.group(2)) - 1, col_index(cell.group(1))))
    return found


def percent_styles(styles: bytes) -> frozenset[int]:
    """Indices of the cell formats (`s` attribute of a cell) whose number format is a
    percentage. The templates of one outline share their styles part, so a small one is
    looked up in a cache (bounded in count and size) before being parsed again."""
    if len(styles) <= SMALL_PART:
        return _percent_styles_cached(styles)
    return _parse_percent_styles(styles)


@lru_cache(maxsize=16)
def _percent_styles_cached(styles: bytes) -> frozenset[int]:
    return _parse_percent_styles(styles)


def _parse_percent_styles(styles: bytes) -> frozenset[int]:
    """Percent formats: built-in 9 and 10, or a custom code with an unquoted %."""
    if not _MAYBE_PERCENT.search(styles):
        return frozenset()  # the common case, decided without parsing
    percent_ids = set(_PERCENT_BUILTIN)
    for match in _NUMFMT.finditer(styles):
        attrs = dict(_ATTR.findall(match.group(1)))
        code = html.unescape(attrs.get(b"formatCode", b"").decode("utf-8", "replace"))
        if _is_percent_code(code):
            percent_ids.add(int(attrs.get(b"numFmtId", b"-1")))
    block = _CELLXFS.search(styles)
    if not block:
        return frozenset()
    found = set()
    for index, match in enumerate(_XF.finditer(block.group(1))):
        attrs = dict(_ATTR.findall(match.group(1)))
        if int(attrs.get(b"numFmtId", b"0") or 0) in percent_ids:
            found.add(index)
    return frozenset(found)


def _is_percent_code(code: str) -> bool:
    """Whether Excel multiplies by 100 for this format: a % outside quotes, brackets and
    backslash escapes (`0.##" %"`, our template's kind of format, does not)."""
    quoted = bracket = escaped = False
    for ch in code:
        if escaped:
            escaped = False
        elif quoted:
            quoted = ch != '"'
        elif bracket:
            bracket = ch != "]"
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = True
        elif ch == "[":
            bracket = True
        elif ch == "%":
            return True
    return False


def col_index(letters: str) -> int:
    """A -> 0, Z -> 25, AA -> 26."""
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1
