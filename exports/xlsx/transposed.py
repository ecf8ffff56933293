"""A section too wide to print (Cẩm Giang's Section II has 77 columns) read the other way: its
items as rows, the units as columns.

Item labels then have a wide column of their own and wrap on as many lines as they need, and
each printed page shows every item for a few units. The total and the subtotals come first, so
the first page is the summary a reader wants; units follow in the section sheet's order, up to
`DETAIL_UNITS` units. A larger round (a province's 4,000 units would run to hundreds of pages
across) shows the total and the subtotals by kind only, and says that the unit-by-unit detail
is in the section sheet. The item column and the unit header rows are frozen and repeated on
every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aggregate import SUBTOTAL_ROW, TOTAL_ROW, UNIT_ROW, ColumnHeader, Consolidation
from exports.headers import column_names, distinct
from exports.limits import MAX_COLUMNS, ExportError
from exports.meta import ExportMeta
from exports.xlsx.book import Book
from exports.xlsx.formats import column_format
from exports.xlsx.printing import DETAIL_UNITS, a4, fit_row
from forms.kinds.numbers import format_number

LABEL_WIDTH = 48
UNIT_WIDTH = 13
HEAD_ROW = 3  # rows 0–1: title and round; the unit codes on row 3, names on row 4
SUFFIX = "(xoay)"


def sheet_title(number: str, label: str) -> str:
    return f"{number} {SUFFIX} {label}".strip()


def transposed(book: Book, result: Consolidation, meta: ExportMeta, number: str, label: str,
               columns: Sequence[ColumnHeader], table: Any) -> None:
    """Write the transposed sheet of a section."""
    n_rows = len(table)
    types = table["row_type"].tolist()
    n_units = types.count(UNIT_ROW)
    shown = (TOTAL_ROW, SUBTOTAL_ROW, UNIT_ROW) if n_units <= DETAIL_UNITS \
        else (TOTAL_ROW, SUBTOTAL_ROW)
    # The total first, then the subtotals, then (in a small round) the units.
    order = [i for kind in shown for i in range(n_rows) if types[i] == kind][:MAX_COLUMNS - 1]
    ws = book.sheet(sheet_title(number, label))
    outline = result.outline
    book.put_text(ws, 0, 0, f"{number} {label} — các mục theo dòng, đơn vị theo cột".strip(),
                  book.title)
    subtitle = f"{meta.round_title} — {meta.period}".strip(" —")
    if UNIT_ROW not in shown:
        subtitle += (f". Vòng có {format_number(n_units)} đơn vị"
                     + ": trang này chỉ gồm dòng tổng cộng và các dòng cộng theo loại đơn vị; "
                     "số liệu từng đơn vị ở trang tính của phần này.")
    book.put_text(ws, 1, 0, subtitle, book.text)
    codes = table["code"].tolist()
    names = table["name"].tolist()
    head = book.fmt(bold=True, text_wrap=True, align="center", valign="vcenter", border=1,
                    bg_color="#DDEBF7")
    ws.set_column(0, 0, LABEL_WIDTH)
    ws.set_column(1, len(order), UNIT_WIDTH)
    book.put_text(ws, HEAD_ROW, 0, "Mã đơn vị", head)
    for col, i in enumerate(order, start=1):
        book.put_text(ws, HEAD_ROW, col, codes[i] or "", head)
    unit_names = [str(names[i]) for i in order]
    fit_row(ws, HEAD_ROW + 1, [(name, UNIT_WIDTH) for name in unit_names], bold=True)
    book.put_text(ws, HEAD_ROW + 1, 0, "Mục \\ Đơn vị", head)
    for col, name in enumerate(unit_names, start=1):
        book.put_text(ws, HEAD_ROW + 1, col, name, head)

    labels = column_names(outline, columns)
    texts = distinct([labels[c.key] for c in columns])
    block = table[[c.key for c in columns]].to_numpy(dtype=float)[order].T  # item × unit
    wrap = book.fmt(text_wrap=True, valign="top", border=1)
    first = HEAD_ROW + 2
    groups = {col for col, i in enumerate(order, start=1) if types[i] != UNIT_ROW}
    for r, (column, text) in enumerate(zip(columns, texts, strict=True)):
        row = first + r
        fmt = column_format(column, outline.item(column.item_key))
        plain = book.fmt(num_format=fmt, valign="top", border=1)
        strong = book.fmt(num_format=fmt, valign="top", border=1, bold=True)
        fit_row(ws, row, [(text, LABEL_WIDTH)])
        book.put_text(ws, row, 0, text, wrap)
        values = block[r].tolist()
        for col, value in enumerate(values, start=1):
            cell_fmt = strong if col in groups else plain
            if value == value:  # NaN is no data: the cell stays empty
                if ws.write_number(row, col, value, cell_fmt) < 0:
                    raise ExportError(f"Không ghi được dòng {row + 1} của trang "
                                      f"«{ws.get_name()}».")
            else:
                ws.write_blank(row, col, None, cell_fmt)
    book.put_text(ws, first + len(columns) + 1, 0,
                  "Ô để trống: không có số liệu (không phải số 0).", book.fmt(italic=True))
    ws.freeze_panes(first, 1)
    a4(ws, landscape=True)
    ws.repeat_rows(HEAD_ROW, HEAD_ROW + 1)
    ws.repeat_columns(0)
