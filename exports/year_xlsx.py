"""A reporting year's series as one xlsx sheet: each numeric item and rate, total first then
unit by unit, one column per period (quý I → 6 tháng → 9 tháng → năm).

Every row repeats its item, so the sheet filters and sorts; the totals are what the
aggregate engine computed per round (a rate is the rate of that period's sums).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import IO

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Format
from xlsxwriter.worksheet import Worksheet

from aggregate.model import TOTAL_LABEL
from aggregate.series import TOTAL, YearSeries
from exports.limits import ExportError, fit_cell
from exports.safety import is_dangerous, xml_safe
from exports.xlsx.book import Book
from forms.excel.number_formats import BY_KIND, FRACTION, WHOLE
from forms.kinds import get_kind, unit_word

SHEET = "Chuỗi số liệu năm"
NOTE = ("Mỗi kỳ là một đợt báo cáo, tổng hợp riêng. Tỷ lệ của dòng «Tổng cộng» tính lại từ các "
        "số đã cộng của kỳ đó, không lấy trung bình các tỷ lệ. Ô trống: không có số liệu.")


def _format(kind: str, aggregate: str) -> str:
    if get_kind(kind).rate:  # its own format (95,50 %) whatever it aggregates by
        return BY_KIND.get(kind, FRACTION)
    if aggregate in ("mean", "formula"):
        return FRACTION
    return BY_KIND.get(kind, WHOLE)


class _Cells:
    """Checked writes with each distinct text made safe once: a 4,000-unit year repeats every
    item's wording and every unit's name on thousands of rows (see exports.xlsx.book)."""

    def __init__(self, book: Book, ws: Worksheet) -> None:
        self.book, self.ws = book, ws
        self._safe: dict[tuple[str, int], tuple[str, Format]] = {}

    def text(self, row: int, col: int, text: str, fmt: Format) -> None:
        if not text:
            return
        key = (text, id(fmt))
        if key not in self._safe:
            clean = fit_cell(xml_safe(text))
            self._safe[key] = (clean, self.book.quoted(fmt) if is_dangerous(clean) else fmt)
        clean, chosen = self._safe[key]
        self._check(self.ws.write_string(row, col, clean, chosen), row, col)

    def number(self, row: int, col: int, value: float, fmt: Format) -> None:
        if math.isfinite(value):
            self._check(self.ws.write_number(row, col, value, fmt), row, col)

    def _check(self, rc: int, row: int, col: int) -> None:
        if rc < 0:
            raise ExportError(f"Không ghi được ô {xl_rowcol_to_cell(row, col)} của trang "
                              f"«{self.ws.get_name()}» (mã lỗi {rc}).")


def write_year(series: YearSeries, target: str | Path | IO[bytes], *, title: str) -> None:
    """Write `series` to `target` (a path or a binary buffer)."""
    book = Book(target)
    ws = book.sheet(SHEET)
    book.put_text(ws, 0, 0, title, book.title)
    book.put_text(ws, 1, 0, NOTE, book.text)
    head = ["Mục", "Đơn vị tính", "Đơn vị báo cáo", "Mã đơn vị",
            *[f"{p.label} (đợt số {p.round_id})" for p in series.periods]]
    header_row = 3
    for col, text in enumerate(head):
        book.put_text(ws, header_row, col, text, book.head)
    rows = [(TOTAL, TOTAL_LABEL), *series.units]
    cells = _Cells(book, ws)
    row = header_row + 1
    for item in series.items:
        number = _format(item.kind, item.aggregate)
        plain = book.fmt(num_format=number)
        strong = book.fmt(num_format=number, bold=True)
        measure = unit_word(item)
        block = series.data.get(item.key)
        for code, name in rows:
            emphasis = code == TOTAL
            if not emphasis and not series.reported(item.key, code):
                continue  # a unit with no figure of the item all year: no empty row
            cells.text(row, 0, item.header, book.bold if emphasis else book.text)
            cells.text(row, 1, measure, book.text)
            cells.text(row, 2, name, book.bold if emphasis else book.text)
            if not emphasis:
                cells.text(row, 3, code, book.text)
            if block is not None:
                for offset, value in enumerate(block[series.rows[code]]):
                    cells.number(row, 4 + offset, float(value), strong if emphasis else plain)
            row += 1
    ws.set_column(0, 0, 60)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, 32)
    ws.set_column(3, 3, 12)
    ws.set_column(4, 3 + max(len(series.periods), 1), 16)
    ws.freeze_panes(header_row + 1, 4)
    ws.autofilter(header_row, 0, max(row - 1, header_row), 3 + len(series.periods))
    book.wb.close()
