"""The aggregated workbook read back with openpyxl and checked cell by cell against the
plain-Python reference."""

from __future__ import annotations

import math
import re
import unicodedata

import openpyxl
import pytest
from export_round import LONG_CODE, PAYLOADS, ref_verdict, reference

from exports import FORMATS
from exports.limits import TRUNCATED_MARKER

SECTION_II = "II. KẾT QUẢ GIẢI QUYẾT THỦ TỤC…"


@pytest.fixture(scope="module")
def book(consolidated, tmp_path_factory):
    consolidation, meta, data = consolidated
    path = tmp_path_factory.mktemp("xlsx") / "tong-hop.xlsx"
    FORMATS["xlsx"](consolidation, path, meta=meta)
    return openpyxl.load_workbook(path), data


def same(actual, expected) -> bool:
    if expected is None:
        return actual is None
    return isinstance(actual, int | float) and math.isclose(actual, expected, rel_tol=1e-12,
                                                            abs_tol=1e-9)


def layout(ws):
    """(first data row, column of a header fragment) found from the sheet's own text."""
    index_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "(1)")

    def column(fragment: str) -> int:
        for c in range(1, ws.max_column + 1):
            for r in range(4, index_row):
                value = ws.cell(r, c).value
                if isinstance(value, str) and fragment in value:
                    return c
        raise KeyError(fragment)

    return index_row + 1, column


def rows_by_key(ws, first: int) -> dict:
    out = {}
    for r in range(first, ws.max_row + 1):
        code, name = ws.cell(r, 1).value, ws.cell(r, 2).value
        if code and ws.cell(r, 2).value is None:  # the notes under the table
            break
        if code:
            out[code] = r
        elif name in ("Cộng phòng", "Cộng xã", "Tổng cộng"):
            out[name] = r
    return out


def test_sheets_are_named_in_vietnamese_within_excel_limits(book):
    wb, _ = book
    names = wb.sheetnames
    assert names[0] == "Tổng quan"
    assert "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH" in names and SECTION_II in names
    assert {"Tổng hợp ý kiến", "Chưa báo cáo", "Tình hình nộp", "Biểu đồ"} <= set(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_every_figure_matches_the_reference(book):
    wb, data = book
    ws = wb[SECTION_II]
    first, column = layout(ws)
    rows = rows_by_key(ws, first)
    expected = reference(data)
    assert set(expected) == set(rows)
    cols = {"tiep_nhan": column("Tổng số hồ sơ tiếp nhận"),
            "da_giai_quyet": column("Số hồ sơ đã giải quyết"),
            "dung_han": column("Giải quyết đúng hạn (hồ sơ)"),
            "ty_le_dung_han": column("+ Tỷ lệ giải quyết đúng hạn (%)")}
    mean = column("Mức độ hài lòng")
    cols.update({"hai_long": mean, "hai_long@min": mean + 1, "hai_long@max": mean + 2,
                 "hai_long@n": mean + 3})
    assert ws.cell(first - 2, mean).value == "Trung bình"  # means are labelled as such
    checked = 0
    for key, row in rows.items():
        for item, col in cols.items():
            want = expected[key][item]
            if item == "hai_long@n" and key in data["units"]:
                want = None
            got = ws.cell(row, col).value
            assert same(got, want), f"{key} {item}: {got!r} ≠ {want!r}"
            checked += 1
    assert checked >= 60 * 8
    ws1 = wb["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"]
    first1, column1 = layout(ws1)
    rows1 = rows_by_key(ws1, first1)
    for key, row in rows1.items():
        assert same(ws1.cell(row, column1("Tổng số nhiệm vụ")).value, expected[key]["nv_tong"])
        assert same(ws1.cell(row, column1("Số nhiệm vụ đã hoàn thành")).value,
                    expected[key]["nv_xong"])


def test_units_without_report_are_blank_not_zero(book):
    wb, data = book
    ws = wb[SECTION_II]
    first, column = layout(ws)
    rows = rows_by_key(ws, first)
    missing = [c for c, u in data["units"].items() if c not in data["counted"]]
    assert missing
    for code in missing:
        row = rows[code]
        assert ws.cell(row, 4).value == "Chưa báo cáo"
        assert ws.cell(row, column("Tổng số hồ sơ tiếp nhận")).value is None


def test_targets_have_verdicts_and_conditional_formats(book):
    """Group rows carry the verdict as text; unit rows show it by colouring the figure, with a
    rule that must encode the target (≥ 95) exactly."""
    wb, data = book
    ws = wb[SECTION_II]
    first, column = layout(ws)
    rows = rows_by_key(ws, first)
    verdict_col, rate_col = column("chỉ tiêu ≥ 95"), column("Tỷ lệ giải quyết đúng hạn")
    expected = reference(data)
    rate_letter = ws.cell(first, rate_col).column_letter
    colour_rules = {}
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            found = re.fullmatch(rf"AND\(ISNUMBER\({rate_letter}{first}\),(NOT\()?"
                                 rf"{rate_letter}{first}>=([0-9.]+)\)?\)", rule.formula[0])
            if found:
                colour_rules["red" if found.group(1) else "green"] = float(found.group(2))
    assert colour_rules == {"red": 95.0, "green": 95.0}
    for key, row in rows.items():
        verdict = ref_verdict(expected[key]["ty_le_dung_han"])
        if key in ("Cộng phòng", "Cộng xã", "Tổng cộng"):
            assert ws.cell(row, verdict_col).value == verdict
            continue
        assert ws.cell(row, verdict_col).value is None
        value = ws.cell(row, rate_col).value
        shown = ("không có số liệu" if not isinstance(value, int | float)
                 else "đạt" if value >= colour_rules["green"] else "không đạt")
        assert shown == verdict, key
    rules = [rule for rng in ws.conditional_formatting for rule in rng.rules]
    assert any(rule.type == "cellIs" and '"không đạt"' in rule.formula[0] for rule in rules)


def test_header_is_merged_frozen_filtered_and_formatted(book):
    wb, _ = book
    ws = wb[SECTION_II]
    first, column = layout(ws)
    merged = {str(r) for r in ws.merged_cells.ranges}
    section_cell = next(r for r in ws.merged_cells.ranges
                        if ws.cell(r.min_row, r.min_col).value
                        == "II. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    assert section_cell.max_col - section_cell.min_col >= 7  # over all the item columns
    mean = column("Mức độ hài lòng")
    assert any(r.startswith(ws.cell(5, mean).coordinate) for r in merged)
    assert ws.freeze_panes == f"C{first}"
    assert ws.auto_filter.ref.startswith(f"A{first - 1}:")
    rows = rows_by_key(ws, first)
    total = ws.cell(rows["Tổng cộng"], column("Tổng số hồ sơ tiếp nhận"))
    assert total.font.b and total.number_format == "#,##0"
    assert ws.cell(rows["Cộng xã"], 2).font.b
    rate = ws.cell(rows["Tổng cộng"], column("+ Tỷ lệ giải quyết đúng hạn (%)"))
    assert rate.number_format == '#,##0.00" %"'  # a rate reads "95,50 %"
    assert "(hồ sơ)" in ws.cell(5, column("Tổng số hồ sơ tiếp nhận")).value  # unit words


def test_charts_are_native(consolidated, tmp_path):
    import zipfile

    consolidation, meta, _ = consolidated
    path = tmp_path / "c.xlsx"
    FORMATS["xlsx"](consolidation, path, meta=meta)
    names = zipfile.ZipFile(path).namelist()
    # openpyxl drops charts when loading, so the parts are looked for in the file itself.
    assert sum(n.startswith("xl/charts/chart") for n in names) >= 2  # completeness + a rate


def test_cover_counts_and_units_not_reported(book):
    wb, data = book
    ws = wb["Tổng quan"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    statuses = [u["status"] for u in data["units"].values()]
    assert cells["Số đơn vị phải báo cáo"] == len(statuses)
    assert cells["Đã nộp"] == sum(s in ("submitted", "accepted") for s in statuses)
    assert cells["Nộp muộn"] == sum(u["late"] for u in data["units"].values()
                                    if u["status"] in ("submitted", "accepted"))
    assert cells["Chưa nộp"] == sum(s in ("missing", "draft") for s in statuses)
    assert cells["Hạn nộp"] == "12/11/2025 23:59"
    assert cells["Thời điểm lập"] == "20/11/2025 08:15"
    ws = wb["Chưa báo cáo"]
    listed = {ws.cell(r, 2).value: ws.cell(r, 6).value for r in range(4, ws.max_row + 1)}
    assert set(listed) == {c for c in data["units"] if c not in data["counted"]}
    assert set(listed.values()) == {"Chị Nguyễn Thị Hoà, 0912 345 678"}


def test_injection_is_neutralised_and_long_text_truncated(book):
    wb, _ = book
    ws = wb["Tổng hợp ý kiến"]
    texts = {}
    for r in range(4, ws.max_row + 1):
        cell = ws.cell(r, 4)
        assert cell.data_type == "s"
        texts[ws.cell(r, 2).value] = cell
    for i, payload in enumerate(PAYLOADS):
        cell = texts[f"PH{i + 1:02d}"]
        assert cell.value == payload and cell.quotePrefix
        assert ws.cell(cell.row, 3).value == payload and ws.cell(cell.row, 3).quotePrefix
    long = texts[LONG_CODE].value
    assert len(long) == 32_767 and long.endswith(TRUNCATED_MARKER)
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"


def test_stacked_table_sheet(book):
    wb, data = book
    ws = wb["Những sáng kiến và cách làm ha…"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    expected = sum(len(v["sang_kien"]) for v in data["counted"].values())
    assert len(rows) == expected
    assert all(isinstance(r[3], int | float) and r[4].strftime("%d/%m/%Y") == "12/11/2025"
               for r in rows)
