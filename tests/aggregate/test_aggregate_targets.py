"""Targets on yes/no items, targets naming another item, and formulas the vectoriser hands to
the interpreter."""

from __future__ import annotations

import math

import pytest

from aggregate import UnitInfo, consolidate
from forms.loader import load_outline

YAML = """
id: thu-chi-tieu
version: 1
title: Thử chỉ tiêu
items:
  - type: section
    number: I.
    label: Chỉ tiêu
    items:
      - {type: yes_no, name: co_ke_hoach, number: "1.", label: Có kế hoạch, target: "= true"}
      - {type: integer, name: nv_tong, number: "2.", label: Tổng số nhiệm vụ}
      - {type: integer, name: nv_xong, number: "3.", label: Nhiệm vụ hoàn thành,
         target: ">= nv_tong"}
      - type: percent
        name: ty_le
        number: "4."
        label: Tỷ lệ hoàn thành
        calculation: "if(nv_tong > 0, round(nv_xong / nv_tong * 100, 1), 100)"
"""

UNITS = [UnitInfo("A", "A", "phòng"), UnitInfo("B", "B", "phòng"), UnitInfo("C", "C", "xã"),
         UnitInfo("D", "D", "xã")]
VALUES = {
    "A": {"co_ke_hoach": True, "nv_tong": 3, "nv_xong": 3},
    "B": {"co_ke_hoach": False, "nv_tong": 3, "nv_xong": 1},
    "C": {"co_ke_hoach": True, "nv_tong": 0, "nv_xong": 0},
    "D": {},
}


@pytest.fixture(scope="module")
def result():
    return consolidate(load_outline(YAML), UNITS, VALUES)


def column(frame, key):
    return dict(zip(frame["name"], frame[key], strict=True))


def test_yes_no_target_per_unit_and_all_of_for_groups(result):
    assert column(result.targets.table, "co_ke_hoach") == {
        "A": "đạt", "B": "không đạt", "Cộng phòng": "không đạt", "C": "đạt",
        "D": "không có số liệu", "Cộng xã": "đạt", "Tổng cộng": "không đạt"}


def test_target_naming_another_item_is_judged_on_the_rows_own_figures(result):
    assert column(result.targets.table, "nv_xong") == {
        "A": "đạt", "B": "không đạt", "Cộng phòng": "không đạt", "C": "đạt",
        "D": "không có số liệu", "Cộng xã": "đạt", "Tổng cộng": "không đạt"}


def test_interpreted_formula_per_unit_and_on_sums(result):
    rates = column(result.table, "ty_le")
    assert rates["A"] == 100 and rates["B"] == 33.3 and rates["C"] == 100
    assert math.isnan(rates["D"])  # not "100": D gave no figures at all
    assert rates["Cộng phòng"] == 66.7  # round(4 / 6 * 100, 1)
    assert rates["Tổng cộng"] == 66.7
