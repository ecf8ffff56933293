"""Round trip: template → filled as a user would → read → validate = the web form's answer."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime

import openpyxl
from excel_helpers import CAM_GIANG, KEY, TABLE, TYPED, fill, key_rows, part, rezip, template_bytes

from forms.excel import (
    Identity,
    check_identity,
    extract,
    locate,
    read_upload,
    read_workbook,
    write_template,
)
from forms.excel.layout import MAIN_SHEET
from forms.loader import load_outline
from forms.validate import validate


def web_answer(outline, typed=TYPED, table=TABLE):
    return validate(outline, {**typed, "sang_kien": table})


def test_filled_workbook_equals_web_form(outline, template) -> None:
    filled = fill(template, TYPED, TABLE, insert_above="hs_tiep_nhan")
    upload = read_upload(filled, outline, key=KEY, round_id=7, unit_code="VP-UB")
    web = web_answer(outline)
    assert web.ok, web.issues
    assert upload.result.values == web.values
    assert upload.result.issues == web.issues
    assert upload.result.values["nv_tong"] == 1234
    assert upload.result.values["hai_long"] == 95
    assert upload.result.values["dau_moi"] == "Nguyễn Thị Hường"
    assert upload.result.values["nv_ty_le"] == 97.24  # 1.200 / 1.234 × 100, rounded once
    # The raw values are what the cells hold: the engine, not the reader, parses "95 %".
    assert upload.extracted.raw["hai_long"] == "95 %"
    assert upload.extracted.problems == ()


def test_native_cells_read_like_typed_text(outline, template) -> None:
    native = {"nv_tong": 1234, "hai_long": 95, "diem": 8.5, "thu_ngan_sach": 1250000,
              "ngay_ban_hanh": datetime(2025, 11, 12)}
    filled = fill(template, TYPED, TABLE, native=native)
    upload = read_upload(filled, outline, key=KEY)
    assert upload.result.values == web_answer(outline).values


def test_excel_percent_format_is_read_as_percent(outline, template) -> None:
    """A user typing "95,5%" in Excel gets 0.955 in a cell with a percent format."""
    book = openpyxl.load_workbook(io.BytesIO(fill(template, TYPED, TABLE)))
    ws = book[MAIN_SHEET]
    cell = ws.cell(key_rows(ws)["hai_long"], 4)
    cell.value, cell.number_format = 0.955, "0.0%"
    out = io.BytesIO()
    book.save(out)
    upload = read_upload(out.getvalue(), outline, key=KEY)
    assert upload.extracted.raw["hai_long"] == 95.5
    assert upload.result.values["hai_long"] == 95.5


def test_rows_inserted_in_table_are_read(outline, template) -> None:
    filled = fill(template, TYPED, TABLE, insert_in_table=True)
    upload = read_upload(filled, outline, key=KEY)
    names = [row["ten"] for row in upload.result.values["sang_kien"]]
    assert names == ["Một cửa liên thông", "Dòng chèn thêm", "Số hóa hồ sơ"]
    cell = upload.extracted.cells[("sang_kien", 2, "so_don_vi")]
    assert cell.startswith("Báo cáo!F")


def test_value_typed_in_an_inserted_row_is_reported(outline, template) -> None:
    book = openpyxl.load_workbook(io.BytesIO(template))
    ws = book[MAIN_SHEET]
    row = key_rows(ws)["hs_tiep_nhan"]
    ws.insert_rows(row)
    ws.cell(row, 4).value = 77
    out = io.BytesIO()
    book.save(out)
    upload = read_upload(out.getvalue(), outline, key=KEY, mode="draft")
    assert [p.code for p in upload.extracted.problems] == ["row_ignored"]
    assert f"D{row}" == upload.extracted.problems[0].cell
    assert "không thuộc mục nào" in upload.extracted.problems[0].message


def test_stale_cached_formula_result_is_ignored(outline, identity) -> None:
    data = template_bytes(outline, identity, values={"nv_tong": 10, "nv_xong": 9})
    xml = part(data, "xl/worksheets/sheet1.xml")
    assert b"<v>90.0</v>" in xml
    stale = rezip(data, {"xl/worksheets/sheet1.xml": xml.replace(b"<v>90.0</v>", b"<v>12</v>")})
    upload = read_upload(stale, outline, key=KEY, mode="draft")
    assert "nv_ty_le" not in upload.extracted.raw
    assert upload.result.values["nv_ty_le"] == 90.0


def test_bad_values_are_located_on_their_cells(outline, template) -> None:
    typed = {**TYPED, "nv_tong": "1,234,567", "hai_long": "120"}
    table = [{"ten": None, "ngay": "01/03/2025", "muc_do": "Rất tốt", "so_don_vi": "2"}]
    filled = fill(template, typed, table)
    book = read_workbook(filled)
    extracted = extract(outline, book)
    result = validate(outline, extracted.raw)
    assert result.issues == web_answer(outline, typed, table).issues
    located = locate(result.issues, extracted)
    rows = key_rows(openpyxl.load_workbook(io.BytesIO(filled))[MAIN_SHEET])
    by_cell = {cell: issue for issue, cell in located}
    assert f"Báo cáo!D{rows['nv_tong']}" in by_cell
    assert f"Báo cáo!D{rows['hai_long']}" in by_cell
    first = rows["sang_kien:header"] + 1
    assert f"Báo cáo!C{first}" in by_cell  # required column left empty
    assert f"Báo cáo!E{first}" in by_cell  # not a choice
    for issue, cell in located:
        assert issue.message.startswith(f"{cell}: ")


def test_unknown_and_missing_rows(outline, template) -> None:
    book = openpyxl.load_workbook(io.BytesIO(template))
    ws = book[MAIN_SHEET]
    ws.cell(key_rows(ws)["diem"], 1).value = None  # a row whose key was wiped
    out = io.BytesIO()
    book.save(out)
    upload = read_upload(out.getvalue(), outline, key=KEY, mode="draft")
    assert [p.code for p in upload.extracted.problems] == ["row_missing"]
    assert "Điểm tự đánh giá" in upload.extracted.problems[0].message


def test_renamed_main_sheet_still_parses(outline, template) -> None:
    book = openpyxl.load_workbook(io.BytesIO(fill(template, TYPED, TABLE)))
    book[MAIN_SHEET].title = "Sheet1"
    out = io.BytesIO()
    book.save(out)
    upload = read_upload(out.getvalue(), outline, key=KEY)
    assert upload.result.values == web_answer(outline).values
    assert upload.extracted.sheet == "Sheet1"


def test_generic_template_fits_any_round_and_unit(outline) -> None:
    data = template_bytes(outline, Identity(outline.id, outline.version))
    upload = read_upload(data, outline, key=KEY, round_id=99, unit_code="BAT-KY", mode="draft")
    assert upload.result.ok
    assert check_identity(upload.extracted.identity, outline=outline, key=KEY, round_id=99,
                          unit_code="BAT-KY") == []


def test_libreoffice_resave_still_parses(outline, template, tmp_path) -> None:
    """Files re-saved by LibreOffice: the very hidden sheet becomes hidden, formats and
    styles are rewritten. CI must install LibreOffice (libreoffice-calc-nogui) for this."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required for this test: apt-get install libreoffice-calc-nogui"
    source = tmp_path / "filled.xlsx"
    source.write_bytes(fill(template, TYPED, TABLE, insert_above="hs_tiep_nhan",
                            native={"ngay_ban_hanh": datetime(2025, 11, 12)}))
    out = tmp_path / "out"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=120)
    resaved = (out / "filled.xlsx").read_bytes()
    book = read_workbook(resaved)
    assert book.visibility["_decuong"] in ("Hidden", "VeryHidden")
    upload = read_upload(resaved, outline, key=KEY, round_id=7, unit_code="VP-UB")
    assert upload.result.values == web_answer(outline).values
    assert upload.extracted.problems == ()


def test_cam_giang_round_trip() -> None:
    outline = load_outline(CAM_GIANG)
    ident = Identity(outline.id, outline.version, 3, "Kiểm tra CCHC 2025", "XA-CG", "Xã Cẩm Giang")
    buffer = io.BytesIO()
    write_template(outline, buffer, identity=ident, key=KEY)
    typed = {}
    for number, item in enumerate(outline.fields(), start=1):
        if item.formula is not None or item.kind == "table":
            continue
        typed[item.key] = {"integer": str(number * 10), "money": f"{number}.000.000",
                           "percent": "96,5 %", "decimal": "8,5",
                           "date": "12/11/2025"}.get(item.kind, f"Nội dung mục {item.ref}")
    book = openpyxl.load_workbook(buffer)
    ws = book[MAIN_SHEET]
    rows = key_rows(ws)
    for key, value in typed.items():
        ws.cell(rows[key], 4).value = value
    out = io.BytesIO()
    book.save(out)
    upload = read_upload(out.getvalue(), outline, key=KEY, round_id=3, unit_code="XA-CG",
                         mode="draft")
    web = validate(outline, typed, mode="draft")
    assert upload.result.values == web.values
    assert upload.result.issues == web.issues
