"""Percent shown as percent, one convention for the consolidated workbook and the template.

A rate is stored as the 0–100 number a person reads and formatted `#,##0.00" %"` (two decimals,
a literal sign), so 100 reads "100,00 %" on a Vietnamese system; counts of units stay whole.
The expected format strings are written here, never taken from the product.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from export_round import reference

import store
from exports import FORMATS
from forms.excel.layout import MAIN_SHEET
from store.excel_commands import template_bytes

PERCENT = '#,##0.00" %"'
WHOLE = "#,##0"
SECTION_II = "II. KẾT QUẢ GIẢI QUYẾT THỦ TỤC…"


@pytest.fixture(scope="module")
def book(consolidated, tmp_path_factory):
    consolidation, meta, data = consolidated
    path = tmp_path_factory.mktemp("xlsx-formats") / "tong-hop.xlsx"
    FORMATS["xlsx"](consolidation, path, meta=meta)
    return openpyxl.load_workbook(path), data


def header_columns(ws) -> tuple[int, dict[str, int]]:
    """(first data row, header text → column) of a section sheet, from its own cells."""
    index_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "(1)")
    found = {}
    for c in range(1, ws.max_column + 1):
        for r in range(4, index_row):
            value = ws.cell(r, c).value
            if isinstance(value, str):
                found.setdefault(value, c)
    return index_row + 1, found


def column_of(found: dict[str, int], fragment: str) -> int:
    return next(c for text, c in found.items() if fragment in text)


def test_every_rate_cell_is_a_percent_and_counts_stay_whole(book):
    wb, data = book
    ws = wb[SECTION_II]
    first, found = header_columns(ws)
    rate = column_of(found, "Tỷ lệ giải quyết đúng hạn (%)")
    mean = column_of(found, "Mức độ hài lòng")
    rate_cells = [ws.cell(r, col) for r in range(first, ws.max_row + 1)
                  for col in (rate, mean, mean + 1, mean + 2)
                  if isinstance(ws.cell(r, col).value, int | float)]
    assert len(rate_cells) > 60  # every unit row with a figure, and the group rows
    assert {cell.number_format for cell in rate_cells} == {PERCENT}
    counts = [ws.cell(r, mean + 3) for r in range(first, ws.max_row + 1)
              if isinstance(ws.cell(r, mean + 3).value, int | float)]
    assert counts and {cell.number_format for cell in counts} == {WHOLE}
    # The figure itself is the number a person reads (95 is 95, never 0.95).
    total_row = next(r for r in range(first, ws.max_row + 1)
                     if ws.cell(r, 2).value == "Tổng cộng")
    expected = reference(data)["Tổng cộng"]["ty_le_dung_han"]
    assert ws.cell(total_row, rate).value == pytest.approx(expected)
    assert expected > 1


def test_no_rate_anywhere_keeps_the_old_decimal_format(book):
    wb, _ = book
    formats = {cell.number_format for ws in wb.worksheets for row in ws.iter_rows()
               for cell in row if isinstance(cell.value, int | float)}
    assert "#,##0.0#" not in formats
    assert PERCENT in formats
    overview = wb["Tổng quan"]
    target_rows = [r for r in range(1, overview.max_row + 1)
                   if str(overview.cell(r, 1).value).endswith("Tỷ lệ giải quyết đúng hạn")]
    assert target_rows, "the target of the on-time rate is listed on the overview"
    assert overview.cell(target_rows[0], 3).number_format == PERCENT


def test_template_and_export_share_the_percent_format(stored, book):
    """The same percent item, in the template a unit fills and in the consolidated workbook,
    carries the same number format."""
    path, data = stored
    db = store.open_db(path)
    try:
        template = openpyxl.load_workbook(io.BytesIO(template_bytes(db, data["round"], None)))
    finally:
        db.close()
    main = template[MAIN_SHEET]
    rows = {row[0].value: row[0].row for row in main.iter_rows(min_col=1, max_col=1)
            if row[0].value}
    assert main.cell(rows["hai_long"], 4).number_format == PERCENT
    assert main.cell(rows["ty_le_dung_han"], 4).number_format == PERCENT
    assert main.cell(rows["tiep_nhan"], 4).number_format == WHOLE
    wb, _ = book
    ws = wb[SECTION_II]
    first, found = header_columns(ws)
    assert ws.cell(first, column_of(found, "Tổng số hồ sơ tiếp nhận")).number_format == WHOLE
