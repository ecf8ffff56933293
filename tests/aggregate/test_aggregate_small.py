"""Three units, figures worked out by hand."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from aggregate_round import outline

from aggregate import (
    NOT_REPORTED,
    UnitInfo,
    compare,
    consolidate,
    long_frame,
    rollup,
    summarize,
    targets,
    wide_frame,
)
from forms.loader import load_outline

T = datetime(2025, 11, 12, 3, 0, tzinfo=UTC)
UNITS = [
    UnitInfo("A", "Phòng Kinh tế", "phòng", "C", "submitted", T, False),
    UnitInfo("B", "Phòng Văn hóa - Xã hội", "phòng", "C", "accepted", T, True),
    UnitInfo("C", "UBND xã Cẩm Giang", "xã", None, "submitted", T, False),
    UnitInfo("D", "Trung tâm Phục vụ hành chính công", "phòng", "C", "missing"),
]
VALUES = {
    "A": {"dung_han": 190, "da_giai_quyet": 200, "hai_long": 90, "kinh_phi": 1_000_000,
          "co_quy_che": True, "tu_danh_gia": "tot", "ke_hoach": "Kế hoạch số 12/KH-UBND.",
          "sang_kien": [{"ten": "Một cửa số", "so_nguoi": 4, "muc_do": "tot"}]},
    "B": {"dung_han": 0, "da_giai_quyet": 0, "hai_long": None, "kinh_phi": None,
          "co_quy_che": False, "tu_danh_gia": "tot", "ke_hoach": "   "},
    "C": {"dung_han": 45, "da_giai_quyet": 50, "hai_long": 80.5, "kinh_phi": 0,
          "tu_danh_gia": "kha", "ke_hoach": "Đã ban hành kế hoạch."},
}


@pytest.fixture(scope="module")
def result():
    return consolidate(outline(), UNITS, VALUES)


def row(result, name):
    table = result.table
    return table[table["name"] == name].iloc[0]


def nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def test_rows_are_grouped_by_kind_with_subtotals_and_a_total(result):
    assert list(result.table["name"]) == [
        "Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Trung tâm Phục vụ hành chính công",
        "Cộng phòng", "UBND xã Cẩm Giang", "Cộng xã", "Tổng cộng"]
    assert list(result.table["row_type"]) == ["unit"] * 3 + ["subtotal", "unit", "subtotal",
                                                            "total"]


def test_rate_of_a_group_is_the_ratio_of_its_sums(result):
    assert row(result, "Phòng Kinh tế")["ty_le_dung_han"] == 95.0  # 190/200
    assert nan(row(result, "Phòng Văn hóa - Xã hội")["ty_le_dung_han"])  # 0/0: no data
    assert row(result, "Cộng phòng")["ty_le_dung_han"] == 95.0  # (190+0)/(200+0)
    assert row(result, "UBND xã Cẩm Giang")["ty_le_dung_han"] == 90.0  # 45/50
    total = row(result, "Tổng cộng")
    assert total["dung_han"] == 235 and total["da_giai_quyet"] == 250
    assert total["ty_le_dung_han"] == pytest.approx(94.0)  # 235/250, not mean(95, 90) = 92.5


def test_mean_of_rates_would_differ():
    # 190/200 = 95 % and 1/10 = 10 %: the mean of rates is 52.5 %, the rate of the sums 90.95 %.
    values = {"A": {"dung_han": 190, "da_giai_quyet": 200},
              "C": {"dung_han": 1, "da_giai_quyet": 10}}
    result = consolidate(outline(), UNITS[:3], values)
    assert result.total["ty_le_dung_han"] == 90.95  # 191 / 210 × 100, to 2 decimals
    assert result.total["ty_le_dung_han"] != pytest.approx(52.5)
    assert result.targets.table.iloc[-1]["ty_le_dung_han"] == "không đạt"


def test_targets_per_unit_subtotal_and_total(result):
    verdicts = dict(zip(result.targets.table["name"], result.targets.table["ty_le_dung_han"],
                        strict=True))
    assert verdicts == {
        "Phòng Kinh tế": "đạt", "Phòng Văn hóa - Xã hội": "không có số liệu",
        "Trung tâm Phục vụ hành chính công": "không có số liệu", "Cộng phòng": "đạt",
        "UBND xã Cẩm Giang": "không đạt", "Cộng xã": "không đạt", "Tổng cộng": "không đạt"}
    assert dict(result.targets.counts.loc["ty_le_dung_han"]) == {
        "đạt": 1, "không đạt": 1, "không có số liệu": 2}
    assert targets(outline(), UNITS, VALUES).table.equals(result.targets.table)


def test_mean_carries_min_max_and_count(result):
    total = row(result, "Tổng cộng")
    assert (total["hai_long"], total["hai_long@min"], total["hai_long@max"],
            total["hai_long@n"]) == (85.25, 80.5, 90, 2)
    phong = row(result, "Cộng phòng")
    assert (phong["hai_long"], phong["hai_long@n"]) == (90, 1)
    header = next(c for c in result.columns if c.key == "hai_long")
    assert "trung bình" in header.header and header.note


def test_sums_skip_empty_and_keep_real_zeros(result):
    assert row(result, "Cộng phòng")["kinh_phi"] == 1_000_000
    assert row(result, "Cộng xã")["kinh_phi"] == 0  # a reported 0 stays 0
    assert nan(row(result, "Tổng cộng")["tiep_nhan"])  # nobody reported: no data, not 0
    missing = row(result, "Trung tâm Phục vụ hành chính công")
    assert missing["status"] == NOT_REPORTED
    assert all(nan(missing[c.key]) for c in result.columns)


def test_counts_of_yes_and_of_each_choice(result):
    assert row(result, "Cộng phòng")["co_quy_che"] == 1
    assert nan(row(result, "Cộng xã")["co_quy_che"])  # nobody answered
    total = row(result, "Tổng cộng")
    assert (total["tu_danh_gia=tot"], total["tu_danh_gia=kha"],
            total["tu_danh_gia=chua_dat"]) == (2, 1, 0)


def test_completeness(result):
    c = result.completeness
    assert c.counts() == {"expected": 4, "submitted": 3, "on_time": 2, "late": 1, "missing": 1,
                          "returned": 0, "accepted": 1}
    assert list(c.table["status"]) == ["Đã nộp", "Đã tiếp nhận", "Đã nộp", "Chưa nộp"]
    assert str(c.table["submitted_at"][0]) == "2025-11-12 10:00:00+07:00"
    assert c.labelled_counts()["Nộp muộn"] == 1


def test_narratives_skip_empty_answers(result):
    (narrative,) = result.narratives
    assert [(e.name, e.text) for e in narrative.entries] == [
        ("Phòng Kinh tế", "Kế hoạch số 12/KH-UBND."),
        ("UBND xã Cẩm Giang", "Đã ban hành kế hoạch."),
    ]
    assert narrative.as_text().splitlines()[1] == "- Phòng Kinh tế: Kế hoạch số 12/KH-UBND."


def test_stacked_table(result):
    stacked = result.tables["sang_kien"]
    assert stacked.to_dict("records") == [{"unit_code": "A", "unit_name": "Phòng Kinh tế",
                                           "ten": "Một cửa số", "so_nguoi": 4.0, "muc_do": "tot"}]


def test_rollup_to_the_commune(result):
    rolled = rollup(outline(), UNITS, VALUES)
    commune = rolled.loc["C"]
    assert (commune["n_units"], commune["n_reported"], commune["level"]) == (4, 3, 0)
    assert commune["dung_han"] == 235 and commune["ty_le_dung_han"] == pytest.approx(94.0)
    assert rolled.loc["A", "ty_le_dung_han"] == 95.0 and rolled.loc["A", "level"] == 1
    assert nan(rolled.loc["D", "dung_han"])


def test_rollup_cuts_a_parent_cycle_where_it_closes():
    # The store refuses cycles; bad data reaching the roll-up must still give an answer:
    # A and B are each other's parent, C sits under A.
    units = [UnitInfo("A", "A", "xã", "B", "submitted"), UnitInfo("B", "B", "xã", "A", "submitted"),
             UnitInfo("C", "C", "phòng", "A", "submitted")]
    values = {"A": {"dung_han": 1}, "B": {"dung_han": 10}, "C": {"dung_han": 100}}
    rolled = rollup(outline(), units, values)
    assert (rolled.loc["A", "dung_han"], rolled.loc["B", "dung_han"]) == (111, 111)
    assert rolled.loc["C", "dung_han"] == 100
    assert list(rolled["level"]) == [1, 1, 2] and list(rolled["n_units"]) == [3, 3, 1]


def test_rollup_of_a_deep_chain_counts_every_level():
    units = [UnitInfo(f"U{i}", f"Cấp {i}", "xã", f"U{i - 1}" if i else None, "submitted")
             for i in range(6)]
    values = {f"U{i}": {"dung_han": 2 ** i} for i in range(6)}
    rolled = rollup(outline(), units, values)
    assert list(rolled["level"]) == [0, 1, 2, 3, 4, 5]
    assert list(rolled["dung_han"]) == [63, 62, 60, 56, 48, 32]


MODES_YAML = """
id: thu-cach-cong
version: 1
title: Thử mọi cách cộng
items:
  - {type: integer, name: tong, label: Tổng số}
  - {type: integer, name: xong, label: Đã xong}
  - {type: percent, name: ty_le, label: Tỷ lệ, calculation: xong / tong * 100}
  - {type: percent, name: hai_long, label: Hài lòng}
  - {type: integer, name: nho_nhat, label: Nhỏ nhất, aggregate: min}
  - {type: integer, name: lon_nhat, label: Lớn nhất, aggregate: max}
  - {type: integer, name: rieng, label: Không cộng, aggregate: none}
  - {type: percent, name: ty_le_rieng, label: Tỷ lệ từ số không cộng,
     calculation: rieng / tong * 100}
"""


def test_rollup_rows_of_units_without_children_are_one_unit_groups():
    # Units with nothing below them skip the reduction; their rows must be exactly what
    # reducing a group of one gives, in every aggregation mode.
    modes = load_outline(MODES_YAML, filename="modes.yaml")
    units = [UnitInfo("T", "Tỉnh", "tỉnh", None, "submitted"),
             UnitInfo("X", "Xã", "xã", "T", "submitted"),
             UnitInfo("P", "Phòng", "phòng", "X", "submitted"),
             UnitInfo("Q", "Phòng 2", "phòng", "X", "missing"),
             UnitInfo("L", "Lẻ", "xã", None, "submitted")]
    values = {"T": {"tong": 10, "xong": 5, "hai_long": 80.0, "nho_nhat": 3, "lon_nhat": 3,
                    "rieng": 1},
              "X": {"tong": 20, "xong": 20, "nho_nhat": 1, "lon_nhat": 9, "rieng": 2},
              "P": {"tong": 4, "xong": 1, "hai_long": 90.0, "nho_nhat": 7, "lon_nhat": 7,
                    "rieng": 3},
              "L": {"tong": 0, "xong": 0, "hai_long": 70.5, "rieng": 5}}
    rolled = rollup(modes, units, values)
    leaf = rolled.loc["P"]
    assert (leaf["tong"], leaf["ty_le"], leaf["hai_long"]) == (4, 25.0, 90.0)
    assert (leaf["hai_long@min"], leaf["hai_long@max"], leaf["hai_long@n"]) == (90.0, 90.0, 1)
    assert (leaf["nho_nhat"], leaf["lon_nhat"]) == (7, 7)
    assert nan(leaf["rieng"]) and nan(leaf["ty_le_rieng"])  # not consolidated, even alone
    lone = rolled.loc["L"]
    assert nan(lone["ty_le"]) and lone["hai_long@n"] == 1 and nan(lone["nho_nhat"])
    missing = rolled.loc["Q"]
    assert nan(missing["tong"]) and missing["hai_long@n"] == 0 and nan(missing["hai_long@min"])
    top = rolled.loc["T"]
    assert (top["tong"], top["xong"], top["ty_le"]) == (34, 26, 76.47)  # 26 / 34, 2 decimals
    assert (top["hai_long"], top["hai_long@n"]) == (85.0, 2)
    assert (top["nho_nhat"], top["lon_nhat"], top["n_units"]) == (1, 9, 4)
    assert nan(top["rieng"])


def test_wide_frame_is_float_in_outline_order_and_recomputes_rates():
    frame = wide_frame(outline(), UNITS, {"A": {**VALUES["A"], "ty_le_dung_han": 1.0}})
    assert list(frame.columns) == ["nv_tong", "nv_xong", "tiep_nhan", "da_giai_quyet",
                                   "dung_han", "ty_le_dung_han", "hai_long", "kinh_phi"]
    assert list(frame.index) == ["A", "B", "C", "D"]
    assert all(str(t) == "float64" for t in frame.dtypes)
    assert frame.loc["A", "ty_le_dung_han"] == 95.0  # the stale stored 1.0 is not trusted
    tidy = long_frame(frame)
    assert set(tidy["code"]) == {"A"} and len(tidy) == 5


def test_summaries_and_vietnamese_headers():
    second = summarize(outline(), UNITS, VALUES)[1]
    labelled = second.labelled()
    assert "Đơn vị" in labelled.columns and "Tình trạng" in labelled.columns
    assert "II. Tổng số hồ sơ tiếp nhận (hồ sơ)" in labelled.columns
    assert "II. Tỷ lệ giải quyết đúng hạn (%)" in labelled.columns


def test_compare_two_rounds():
    previous = {"A": {"dung_han": 19, "da_giai_quyet": 200, "kinh_phi": 0},
                "C": {"dung_han": 0, "da_giai_quyet": 50, "kinh_phi": 0}}
    current = {"A": {"dung_han": 190, "da_giai_quyet": 210, "kinh_phi": 5_000_000},
               "C": {"dung_han": 45, "da_giai_quyet": None, "kinh_phi": 50}}
    out = compare(outline(), current, previous, UNITS).set_index(["code", "item"])
    a = out.loc[("A", "dung_han")]
    assert (a["value"], a["previous"], a["change"], a["pct_change"], a["flag"]) == (
        190, 19, 171, 900, True)
    r = out.loc[("A", "da_giai_quyet")]
    assert r["pct_change"] == 5 and not r["flag"]
    assert out.loc[("A", "kinh_phi"), "flag"]  # 0 → 5,000,000
    assert nan(out.loc[("A", "kinh_phi"), "pct_change"])  # previous 0
    assert not out.loc[("C", "kinh_phi"), "flag"]  # 0 → 50 is below the from-zero threshold
    assert nan(out.loc[("C", "da_giai_quyet"), "change"])
    assert not out.loc[("C", "da_giai_quyet"), "flag"]
    strict = compare(outline(), current, previous, UNITS, factor=1.04).set_index(["code", "item"])
    assert strict.loc[("A", "da_giai_quyet"), "flag"]
