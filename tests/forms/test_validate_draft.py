"""Draft mode of the engine: reads and reports every value, keeps what it cannot read as typed,
and judges nothing a half-filled report cannot yet satisfy (required items, item constraints,
cross-item rules — errors and warnings alike)."""

from __future__ import annotations

import pytest

from forms.loader import load_outline
from forms.validate import validate

OUTLINE = """\
id: nhap
version: 1
title: Đề cương nháp
items:
  - {type: integer, name: tong, number: "1.", label: Tổng số hồ sơ, required: true}
  - {type: integer, name: dung_han, number: "2.", label: Số hồ sơ đúng hạn,
     constraint: ". <= 1000", constraint_message: không quá 1.000 hồ sơ.}
  - {type: percent, name: hai_long, number: "3.", label: Mức độ hài lòng}
  - type: table
    name: sang_kien
    number: "4."
    label: Sáng kiến
    columns:
      - {type: text, name: ten, label: Tên sáng kiến, required: true}
      - {type: integer, name: so, label: Số đơn vị áp dụng}
rules:
  - name: dung_han_le_tong
    constraint: dung_han <= tong
    message: Số hồ sơ đúng hạn không được lớn hơn tổng số hồ sơ.
  - name: hai_long_thap
    constraint: hai_long >= 80
    message: Mức độ hài lòng dưới 80 %, hãy kiểm tra lại.
    severity: warning
"""

BREAKS_EVERY_RULE = {"tong": "2", "dung_han": "5000", "hai_long": "10",
                     "sang_kien": [{"ten": "", "so": "3"}]}


@pytest.fixture(scope="module")
def outline():
    return load_outline(OUTLINE, filename="nhap.yaml")


def test_submit_mode_judges_the_rules(outline):
    """The control: the same input does break the constraint, the rule, the warning and the
    required column when submitted, so the draft test below can only pass by skipping them."""
    result = validate(outline, BREAKS_EVERY_RULE, mode="submit")
    codes = sorted((i.code, i.rule or "", i.severity) for i in result.issues)
    assert codes == [("constraint", "", "error"),
                     ("required", "", "error"),
                     ("rule", "dung_han_le_tong", "error"),
                     ("rule", "hai_long_thap", "warning")]


def test_draft_mode_runs_no_rule_constraint_or_required_check(outline):
    result = validate(outline, BREAKS_EVERY_RULE, mode="draft")
    assert result.issues == ()
    assert result.values["dung_han"] == 5000 and result.values["tong"] == 2


def test_draft_mode_reports_and_keeps_unreadable_values_as_typed(outline):
    raw = {"tong": "mười", "dung_han": "3",
           "sang_kien": [{"ten": "Một cửa", "so": "hai"}, {"ten": "", "so": ""}]}
    result = validate(outline, raw, mode="draft")
    assert [(i.key, i.row, i.column) for i in result.errors] == [
        ("tong", None, None), ("sang_kien", 1, "so")]
    assert result.rejected == {"tong": "mười", "sang_kien": raw["sang_kien"]}
    assert result.values["dung_han"] == 3
    assert result.values["sang_kien"] == [{"ten": "Một cửa", "so": None}]
