"""The template: locked labels, unlocked inputs, validation per kind, formulas, print, identity."""

from __future__ import annotations

import io

import openpyxl
import pytest
from excel_helpers import CAM_GIANG, KEY, key_rows, part, template_bytes

from forms.excel import Identity, read_upload, read_workbook
from forms.excel.identity import outline_keys
from forms.excel.layout import COLUMNS_MARKER, IDENTITY_SHEET, LISTS_SHEET, MAIN_SHEET
from forms.excel.styles import _is_percent_code
from forms.loader import load_outline
from forms.validate import to_json, validate


@pytest.fixture(scope="module")
def book(template: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template))


@pytest.fixture(scope="module")
def main(book):
    return book[MAIN_SHEET]


def test_sheets_and_their_states(book) -> None:
    assert book.sheetnames == [MAIN_SHEET, "Hướng dẫn", LISTS_SHEET, IDENTITY_SHEET]
    assert book[MAIN_SHEET].sheet_state == "visible"
    assert book["Hướng dẫn"].sheet_state == "visible"
    assert book[LISTS_SHEET].sheet_state == "hidden"
    assert book[IDENTITY_SHEET].sheet_state == "veryHidden"
    assert book.active.title == MAIN_SHEET


def test_identity_sheet_and_custom_properties(book, outline, identity) -> None:
    rows = {r[0]: r[1] for r in book[IDENTITY_SHEET].iter_rows(values_only=True)}
    assert rows["outline_id"] == "thu-nghiem-excel"
    assert rows["outline_version"] == "2"
    assert rows["round_id"] == "7"
    assert rows["unit_code"] == "VP-UB"
    assert rows["installation"] == KEY.installation
    assert rows["checksum"] == identity.sealed(outline, KEY).compute_checksum(
        outline_keys(outline), KEY)
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert props["decuong.outline_id"] == "thu-nghiem-excel"
    assert props["decuong.unit_code"] == "VP-UB"
    assert props["decuong.checksum"] == rows["checksum"]


def test_hidden_key_column_and_role_row(main, outline) -> None:
    assert main.column_dimensions["A"].hidden
    assert main["A1"].value == COLUMNS_MARKER
    assert main.row_dimensions[1].hidden
    rows = key_rows(main)
    for key in outline.keys:
        assert key in rows, key
    assert {"sang_kien:columns", "sang_kien:header", "sang_kien:end"} <= set(rows)
    assert main.row_dimensions[rows["sang_kien:columns"]].hidden


def test_labels_and_numbering_word_for_word(main, outline) -> None:
    rows = key_rows(main)
    for item in outline.fields():
        row = rows[item.key]
        assert main.cell(row, 2).value == item.number
        label = main.cell(row, 3).value
        assert str(label).startswith(item.label)  # long_text carries its hint on a 2nd line
    title_block = " ".join(str(main.cell(r, 2).value) for r in range(2, 11))
    assert "ĐỀ CƯƠNG BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH" in title_block
    assert "UBND XÃ THỬ NGHIỆM" in title_block
    assert "Báo cáo CCHC 6 tháng cuối năm 2025" in title_block
    assert "Văn phòng HĐND và UBND xã (mã VP-UB)" in title_block
    assert "6 tháng cuối năm 2025" in title_block
    assert main.cell(rows["nv_tong"], 5).value == "nhiệm vụ"
    assert "Chỉ tiêu: ≥ 95 %" in main.cell(rows["hai_long"], 6).value


def test_inputs_unlocked_everything_else_locked(main, outline) -> None:
    assert main.protection.sheet
    assert main.protection.insertRows is False  # False = allowed, in OOXML's inverted sense
    assert main.protection.formatRows is False
    rows = key_rows(main)
    for item in outline.fields():
        if item.kind == "table":
            continue
        row = rows[item.key]
        value = main.cell(row, 4)
        assert value.protection.locked is (item.formula is not None), item.key
        for col in (2, 3) if item.kind == "long_text" else (2, 3, 5, 6):
            assert main.cell(row, col).protection.locked, (item.key, col)
    header = rows["sang_kien:header"]
    assert main.cell(header, 3).protection.locked
    for row in range(header + 1, rows["sang_kien:end"]):
        for col in range(3, 7):
            assert main.cell(row, col).protection.locked is False
    assert main.cell(rows["sang_kien:end"], 2).protection.locked


def test_number_formats(main) -> None:
    rows = key_rows(main)
    assert main.cell(rows["nv_tong"], 4).number_format == "#,##0"
    assert main.cell(rows["thu_ngan_sach"], 4).number_format == "#,##0"
    assert main.cell(rows["diem"], 4).number_format == "#,##0.00"
    assert main.cell(rows["ngay_ban_hanh"], 4).number_format == "dd/mm/yyyy"
    percent = main.cell(rows["hai_long"], 4).number_format
    # The convention shared with the consolidated workbook: 95 is stored as 95, shown
    # "95,00 %" (two decimals, a literal sign in quotes).
    assert percent == '#,##0.00" %"'
    assert not _is_percent_code(percent)  # 95 stays 95, never 0.95
    assert _is_percent_code("0.00%") and not _is_percent_code('0.##" %"')


def test_data_validation_per_kind(main) -> None:
    rows = key_rows(main)
    by_cell = {}
    for dv in main.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            by_cell[cell_range.coord] = dv
    expected = {"nv_tong": "whole", "hs_tiep_nhan": "whole", "hai_long": "decimal",
                "thu_ngan_sach": "whole", "diem": "decimal", "ngay_ban_hanh": "date",
                "co_quy_che": "list", "tu_danh_gia": "list", "xa_mau": "list",
                "dau_moi": "textLength", "ke_hoach": "textLength"}
    for key, kind in expected.items():
        dv = by_cell[f"D{rows[key]}"]
        assert dv.type == kind, key
        assert dv.promptTitle and dv.prompt and dv.error, key
    assert by_cell[f"D{rows['hai_long']}"].formula1 == "0"
    assert by_cell[f"D{rows['hai_long']}"].formula2 == "100"
    assert by_cell[f"D{rows['co_quy_che']}"].formula1 == '"Có,Không"'
    # Labels with commas cannot be an inline list: they go to the hidden «Danh mục» sheet.
    assert by_cell[f"D{rows['xa_mau']}"].formula1 == f"'{LISTS_SHEET}'!$A$1:$A$2"
    assert f"D{rows['nv_ty_le']}" not in by_cell  # computed: nothing to validate
    first, last = rows["sang_kien:header"] + 1, rows["sang_kien:end"] - 1
    assert by_cell[f"D{first}:D{last}"].type == "date"
    assert by_cell[f"E{first}:E{last}"].type == "list"


def test_lists_sheet_holds_long_choice_lists(book) -> None:
    ws = book[LISTS_SHEET]
    assert [ws["A1"].value, ws["A2"].value] == ["Xã Cẩm Giang, huyện Cẩm Giàng",
                                                "Xã Tân Trường, huyện Cẩm Giàng"]


def test_formula_is_live_and_guarded(main) -> None:
    rows = key_rows(main)
    formula = main.cell(rows["nv_ty_le"], 4).value
    assert formula.startswith("=")
    assert f"D{rows['nv_xong']}" in formula and f"D{rows['nv_tong']}" in formula
    # A blank instead of #DIV/0!: an emptiness guard and an error guard.
    assert '""' in formula and ("IFERROR(" in formula or "=0" in formula)


def test_long_text_is_wrapped_and_tall(main) -> None:
    rows = key_rows(main)
    row = rows["ke_hoach"]
    assert main.cell(row, 4).alignment.wrap_text
    assert main.row_dimensions[row].height >= 90
    assert f"D{row}:F{row}" in {str(r) for r in main.merged_cells.ranges}


def test_table_block_has_default_rows(main) -> None:
    rows = key_rows(main)
    header = rows["sang_kien:header"]
    assert rows["sang_kien:end"] - header - 1 == 10
    assert [main.cell(header, c).value for c in range(3, 7)] == [
        "Tên sáng kiến (*)", "Ngày áp dụng", "Mức độ", "Số đơn vị áp dụng (đơn vị)"]


def test_print_setup(main, template) -> None:
    assert main.page_setup.paperSize == 9
    assert main.page_setup.orientation == "portrait"
    assert main.sheet_properties.pageSetUpPr.fitToPage
    assert main.page_setup.fitToWidth in (None, 1)  # 1 is the default and is not written
    assert main.page_setup.fitToHeight == 0
    assert main.print_title_rows
    xml = part(template, "xl/worksheets/sheet1.xml")
    assert b'paperSize="9"' in xml and b'fitToHeight="0"' in xml


def test_instructions_sheet(book) -> None:
    text = "\n".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row
                     if c.value)
    for phrase in ("1.234", "95 %", "12/11/2025", "nền xám", "Tải lên tệp Excel"):
        assert phrase in text


def test_values_prefill_round_trips(outline, identity) -> None:
    stored = {"ke_hoach": "Kế hoạch số 12/KH-UBND ngày 05/01/2025.", "nv_tong": 20,
              "nv_xong": 19, "hs_tiep_nhan": 1234, "hai_long": 95.5, "thu_ngan_sach": 1250000,
              "diem": 8.5, "ngay_ban_hanh": "2025-01-05", "co_quy_che": True,
              "tu_danh_gia": "kha", "xa_mau": "x02", "dau_moi": "Nguyễn Văn A",
              "sang_kien": [{"ten": f"Sáng kiến {i}", "ngay": "2025-03-01", "muc_do": "tot",
                             "so_don_vi": i} for i in range(1, 13)]}
    data = template_bytes(outline, identity, values=stored)
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = key_rows(book[MAIN_SHEET])
    assert rows["sang_kien:end"] - rows["sang_kien:header"] - 1 == 15  # 12 rows + 3 spare
    upload = read_upload(data, outline, key=KEY, round_id=7, unit_code="VP-UB")
    assert upload.result.ok, upload.result.issues
    got = to_json(outline, upload.result.values)
    for key, value in stored.items():
        assert got[key] == value, key
    assert upload.result.values["nv_ty_le"] == 95.0


def test_cached_formula_result_when_prefilled(outline, identity) -> None:
    data = template_bytes(outline, identity, values={"nv_tong": 10, "nv_xong": 9})
    xml = part(data, "xl/worksheets/sheet1.xml").decode()
    assert "<v>90</v>" in xml or "<v>90.0</v>" in xml


def test_identity_seal_covers_keys(outline, identity) -> None:
    sealed = identity.sealed(outline, KEY)
    assert sealed.matches(outline, KEY) and len(sealed.checksum) == 64
    assert sealed.installation == KEY.installation
    other = load_outline(CAM_GIANG) if CAM_GIANG.exists() else None
    if other is not None:
        assert not sealed.matches(other, KEY)


def test_cam_giang_template(tmp_path) -> None:
    outline = load_outline(CAM_GIANG)
    ident = Identity(outline.id, outline.version, 1, "Kiểm tra CCHC năm 2025", "XA-CG",
                     "UBND xã Cẩm Giang")
    path = tmp_path / "cam-giang.xlsx"
    from forms.excel import write_template

    write_template(outline, str(path), identity=ident, key=KEY)
    data = path.read_bytes()
    book = read_workbook(data)
    assert book.sheet_names[0] == MAIN_SHEET
    upload = read_upload(data, outline, key=KEY, round_id=1, unit_code="XA-CG", mode="draft")
    assert upload.extracted.problems == ()
    assert set(upload.extracted.raw) == {i.key for i in outline.fields() if i.formula is None}
    assert upload.result.ok
    assert validate(outline, {}, mode="draft").values == upload.result.values


def test_rows_grow_for_long_labels_and_unit_words() -> None:
    """Spreadsheet programs do not grow rows on opening: a long label must not spill."""
    outline = load_outline(CAM_GIANG)
    ws = openpyxl.load_workbook(io.BytesIO(template_bytes(
        outline, Identity(outline.id, outline.version))))[MAIN_SHEET]
    rows = key_rows(ws)
    long_label = ws.row_dimensions[rows["dvsn_nhom_1"]].height  # "(đơn vị sự nghiệp công …)"
    long_unit = ws.row_dimensions[rows["pakn_tiep_nhan"]].height  # "phản ánh, kiến nghị"
    short = ws.row_dimensions[rows["nv_tong"]].height
    assert short is None or short < 20
    assert long_label is not None and long_label >= 30
    assert long_unit is not None and long_unit >= 30
