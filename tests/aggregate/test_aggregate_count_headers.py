"""The consolidation's columns for answers that are counted and for figures read with a unit:
their keys, roles, headers and decimals, as every export prints them. The kinds now say these
(`Kind.tallies`, `unit_word`), so the headers are written out here in full."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aggregate_round import outline

from aggregate import UnitInfo, consolidate

T = datetime(2025, 11, 12, 3, 0, tzinfo=UTC)
UNITS = [UnitInfo("A", "Phòng Kinh tế", "phòng", None, "submitted", T, False),
         UnitInfo("B", "Phòng Văn hóa - Xã hội", "phòng", None, "submitted", T, False)]
VALUES = {"A": {"co_quy_che": True, "tu_danh_gia": "tot", "hai_long": 90, "nv_tong": 4},
          "B": {"co_quy_che": False, "tu_danh_gia": "kha", "hai_long": 80.5, "nv_tong": 6}}


@pytest.fixture(scope="module")
def columns() -> dict[str, tuple[str, str, int, str]]:
    result = consolidate(outline(), UNITS, VALUES)
    return {c.key: (c.role, c.header, c.decimals, c.aggregate) for c in result.columns}


def test_a_yes_no_is_one_column_of_the_units_answering_yes(columns) -> None:
    assert columns["co_quy_che"] == (
        "yes", "I. Đã ban hành Quy chế: số đơn vị trả lời «Có»", 0, "count")


def test_a_choice_item_is_one_column_per_choice_in_the_outlines_order(columns) -> None:
    counted = [(key, *columns[key][:3]) for key in columns if key.startswith("tu_danh_gia")]
    assert counted == [
        ("tu_danh_gia=tot", "choice", "I. Tự đánh giá: «Tốt» (số đơn vị)", 0),
        ("tu_danh_gia=kha", "choice", "I. Tự đánh giá: «Khá» (số đơn vị)", 0),
        ("tu_danh_gia=chua_dat", "choice", "I. Tự đánh giá: «Chưa đạt» (số đơn vị)", 0),
    ]


def test_a_percent_is_headed_with_its_measure_once_and_a_count_with_its_unit(columns) -> None:
    assert columns["hai_long"][:3] == ("value", "II. Mức độ hài lòng (%) — trung bình", 2)
    assert columns["hai_long@n"][:3] == (
        "mean_n", "II. Mức độ hài lòng: số đơn vị có số liệu", 0)
    assert columns["nv_tong"][1] == "I. Tổng số nhiệm vụ (nhiệm vụ)"
