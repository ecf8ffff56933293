"""Formula cells saved without their result.

A spreadsheet program saves each formula with the value it computed (`<f>…</f><v>15</v>`), and
that value is what the reader takes. Files written by scripts (openpyxl) or some converters
keep the formula and no value (`<f>10+5</f><v></v>`); the reader would see an empty cell and
store the item as not entered, without a word. `uncached_formulas` finds such cells in a
worksheet's XML so the reader can refuse the file naming each one.

A sheet without formulas costs two byte searches; one with formulas, one regular-expression
pass in which only the cells reported cost any Python work.
A formula whose result is an empty string is saved as `t="str"` with an empty value by Excel
and LibreOffice: that is a result, and it is not reported.
"""

from __future__ import annotations

import re

#: A cell holding a formula (`<f>…</f>`, or a shared `<f …/>`) and then no value or an empty
#: one, up to its end tag — OOXML puts `<f>` before `<v>`, and `<` inside a formula is escaped.
#: A cell with a result does not match at all, so only the cells reported cost Python work.
#: Written twice: without a namespace prefix (what Excel, LibreOffice and openpyxl write; the
#: literal start lets the engine skip ahead fast) and with one, used only when the part has
#: prefixed formula elements.
#: The cell's other attributes: a text type (t="s", "str", "inlineStr") is not allowed, since a
#: text-typed cell with an empty value holds an empty text result, which is a result.
_BODY = (rb'r="([A-Z]{1,3}[0-9]{1,7})"(?:\s+(?:s|cm|vm|ph)="[^"]*"|\s+t="[bned]")*\s*>'
         rb'\s*<%(p)sf[\s/>][^<]*(?:</%(p)sf>)?'
         rb"\s*(?:<%(p)sv>\s*</%(p)sv>|<%(p)sv\s*/>)?\s*</%(p)sc>")
_PLAIN = re.compile(rb"<c\s+" + _BODY % {b"p": b""})
_PREFIXED = re.compile(rb"<\w+:c\s+" + _BODY % {b"p": rb"\w+:"})


def uncached_formulas(xml: bytes | bytearray) -> frozenset[bytes]:
    """References (b"D17") of the cells of a worksheet part holding a formula without a saved
    result. Only cells whose reference is their first attribute, as Excel, LibreOffice and
    openpyxl write them, are found."""
    found: list[bytes] = []
    if xml.find(b"<f") >= 0:
        found += _PLAIN.findall(xml)
    if xml.find(b":f>") >= 0 or xml.find(b":f ") >= 0:
        found += _PREFIXED.findall(xml)
    return frozenset(found)
