"""Tables in the validation engine: computed columns worked out in each row, rules judged in
each row («Dòng 3: …», marked at the row's cell), and column functions feeding items and rules —
the one engine every channel (web form, Excel upload, live check) goes through."""

from __future__ import annotations

from forms.loader import load_outline
from forms.validate import is_blank_row, validate

OUTLINE = """\
id: bang-diem
version: 1
title: Đề cương thử bảng
items:
  - {type: decimal, name: nguong, number: "1.", label: Ngưỡng điểm tối đa}
  - type: table
    name: tc
    number: "2."
    label: Tiêu chí chưa đạt điểm tối đa
    columns:
      - {type: text, name: ma, label: Tiêu chí, required: true}
      - {type: decimal, name: dat, label: Điểm đạt}
      - {type: decimal, name: toi_da, label: Điểm tối đa}
      - {type: decimal, name: thieu, label: Điểm còn thiếu, calculation: toi_da - dat}
    row_rules:
      - name: dat_le_toi_da
        constraint: dat <= toi_da
        message: Điểm đạt không được lớn hơn điểm tối đa.
      - name: toi_da_le_nguong
        constraint: toi_da <= nguong
        message: Điểm tối đa vượt ngưỡng.
        severity: warning
  - {type: integer, name: so_tc, number: "3.", label: Số tiêu chí, calculation: count(tc)}
  - {type: decimal, name: tong_thieu, number: "4.", label: Tổng điểm còn thiếu,
     calculation: sum(tc.thieu)}
  - {type: decimal, name: thieu_nhat, number: "5.", label: Thiếu nhiều nhất,
     calculation: max(tc.thieu)}
  - {type: decimal, name: tb_dat, number: "6.", label: Điểm đạt trung bình,
     calculation: avg(tc.dat)}
rules:
  - name: tong_thieu_le_10
    constraint: tong_thieu <= 10
    message: Tổng điểm còn thiếu quá 10.
"""


def rows(*cells: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"ma": ma, "dat": dat, "toi_da": toi_da} for ma, dat, toi_da in cells]


def test_computed_columns_and_column_functions() -> None:
    outline = load_outline(OUTLINE)
    result = validate(outline, {"nguong": "5", "tc": rows(
        ("1.5", "0,5", "2"), ("", "", ""), ("1.6", "0", "3"), ("3.3.2", "", "1,5"))})
    assert result.ok, result.issues
    assert [row["thieu"] for row in result.values["tc"]] == [1.5, 3.0, None]
    assert result.values["so_tc"] == 3  # the blank row is no row
    assert result.values["tong_thieu"] == 4.5  # the empty cell is skipped
    assert result.values["thieu_nhat"] == 3.0
    assert result.values["tb_dat"] == 0.25


def test_a_typed_value_in_a_computed_column_is_ignored() -> None:
    outline = load_outline(OUTLINE)
    typed = [{"ma": "1.5", "dat": "1", "toi_da": "2", "thieu": "99"}]
    result = validate(outline, {"tc": typed})
    assert result.values["tc"][0]["thieu"] == 1.0
    assert result.values["tong_thieu"] == 1.0
    # A computed cell alone never makes a row, whatever it shows.
    assert is_blank_row(outline.item("tc"), {"thieu": "0"})


def test_no_value_in_a_column_is_no_data_not_zero() -> None:
    outline = load_outline(OUTLINE)
    result = validate(outline, {"tc": rows(("1.5", "", ""), ("1.6", "", ""))})
    assert result.values["so_tc"] == 2
    assert result.values["tong_thieu"] is None
    assert result.values["thieu_nhat"] is None
    assert result.values["tb_dat"] is None
    assert result.ok  # a rule over no data is not judged
    empty = validate(outline, {})
    assert empty.values["tc"] == [] and empty.values["so_tc"] == 0
    assert empty.values["tong_thieu"] is None


def test_a_row_rule_names_the_row_and_marks_its_cell() -> None:
    outline = load_outline(OUTLINE)
    result = validate(outline, {"nguong": "2", "tc": rows(
        ("1.5", "0,5", "2"), ("", "", ""), ("1.6", "0", "3"), ("3.1", "4", "3"))})
    found = [(i.rule, i.row, i.column, i.keys, i.severity, i.message) for i in result.issues]
    # The cells a channel marks: every column of the row the rule names.
    assert [i.columns for i in result.issues] == [("toi_da",), ("dat", "toi_da"), ("toi_da",)]
    assert found == [
        ("toi_da_le_nguong", 2, "toi_da", ("tc", "nguong"), "warning",
         "Dòng 2: Điểm tối đa vượt ngưỡng. (Mục «2. Tiêu chí chưa đạt điểm tối đa», cột "
         "«Điểm tối đa».)"),
        ("dat_le_toi_da", 3, "dat", ("tc",), "error",
         "Dòng 3: Điểm đạt không được lớn hơn điểm tối đa. (Mục «2. Tiêu chí chưa đạt điểm "
         "tối đa», cột «Điểm đạt», «Điểm tối đa».)"),
        ("toi_da_le_nguong", 3, "toi_da", ("tc", "nguong"), "warning",
         "Dòng 3: Điểm tối đa vượt ngưỡng. (Mục «2. Tiêu chí chưa đạt điểm tối đa», cột "
         "«Điểm tối đa».)"),
    ]
    assert not result.ok


def test_an_outline_rule_over_a_column_function() -> None:
    outline = load_outline(OUTLINE)
    result = validate(outline, {"tc": rows(("1", "0", "6"), ("2", "0", "5"))})
    assert [i.rule for i in result.issues] == ["tong_thieu_le_10"]
    assert result.issues[0].keys == ("tong_thieu",)


def test_drafts_skip_row_rules_and_checks_run_them() -> None:
    outline = load_outline(OUTLINE)
    wrong = {"tc": rows(("1", "5", "3"))}
    assert validate(outline, wrong, mode="draft").issues == ()
    assert [i.rule for i in validate(outline, wrong, mode="check").issues] == ["dat_le_toi_da"]
