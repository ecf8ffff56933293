"""The template carries the table functions as live Excel formulas: SUM/COUNT over the table's
range for items, one formula per row for a computed column. Filled as a user would (openpyxl,
a row inserted in the table), computed by an Excel engine (the `formulas` package), the
workbook shows what the engine computes from the same typed values — and an upload of it gives
the web form's answer, a row rule marked at its row's cell."""

# openpyxl does not move formula references when it inserts rows (Excel and LibreOffice do), so
# the user's extra row is typed into the template's spare rows here rather than inserted.

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import formulas
import numpy as np
import openpyxl
import pytest
from excel_helpers import KEY, ROOT, key_rows, template_bytes

from forms.excel import Identity, read_upload
from forms.excel.layout import MAIN_SHEET
from forms.excel.table_formulas import row_cells, table_ranges
from forms.loader import load_outline
from forms.validate import validate

PAR_INDEX = ROOT / "outlines" / "lang-son-ngoai-vu-khac-phuc-par-index-2024.yaml"
SAMPLE = PAR_INDEX.with_name(PAR_INDEX.stem + ".sample.json")
COLUMNS = ("ma_tieu_chi", "ten_tieu_chi", "diem_dat", "diem_toi_da")  # columns C, D, E, F
FIGURES = ("par_index_ty_le", "xep_hang", "tong_so_don_vi_xep_hang", "tong_diem_dat",
           "tong_diem_toi_da")
EXTRA = {"ma_tieu_chi": "2.1", "ten_tieu_chi": "Chèn thêm", "diem_dat": "1,25",
         "diem_toi_da": "2"}


@pytest.fixture(scope="module")
def outline():
    return load_outline(PAR_INDEX)


@pytest.fixture(scope="module")
def identity(outline) -> Identity:
    return Identity(outline_id=outline.id, outline_version=outline.version, round_id=3,
                    round_title="Khắc phục PAR INDEX 2025", unit_code="SNV",
                    unit_name="Sở Ngoại vụ")


def typed() -> dict:
    """The sample's figures and the first four columns of its rows, plus one more row."""
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    rows = [{name: row.get(name) for name in COLUMNS} for row in sample["tieu_chi"]]
    return {**{key: sample[key] for key in FIGURES}, "tieu_chi": [*rows, EXTRA]}


def filled(outline, identity, answers: dict) -> bytes:
    """The template filled as a user of Excel would: the figures and points typed become
    numbers in their cells (0,5 → 0.5), the texts stay text."""
    book = openpyxl.load_workbook(io.BytesIO(template_bytes(outline, identity)))
    ws = book[MAIN_SHEET]
    rows = key_rows(ws)
    def cell(value):
        try:
            return float(value.replace(",", "."))
        except (AttributeError, ValueError):
            return value

    for key in FIGURES:
        ws.cell(rows[key], 4).value = cell(answers[key])
    first = rows["tieu_chi:header"] + 1
    for index, row in enumerate(answers["tieu_chi"]):
        for offset, name in enumerate(COLUMNS):
            ws.cell(first + index, 3 + offset).value = cell(row.get(name)) \
                if name.startswith("diem") else row.get(name)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def computed_cells(data: bytes, tmp_path: Path) -> dict[str, object]:
    path = tmp_path / "mau.xlsx"
    path.write_bytes(data)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out = {}
    for key, value in solution.items():
        sheet, _, cell = key.rpartition("!")
        if MAIN_SHEET.upper() in sheet.upper():
            value = getattr(value, "value", value)
            if isinstance(value, np.ndarray):
                value = value.ravel()[0]
            out[cell.upper()] = value.item() if isinstance(value, np.generic) else value
    return out


def test_ranges_and_row_cells_name_the_table_block(outline) -> None:
    table = outline.item("tieu_chi")
    ranges = table_ranges(table, 20, 30)
    assert ranges["tieu_chi.ma_tieu_chi"] == ("$C$21:$C$31",)
    assert ranges["tieu_chi.diem_con_thieu"] == ("$G$21:$G$31",)
    assert "$G$21:$G$31" not in ranges["tieu_chi"]  # a computed cell never makes a row
    assert len(ranges["tieu_chi"]) == len(table.columns) - 1
    assert row_cells(table, 24)["diem_dat"] == "E25"


def test_template_formulas_over_the_table(outline, identity) -> None:
    ws = openpyxl.load_workbook(io.BytesIO(template_bytes(outline, identity)))[MAIN_SHEET]
    rows = key_rows(ws)
    first, end = rows["tieu_chi:header"] + 1, rows["tieu_chi:end"]
    # A computed item is rounded as on every channel (2 decimals): ROUND around the sum.
    assert ws.cell(rows["tong_diem_con_thieu"], 4).value == (
        f'=IFERROR(ROUND(IF(COUNT($G${first}:$G${end})=0,NA(),SUM($G${first}:$G${end})),2),"")')
    assert ws.cell(rows["so_tieu_chi_chua_dat"], 4).value.startswith(
        f"=ROUND(SUMPRODUCT(((LEN(TRIM($C${first}:$C${end}))+")
    assert ws.cell(first, 7).value == (
        f'=IF(OR(F{first}="",E{first}=""),"",ROUND(F{first}-E{first},2))')
    assert ws.cell(rows["tieu_chi:header"], 7).value == "Điểm còn thiếu (điểm) (tự tính)"


def test_excel_computes_what_the_engine_computes(outline, identity, tmp_path) -> None:
    answers = typed()
    data = filled(outline, identity, answers)
    cells = computed_cells(data, tmp_path)
    web = validate(outline, answers)
    ws = openpyxl.load_workbook(io.BytesIO(data))[MAIN_SHEET]
    rows = key_rows(ws)
    assert web.values["so_tieu_chi_chua_dat"] == 4
    assert cells[f"D{rows['so_tieu_chi_chua_dat']}"] == 4
    # 1,5 + 3 + 1,5 from the plan and 0,75 from the extra row
    assert web.values["tong_diem_con_thieu"] == pytest.approx(6.75)
    assert math.isclose(cells[f"D{rows['tong_diem_con_thieu']}"], 6.75)
    first = rows["tieu_chi:header"] + 1
    shown = [cells[f"G{first + index}"] for index in range(4)]
    assert shown == pytest.approx([row["diem_con_thieu"] for row in web.values["tieu_chi"]])
    assert cells[f"G{first + 4}"] == ""  # a blank row shows no computed figure


def test_an_upload_gives_the_web_answer_and_marks_the_row(outline, identity) -> None:
    answers = typed()
    answers["tieu_chi"][1]["diem_dat"] = "4"  # more than its 3 points
    data = filled(outline, identity, answers)
    upload = read_upload(data, outline, key=KEY, round_id=3, unit_code="SNV")
    web = validate(outline, answers)
    assert upload.result.values == web.values
    [issue] = [i for i, _ in upload.located if i.rule == "diem_dat_le_toi_da"]
    row = key_rows(openpyxl.load_workbook(io.BytesIO(data))[MAIN_SHEET])["tieu_chi:header"] + 2
    # Marked at both cells of the row the rule names: the wrong figure may be either.
    assert issue.message.startswith(
        f"Báo cáo!E{row}, Báo cáo!F{row}: Dòng 2: Điểm đạt được của tiêu chí")
