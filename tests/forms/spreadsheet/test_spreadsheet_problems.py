# ruff: noqa: E501  (workbooks are written as wide tables, one row a line, as pyxform tests do)
"""Every problem of a workbook is reported at its sheet and cell, with the checker's message."""

from __future__ import annotations

import pytest
from spreadsheet_helpers import problems_at, run, workbook

from forms.errors import Code
from forms.loader import check_outline
from forms.spreadsheet import import_workbook

OK_ROW = "|        | integer | ok | | OK |"


def checker_message(yaml_text: str, code: Code) -> str:
    """The message the checker itself gives on the imported YAML, to compare word for word."""
    found = [p.message for p in check_outline(yaml_text) if p.code is code]
    assert found, f"the checker did not report {code.name}"
    return found[0]


def test_misspelt_sheet_name_suggests_the_right_one():
    md = """
| survy |
|       | type    | name | label |
|       | integer | a    | A     |
"""
    found = problems_at(md)
    assert list(found) == ["survy"]
    assert "Không có trang tính 'survy'. Có phải ý bạn là 'survey'?" in found["survy"]


def test_missing_survey_sheet():
    found = problems_at("| Ghi chú |\n| | Ghi chú của người soạn |")
    assert list(found) == ["survey"]
    assert found["survey"].startswith("Thiếu trang tính 'survey'")


def test_other_misspelt_sheets_and_missing_settings():
    md = """
| survey |
|        | type    | name | label |
|        | integer | a    | A     |
| choises |
|         | list_name | name | label |
"""
    found = problems_at(md, settings=False)
    assert "Có phải ý bạn là 'choices'?" in found["choises"]
    assert found["settings"].startswith("Thiếu trang tính 'settings'")
    assert len(found) == 2  # the checker's missing id/version/title are not repeated


def test_unknown_column_header_with_did_you_mean():
    md = """
| survey |
|        | type    | name | lable | label | calcualtion |
|        | integer | a    | x     | A     |             |
"""
    found = problems_at(md)
    assert found["survey!C1"].startswith("Không có cột 'lable' trong trang tính 'survey'. "
                                         "Có phải ý bạn là 'label'?")
    assert "Có phải ý bạn là 'calculation'?" in found["survey!E1"]
    assert len(found) == 2


def test_unknown_type_suggests_a_kind_at_the_type_cell():
    md = """
| survey |
|        | type     | name | label |
|        | integer  | a    | A     |
|        | interger | b    | B     |
|        | section  |      | C     |
|        | begin_grop |    | D     |
"""
    found = problems_at(md)
    assert found["survey!A3"].startswith("Không có loại mục 'interger'. Có phải ý bạn là 'integer'?")
    assert "Có phải ý bạn là 'begin_group'?" in found["survey!A4"]
    assert "Có phải ý bạn là 'begin_group'?" in found["survey!A5"]
    assert "select_one <list_name>" in found["survey!A3"]
    assert not any("'section'" in m for where, m in found.items() if where != "survey!A4")


def test_duplicate_name_points_at_both_cells():
    md = """
| survey |
|        | type    | name | label |
|        | integer | a    | A     |
|        | integer | a    | B     |
"""
    text, problems = run(md)
    assert [str(p) for p in problems] == [
        "survey!B3: Tên mục 'a' đã dùng ở survey!B2. Mỗi mục cần một tên riêng."]
    assert problems[0].code == "DUPLICATE_NAME"
    assert checker_message(text, Code.DUPLICATE_NAME).startswith("Tên mục 'a' đã dùng ở dòng ")


def test_duplicate_sibling_number():
    md = """
| survey |
|        | type    | name | number | label |
|        | integer | a    | 1.     | A     |
|        | integer | b    | 1.     | B     |
"""
    found = problems_at(md)
    assert found == {"survey!C3": "Số thứ tự '1.' đã dùng cho mục cùng cấp ở survey!C2."}


@pytest.mark.parametrize(("rows", "where", "start"), [
    (["| | begin_group | | I. | A |", OK_ROW],
     "survey!A2", "Dòng 'begin_group' này chưa được đóng: hãy thêm một dòng 'end_group'"),
    ([OK_ROW, "| | end_group | | | |"],
     "survey!A3", "Dòng 'end_group' không có dòng 'begin_group' tương ứng ở trên."),
    (["| | begin_group | | I. | A |", OK_ROW, "| | end_repeat | | | |"],
     "survey!A4", "Dòng 'end_repeat' không khớp với dòng 'begin_group' ở ô survey!A2: "
                  "hãy dùng 'end_group'."),
    (["| | begin_repeat | t | - | T |", "| | text | x | | X |", "| | begin_group | | | G |",
      "| | end_group | | | |", "| | end_repeat | | | |"],
     "survey!A4", "Trong một bảng (begin_repeat … end_repeat) mỗi dòng là một cột"),
])
def test_unbalanced_groups_and_repeats(rows, where, start):
    md = "| survey |\n| | type | name | number | label |\n" + "\n".join(rows)
    found = problems_at(md)
    assert found[where].startswith(start), found
    assert len(found) == 1, found


def test_select_one_naming_a_missing_list():
    md = """
| survey |
|        | type           | name | label |
|        | select_one muc | a    | A     |
|        | select_one     | b    | B     |
| choices |
|         | list_name | name | label |
|         | muc_do    | tot  | Tốt   |
"""
    text, problems = run(md)
    found = {p.where: p.message for p in problems}
    assert found["survey!A2"] == "Không có danh sách lựa chọn 'muc'. Có phải ý bạn là 'muc_do'?"
    assert found["survey!A2"] == checker_message(text, Code.UNKNOWN_CHOICES)
    assert found["survey!A3"] == checker_message(text, Code.MISSING_CHOICES)


def test_formula_naming_an_unknown_item_is_at_the_calculation_cell():
    md = """
| survey |
|        | type    | name | label | calculation |
|        | integer | a    | A     |             |
|        | percent | b    | B     | a / khong_co * 100 |
"""
    text, problems = run(md)
    assert [(p.where, p.code) for p in problems] == [("survey!D3", "EXPR_PROBLEM")]
    assert problems[0].message == checker_message(text, Code.EXPR_PROBLEM)
    assert "khong_co" in problems[0].message


def test_formula_cycle():
    md = """
| survey |
|        | type    | name | label | calculation |
|        | integer | a    | A     | b + 1       |
|        | integer | b    | B     | a + 1       |
"""
    text, problems = run(md)
    assert [(p.where, p.code) for p in problems] == [("survey!D2", "CALC_CYCLE")]
    assert problems[0].message == checker_message(text, Code.CALC_CYCLE)
    assert "a → b → a" in problems[0].message


def test_malformed_target_and_bad_values_in_cells():
    md = """
| survey |
|        | type    | name | label | target | required | min | max |
|        | percent | a    | A     | 95     |          |     |     |
|        | integer | b    | B     | >= 1   | maybe    | 10  | 5   |
"""
    text, problems = run(md)
    found = {p.where: (p.code, p.message) for p in problems}
    assert found["survey!D2"] == ("BAD_TARGET", checker_message(text, Code.BAD_TARGET))
    assert found["survey!E3"] == ("BAD_BOOL", checker_message(text, Code.BAD_BOOL))
    assert found["survey!F3"] == ("BAD_BOUNDS", checker_message(text, Code.BAD_BOUNDS))


def test_missing_name_and_label_point_at_the_empty_cell():
    md = """
| survey |
|        | type    | name | label |
|        | integer |      | Số A  |
|        | integer | b    |       |
|        |         | c    | C     |
"""
    found = problems_at(md)
    assert found["survey!B2"].startswith("Mục 'Số A' cần có 'name'")
    assert found["survey!C3"] == "Mục cần có 'label' (nội dung đúng như văn bản gốc)."
    assert found["survey!A4"].startswith("Dòng này có nội dung nhưng ô 'type' trống")


def test_bad_settings_version_id_and_missing_title():
    md = """
| survey |
|        | type    | name | label |
|        | integer | a    | A     |
| settings |
|          | id     | version | title |
|          | Bad Id | v2      |       |
"""
    found = problems_at(md, settings=False)
    assert found["settings!B2"] == "Phiên bản 'v2' không hợp lệ: hãy ghi một số nguyên ≥ 1."
    assert found["settings!A2"].startswith("Mã đề cương 'Bad Id' không hợp lệ")
    assert found["settings!C2"] == "Thiếu khóa bắt buộc 'title' trong đề cương."


def test_settings_bad_date_and_extra_rows():
    md = """
| survey |
|        | type    | name | label |
|        | integer | a    | A     |
| settings |
|          | id | version | title | deadline   |
|          | x  | 1       | X     | 31/02/2025 |
|          | y  |         |       |            |
"""
    found = problems_at(md, settings=False)
    assert found["settings!D2"].startswith("'31/02/2025' không phải ngày hợp lệ cho 'deadline'")
    assert found["settings!A3"].startswith("Trang tính 'settings' chỉ đọc dòng 2")


def test_choices_and_rules_problems():
    md = """
| survey |
|        | type          | name | label |
|        | select_one md | a    | A     |
| choices |
|         | list_name | name | label |
|         | md        | x    | X     |
|         | md        | x    | X lặp |
|         | md        | y    |       |
|         |           | z    | Z     |
| rules |
|       | name | constraint | message | items     |
|       | r1   | a != "x"   | M       | a, khong  |
|       | r1   | zz > 1     | N       |           |
|       | r3   |            | P       |           |
"""
    found = problems_at(md)
    assert found["choices!B3"] == "Lựa chọn 'x' bị lặp."
    assert found["choices!C4"] == "Mỗi lựa chọn cần 'name' và 'label'."
    assert found["choices!A5"].startswith("Lựa chọn cần 'list_name'")
    assert found["rules!D2"].startswith("Quy tắc gắn với mục 'khong' không có trong đề cương.")
    assert found["rules!A3"] == "Quy tắc 'r1' đã khai báo ở rules!A2."
    assert "zz" in found["rules!B3"]
    assert found["rules!B4"] == "Thiếu khóa bắt buộc 'constraint' trong quy tắc."


def test_table_column_problems_are_at_the_column_row():
    md = """
| survey |
|        | type         | name | label | target |
|        | begin_repeat | t    | Bảng  |        |
|        | integer      | x    | X     | >= 1   |
|        | end_repeat   |      |       |        |
|        | begin_repeat | u    | Trống |        |
|        | end_repeat   |      |       |        |
"""
    found = problems_at(md)
    assert found["survey!D3"].startswith("Không có khóa 'target' trong cột.")
    assert found["survey!A5"] == "Bảng 'u' cần 'columns': danh sách các cột."


def test_a_file_that_is_not_a_workbook():
    _text, problems = import_workbook(b"type,name,label\ninteger,a,A\n")
    assert [p.code for p in problems] == ["NOT_A_WORKBOOK"]
    assert "CSV" in problems[0].message and "tải mẫu" not in problems[0].message
    assert str(problems[0]) == problems[0].message  # no place: the whole file


def test_problems_are_all_reported_at_once_in_sheet_order():
    md = """
| rules |
|       | name | constraint | message |
|       | r    | khong > 1  | M       |
| survey |
|        | type     | name | label |
|        | interger | a    | A     |
|        | integer  | a    | B     |
"""
    _text, problems = import_workbook(workbook(md))
    wheres = [p.where for p in problems]
    assert wheres == ["survey!A2", "survey!B3", "settings", "rules!B2"]


def test_the_yaml_is_returned_even_with_problems():
    text, problems = run("| survey |\n| | type | name | label |\n| | integer | a | |")
    assert problems and "name: a" in text


def test_repeated_and_missing_columns():
    md = """
| survey |
|        | name | label | label |
|        | a    | A     | A2    |
| choices |
|         | list_name | name |
|         | md        | x    |
"""
    found = problems_at(md)
    assert found["survey!C1"] == "Cột 'label' xuất hiện hai lần (lần đầu ở ô survey!B1). Hãy xóa một cột."
    assert found["survey!D1"] == "Trang tính 'survey' cần cột 'type' ở dòng tiêu đề (dòng 1)."
    assert found["choices!C1"] == "Trang tính 'choices' cần cột 'label' ở dòng tiêu đề (dòng 1)."
