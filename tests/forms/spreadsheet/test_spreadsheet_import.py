# ruff: noqa: E501  (workbooks are written as wide tables, one row a line, as pyxform tests do)
"""Workbook → YAML: every sheet and column lands where the outline format puts it."""

from __future__ import annotations

from datetime import date

import yaml
from spreadsheet_helpers import run, workbook

from forms.loader import load_outline
from forms.spreadsheet import import_workbook

FULL = """
| survey |
|        | type                 | name     | number | label                    | unit     | required | calculation           | target | hint        |
|        | begin_group          |          | I.     | CÔNG TÁC CHỈ ĐẠO         |          |          |                       |        |             |
|        | long_text            | ke_hoach | -      | Việc xây dựng kế hoạch.  |          |          |                       |        | Nêu số, ngày. |
|        | begin_group          |          | -      | Mức độ hoàn thành        |          |          |                       |        |             |
|        | integer              | nv_tong  | +      | Tổng số nhiệm vụ         | nhiệm vụ | yes      |                       |        |             |
|        | integer              | nv_xong  | +      | Số nhiệm vụ đã hoàn thành | nhiệm vụ |         |                       |        |             |
|        | percent              | nv_ty_le | +      | Tỷ lệ hoàn thành         |          |          | ${nv_xong} / ${nv_tong} * 100 | >= 100 |     |
|        | end_group            |          |        |                          |          |          |                       |        |             |
|        | end_group            |          |        |                          |          |          |                       |        |             |
|        | begin group          |          | II.    | KẾT QUẢ                  |          |          |                       |        |             |
|        | begin_group integer  | hs_tiep_nhan | -  | Tổng số hồ sơ tiếp nhận  | hồ sơ    |          |                       |        |             |
|        | integer              | hs_dung_han | +   | Số hồ sơ đúng hạn        | hồ sơ    |          |                       |        |             |
|        | end_group            |          |        |                          |          |          |                       |        |             |
|        | select_one muc_do    | tu_danh_gia | -   | Tự đánh giá              |          |          |                       |        |             |
|        | begin_repeat         | sang_kien | -     | Sáng kiến                |          |          |                       |        |             |
|        | text                 | ten      |        | Tên sáng kiến            |          | true     |                       |        |             |
|        | select_one muc_do    | muc      |        | Mức độ                   |          |          |                       |        |             |
|        | end_repeat           |          |        |                          |          |          |                       |        |             |
|        | end_group            |          |        |                          |          |          |                       |        |             |
| choices |
|         | list_name | name     | label    |
|         | muc_do    | tot      | Tốt      |
|         | muc_do    | chua_dat | Chưa đạt |
| settings |
|          | id        | version | title         | issuer       | period_start | period_label | deadline   |
|          | vi-du-cchc | 2      | Đề cương ví dụ | UBND xã Ví Dụ | 01/07/2025  | 6 tháng cuối năm | 2025-11-12 |
| rules |
|       | name     | constraint         | message                   | severity |
|       | xong_le_tong | nv_xong <= nv_tong | Số đã xong không lớn hơn tổng. | warning |
"""


def test_a_complete_workbook_gives_a_clean_outline():
    text, problems = import_workbook(workbook(FULL))
    assert problems == [], "\n".join(map(str, problems))
    outline = load_outline(text)
    assert (outline.id, outline.version, outline.title, outline.issuer) == (
        "vi-du-cchc", 2, "Đề cương ví dụ", "UBND xã Ví Dụ")
    assert outline.period.start == date(2025, 7, 1)
    assert outline.period.label == "6 tháng cuối năm"
    assert outline.deadline == date(2025, 11, 12)
    section, _results = outline.items
    assert (section.kind, section.number, section.label) == ("section", "I.", "CÔNG TÁC CHỈ ĐẠO")
    assert outline.item("ke_hoach").hint == "Nêu số, ngày."
    assert outline.item("nv_tong").required and outline.item("nv_tong").unit == "nhiệm vụ"
    rate = outline.item("nv_ty_le")
    assert rate.formula.source == "nv_xong / nv_tong * 100"  # XLSForm's ${…} is accepted
    assert rate.target.source == ">= 100"
    received = outline.item("hs_tiep_nhan")
    assert received.kind == "integer" and [c.key for c in received.children] == ["hs_dung_han"]
    assert [c.name for c in outline.item("tu_danh_gia").choices] == ["tot", "chua_dat"]
    table = outline.item("sang_kien")
    assert table.kind == "table" and [c.key for c in table.columns] == ["ten", "muc"]
    assert table.columns[0].required and table.columns[1].choices[1].label == "Chưa đạt"
    assert outline.rules[0].severity == "warning"


def test_yaml_is_in_outline_format_order_and_keeps_vietnamese():
    text, _problems = import_workbook(workbook(FULL))
    keys = [line.split(":")[0] for line in text.splitlines() if not line.startswith(" ")]
    assert keys == ["id", "version", "title", "issuer", "period", "deadline", "choices",
                    "items", "rules"]
    assert "CÔNG TÁC CHỈ ĐẠO" in text and "\\u" not in text
    data = yaml.safe_load(text)
    assert list(data["items"][0]) == ["type", "number", "label", "items"]
    assert data["choices"]["muc_do"][0] == {"name": "tot", "label": "Tốt"}


def test_what_excel_stores_as_numbers_dates_and_booleans_reads_back():
    sheets = {
        "Survey": [["type", "name", "number", "label", "min", "max", "required"],
                   ["begin_group", "", 1, "Mục một", "", "", ""],
                   ["decimal", "diem", "", "Điểm", 0, 10.5, True],
                   ["date", "ngay", "", "Ngày", date(2025, 1, 1), "", False],
                   ["end_group"]],
        "settings": [["form_id", "version", "form_title"], ["so-lieu", 3.0, "Số liệu"]],
    }
    text, problems = import_workbook(workbook(sheets))
    assert problems == [], "\n".join(map(str, problems))
    outline = load_outline(text)
    assert outline.items[0].number == "1."  # Excel turns a typed "1." into the number 1
    assert (outline.item("diem").min, outline.item("diem").max) == (0, 10.5)
    assert outline.item("diem").required and not outline.item("ngay").required
    assert outline.item("ngay").min == date(2025, 1, 1)
    assert (outline.id, outline.version) == ("so-lieu", 3)


def test_sheet_aliases_and_blank_rows():
    md = """
| muc |
|     | type    | name | label |
|     |         |      |       |
|     | integer | a    | A     |
|     |         |      |       |
|     | integer | b    | B     |
"""
    text, problems = run(md)
    assert problems == []
    assert load_outline(text).keys == ["a", "b"]


def test_rule_items_and_multi_line_hints():
    sheets = {
        "survey": [["type", "name", "label", "hint"],
                   ["integer", "a", "A", "Dòng một\nDòng hai"], ["integer", "b", "B", ""]],
        "settings": [["id", "version", "title"], ["x", 1, "X"]],
        "rules": [["name", "constraint", "message", "items"],
                  ["a_le_b", "a <= b", "A không lớn hơn B.", "b, a"]],
    }
    text, problems = import_workbook(workbook(sheets))
    assert problems == []
    outline = load_outline(text)
    assert outline.item("a").hint == "Dòng một\nDòng hai"
    assert outline.rules[0].items == ("b", "a")


def test_a_cell_holding_only_invisible_characters_is_empty_as_everywhere_else():
    # One emptiness rule (forms.kinds): a zero-width space or a non-breaking space pasted from
    # Word is no hint and no unit, just as it is no value on the form.
    md = """
| survey |
|        | type    | name    | label            | unit   | hint   |
|        | integer | nv_tong | Tổng số nhiệm vụ | \u00a0 | \u200b |
"""
    text, problems = run(md)
    assert problems == []
    item = load_outline(text).item("nv_tong")
    assert item.hint is None and item.unit is None
