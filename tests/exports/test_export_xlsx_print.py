"""The consolidated workbook prints on A4 and reads well: page set-up of every sheet, rows tall
enough for wrapped labels, titled charts, the roll-up by level as a sheet, a transposed sheet
for a section too wide to print, and the overview rendered by LibreOffice one page wide.

A small province is generated here and stored for real (SQLite): a tỉnh, two xã and three
phòng under them, one phòng without a report. Every expected figure is worked out by hand in
this file from the values typed below.
"""

from __future__ import annotations

import math
import re
import subprocess
import zipfile
from datetime import date

import openpyxl
import pytest

import store
from aggregate.source import round_input
from exports import FORMATS
from exports.commands import meta_for

WIDE_ITEMS = 12
TITLE = ("Đề cương báo cáo công tác cải cách hành chính của các cơ quan, đơn vị và địa "
         "phương trên địa bàn tỉnh, dùng để thử bản in của bảng tổng hợp số liệu")
LONG_LABEL = ("Số thủ tục hành chính được rà soát, đánh giá, đề xuất phương án đơn giản hóa "
              "về thành phần hồ sơ, thời hạn giải quyết, cách thức thực hiện và yêu cầu, điều "
              "kiện theo kế hoạch của Ủy ban nhân dân tỉnh trong kỳ báo cáo")


def outline_yaml() -> str:
    wide = "\n".join(
        f"      - {{type: integer, name: c{k:02d}, number: \"{k}.\", unit: thủ tục, "
        f"label: \"{LONG_LABEL if k == 1 else f'Chỉ số thứ {k} của cải cách thủ tục'}\"}}"
        for k in range(1, WIDE_ITEMS + 1))
    return f"""
id: thu-in-an
version: 1
title: {TITLE}
issuer: Sở Nội vụ tỉnh Thử
items:
  - type: section
    number: I.
    label: GIẢI QUYẾT HỒ SƠ
    items:
      - {{type: integer, name: da, number: "1.", label: Số hồ sơ đã giải quyết, unit: hồ sơ}}
      - {{type: integer, name: dung, number: "2.", label: Số hồ sơ đúng hạn, unit: hồ sơ}}
      - {{type: percent, name: ty_le, number: "3.", label: Tỷ lệ đúng hạn,
         calculation: dung / da * 100, target: ">= 90"}}
  - type: section
    number: II.
    label: CẢI CÁCH THỦ TỤC
    items:
      - {{type: percent, name: so_hoa, number: "0.", label: Tỷ lệ số hóa hồ sơ,
         target: ">= 90"}}
{wide}
"""


UNITS = (("TINH", "Sở Nội vụ tỉnh Thử", "tỉnh", None),
         ("XA1", "UBND xã Một", "xã", "TINH"), ("XA2", "UBND xã Hai", "xã", "TINH"),
         ("P1", "Phòng Một", "phòng", "XA1"), ("P2", "Phòng Hai", "phòng", "XA2"),
         ("P3", "Phòng Ba", "phòng", "XA2"))
TYPED = {"TINH": (100, 90), "XA1": (40, 40), "XA2": (10, 5), "P1": (20, 18), "P2": (30, 27)}
# The roll-up by hand: (units below incl. itself, reported, Σ da, Σ dung, rate %).
ROLLUP = {"TINH": (6, 5, 200, 180, 90.0), "XA1": (2, 2, 60, 58, 96.67),  # 58 / 60: 2 decimals
          "XA2": (3, 2, 40, 32, 80.0), "P1": (1, 1, 20, 18, 90.0), "P2": (1, 1, 30, 27, 90.0),
          "P3": (1, 0, None, None, None)}
LEVEL = {"TINH": 0, "XA1": 1, "XA2": 1, "P1": 2, "P2": 2, "P3": 2}


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("print")
    db = store.open_db(tmp / "print.db")
    try:
        outline = store.register_outline(db, outline_yaml(), actor="test")
        store.upsert_units(db, [{"code": c, "name": n, "kind": k, "parent": p}
                                for c, n, k, p in UNITS])
        round_id = store.create_round(
            db, outline_id=outline.id, outline_version=outline.version,
            title="Báo cáo CCHC năm 2025", period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31), period_label="Năm 2025",
            deadline=store.deadline_end_of_day(date(2025, 12, 20)),
            units=[c for c, *_ in UNITS], created_by="test")
        for code, (resolved, on_time) in TYPED.items():
            raw = {"da": resolved, "dung": on_time, "so_hoa": 100,
                   **{f"c{k:02d}": k for k in range(1, WIDE_ITEMS + 1)}}
            intake = store.submit_values(db, round_id=round_id, unit_code=code, raw=raw,
                                         channel="web", actor=code, mode="submit")
            assert intake.stored, intake.result.issues
        source = round_input(db, round_id)
    finally:
        db.close()
    path = tmp / "tong-hop.xlsx"
    FORMATS["xlsx"](source.consolidate(), path, meta=meta_for(source))
    return path


@pytest.fixture(scope="module")
def wb(workbook_path):
    return openpyxl.load_workbook(workbook_path)


def one_page_wide(ws) -> bool:
    """Fit to one page wide and as many tall as needed (fitToWidth absent means 1, the OOXML
    default; fitToHeight must be 0)."""
    fit = ws.sheet_properties.pageSetUpPr
    return bool(fit and fit.fitToPage and int(ws.page_setup.fitToWidth or 1) == 1
                and ws.page_setup.fitToHeight is not None
                and int(ws.page_setup.fitToHeight) == 0)


def titles(ws) -> tuple[str | None, str | None]:
    """(rows, columns) printed on every page, as "4:7" and "A:B"."""
    def bare(text):
        return text.replace("$", "") if text else text
    return bare(ws.print_title_rows), bare(ws.print_title_cols)


def sheet(wb, prefix: str):
    return next(ws for ws in wb.worksheets if ws.title.startswith(prefix))


def test_overview_is_portrait_a4_one_page_wide(wb):
    ws = wb["Tổng quan"]
    assert ws.page_setup.orientation == "portrait"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert one_page_wide(ws)


def test_section_sheets_are_landscape_with_print_titles_and_frozen_units(wb):
    for prefix in ("I. ", "II. GIẢI", "II. CẢI"):
        matches = [ws for ws in wb.worksheets if ws.title.startswith(prefix)]
        for ws in matches:
            index_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "(1)")
            assert ws.page_setup.orientation == "landscape", ws.title
            assert int(ws.page_setup.paperSize) == 9
            assert titles(ws) == (f"4:{index_row}", "A:B")
            assert ws.freeze_panes == f"C{index_row + 1}"
    narrow, wide = wb["I. GIẢI QUYẾT HỒ SƠ"], wb["II. CẢI CÁCH THỦ TỤC"]
    # Section I fits one page wide; Section II (13 items) prints across pages at 75 %.
    assert one_page_wide(narrow)
    assert not (wide.sheet_properties.pageSetUpPr and wide.sheet_properties.pageSetUpPr.fitToPage)
    assert int(wide.page_setup.scale) == 75


def test_a_wide_section_also_has_a_transposed_sheet(wb):
    assert "I. (xoay) GIẢI QUYẾT HỒ SƠ" not in wb.sheetnames  # narrow: no need
    ws = sheet(wb, "II. (xoay)")
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert titles(ws) == ("4:5", "A:A")
    assert ws.freeze_panes == "B6"
    codes = {ws.cell(4, c).value: c for c in range(2, ws.max_column + 1)}
    names = [ws.cell(5, c).value for c in range(2, ws.max_column + 1)]
    assert names[0] == "Tổng cộng"  # the total comes first, then subtotals, then units
    assert set(codes) >= {"TINH", "XA1", "XA2", "P1", "P2", "P3"}
    rows = {ws.cell(r, 1).value: r for r in range(6, ws.max_row + 1) if ws.cell(r, 1).value}
    c07 = next(r for label, r in rows.items() if "Chỉ số thứ 7" in label)
    assert ws.cell(c07, codes["XA2"]).value == 7
    assert ws.cell(c07, codes["P3"]).value is None  # no report: empty, never 0
    assert ws.cell(c07, 2).value == 7 * 5  # Tổng cộng over the five reports
    so_hoa = next(r for label, r in rows.items() if label.startswith("II. 0. Tỷ lệ số hóa"))
    assert ws.cell(so_hoa, codes["P1"]).number_format == '#,##0.00" %"'


def test_rows_are_tall_enough_for_wrapped_labels(wb):
    """A 200-character label in the 48-wide item column of the transposed sheet needs at
    least three lines (Times 11 pt fits well under 70 characters in that width), and the
    header of the section sheet must hold the long label in a 16-wide column."""
    ws = sheet(wb, "II. (xoay)")
    row = next(r for r in range(6, ws.max_row + 1)
               if str(ws.cell(r, 1).value).startswith("II. 1. Số thủ tục"))
    lines = math.ceil(len(ws.cell(row, 1).value) / 70)
    assert lines >= 3
    assert ws.row_dimensions[row].height >= lines * 12.5
    wide = wb["II. CẢI CÁCH THỦ TỤC"]
    index_row = next(r for r in range(1, 20) if wide.cell(r, 1).value == "(1)")
    label_row = next(r for r in range(4, index_row) for c in range(1, wide.max_column + 1)
                     if str(wide.cell(r, c).value).startswith(f"1. {LONG_LABEL[:20]}"))
    assert wide.row_dimensions[label_row].height >= math.ceil(len(LONG_LABEL) / 22) * 12.5
    overview = wb["Tổng quan"]
    title_height = overview.row_dimensions[1].height
    # A 140-character 14 pt title wraps on the 91-wide overview: two lines of 14 pt at least.
    assert title_height is not None and title_height >= 2 * 14 * 1.1


def test_every_chart_has_a_title(workbook_path):
    with zipfile.ZipFile(workbook_path) as archive:
        charts = [n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) >= 3  # the pie of the overview and a bar per target
        for name in charts:
            xml = archive.read(name).decode("utf-8")
            title = re.search(r"<c:title>(.*?)</c:title>", xml, re.S)
            assert title, name
            assert re.search(r"<a:t>[^<]+</a:t>", title.group(1)), name
            assert '<c:autoTitleDeleted val="1"/>' not in xml


def test_the_roll_up_by_level_is_a_sheet(wb):
    ws = wb["Theo cấp"]
    heads = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    assert len(heads) == ws.max_column  # no two header cells equal
    col = {"units": heads["Số đơn vị (kể cả cấp dưới)"],
           "reported": heads["Số đơn vị đã báo cáo"],
           "da": heads["I. 1. Số hồ sơ đã giải quyết (hồ sơ)"],
           "dung": heads["I. 2. Số hồ sơ đúng hạn (hồ sơ)"],
           "rate": heads["I. 3. Tỷ lệ đúng hạn (%)"], "level": heads["Cấp"]}
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    assert set(rows) == set(ROLLUP)
    for code, (units, reported, resolved, on_time, rate) in ROLLUP.items():
        r = rows[code]
        assert ws.cell(r, col["units"]).value == units, code
        assert ws.cell(r, col["reported"]).value == reported, code
        assert ws.cell(r, col["da"]).value == resolved, code
        assert ws.cell(r, col["dung"]).value == on_time, code
        got = ws.cell(r, col["rate"]).value
        assert (got is None) if rate is None else math.isclose(got, rate), code
        assert ws.cell(r, col["level"]).value == LEVEL[code]
        assert (ws.cell(r, 2).alignment.indent or 0) == LEVEL[code]  # names indented by level
    assert ws.cell(rows["TINH"], col["rate"]).number_format == '#,##0.00" %"'
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert titles(ws) == ("3:3", "A:B")
    assert ws.freeze_panes == "C4"


@pytest.fixture(scope="module")
def rendered(workbook_path, tmp_path_factory):
    """The workbook rendered once by LibreOffice (Vietnamese locale, private profile)."""
    out = tmp_path_factory.mktemp("render")
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(out), "LC_ALL": "vi_VN.UTF-8",
           "LANG": "vi_VN.UTF-8"}
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(workbook_path)],
                   check=True, capture_output=True, timeout=180, env=env)
    return out / "tong-hop.pdf"


def test_overview_renders_one_page_wide(rendered):
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "1", str(rendered)], check=True,
                          capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page\s+1 size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert round(width) == 595 and round(height) == 842  # A4 portrait
    page1 = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(rendered), "-"],
                           check=True, capture_output=True, text=True).stdout
    flat = " ".join(page1.split())
    assert TITLE in flat
    for value in ("Sở Nội vụ tỉnh Thử", "Báo cáo CCHC năm 2025", "Năm 2025",
                  "20/12/2025 23:59", "thu-in-an, phiên bản 1"):
        assert value in flat, value
    for head in ("Mục", "Chỉ tiêu", "Tổng cộng", "Đánh giá"):
        assert head in flat
    # The whole row of a target, last column included, is on page 1: total 100 reads as a
    # percent with two decimals, then "đạt", 5 units met, 0 not met, 1 without data.
    assert re.search(r"Tỷ lệ số hóa hồ sơ.*?100,00 %\s+đạt\s+5\s+0\s+1", page1), page1
    assert re.search(r"Tỷ lệ đúng hạn.*?90,00 %\s+đạt", page1), page1


def test_a_large_round_summarises_by_group(tmp_path):
    """Above 60 units a column per unit would print hundreds of pages across: the transposed
    sheet keeps the total and the subtotals by kind, the roll-up keeps the units that have units
    below them, and both say where the unit-by-unit figures are."""
    from aggregate import UnitInfo, consolidate
    from exports.meta import ExportMeta
    from forms.loader import load_outline

    outline = load_outline(outline_yaml())
    # 7 xã (X0…X6), each with 9 phòng under it: 70 units; unit i types c07 = i.
    units = [UnitInfo(code=f"X{x}", name=f"UBND xã {x}", kind="xã", status="submitted")
             for x in range(7)]
    units += [UnitInfo(code=f"P{x}{k}", name=f"Phòng {k} xã {x}", kind="phòng", parent=f"X{x}",
                       status="submitted") for x in range(7) for k in range(9)]
    values = {u.code: {"da": 10, "dung": 9, "so_hoa": 95.0, "c07": i}
              for i, u in enumerate(units)}
    path = tmp_path / "lon.xlsx"
    FORMATS["xlsx"](consolidate(outline, units, values), path, meta=ExportMeta())
    wb = openpyxl.load_workbook(path)
    ws = sheet(wb, "II. (xoay)")
    assert [ws.cell(5, c).value for c in range(2, ws.max_column + 1)] == [
        "Tổng cộng", "Cộng xã", "Cộng phòng"]  # kinds in the order units first appear
    assert "70 đơn vị" in ws.cell(2, 1).value and "trang tính của phần này" in ws.cell(2, 1).value
    c07 = next(r for r in range(6, ws.max_row + 1) if "Chỉ số thứ 7" in str(ws.cell(r, 1).value))
    assert ws.cell(c07, 2).value == sum(range(70))
    assert ws.cell(c07, 3).value == sum(range(7))  # the xã are units 0…6
    rollup = wb["Theo cấp"]
    assert "70 đơn vị" in rollup.cell(2, 1).value
    heads = {rollup.cell(3, c).value: c for c in range(1, rollup.max_column + 1)}
    rows = {rollup.cell(r, 1).value: r for r in range(4, rollup.max_row + 1)}
    assert set(rows) == {f"X{x}" for x in range(7)}
    for x in range(7):
        # xã x is unit x; its phòng are units 7 + 9x … 7 + 9x + 8.
        expected = x + sum(range(7 + 9 * x, 7 + 9 * x + 9))
        assert rollup.cell(rows[f"X{x}"], heads["II. 7. Chỉ số thứ 7 của cải cách thủ tục "
                                                "(thủ tục)"]).value == expected
        assert rollup.cell(rows[f"X{x}"], heads["Số đơn vị (kể cả cấp dưới)"]).value == 10
