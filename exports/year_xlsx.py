"""A reporting year's series as one xlsx sheet: each numeric item and rate, total first then
unit by unit, one column per period (quý I → 6 tháng → 9 tháng → năm).

Every row repeats its item, so the sheet filters and sorts; the totals are what the
aggregate engine computed per round (a rate is the rate of that period's sums).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from aggregate.model import TOTAL_LABEL
from aggregate.series import TOTAL, YearSeries
from exports.xlsx.book import Book
from forms.excel.number_formats import BY_KIND, FRACTION, PERCENT, WHOLE

SHEET = "Chuỗi số liệu năm"
NOTE = ("Mỗi kỳ là một đợt báo cáo, tổng hợp riêng. Tỷ lệ của dòng «Tổng cộng» tính lại từ các "
        "số đã cộng của kỳ đó, không lấy trung bình các tỷ lệ. Ô trống: không có số liệu.")


def _format(kind: str, aggregate: str) -> str:
    if kind == "percent":
        return PERCENT
    if aggregate in ("mean", "formula"):
        return FRACTION
    return BY_KIND.get(kind, WHOLE)


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
    row = header_row + 1
    for item in series.items:
        number = _format(item.kind, item.aggregate)
        plain = book.fmt(num_format=number)
        strong = book.fmt(num_format=number, bold=True)
        for code, name in rows:
            values = series.values.get((code, item.key))
            if values is None:
                continue
            emphasis = code == TOTAL
            book.put_text(ws, row, 0, item.header, book.bold if emphasis else book.text)
            book.put_text(ws, row, 1, item.unit or ("%" if item.kind == "percent" else ""),
                          book.text)
            book.put_text(ws, row, 2, name, book.bold if emphasis else book.text)
            if not emphasis:
                book.put_text(ws, row, 3, code, book.text)
            for offset, value in enumerate(values):
                book.put(ws, row, 4 + offset, value, strong if emphasis else plain)
            row += 1
    ws.set_column(0, 0, 60)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, 32)
    ws.set_column(3, 3, 12)
    ws.set_column(4, 3 + max(len(series.periods), 1), 16)
    ws.freeze_panes(header_row + 1, 4)
    ws.autofilter(header_row, 0, max(row - 1, header_row), 3 + len(series.periods))
    book.wb.close()
