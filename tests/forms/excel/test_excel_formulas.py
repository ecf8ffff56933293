"""A formula saved without its result is refused naming its cell, never read as an empty cell.

Files written by scripts (openpyxl here) keep a formula and no value; Excel and LibreOffice save
the value with it. Cells the reader does not read (the template's own computed rows, whose
results openpyxl also drops) are not its concern.
"""

from __future__ import annotations

import io
import subprocess

import openpyxl
import pytest
from excel_helpers import KEY, TABLE, TYPED, fill, key_rows, part

from forms.excel import ExcelError, read_upload
from forms.excel.formulas import uncached_formulas
from forms.excel.layout import MAIN_SHEET

SHEET = "xl/worksheets/sheet1.xml"


def with_formulas(data: bytes, cells: dict[tuple[str, int], str]) -> bytes:
    """Write formulas with openpyxl (which saves no result): (item key, column) → formula."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[MAIN_SHEET]
    rows = key_rows(ws)
    for (key, column), formula in cells.items():
        ws.cell(rows[key], column).value = formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def filled(template) -> bytes:
    return fill(template, TYPED, TABLE)


def read(data: bytes, outline):
    return read_upload(data, outline, key=KEY, round_id=7, unit_code="VP-UB")


def test_formula_without_result_in_an_input_is_refused_naming_the_cell(outline, filled) -> None:
    data = with_formulas(filled, {("nv_tong", 4): "=1000+234"})
    row = key_rows(openpyxl.load_workbook(io.BytesIO(data))[MAIN_SHEET])["nv_tong"]
    with pytest.raises(ExcelError) as caught:
        read(data, outline)
    [found] = caught.value.problems
    assert found.code == "formula_without_result"
    assert found.where == f"Báo cáo!D{row}"
    assert str(found).startswith(f"Báo cáo!D{row}: Ô này chứa công thức nhưng tệp không lưu "
                                 "kết quả của công thức")
    assert "«I. Tổng số nhiệm vụ trong kế hoạch»" in found.message
    assert "mở tệp bằng Excel hoặc LibreOffice rồi lưu lại" in found.message
    assert "gõ thẳng giá trị vào ô" in found.message


def test_every_such_cell_is_named_tables_included(outline, filled) -> None:
    """A table row whose only cell is such a formula would read as blank and vanish."""
    book = openpyxl.load_workbook(io.BytesIO(filled))
    ws = book[MAIN_SHEET]
    rows = key_rows(ws)
    first_table_row = rows["sang_kien:header"] + 1
    ws.cell(first_table_row, 3).value = '=CONCATENATE("Một ","cửa")'
    ws.cell(rows["hs_tiep_nhan"], 4).value = "=2*617"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ExcelError) as caught:
        read(out.getvalue(), outline)
    assert [p.where for p in caught.value.problems] == [
        f"Báo cáo!D{rows['hs_tiep_nhan']}", f"Báo cáo!C{first_table_row}"]
    assert "cột «Tên sáng kiến»" in caught.value.problems[1].message


def test_computed_rows_without_results_are_not_read_and_not_refused(outline, filled) -> None:
    """openpyxl drops the results of the template's own formulas too; those cells are the
    engine's to compute, so the file is accepted."""
    assert uncached_formulas(part(filled, SHEET))  # the computed rows lost their results
    upload = read(filled, outline)
    assert upload.result.ok, [i.message for i in upload.result.errors]


def test_the_advice_works_saving_in_libreoffice_gives_the_value(outline, filled,
                                                               tmp_path) -> None:
    source = tmp_path / "cong-thuc.xlsx"
    source.write_bytes(with_formulas(filled, {("nv_tong", 4): "=1000+234"}))
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--calc", "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=120)
    upload = read((out / "cong-thuc.xlsx").read_bytes(), outline)
    assert upload.result.values["nv_tong"] == 1234


@pytest.mark.parametrize(("xml", "found"), [
    (b'<c r="D12"><f>10+5</f><v></v></c>', {b"D12"}),
    (b'<c r="D12"><f>10+5</f></c>', {b"D12"}),
    (b'<c r="D12" s="3"><f>10+5</f><v/></c>', {b"D12"}),
    (b'<c r="AB3" s="4"><f t="shared" si="0"/></c>', {b"AB3"}),
    (b'<x:c r="D12"><x:f>10+5</x:f></x:c>', {b"D12"}),
    (b'<c r="D12"><f>10+5</f><v>15</v></c>', set()),
    (b'<c r="D12" t="str"><f>IF(A1&gt;0,A1,"")</f><v></v></c>', set()),  # an empty text result
    (b'<c r="D11"><v>1</v></c><c r="D12"><f>D11</f></c><c r="D13"><v>2</v></c>', {b"D12"}),
    (b'<c r="D11"/><c r="D12"><f>D11</f></c>', {b"D12"}),
    (b'<c r="D12" s="2" t="n"><f>10+5</f><v></v></c>', {b"D12"}),
    (b'<c r="D12" t="inlineStr"><f>A1</f><v></v></c>', set()),
    (b'<c r="D12" t="e"><f>1/0</f><v>#DIV/0!</v></c>', set()),
    (b'<c><f>1+1</f></c>', set()),  # no reference: not located
])
def test_uncached_formulas_finds_formulas_without_a_value(xml: bytes, found) -> None:
    sheet = b"<worksheet><sheetData><row r=\"1\">" + xml + b"</row></sheetData></worksheet>"
    assert uncached_formulas(sheet) == found
