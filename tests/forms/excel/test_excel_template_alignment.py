"""How the template lines its input cells up, now that each kind says it (`Kind.align`,
`Kind.multiline`): figures right (digits under digits, computed ones too), words left in a
table, a long text in one tall cell merged across the value, unit and note columns; scalar
words, dates and answers keep the spreadsheet's own alignment."""

from __future__ import annotations

import io

import openpyxl
import pytest
from excel_helpers import key_rows, template_bytes

from forms.excel import Identity
from forms.excel.layout import MAIN_SHEET

VALUE = 4  # column D, 1-based


@pytest.fixture(scope="module")
def main(outline):
    identity = Identity(outline_id="thu-nghiem-excel", outline_version=2)
    book = openpyxl.load_workbook(io.BytesIO(template_bytes(outline, identity)))
    return book[MAIN_SHEET]


@pytest.mark.parametrize(("key", "horizontal"), [
    ("nv_tong", "right"),        # integer
    ("nv_ty_le", "right"),       # a computed percent
    ("hai_long", "right"),       # percent
    ("thu_ngan_sach", "right"),  # money
    ("diem", "right"),           # decimal
    ("ngay_ban_hanh", None),     # date
    ("co_quy_che", None),        # yes_no
    ("tu_danh_gia", None),       # select_one
    ("dau_moi", None),           # text
])
def test_a_scalar_input_cell_is_aligned_by_its_kind(main, key: str, horizontal) -> None:
    assert main.cell(key_rows(main)[key], VALUE).alignment.horizontal == horizontal


def test_a_long_text_is_one_tall_left_aligned_cell_across_value_unit_and_note(main) -> None:
    row = key_rows(main)["ke_hoach"]
    assert main.cell(row, VALUE).alignment.horizontal == "left"
    assert f"D{row}:F{row}" in {str(r) for r in main.merged_cells.ranges}
    assert main.row_dimensions[row].height == 96


def test_a_table_row_puts_words_left_figures_right_and_dates_as_excel_does(main) -> None:
    first = key_rows(main)["sang_kien:header"] + 1
    # columns: STT, Tên sáng kiến (text), Ngày áp dụng (date), Mức độ (select_one),
    # Số đơn vị áp dụng (integer)
    assert [main.cell(first, col).alignment.horizontal for col in range(2, 7)] == [
        "center", "left", None, "left", "right"]
