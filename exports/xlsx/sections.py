"""One sheet per top-level section: units grouped by kind, subtotal and total rows in bold, the
outline's numbering as a multi-row header, unit words, number formats shared with the
template, frozen panes, autofilter, target verdict columns with red/green conditional formats.

Printing: landscape A4, the header rows repeated on every page (print titles), the unit code
and name frozen and repeated on every page. A section that fits one page wide at a readable
scale is fitted; a wider one prints across pages at that scale, and a transposed sheet (items
as rows, units as columns, `exports.xlsx.transposed`) is written beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from aggregate import MET, NOT_MET, NOT_REPORTED, UNIT_ROW, ColumnHeader, Consolidation
from aggregate.groups import FORMULA_NOTE, MEAN_NOTE
from aggregate.model import LATE_LABEL
from exports.headers import qualified, qualifiers
from exports.layout import header_grid, item_title
from exports.limits import ExportError, check_size
from exports.meta import ExportMeta
from exports.xlsx.book import Book
from exports.xlsx.formats import column_format
from exports.xlsx.printing import a4, fit_or_across
from forms.model import Item
from forms.targets import target_words

DESCRIPTIVE = (("code", "Mã đơn vị", 12), ("name", "Đơn vị", 36), ("kind", "Loại đơn vị", 14),
               ("note", "Ghi chú", 16))
VALUE_WIDTH = 16
FIRST_HEAD = 3  # rows 0–1: title and round; row 2 empty; the header grid from row 3
EMPTY_NOTE = "Ô để trống: không có số liệu (không phải số 0)."


def widths(n_values: int) -> list[float]:
    """Column widths of a section sheet with `n_values` value and verdict columns."""
    return [float(w) for _, _, w in DESCRIPTIVE] + [float(VALUE_WIDTH)] * n_values


def section(book: Book, result: Consolidation, meta: ExportMeta, number: str, label: str,
            columns: Sequence[ColumnHeader], table: Any) -> bool:
    """Write the section's sheet; True when it is too wide to print readably (the caller
    then adds a transposed sheet)."""
    outline = result.outline
    ws = book.sheet(f"{number} {label}")
    n_desc = len(DESCRIPTIVE)
    targeted = [c for c in columns if c.role == "value"
                and outline.item(c.item_key).target is not None]
    n_cols = n_desc + len(columns) + len(targeted)
    sizes = widths(len(columns) + len(targeted))
    height, cells = header_grid(outline, columns)
    index_row = FIRST_HEAD + height  # "(1) (2) …": column numbers, as official tables have
    first_data = index_row + 1
    n_rows = len(table)
    check_size(first_data + n_rows + 5, n_cols, f"{number} {label}")

    book.put_text(ws, 0, 0, f"{number} {label}".strip(), book.title)
    book.put_text(ws, 1, 0, f"{meta.round_title} — {meta.period}".strip(" —"), book.text)
    # Header rectangles, queued by row and flushed in row order (constant_memory).
    book.start_boxes()
    for col, (_, text, _) in enumerate(DESCRIPTIVE):
        book.box(ws, FIRST_HEAD, index_row - 1, col, col, text)
    for cell in cells:
        book.box(ws, FIRST_HEAD + cell.first_row, FIRST_HEAD + cell.last_row,
                 n_desc + cell.first_col, n_desc + cell.last_col, cell.text)
    apart = qualifiers(outline, (h.item_key for h in targeted), item_title)
    for i, header in enumerate(targeted):
        item = outline.item(header.item_key)
        assert item.target is not None
        title = qualified(item_title(item), apart.get(header.item_key))
        book.box(ws, FIRST_HEAD, index_row - 1, n_desc + len(columns) + i,
                 n_desc + len(columns) + i, f"{title}: chỉ tiêu {target_words(item, outline)}")
    book.fit_boxes(ws, sizes)
    for row in range(FIRST_HEAD, index_row):
        book.flush_boxes(ws, row)
    index_fmt = book.fmt(italic=True, align="center", border=1)
    for col in range(n_cols):
        book.put_text(ws, index_row, col, f"({col + 1})", index_fmt)

    last_data = _rows(book, ws, result, columns, targeted, table, first_data)
    notes = []
    if any(c.aggregate == "formula" for c in columns):
        notes.append(FORMULA_NOTE)
    if any(c.aggregate == "mean" for c in columns):
        notes.append(MEAN_NOTE)
    notes.append(EMPTY_NOTE)
    for i, note in enumerate(notes):
        book.put_text(ws, last_data + 2 + i, 0, note, book.fmt(italic=True))
    _colour_targets(book, ws, result, columns, targeted, first_data, last_data)
    for col, width in enumerate(sizes):
        ws.set_column(col, col, width)
    ws.freeze_panes(first_data, 2)
    ws.autofilter(index_row, 0, max(last_data, index_row), n_cols - 1)
    a4(ws, landscape=True)
    ws.repeat_rows(FIRST_HEAD, index_row)
    ws.repeat_columns(0, 1)
    return fit_or_across(ws, sum(sizes), landscape=True)


def _rows(book: Book, ws, result: Consolidation, columns: Sequence[ColumnHeader],
          targeted: Sequence[ColumnHeader], table: Any, first_data: int) -> int:
    """Write the unit, subtotal and total rows; returns the last row written."""
    outline = result.outline
    n_desc = len(DESCRIPTIVE)
    n_rows = len(table)
    items = [outline.item(c.item_key) for c in columns]
    plain = [book.fmt(num_format=column_format(c, it))
             for c, it in zip(columns, items, strict=True)]
    strong = [book.fmt(num_format=column_format(c, it), bold=True, top=1, bottom=1)
              for c, it in zip(columns, items, strict=True)]
    muted = book.fmt(italic=True, font_color="#7F7F7F")
    strong_text = book.fmt(bold=True, top=1, bottom=1)
    block = table[[c.key for c in columns]].to_numpy(dtype=float).tolist()
    # Plain lists: iterating pandas string columns cell by cell costs more than the writes.
    head = zip(*(table[c].tolist() for c in ("row_type", "code", "name", "kind", "status")),
               strict=True)
    verdicts = result.targets.table
    verdict_block = (verdicts[[c.item_key for c in targeted]].to_numpy(dtype=object).tolist()
                     if targeted else [[]] * n_rows)
    write_number = ws.write_number
    write_string = ws.write_string
    unit_cells = book.unit_cells(result)
    late = {u.code for u in result.units if u.late and u.submitted_at is not None}
    value_col = n_desc
    verdict_col = n_desc + len(columns)
    by_colour = constant_targets(outline, targeted)
    for r, ((row_type, code, name, kind, status), values, words) in enumerate(
            zip(head, block, verdict_block, strict=True)):
        row = first_data + r
        group = row_type != UNIT_ROW
        text_fmt = strong_text if group else book.text
        if group:
            book.put_text(ws, row, 1, name, text_fmt)
            book.put_text(ws, row, 2, kind, text_fmt)
            ws.write_blank(row, 0, None, strong_text)
            ws.write_blank(row, 3, None, strong_text)
        else:
            # The unit's texts are made safe once for all sheets (hot loop at 10,000 units).
            for col, text, fmt in unit_cells[code]:
                write_string(row, col, text, fmt)
            if status == NOT_REPORTED:
                write_string(row, 3, NOT_REPORTED, muted)
            elif code in late:
                write_string(row, 3, LATE_LABEL, book.text)
        fmts = strong if group else plain
        for c, value in enumerate(values):
            if value == value:  # NaN is no data: the cell stays empty
                if write_number(row, value_col + c, value, fmts[c]) < 0:
                    raise ExportError(f"Không ghi được dòng {row + 1} của trang "
                                      f"«{ws.get_name()}».")
            elif group:
                ws.write_blank(row, value_col + c, None, fmts[c])
        for i, word in enumerate(words):
            # A constant target is shown on unit rows by colouring the figure itself (below):
            # one text cell less per unit and target, which is most of the export's time.
            if group or i not in by_colour:
                write_string(row, verdict_col + i, word, text_fmt)
    return first_data + n_rows - 1


def constant_targets(outline, targeted: Sequence[ColumnHeader]) -> dict[int, str]:
    """Position in `targeted` → Excel comparison tail of the targets against a constant."""
    return {i: bound for i, header in enumerate(targeted)
            if (bound := _constant_target(outline.item(header.item_key))) is not None}


def _colour_targets(book: Book, ws, result: Consolidation, columns: Sequence[ColumnHeader],
                    targeted: Sequence[ColumnHeader], first_data: int, last_data: int) -> None:
    """The verdict column is red/green, and the figure it judges turns red too."""
    value_col = len(DESCRIPTIVE)
    by_colour = constant_targets(result.outline, targeted)
    for i, header in enumerate(targeted):
        verdict_col = value_col + len(columns) + i
        value_at = value_col + list(columns).index(header)
        ws.conditional_format(first_data, verdict_col, last_data, verdict_col, {
            "type": "cell", "criteria": "==", "value": f'"{NOT_MET}"', "format": book.red})
        ws.conditional_format(first_data, verdict_col, last_data, verdict_col, {
            "type": "cell", "criteria": "==", "value": f'"{MET}"', "format": book.green})
        letter = xl_col_to_name(verdict_col)
        ws.conditional_format(first_data, value_at, last_data, value_at, {
            "type": "formula", "criteria": f'=${letter}{first_data + 1}="{NOT_MET}"',
            "format": book.red})
        if i in by_colour:
            judged = f"{xl_col_to_name(value_at)}{first_data + 1}"
            test = f"{judged}{by_colour[i]}"
            for criteria, fmt in ((f"=AND(ISNUMBER({judged}),NOT({test}))", book.red),
                                  (f"=AND(ISNUMBER({judged}),{test})", book.green)):
                ws.conditional_format(first_data, value_at, last_data, value_at, {
                    "type": "formula", "criteria": criteria, "format": fmt})


def _constant_target(item: Item) -> str | None:
    """`>=95` for a numeric target against a constant, as an Excel comparison tail; None when
    the target names other items or is not a number (those keep their verdict text)."""
    target = item.target
    bound = target.constant() if target is not None else None
    if target is None or isinstance(bound, bool) or not isinstance(bound, int | float):
        return None
    op = {"=": "=", "!=": "<>"}.get(target.op, target.op)
    return f"{op}{bound!r}"
