"""The user's own workbook back, each bad cell in red with a comment saying what to fix."""

from __future__ import annotations

import io

import openpyxl
from excel_helpers import KEY, TYPED, fill, key_rows

from forms.excel import annotate, read_upload
from forms.excel.annotate import SUMMARY_SHEET
from forms.excel.layout import IDENTITY_SHEET, MAIN_SHEET


def bad_upload(outline, template):
    typed = {**TYPED, "nv_tong": "1,234,567", "hai_long": "120", "nv_xong": "2000"}
    table = [{"ten": None, "ngay": "01/03/2025", "muc_do": "Rất tốt", "so_don_vi": "2"}]
    filled = fill(template, typed, table, insert_above="hs_tiep_nhan")
    return filled, read_upload(filled, outline, key=KEY, round_id=7, unit_code="VP-UB")


def test_each_bad_cell_gets_red_fill_and_comment(outline, template) -> None:
    filled, upload = bad_upload(outline, template)
    assert not upload.result.ok
    annotated = annotate(filled, upload.located)
    book = openpyxl.load_workbook(io.BytesIO(annotated))
    ws = book[MAIN_SHEET]
    cells = {cell for _, cell in upload.located if cell}
    assert len(cells) >= 4
    for issue, where in upload.located:
        sheet, coord = where.split("!")
        cell = book[sheet][coord]
        assert cell.fill.fgColor.rgb == "FFFFC7CE", coord
        assert cell.comment is not None, coord
        assert issue.message.removeprefix(f"{where}: ") in cell.comment.text
    rows = key_rows(ws)
    assert "không rõ nghĩa" in ws.cell(rows["nv_tong"], 4).comment.text
    # Nothing else is lost: values, protection, the hidden identity.
    assert ws.cell(rows["diem"], 4).value == "8,5"
    assert ws.protection.sheet
    assert book[IDENTITY_SHEET].sheet_state == "veryHidden"


def test_summary_sheet_lists_every_issue_with_links(outline, template) -> None:
    filled, upload = bad_upload(outline, template)
    book = openpyxl.load_workbook(io.BytesIO(annotate(filled, upload.located)))
    assert book.sheetnames[0] == SUMMARY_SHEET
    ws = book[SUMMARY_SHEET]
    assert ws["A1"].value.startswith(f"Báo cáo chưa được nhận: có {len(upload.result.errors)} lỗi")
    listed = [ws.cell(r, 2).value for r in range(4, 4 + len(upload.located))]
    assert listed == [cell for _, cell in upload.located]
    assert ws.cell(4, 2).hyperlink.location.startswith(f"'{MAIN_SHEET}'!")


def test_annotated_file_can_be_fixed_and_uploaded_again(outline, template) -> None:
    filled, upload = bad_upload(outline, template)
    annotated = annotate(filled, upload.located)
    book = openpyxl.load_workbook(io.BytesIO(annotated))
    ws = book[MAIN_SHEET]
    rows = key_rows(ws)
    ws.cell(rows["nv_tong"], 4).value = "2.000"
    ws.cell(rows["hai_long"], 4).value = "95"
    ws.cell(rows["sang_kien:header"] + 1, 3).value = "Sáng kiến"
    ws.cell(rows["sang_kien:header"] + 1, 5).value = "Tốt"
    out = io.BytesIO()
    book.save(out)
    again = read_upload(out.getvalue(), outline, key=KEY, round_id=7, unit_code="VP-UB")
    assert again.result.ok, again.located
    # Annotating twice keeps one summary sheet.
    twice = openpyxl.load_workbook(io.BytesIO(annotate(annotated, upload.located)))
    assert twice.sheetnames.count(SUMMARY_SHEET) == 1


def test_issue_without_cell_is_listed(outline, template) -> None:
    from forms.validate import Issue

    issue = Issue(None, "Không có mục nào có khóa «x».", code="unknown_key")
    book = openpyxl.load_workbook(io.BytesIO(annotate(template, [(issue, None)])))
    ws = book[SUMMARY_SHEET]
    assert ws["B4"].value == "(cả tệp)"
    assert ws["D4"].value == issue.message


def test_warnings_are_amber(outline, template) -> None:
    from forms.validate import Issue

    rows = key_rows(openpyxl.load_workbook(io.BytesIO(template))[MAIN_SHEET])
    where = f"{MAIN_SHEET}!D{rows['hai_long']}"
    issue = Issue("hai_long", f"{where}: Mức độ hài lòng thấp.", severity="warning")
    book = openpyxl.load_workbook(io.BytesIO(annotate(template, [(issue, where)])))
    cell = book[MAIN_SHEET][f"D{rows['hai_long']}"]
    assert cell.fill.fgColor.rgb == "FFFFEB9C"
    assert cell.comment.text == "Mức độ hài lòng thấp."


def test_merged_long_text_cell(outline, template) -> None:
    from forms.validate import Issue

    rows = key_rows(openpyxl.load_workbook(io.BytesIO(template))[MAIN_SHEET])
    where = f"{MAIN_SHEET}!E{rows['ke_hoach']}"  # inside the merged D:F input
    issue = Issue("ke_hoach", "Nội dung quá dài.")
    book = openpyxl.load_workbook(io.BytesIO(annotate(template, [(issue, where)])))
    assert book[MAIN_SHEET][f"D{rows['ke_hoach']}"].comment is not None


def test_a_rule_marks_every_cell_it_names_in_the_cam_giang_workbook() -> None:
    """"đúng hạn ≤ đã giải quyết" broken: both D51 (đã giải quyết) and D52 (đúng hạn) are
    red with the rule's note, since the wrong figure may be either; D50 is left alone."""
    from excel_helpers import CAM_GIANG, template_bytes

    from forms.excel import Identity
    from forms.loader import load_outline

    outline = load_outline(CAM_GIANG)
    identity = Identity(outline_id=outline.id, outline_version=outline.version, round_id=3,
                        round_title="Báo cáo CCHC năm 2025", unit_code="XA-01",
                        unit_name="UBND xã Cẩm Giang")
    book = openpyxl.load_workbook(io.BytesIO(template_bytes(outline, identity)))
    ws = book[MAIN_SHEET]
    ws["D50"], ws["D51"], ws["D52"] = "120", "100", "110"  # tiếp nhận, đã giải quyết, đúng hạn
    buffer = io.BytesIO()
    book.save(buffer)
    filled = buffer.getvalue()
    upload = read_upload(filled, outline, key=KEY, round_id=3, unit_code="XA-01", mode="draft")
    assert upload.result.ok  # a draft runs no rule …
    upload = read_upload(filled, outline, key=KEY, round_id=3, unit_code="XA-01",
                         mode="submit")
    rule = [(issue, where) for issue, where in upload.located if issue.rule ==
            "hs_dung_han_le_da_giai_quyet"]
    assert [where for _, where in rule] == [f"{MAIN_SHEET}!D51, {MAIN_SHEET}!D52"]

    marked = openpyxl.load_workbook(io.BytesIO(annotate(filled, upload.located)))
    sheet = marked[MAIN_SHEET]
    for coord in ("D51", "D52"):
        assert sheet[coord].fill.fgColor.rgb == "FFFFC7CE", coord
        assert "Số hồ sơ đã giải quyết đúng hạn không được lớn hơn" in \
            sheet[coord].comment.text, coord
    assert sheet["D50"].comment is None
    assert sheet["D50"].fill.fgColor.rgb != "FFFFC7CE"
    summary = marked[SUMMARY_SHEET]
    row = next(r for r in range(4, summary.max_row + 1)
               if summary.cell(r, 2).value == f"{MAIN_SHEET}!D51, {MAIN_SHEET}!D52")
    assert summary.cell(row, 2).hyperlink.location == f"'{MAIN_SHEET}'!D51"
    assert summary.cell(row, 4).value.startswith("Số hồ sơ đã giải quyết đúng hạn")
