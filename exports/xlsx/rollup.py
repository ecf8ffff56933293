"""The "Theo cấp" sheet: the roll-up along the unit hierarchy (phòng → xã/sở → tỉnh), the same
table as `theo-cap.csv`, formatted and printable.

Each row aggregates a unit with every unit below it, by the same rules as a subtotal (a
province's rate is Σ on time / Σ resolved beneath it). Names are indented by their level, so
the hierarchy reads at a glance. Up to `DETAIL_UNITS` units every unit has its row; in a
larger round only the units with units below them do (a unit without any is its own row of the
section sheets already), so a province's sheet stays a readable summary. One header row with
unique, self-explanatory headers (`exports.headers`); landscape A4, the header row and the unit
code and name repeated on every page.
"""

from __future__ import annotations

from aggregate import Consolidation
from aggregate.rollup import ROLLUP_HEADERS
from exports.headers import column_names, distinct
from exports.limits import ExportError, check_size
from exports.xlsx.book import Book
from exports.xlsx.formats import WHOLE, column_format
from exports.xlsx.printing import DETAIL_UNITS, a4, fit_or_across, fit_row
from forms.kinds.numbers import format_number

SHEET = "Theo cấp"
TITLE = "TỔNG HỢP THEO CẤP ĐƠN VỊ (MỖI ĐƠN VỊ GỒM CẢ CÁC ĐƠN VỊ CẤP DƯỚI)"
HEAD_ROW = 2
LEADING = (("code", "Mã đơn vị", 12), ("name", ROLLUP_HEADERS["name"], 36),
           ("kind", ROLLUP_HEADERS["kind"], 12), ("parent", ROLLUP_HEADERS["parent"], 12),
           ("level", ROLLUP_HEADERS["level"], 6), ("n_units", ROLLUP_HEADERS["n_units"], 11),
           ("n_reported", ROLLUP_HEADERS["n_reported"], 11))
VALUE_WIDTH = 14
MAX_INDENT = 15  # Excel's largest indent level


def rollup(book: Book, result: Consolidation) -> None:
    frame = result.rollup
    columns = result.columns
    outline = result.outline
    ws = book.sheet(SHEET)
    n_cols = len(LEADING) + len(columns)
    book.put_text(ws, 0, 0, TITLE, book.title)
    if len(frame) > DETAIL_UNITS:
        frame = frame[frame["n_units"] > 1]
        book.put_text(ws, 1, 0, f"Đợt có {format_number(len(result.rollup))} đơn vị"
                      ": trang này chỉ gồm các đơn vị có đơn vị cấp dưới "
                      f"({format_number(len(frame))}); số liệu của từng đơn vị ở "
                      "trang tính của từng phần.", book.fmt(italic=True))
    check_size(len(frame) + HEAD_ROW + 1, n_cols, SHEET)
    labels = column_names(outline, columns)
    heads = distinct([text for _, text, _ in LEADING] + [labels[c.key] for c in columns])
    sizes = [width for _, _, width in LEADING] + [VALUE_WIDTH] * len(columns)
    fit_row(ws, HEAD_ROW, zip(heads, sizes, strict=True), bold=True)
    for col, (text, width) in enumerate(zip(heads, sizes, strict=True)):
        book.put_text(ws, HEAD_ROW, col, text, book.head)
        ws.set_column(col, col, width)

    whole = book.fmt(num_format=WHOLE)
    formats = [book.fmt(num_format=column_format(c, outline.item(c.item_key))) for c in columns]
    indents = {level: book.fmt(indent=level) if level else book.text
               for level in range(MAX_INDENT + 1)}
    block = frame[[c.key for c in columns]].to_numpy(dtype=float).tolist()
    leading = zip(frame.index.tolist(), *(frame[key].tolist() for key, _, _ in LEADING[1:]),
                  strict=True)
    row = HEAD_ROW
    write_number = ws.write_number
    first_value = len(LEADING)
    for row, ((code, name, kind, parent, level, n_units, n_reported), values) in enumerate(
            zip(leading, block, strict=True), start=HEAD_ROW + 1):
        book.put_text(ws, row, 0, code, book.text)
        book.put_text(ws, row, 1, name, indents[min(int(level), MAX_INDENT)])
        book.put_text(ws, row, 2, kind if isinstance(kind, str) else "", book.text)
        book.put_text(ws, row, 3, parent if isinstance(parent, str) else "", book.text)
        for col, number in ((4, level), (5, n_units), (6, n_reported)):
            write_number(row, col, int(number), whole)
        for c, value in enumerate(values):
            # NaN (no data) is skipped: the cell stays empty.
            if value == value and write_number(row, first_value + c, value, formats[c]) < 0:
                raise ExportError(f"Không ghi được dòng {row + 1} của trang «{SHEET}».")
    ws.freeze_panes(HEAD_ROW + 1, 2)
    ws.autofilter(HEAD_ROW, 0, max(row, HEAD_ROW), n_cols - 1)
    a4(ws, landscape=True)
    ws.repeat_rows(HEAD_ROW)
    ws.repeat_columns(0, 1)
    fit_or_across(ws, sum(sizes), landscape=True)
