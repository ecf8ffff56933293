"""Tables in the outline: computed columns and `row_rules` load, and every misuse of a table in
an expression is reported at its file:line:column."""

from __future__ import annotations

import textwrap

from forms.errors import Code
from forms.loader import check_outline, load_outline

TABLE = """\
id: vi-du-bang
version: 1
title: Đề cương có bảng
items:
  - {type: integer, name: so_tc, label: Số tiêu chí}
  - type: table
    name: tc
    label: Tiêu chí
    columns:
      - {type: text, name: ma, label: Mã}
      - {type: decimal, name: dat, label: Điểm đạt}
      - {type: decimal, name: toi_da, label: Điểm tối đa}
      - {type: decimal, name: thieu, label: Điểm còn thiếu, calculation: toi_da - dat}
    row_rules:
      - name: dat_le_toi_da
        constraint: dat <= toi_da
        message: Điểm đạt không được lớn hơn điểm tối đa.
  - {type: decimal, name: tong_thieu, label: Tổng điểm còn thiếu, calculation: sum(tc.thieu)}
  - {type: integer, name: dem, label: Số dòng, calculation: count(tc)}
rules:
  - name: khop
    constraint: so_tc = count(tc)
    message: Số tiêu chí phải bằng số dòng của bảng.
"""


def at(text: str, fragment: str, occurrence: int = 0) -> tuple[int, int]:
    """(line, column), 1-based, of the `occurrence`-th `fragment` in `text`: where a reader of
    the file finds it, worked out from the text alone."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(fragment, start + 1)
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def located(text: str) -> list[tuple[int, int, Code, str]]:
    return [(p.line, p.column, p.code, p.message)
            for p in check_outline(textwrap.dedent(text), filename="bang.yaml")]


def test_a_sound_table_outline_loads_with_its_computed_column_and_row_rule() -> None:
    outline = load_outline(TABLE)
    table = outline.item("tc")
    assert [c.key for c in table.columns if c.is_computed] == ["thieu"]
    assert table.computed_columns == ("thieu",)
    assert [(r.name, r.items) for r in table.row_rules] == [("dat_le_toi_da", ("dat", "toi_da"))]
    assert outline.rules[0].items == ("so_tc", "tc")
    listed = outline.as_dict()["items"][1]
    assert listed["columns"][3]["formula"] == "toi_da - dat"
    assert listed["row_rules"][0]["constraint"] == "dat <= toi_da"


def test_misuse_is_reported_where_it_stands() -> None:
    text = TABLE.replace("calculation: sum(tc.thieu)", "calculation: sum(tc.ma) + sum(tcx.dat)")
    text = text.replace("calculation: count(tc)", "calculation: tc.dat + count(tc.zz)")
    found = located(text)
    assert [(line, column) for line, column, _, _ in found] == [
        at(text, "sum(tc.ma)"), at(text, "tcx.dat"), at(text, "tc.dat +"), at(text, "tc.zz")]
    messages = [message for *_, message in found]
    assert 'hàm "sum" chỉ dùng với cột số; cột "tc.ma" là cột văn bản' in messages[0]
    assert 'không có bảng nào tên "tcx"; có phải là "tc"?' in messages[1]
    assert 'cột "tc.dat" chỉ dùng được bên trong một hàm trên cột' in messages[2]
    assert 'bảng "tc" không có cột "zz"' in messages[3]


def test_a_row_rule_may_not_read_another_table() -> None:
    text = TABLE.replace("constraint: dat <= toi_da", "constraint: dat <= max(khac.so)")
    text = text.replace("rules:\n  - name: khop", """\
  - type: table
    name: khac
    label: Bảng khác
    columns:
      - {type: integer, name: so, label: Số}
rules:
  - name: khop""")
    found = located(text)
    assert [(line, column, code) for line, column, code, _ in found] == [
        (*at(text, "khac.so"), Code.EXPR_PROBLEM)]
    assert 'trong một dòng của bảng "tc" không dùng được bảng khác ("khac")' in found[0][3]


def test_a_computed_column_reads_only_its_row_and_holds_a_number() -> None:
    text = TABLE.replace("calculation: toi_da - dat}", "calculation: toi_da - so_tc}")
    text = text.replace("{type: text, name: ma, label: Mã}",
                        "{type: text, name: ma, label: Mã, calculation: dat}")
    found = located(text)
    assert [(line, column, code) for line, column, code, _ in found] == [
        (*at(text, "calculation: dat"), Code.CALC_NOT_NUMERIC),
        (*at(text, "so_tc}"), Code.EXPR_PROBLEM)]
    assert 'bảng "tc" không có cột "so_tc"' in found[1][3]


def test_computed_columns_in_a_cycle_are_reported_once() -> None:
    text = TABLE.replace("{type: text, name: ma, label: Mã}",
                         "{type: decimal, name: ma, label: Mã, calculation: thieu + 1}")
    text = text.replace("calculation: toi_da - dat}", "calculation: toi_da - ma}")
    found = located(text)
    assert [(code, message) for _, _, code, message in found] == [
        (Code.CALC_CYCLE, "Công thức vòng tròn: tc.ma → tc.thieu → tc.ma. Một mục không thể "
                          "tính từ chính nó.")]


def test_row_rules_belong_to_a_table() -> None:
    text = TABLE.replace("{type: integer, name: so_tc, label: Số tiêu chí}",
                         "{type: integer, name: so_tc, label: Số tiêu chí, row_rules: []}")
    found = located(text)
    assert [(line, column, code) for line, column, code, _ in found] == [
        (*at(text, "row_rules: []"), Code.ROW_RULES_NOT_ALLOWED)]
