"""A cross-item check concerns every item it names: the figure typed wrong may be any of them.

The engine gives each issue the full tuple of item keys it concerns (`Issue.keys`, its primary
`key` first); "check" mode — the fill page's checks while typing — runs the rules and
constraints but never asks for required items, which only submitting does.
"""

from __future__ import annotations

import pytest

from forms.loader import load_outline
from forms.validate import validate

OUTLINE = """\
id: quy-tac
version: 1
title: Đề cương thử quy tắc
items:
  - type: section
    number: II.
    label: THỦ TỤC HÀNH CHÍNH
    items:
      - {type: integer, name: hs_tiep_nhan, number: "-", label: Số hồ sơ tiếp nhận,
         required: true}
      - {type: integer, name: hs_da_giai_quyet, number: "-", label: Số hồ sơ đã giải quyết}
      - {type: integer, name: hs_dung_han, number: "-", label: Số hồ sơ giải quyết đúng hạn}
      - {type: integer, name: hs_qua_han, number: "-", label: Số hồ sơ quá hạn,
         constraint: ". <= hs_tiep_nhan", constraint_message: không lớn hơn số tiếp nhận.}
      - {type: integer, name: vb_can, number: "-", label: Văn bản cần xử lý}
      - {type: integer, name: vb_xong, number: "-", label: Văn bản đã xử lý}
rules:
  - name: dung_han_le_da_giai_quyet
    constraint: hs_dung_han <= hs_da_giai_quyet
    message: Số hồ sơ đúng hạn không được lớn hơn số hồ sơ đã giải quyết.
  - name: ba_muc
    constraint: sum(hs_da_giai_quyet, hs_qua_han) <= hs_tiep_nhan
    message: Đã giải quyết cộng quá hạn không được lớn hơn số tiếp nhận.
    severity: warning
  - name: chi_gan_mot_muc
    constraint: vb_xong <= vb_can
    message: Văn bản đã xử lý không được nhiều hơn văn bản cần xử lý.
    items: [vb_xong]
"""


@pytest.fixture(scope="module")
def outline():
    return load_outline(OUTLINE, filename="quy-tac.yaml")


def test_a_rule_issue_names_every_item_of_its_expression(outline):
    result = validate(outline, {"hs_tiep_nhan": "100", "hs_da_giai_quyet": "40",
                                "hs_dung_han": "45"})
    [issue] = result.errors
    assert issue.rule == "dung_han_le_da_giai_quyet"
    assert issue.key == "hs_da_giai_quyet"  # the primary key callers used so far
    assert issue.keys == ("hs_da_giai_quyet", "hs_dung_han")
    # Each item it names finds the issue, the on-time count typed wrong included.
    assert result.for_key("hs_dung_han") == [issue]
    assert result.for_key("hs_da_giai_quyet") == [issue]
    assert result.for_key("hs_tiep_nhan") == []
    assert issue.as_dict()["keys"] == ["hs_da_giai_quyet", "hs_dung_han"]


def test_a_warning_rule_names_all_three_items(outline):
    result = validate(outline, {"hs_tiep_nhan": "10", "hs_da_giai_quyet": "8",
                                "hs_qua_han": "5"})
    [warning] = result.warnings
    assert warning.keys == ("hs_tiep_nhan", "hs_da_giai_quyet", "hs_qua_han")


def test_a_constraint_also_names_the_items_it_compares_with(outline):
    result = validate(outline, {"hs_tiep_nhan": "3", "hs_qua_han": "5"})
    [issue] = result.errors
    assert issue.code == "constraint"
    assert issue.keys == ("hs_qua_han", "hs_tiep_nhan")


def test_items_declared_on_a_rule_are_the_ones_it_marks(outline):
    result = validate(outline, {"vb_can": "2", "vb_xong": "3"}, mode="check")
    [issue] = result.errors
    assert issue.keys == ("vb_xong",)


def test_a_reading_error_concerns_its_own_item_only(outline):
    result = validate(outline, {"hs_dung_han": "mười"}, mode="draft")
    [issue] = result.errors
    assert issue.keys == ("hs_dung_han",)


def test_check_mode_runs_rules_but_asks_for_no_required_item(outline):
    raw = {"hs_da_giai_quyet": "40", "hs_dung_han": "45"}  # hs_tiep_nhan (required) empty
    checked = validate(outline, raw, mode="check")
    assert [(i.code, i.keys) for i in checked.issues] == [
        ("rule", ("hs_da_giai_quyet", "hs_dung_han"))]
    assert [i.code for i in validate(outline, raw, mode="draft").issues] == []
    assert sorted(i.code for i in validate(outline, raw, mode="submit").issues) == [
        "required", "rule"]


def test_an_unknown_mode_is_a_programming_error(outline):
    with pytest.raises(ValueError, match="mode"):
        validate(outline, {}, mode="nhap")
