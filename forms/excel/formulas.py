"""Formula cells saved without their result.

A spreadsheet program saves each formula with the value it computed (`<f>…</f><v>15</v>`), and
that value is what the reader takes. Files written by scripts (openpyxl) or some converters
keep the formula and no value (`<f>10+5</f><v></v>`); the reader would see an empty cell and
store the item as not entered, without a word. `uncached_formulas` finds such cells in a
worksheet's XML so the reader can refuse the file naming each one.

Only formula elements are examined (a filled template has a few dozen, in its computed rows),
each within its own cell, so the scan costs one pass of a fast literal search over the sheet.
A formula whose result is an empty string is saved as `t="str"` with an empty value by Excel
and LibreOffice: that is a result, and it is not reported.
"""

from __future__ import annotations

import re

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")
_CELL_OPEN = re.compile(rb"<(?:\w+:)?c(?=[\s/>])([^>]*)>")
_CELL_CLOSE = re.compile(rb"</(?:\w+:)?c>")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_TEXT_TYPES = {b"str", b"s", b"inlineStr"}
#: How far before a formula its cell's start tag may be (the tag and its attributes).
_LOOKBACK = 512


def uncached_formulas(xml: bytes) -> set[tuple[int, int]]:
    """Zero-based (row, column) of the cells of a worksheet part holding a formula without a
    saved result. Cells without an `r` reference (rare, hand-made XML) are not located and not
    reported."""
    found: set[tuple[int, int]] = set()
    position = 0
    while (formula := _FORMULA.search(xml, position)) is not None:
        position = formula.end()
        # The formula's cell is the last cell start tag before it.
        openings = list(_CELL_OPEN.finditer(xml, max(0, formula.start() - _LOOKBACK),
                                            formula.start()))
        if not openings:
            continue
        opening = openings[-1]
        closing = _CELL_CLOSE.search(xml, formula.end())
        if closing is None:
            continue
        position = closing.end()
        attrs = dict(_ATTR.findall(opening.group(1)))
        value = _VALUE.search(xml, formula.end(), closing.start())
        if (value is not None and value.group(1)) or attrs.get(b"t") in _TEXT_TYPES:
            continue
        ref = _REF.fullmatch(attrs.get(b"r", b"").decode("ascii", "replace"))
        if ref is not None:
            found.add((int(ref.group(2)) - 1, _column(ref.group(1))))
    return found


def _column(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1
