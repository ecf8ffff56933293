"""The workbook being written: cached formats and checked writes.

The workbook runs in xlsxwriter's `constant_memory` mode, so a 10,000-unit round is written row
by row with one row in memory. That mode only accepts writes in row order, and `merge_range`
over several rows writes blanks into the rows below at once, after which the rest of the
current row can no longer be written. So header rectangles spanning one row are real merges,
and rectangles spanning several rows are drawn as a bordered box (text in its middle row, no
inner borders) that looks the same to a reader and filters and sorts the same.

Text is written with `write_string` (never a formula); text a spreadsheet could read as a
formula also gets Excel's quote-prefix style, the equivalent of a typed leading apostrophe (see
`exports.safety`). Text longer than a cell is cut with a visible marker (`exports.limits`).
xlsxwriter's return codes are checked.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import IO, Any

import numpy as np
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Format
from xlsxwriter.worksheet import Worksheet

from aggregate import Consolidation
from exports.limits import ExportError, fit_cell, sheet_name
from exports.safety import is_dangerous, xml_safe
from exports.xlsx.formats import DAY, FONT, GREEN, HEAD_FILL, RED
from exports.xlsx.printing import fit_row


class Book:
    """The workbook with its formats; every write goes through a checked helper."""

    def __init__(self, target: str | Path | IO[bytes]) -> None:
        self.wb = xlsxwriter.Workbook(target, {"constant_memory": True,
                                               "strings_to_formulas": False,
                                               "strings_to_numbers": False,
                                               "strings_to_urls": False})
        self.taken: set[str] = set()
        base = dict(FONT)
        self._formats: dict[tuple, Format] = {}
        self._props: dict[int, dict[str, Any]] = {}
        self._pending: dict[int, list[tuple[int, int, str, Format]]] = {}
        self._unit_cells: dict[str, list[tuple[int, str, Format]]] | None = None
        self.base = base
        self.title = self.fmt(bold=True, font_size=14)
        self.bold = self.fmt(bold=True)
        self.text = self.fmt()
        self.wrap = self.fmt(text_wrap=True, valign="top")
        self.head = self.fmt(bold=True, text_wrap=True, align="center", valign="vcenter",
                             border=1, bg_color=HEAD_FILL)
        self.red = self.wb.add_format(RED)
        self.green = self.wb.add_format(GREEN)

    def fmt(self, **props: Any) -> Format:
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            made = self.wb.add_format({**self.base, **props})
            self._formats[key] = made
            self._props[id(made)] = props
        return self._formats[key]

    def sheet(self, wanted: str) -> Worksheet:
        name = sheet_name(wanted, self.taken)
        self.taken.add(name.lower())
        return self.wb.add_worksheet(name)

    def put(self, ws: Worksheet, row: int, col: int, value: Any,
            fmt: Format | None = None) -> None:
        """Write one cell by type: numbers as numbers, dates as dates, text as safe text."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return
        if isinstance(value, bool):
            value = "Có" if value else "Không"
        if isinstance(value, int | float | np.integer | np.floating):
            rc = ws.write_number(row, col, float(value), fmt)
        elif isinstance(value, date):
            rc = ws.write_datetime(row, col, value, fmt or self.fmt(num_format=DAY))
        else:
            self.put_text(ws, row, col, str(value), fmt)
            return
        if rc < 0:
            raise ExportError(f"Không ghi được ô {xl_rowcol_to_cell(row, col)} của trang "
                              f"«{ws.get_name()}» (mã lỗi {rc}).")

    def prepared(self, text: str, fmt: Format | None = None) -> tuple[str, Format | None]:
        """`text` made safe for a cell (XML-legal, cut to fit with a visible marker) and its
        format (quote-prefixed when a spreadsheet could read it as a formula); for texts
        written many times, made once."""
        text = fit_cell(xml_safe(text))
        return text, self.quoted(fmt) if is_dangerous(text) else fmt

    def put_text(self, ws: Worksheet, row: int, col: int, text: str,
                 fmt: Format | None = None) -> None:
        text, fmt = self.prepared(text, fmt)
        rc = ws.write_string(row, col, text, fmt)
        if rc < 0:
            raise ExportError(f"Không ghi được ô {xl_rowcol_to_cell(row, col)} của trang "
                              f"«{ws.get_name()}» (mã lỗi {rc}).")

    def quoted(self, fmt: Format | None) -> Format:
        """`fmt` plus Excel's quote prefix (text that must never become a formula)."""
        props = self._props.get(id(fmt), {}) if fmt is not None else {}
        return self.fmt(**{**props, "quote_prefix": True})

    def unit_cells(self, result: Consolidation) -> dict[str, list[tuple[int, str, Format]]]:
        """Code → the (column, safe text, format) of a unit's code, name and kind, made once."""
        if self._unit_cells is None:
            cells: dict[str, list[tuple[int, str, Format]]] = {}
            for unit in result.units:
                row = []
                for col, text in enumerate((unit.code, unit.name, unit.kind or "")):
                    text = fit_cell(xml_safe(text))
                    row.append((col, text, self.quoted(self.text) if is_dangerous(text)
                                else self.text))
                cells[unit.code] = row
            self._unit_cells = cells
        return self._unit_cells

    def start_boxes(self) -> None:
        """Forget the header rectangles of a previous sheet (see `box`)."""
        self._pending = {}

    def box(self, ws: Worksheet, first_row: int, last_row: int, first_col: int, last_col: int,
            text: str) -> None:
        """A header rectangle: merged when it spans one row, else a bordered box (see the
        module docstring for why). Called in row order of `first_row`; the rows below are
        written by `box_rest` when the writer reaches them."""
        middle = first_row + (last_row - first_row) // 2
        for row in range(first_row, last_row + 1):
            sides = {"left": 1, "right": 1, "top": 1 if row == first_row else 0,
                     "bottom": 1 if row == last_row else 0}
            fmt = self.fmt(bold=True, text_wrap=True, align="center", valign="vcenter",
                           bg_color=HEAD_FILL, **sides)
            self._pending.setdefault(row, []).append(
                (first_col, last_col, text if row == middle else "", fmt))

    def flush_boxes(self, ws: Worksheet, row: int) -> None:
        for first_col, last_col, text, fmt in sorted(self._pending.pop(row, []),
                                                     key=lambda x: x[0]):
            if first_col == last_col:
                if text:
                    self.put_text(ws, row, first_col, text, fmt)
                else:
                    ws.write_blank(row, first_col, None, fmt)
            else:
                rc = ws.merge_range(row, first_col, row, last_col, "", fmt)
                if rc < 0:
                    raise ExportError(f"Không gộp được ô ở dòng {row + 1} của trang "
                                      f"«{ws.get_name()}» (mã lỗi {rc}).")
                if text:
                    self.put_text(ws, row, first_col, text, fmt)

    def merged(self, ws: Worksheet, row: int, first_col: int, last_col: int, text: str,
               fmt: Format) -> None:
        """`text` across one row's columns `first_col`…`last_col` (a real merge)."""
        if first_col == last_col:
            self.put_text(ws, row, first_col, text, fmt)
            return
        if ws.merge_range(row, first_col, row, last_col, "", fmt) < 0:
            raise ExportError(f"Không gộp được ô ở dòng {row + 1} của trang "
                              f"«{ws.get_name()}».")
        self.put_text(ws, row, first_col, text, fmt)

    def fit_boxes(self, ws: Worksheet, widths: list[float]) -> None:
        """Make each queued header row tall enough for the box texts it shows (a box's text
        sits in its middle row, so that row must hold it)."""
        for row, queued in self._pending.items():
            fit_row(ws, row, [(text, sum(widths[first:last + 1]))
                              for first, last, text, _ in queued if text], bold=True)
