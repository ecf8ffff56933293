"""A year at a glance: each round consolidated on its own, then lined up period by period.

Expected series are worked out by hand below from the small data of the test; the rate's total
is the rate of the period's sums, which differs from the mean of the units' rates."""

from __future__ import annotations

import pytest

from aggregate import TOTAL, SeriesPeriod, UnitInfo, consolidate, year_series
from forms import load_outline

OUTLINE = """\
id: chuoi-nam
version: 1
title: Báo cáo thử chuỗi năm
items:
  - {type: integer, name: xong, number: "1.", label: Hồ sơ giải quyết đúng hạn, unit: hồ sơ}
  - {type: integer, name: tong, number: "2.", label: Hồ sơ đã giải quyết, unit: hồ sơ}
  - {type: percent, name: ty_le, number: "3.", label: Tỷ lệ đúng hạn,
     calculation: xong / tong * 100}
  - {type: text, name: ghi_chu, number: "4.", label: Ghi chú}
"""

UNITS = (UnitInfo("U1", "Phòng Một", status="submitted"),
         UnitInfo("U2", "Phòng Hai", status="submitted"))

# quý I:   U1 1/2 (50 %), U2 9/10 (90 %)  → 10/12 = 83,33… % (mean of rates: 70 %)
# 6 tháng: U1 3/4 (75 %), U2 has not reported → 3/4 = 75 %
# năm:     U1 2/8 (25 %), U2 10/12 (83,33… %) → 12/20 = 60 % (mean of rates: 54,17 %)
DATA = [
    ("quy-1", "Quý I", {"U1": {"xong": 1, "tong": 2}, "U2": {"xong": 9, "tong": 10}}),
    ("6-thang", "6 tháng", {"U1": {"xong": 3, "tong": 4}}),
    ("nam", "Năm", {"U1": {"xong": 2, "tong": 8}, "U2": {"xong": 10, "tong": 12}}),
]


@pytest.fixture
def series():
    outline = load_outline(OUTLINE)
    rounds = []
    for number, (kind, label, values) in enumerate(DATA, start=1):
        stored = {code: {**v, "ty_le": v["xong"] / v["tong"] * 100} for code, v in values.items()}
        rounds.append((SeriesPeriod(kind, label, number), consolidate(outline, UNITS, stored)))
    return year_series(rounds)


def test_periods_and_numeric_items_in_order(series):
    assert [(p.kind, p.label, p.round_id) for p in series.periods] == [
        ("quy-1", "Quý I", 1), ("6-thang", "6 tháng", 2), ("nam", "Năm", 3)]
    assert [item.key for item in series.items] == ["xong", "tong", "ty_le"]  # no text item
    assert series.units == (("U1", "Phòng Một"), ("U2", "Phòng Hai"))


def test_totals_are_sums_and_the_rate_is_the_rate_of_the_sums(series):
    assert series.series("xong") == (10, 3, 12)
    assert series.series("tong") == (12, 4, 20)
    rate = series.series("ty_le", TOTAL)
    assert rate == (83.33, 75.0, 60.0)  # 10 / 12 × 100, rounded once to 2 decimals
    assert rate[0] != pytest.approx(70.0) and rate[2] != pytest.approx((25 + 1000 / 12) / 2)


def test_each_unit_has_its_own_series_with_no_data_where_it_did_not_report(series):
    assert series.series("ty_le", "U1") == pytest.approx((50.0, 75.0, 25.0))
    u2 = series.series("ty_le", "U2")
    assert u2[1] is None
    assert (u2[0], u2[2]) == (90.0, 83.33)
    assert series.series("tong", "U2") == (10, None, 12)


def test_an_item_only_an_earlier_version_had_is_no_data_later():
    old = load_outline(OUTLINE.replace("version: 1", "version: 1").replace(
        "  - {type: text", "  - {type: integer, name: cu, number: \"5.\", label: Mục cũ}\n"
                          "  - {type: text"))
    new = load_outline(OUTLINE.replace("version: 1", "version: 2"))
    rounds = [(SeriesPeriod("quy-1", "Quý I", 1),
               consolidate(old, UNITS[:1], {"U1": {"xong": 1, "tong": 1, "cu": 4}})),
              (SeriesPeriod("quy-2", "Quý II", 2),
               consolidate(new, UNITS[:1], {"U1": {"xong": 2, "tong": 2}}))]
    series = year_series(rounds)
    assert [item.key for item in series.items] == ["xong", "tong", "ty_le", "cu"]
    assert series.series("cu") == (4, None)
    assert series.series("xong", "U1") == (1, 2)
