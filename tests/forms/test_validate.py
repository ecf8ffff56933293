"""One engine for every channel: typed values, computed items and every problem at once."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from forms.loader import load_outline
from forms.validate import from_json, to_json, validate

OUTLINE = """\
id: thu-nghiem
version: 3
title: Đề cương thử nghiệm
choices:
  muc_do:
    - {name: tot, label: Tốt}
    - {name: kha, label: Khá}
items:
  - type: section
    number: I.
    label: CÔNG TÁC CHỈ ĐẠO
    items:
      - {type: integer, name: nv_tong, number: "+", label: Tổng số nhiệm vụ trong kế hoạch,
         unit: nhiệm vụ, required: true}
      - {type: integer, name: nv_xong, number: "+", label: Số nhiệm vụ đã hoàn thành,
         unit: nhiệm vụ}
      - {type: integer, name: nv_dang, number: "+", label: Số nhiệm vụ đang thực hiện,
         unit: nhiệm vụ}
  - type: section
    number: II.
    label: THỦ TỤC HÀNH CHÍNH
    items:
      - {type: integer, name: hs_giai_quyet, number: "-", label: Số hồ sơ đã giải quyết}
      - {type: integer, name: hs_dung_han, number: "-", label: Số hồ sơ đúng hạn}
      - {type: percent, name: hs_ty_le, number: "-", label: Tỷ lệ đúng hạn,
         calculation: hs_dung_han / hs_giai_quyet * 100, target: ">= 95"}
      - {type: percent, name: hai_long, number: "-", label: Mức độ hài lòng}
      - {type: decimal, name: diem, number: "-", label: Điểm, max: 10}
      - {type: money, name: thu, number: "-", label: Tổng thu ngân sách, unit: đồng}
      - {type: date, name: ngay, number: "-", label: Ngày ban hành}
      - {type: yes_no, name: quy_che, number: "-", label: Đã ban hành quy chế}
      - {type: select_one, name: danh_gia, number: "-", label: Tự đánh giá, choices: muc_do}
      - {type: long_text, name: ket_qua, number: "1.", label: Những kết quả tích cực}
      - type: table
        name: sang_kien
        number: "-"
        label: Những sáng kiến
        columns:
          - {type: text, name: ten, label: Tên sáng kiến, required: true}
          - {type: integer, name: so_don_vi, label: Số đơn vị áp dụng}
rules:
  - name: nv_le_tong
    constraint: nv_xong + nv_dang <= nv_tong
    message: Số nhiệm vụ đã hoàn thành cộng đang thực hiện không được lớn hơn tổng số nhiệm vụ.
  - name: hai_long_thap
    constraint: hai_long >= 80
    message: Mức độ hài lòng dưới 80 %, hãy kiểm tra lại.
    severity: warning
"""


@pytest.fixture(scope="module")
def outline():
    return load_outline(OUTLINE, filename="thu-nghiem.yaml")


def test_typed_input_as_people_type_it(outline):
    nfd = unicodedata.normalize("NFD", "Đã triển khai đúng kế hoạch")
    result = validate(outline, {
        "nv_tong": "1.234", "nv_xong": " 1000 ", "nv_dang": "34",
        "hs_giai_quyet": "200", "hs_dung_han": "190",
        "hai_long": "95,5 %", "diem": "8,5", "thu": "1.250.000 đ", "ngay": "12/11/2025",
        "quy_che": "có", "danh_gia": "Khá", "ket_qua": nfd,
        "sang_kien": [{"ten": "Một cửa số", "so_don_vi": "3"}, {"ten": "", "so_don_vi": ""}],
    })
    assert result.issues == ()
    v = result.values
    assert (v["nv_tong"], v["nv_xong"], v["nv_dang"]) == (1234, 1000, 34)
    assert v["hai_long"] == 95.5 and v["diem"] == 8.5 and v["thu"] == 1_250_000
    assert v["ngay"] == date(2025, 11, 12) and v["quy_che"] is True and v["danh_gia"] == "kha"
    assert v["ket_qua"] == unicodedata.normalize("NFC", nfd) != nfd
    assert v["hs_ty_le"] == 95.0  # 190 / 200 × 100, computed by the engine
    assert v["sang_kien"] == [{"ten": "Một cửa số", "so_don_vi": 3}]  # empty row dropped


def test_every_problem_is_returned_at_once_with_item_number_and_label(outline):
    result = validate(outline, {"nv_tong": "abc", "hai_long": "120", "diem": "1,234.5",
                                "sang_kien": [{"so_don_vi": "-2"}]})
    by_key = {}
    for issue in result.errors:
        by_key.setdefault(issue.key, []).append(issue.message)
    assert set(by_key) == {"nv_tong", "hai_long", "diem", "sang_kien"}
    assert by_key["nv_tong"][0].startswith("Mục «I. Tổng số nhiệm vụ trong kế hoạch»: ")
    assert '"abc"' in by_key["nv_tong"][0]
    assert by_key["hai_long"][0].startswith("Mục «II. Mức độ hài lòng»: ")
    table = [i for i in result.errors if i.key == "sang_kien"]
    assert {(i.row, i.column, i.code) for i in table} == {
        (1, "so_don_vi", "invalid"), (1, "ten", "required")}


def test_required_items_are_checked_on_submit_not_on_draft(outline):
    submitted = validate(outline, {})
    assert [(i.key, i.code) for i in submitted.errors] == [("nv_tong", "required")]
    assert validate(outline, {}, mode="draft").issues == ()



def test_a_draft_is_not_judged_by_cross_item_rules(outline):
    # nv_xong + nv_dang <= nv_tong is broken, and the warning rule on hai_long too: a draft is
    # half-finished work, saved as it is.
    raw = {"nv_tong": "10", "nv_xong": "8", "nv_dang": "3", "hai_long": "70"}
    draft = validate(outline, raw, mode="draft")
    assert draft.ok and draft.issues == ()
    assert (draft.values["nv_xong"], draft.values["nv_dang"]) == (8, 3)
    assert [i.rule for i in validate(outline, raw).issues] == ["nv_le_tong", "hai_long_thap"]


def test_an_unreadable_value_is_reported_in_a_draft_too(outline):
    draft = validate(outline, {"nv_tong": "mười", "nv_xong": "8"}, mode="draft")
    assert [i.key for i in draft.errors] == ["nv_tong"]
    assert draft.values["nv_xong"] == 8


@pytest.mark.parametrize("blank", ["", "   ", "\u00a0", "\u200b", "\t\u200b "])
def test_a_row_of_invisible_characters_is_no_row(outline, blank):
    # One emptiness rule for cells and rows: a zero-width space typed or pasted into a table
    # cell must not turn into a phantom row with a false "required" error.
    result = validate(outline, {"nv_tong": "3", "sang_kien": [{"ten": blank}]})
    assert result.ok, [i.message for i in result.issues]
    assert result.values["sang_kien"] == []

def test_rule_error_blocks_and_warning_only_warns(outline):
    result = validate(outline, {"nv_tong": "10", "nv_xong": "8", "nv_dang": "3", "hai_long": "70"})
    assert [(i.rule, i.key, i.severity) for i in result.issues] == [
        ("nv_le_tong", "nv_tong", "error"), ("hai_long_thap", "hai_long", "warning")]
    assert "«I. Số nhiệm vụ đã hoàn thành»" in result.errors[0].message
    fixed = validate(outline, {"nv_tong": "11", "nv_xong": "8", "nv_dang": "3", "hai_long": "70"})
    assert fixed.ok and len(fixed.warnings) == 1


def test_rules_with_missing_inputs_are_not_judged(outline):
    result = validate(outline, {"nv_tong": "10", "nv_xong": "20"})  # nv_dang empty: no data
    assert result.ok


@pytest.mark.parametrize(("resolved", "on_time", "rate"), [
    ("200", "190", 95.0),
    ("0", "0", None),      # zero denominator: no data, not an error, not 0
    ("", "5", None),       # empty input: no data
    ("3", "1", 33.33),  # rounded once, to the 2 decimals every channel shows
])
def test_computed_rate_is_no_data_over_an_empty_or_zero_denominator(outline, resolved, on_time,
                                                                      rate):
    result = validate(outline, {"nv_tong": "1", "hs_giai_quyet": resolved,
                                "hs_dung_han": on_time})
    assert result.values["hs_ty_le"] == rate
    assert result.ok


def test_a_typed_value_for_a_computed_item_is_ignored(outline):
    result = validate(outline, {"nv_tong": "1", "hs_ty_le": "12", "hs_giai_quyet": "4",
                                "hs_dung_han": "2"})
    assert result.values["hs_ty_le"] == 50.0


def test_unknown_keys_are_reported(outline):
    result = validate(outline, {"nv_tong": "1", "khong_co": "5"})
    assert [(i.key, i.code) for i in result.errors] == [(None, "unknown_key")]
    assert "khong_co" in result.errors[0].message


def test_values_round_trip_through_json(outline):
    values = validate(outline, {"nv_tong": "1", "ngay": "1/7/2025", "quy_che": "không",
                                "sang_kien": [{"ten": "A", "so_don_vi": "2"}]}).values
    stored = to_json(outline, values)
    assert stored["ngay"] == "2025-07-01"
    assert from_json(outline, stored) == values
