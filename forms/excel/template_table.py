"""A repeating table of the outline as a block of the template's main sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsxwriter.worksheet import Worksheet

from forms.excel.layout import (
    KEY_COL,
    NOTE_COL,
    NUMBER_COL,
    TABLE_COLUMNS,
    TABLE_END,
    TABLE_FIRST_COL,
    TABLE_HEADER,
    UNIT_COL,
    VALUE_COL,
)
from forms.excel.table_formulas import row_cells
from forms.excel.template_cells import validate, write_value
from forms.excel.template_style import HEADER_FILL
from forms.kinds import get_kind
from forms.kinds.numbers import shown_decimals
from forms.model import Item

if TYPE_CHECKING:
    from forms.excel.template import TemplateWriter

def write_table(w: TemplateWriter, ws: Worksheet, item: Item, row: int) -> int:
    """A repeating table as a block: title row, hidden column keys, header, unlocked data rows
    (whole rows, so users may insert and delete them), computed columns as per-row formulas,
    and an end row the reader stops at."""
    key = item.key
    assert key is not None
    columns = item.columns
    last = TABLE_FIRST_COL + len(columns) - 1
    w.max_col = max(w.max_col, last)

    # Title row: number and label, like any item.
    w._label(ws, item, row)
    for col in (VALUE_COL, UNIT_COL):
        ws.write_blank(row, col, None, w.fmt(border=1))
    notes = ([item.hint] if item.hint else []) + [
        "Bảng: mỗi dòng một mục; cần thêm dòng thì chèn dòng trong bảng."]
    ws.write_string(row, NOTE_COL, "\n".join(notes), w.note_fmt())
    row += 1

    # Hidden row: each table column's key above its cells.
    ws.write_string(row, KEY_COL, key + TABLE_COLUMNS)
    for index, column in enumerate(columns):
        ws.write_string(row, TABLE_FIRST_COL + index, column.key)
    ws.set_row(row, None, None, {"hidden": True})
    row += 1

    # Header row.
    header = w.fmt(bold=True, border=1, align="center", valign="vcenter",
                      bg_color=HEADER_FILL)
    ws.write_string(row, KEY_COL, key + TABLE_HEADER)
    ws.write_string(row, NUMBER_COL, "STT", header)
    for index, column in enumerate(columns):
        text = column.label + (f" ({column.unit})" if column.unit else "")
        if column.required:
            text += " (*)"
        if column.formula is not None:
            text += " (tự tính)"
        ws.write_string(row, TABLE_FIRST_COL + index, text, header)
    row += 1

    # Data rows: unlocked as whole rows so users may insert and delete them.
    stored_rows = list(w.stored.get(key) or [])
    first = row
    count = w._row_count(item)
    row_fmt = w.fmt(locked=False)
    for index in range(count):
        ws.set_row(row, None, row_fmt)
        ws.write_number(row, NUMBER_COL, index + 1,
                        w.fmt(border=1, align="center", locked=False))
        data = stored_rows[index] if index < len(stored_rows) else {}
        typed_rows = w.typed.get(key) or []
        for offset, column in enumerate(columns):
            col = TABLE_FIRST_COL + offset
            if column.formula is not None:  # a computed column: a formula in each row
                cached = (typed_rows[index] or {}).get(column.key) \
                    if index < len(typed_rows) else None
                formula = column.formula.to_excel(row_cells(item, row),
                                                  decimals=shown_decimals(column))
                ws.write_formula(row, col, formula,
                                 w.input_fmt(column.kind, computed=True),
                                 "" if cached is None else cached)
                continue
            fmt = w.input_fmt(column.kind, align=get_kind(column.kind).align)
            write_value(ws, row, col, column, (data or {}).get(column.key), fmt)
        row += 1
    for offset, column in enumerate(columns):
        if column.formula is None:
            validate(w, ws, first, TABLE_FIRST_COL + offset, column, last_row=row - 1)

    # End row: tells the reader where the table stops and the user how to add rows.
    ws.write_string(row, KEY_COL, key + TABLE_END)
    ws.merge_range(row, NUMBER_COL, row, max(last, NOTE_COL), "",
                   w.fmt(italic=True, font_size=10, font_color="#595959"))
    ws.write_string(row, NUMBER_COL, "(Cần thêm dòng: chọn một dòng trong bảng, bấm chuột "
                    "phải, chọn Chèn (Insert) để chèn dòng; hết bảng.)",
                    w.fmt(italic=True, font_size=10, font_color="#595959"))
    return row + 1
