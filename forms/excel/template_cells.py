"""Cells of the template: values written as their kind wants, and the kind's data validation
(long choice lists kept once on the hidden «Danh mục» sheet)."""

from __future__ import annotations

import math
import unicodedata
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from forms.excel.layout import LISTS_SHEET, col_letter
from forms.kinds import get_kind
from forms.model import Column, Item

if TYPE_CHECKING:
    from forms.excel.template import TemplateWriter


def write_value(ws: Worksheet, row: int, col: int, spec: Item | Column, stored: Any,
                fmt: Format) -> None:
    """A stored value (or a typed one from a draft) in the cell its kind wants: a number as a
    number, a date as a date, a choice as its label."""
    kind = get_kind(spec.kind)
    value = None
    if stored is not None:
        try:
            value = kind.from_json(stored)
        except (TypeError, ValueError):
            value = stored
    if value is None or (isinstance(value, str) and not value):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool) or kind.excel_as_words:
        ws.write_string(row, col, kind.format(value, spec), fmt)
    elif isinstance(value, int | float) and math.isfinite(value):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, datetime | date):
        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), fmt)
    else:
        ws.write_string(row, col, unicodedata.normalize("NFC", str(value)), fmt)

def validate(w: TemplateWriter, ws: Worksheet, row: int, col: int, spec: Item | Column,
             last_row: int | None = None) -> None:
    """The kind's Excel data validation on the cell (or a table column's cells)."""
    options = get_kind(spec.kind).excel_validation(spec)
    if not options:
        return
    options = dict(options)
    if options.pop("needs_range", False):
        options["source"] = list_range(w, [c.label for c in spec.choices])
    last = row if last_row is None else last_row
    ws.data_validation(row, col, last, col, options)

def list_range(w: TemplateWriter, labels: list[str]) -> str:
    """Write a choice list to the hidden «Danh mục» sheet once; return its range."""
    key = tuple(labels)
    if key not in w.lists:
        col = len(w.lists)
        for index, label in enumerate(labels):
            w.lists_sheet.write_string(index, col, label)
        letter = col_letter(col)
        w.lists[key] = f"='{LISTS_SHEET}'!${letter}$1:${letter}${len(labels)}"
    return w.lists[key]
