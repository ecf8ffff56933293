"""The template's look: font, widths, fills, sheet protection, and row heights for wrapped
text (xlsxwriter does not autofit)."""

from __future__ import annotations

import math

from forms.excel.layout import KEY_COL, LABEL_COL, NOTE_COL, NUMBER_COL, UNIT_COL, VALUE_COL

FONT = "Times New Roman"  # the font of Vietnamese administrative documents (Nghị định 30/2020)
FONT_SIZE = 12
WIDTHS = {KEY_COL: 14, NUMBER_COL: 7, LABEL_COL: 55, VALUE_COL: 18, UNIT_COL: 12, NOTE_COL: 32}
EXTRA_TABLE_WIDTH = 16  # columns G… used only by wide tables
INPUT_FILL = "#FFF8DC"  # light yellow: "type here"
COMPUTED_FILL = "#E7E6E6"  # grey: computed, locked
HEADER_FILL = "#D9E1F2"
SECTION_FILL = "#F2F2F2"
LONG_TEXT_HEIGHT = 96  # points: about six lines of narrative

#: Password of the sheet protection: none. Protection only guards against slips (typing over a
#: label); a password would be a secret nobody can keep and would block legitimate fixes.
PASSWORD = ""
PROTECTION = {
    "format_cells": False,
    "format_columns": True,
    "format_rows": True,
    "insert_rows": True,
    "delete_rows": True,  # Excel allows it only for rows without locked cells: table rows
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}


def wrapped_lines(text: str, width: int) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (an estimate)."""
    return sum(max(1, math.ceil(len(part) / width)) for part in text.split("\n"))


def row_height(text: str, width: int, line_height: float) -> float:
    """Points for a row showing `text` wrapped in a column `width` characters wide."""
    return max(1, wrapped_lines(text, width)) * line_height + 2
