"""Tables in the workbook outline format: a column's `calculation` makes a computed column, and a
rule with a `table` is one of that table's rules within a row; mistakes are placed at their cell."""

from __future__ import annotations

from spreadsheet_helpers import problems_at, run

from forms.loader import load_outline
from forms.validate import validate

SURVEY = """
| survey |
|        | type         | name   | label    | calculation   |
|        | begin_repeat | tc     | Tiêu chí |               |
|        | decimal      | dat    | Đạt      |               |
|        | decimal      | toi_da | Tối đa   |               |
|        | decimal      | thieu  | Thiếu    | toi_da - dat  |
|        | end_repeat   |        |          |               |
|        | decimal      | tong   | Tổng     | sum(tc.thieu) |
"""


def test_a_computed_column_and_a_row_rule_from_a_workbook() -> None:
    md = SURVEY + """
| rules |
|       | name   | constraint    | message                 | table |
|       | dat_le | dat <= toi_da | Đạt không quá tối đa.   | tc    |
|       | tong_1 | tong >= 0     | Tổng không âm.          |       |
"""
    text, problems = run(md)
    assert problems == []
    outline = load_outline(text)
    assert [r.name for r in outline.item("tc").row_rules] == ["dat_le"]
    assert [r.name for r in outline.rules] == ["tong_1"]
    result = validate(outline, {"tc": [{"dat": "1", "toi_da": "3"}, {"dat": "5", "toi_da": "2"}]})
    assert [row["thieu"] for row in result.values["tc"]] == [2.0, -3.0]
    assert result.values["tong"] == -1.0
    assert [(i.rule, i.row) for i in result.issues] == [("dat_le", 2), ("tong_1", None)]
    assert result.issues[0].message.startswith("Dòng 2: Đạt không quá tối đa.")


def test_a_rule_naming_no_table_is_placed_at_its_table_cell() -> None:
    md = SURVEY + """
| rules |
|       | name   | constraint    | message               | table |
|       | dat_le | dat <= toi_da | Đạt không quá tối đa. | bang  |
"""
    found = problems_at(md)
    # Not placed under any table, the rule is the outline's: its `table` cell is refused, and
    # its names are not the outline's items.
    assert found["rules!D2"].startswith("Không có khóa 'table' trong quy tắc.")
    assert "không có mục nào tên" in found["rules!B2"]
