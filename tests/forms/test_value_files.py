"""forms.value_files: many units' values read from JSON Lines or a long CSV, each value with
its line, every unreadable line reported where it is and none stopping the others."""

from __future__ import annotations

import json

from forms.value_files import read_jsonl, read_long_csv


def lines(*records: object) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                     for r in records).encode("utf-8")


def test_jsonl_keeps_each_unit_with_its_line_and_a_line_separator_inside_a_string():
    found = read_jsonl(lines({"unit": "A", "values": {"ghi_chu": "dòng 1\u2028dòng 2"}},
                             "", {"unit": 7, "values": {"so": 3}}))
    assert [(u.unit, u.line, u.raw, u.problems) for u in found.units] == [
        ("A", 1, {"ghi_chu": "dòng 1\u2028dòng 2"}, []), ("7", 3, {"so": 3}, [])]
    assert found.units[1].lines == {"so": 3}
    assert found.orphans == []


def test_jsonl_lines_without_a_unit_or_with_bad_values_are_located():
    found = read_jsonl(lines({"values": {}}, {"unit": "B", "values": [1, 2]},
                             {"unit": "C", "values": {}, "ghi_chu": "x"}, "[1, 2]"))
    assert [(p.line, p.message[:20]) for p in found.orphans] == [
        (1, "Thiếu mã đơn vị: mỗi"), (4, "Thiếu mã đơn vị: mỗi")]
    by_unit = {u.unit: u for u in found.units}
    assert by_unit["B"].problems[0].line == 2
    assert '"values" phải là' in by_unit["B"].problems[0].message
    assert "Khóa không dùng được: ghi_chu" in by_unit["C"].problems[0].message


def test_a_file_not_in_utf8_is_reported_at_the_line_of_the_first_bad_byte():
    found = read_long_csv("unit,item,value\nA,ten,Hà Nội\n".encode() + "B,ten,Hà\n".encode(
        "latin-1"))  # an old ANSI save: "à" as one byte
    assert [(p.line, "UTF-8" in p.message) for p in found.orphans] == [(3, True)]
    assert found.units == []


def test_an_empty_csv_says_what_it_needs_and_a_header_alone_has_no_units():
    assert "Tệp trống" in read_long_csv(b"").orphans[0].message
    header_only = read_long_csv("\ufeffUnit, Item ,VALUE\r\n".encode())
    assert header_only.units == [] and header_only.orphans == []


def test_csv_table_rows_are_kept_in_row_number_order_and_a_quoted_value_starts_its_line():
    found = read_long_csv('unit,item,value\nA,bang.2.ten,"hai\ndòng"\nA,bang.1.ten,một\n'
                          "A,ghi_chu,x\n".encode())
    [unit] = found.units
    assert unit.raw == {"bang": [{"ten": "một"}, {"ten": "hai\ndòng"}], "ghi_chu": "x"}
    assert unit.lines["bang.2.ten"] == 2 and unit.lines["bang.1.ten"] == 4
    assert unit.lines["ghi_chu"] == 5


def test_a_csv_item_both_plain_and_a_table_refuses_the_unit():
    found = read_long_csv(b"unit,item,value\nA,bang,1\nA,bang.1.ten,x\n")
    assert "vừa có giá trị riêng vừa có ô bảng" in found.units[0].problems[0].message
