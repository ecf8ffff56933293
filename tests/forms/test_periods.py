"""Reporting periods: the cut-off dates of Decree 09/2019/NĐ-CP, Article 12, and their words.

Every expected date below is written out by hand from the Decree's rule (a quarter runs from
the 15th of the month before it to the 14th of its last month; 6 tháng, 9 tháng and năm start
on 15/12 of the year before), for 2026 and for the leap year 2028.
"""

from __future__ import annotations

from datetime import date

import pytest

from forms.periods import (
    PERIOD_KINDS,
    PeriodError,
    cutoff_period,
    period_label,
    period_short,
    period_title,
    plan_year,
    round_period_wording,
)

CUTOFFS = [
    ("quy-1", 2026, date(2025, 12, 15), date(2026, 3, 14)),
    ("quy-2", 2026, date(2026, 3, 15), date(2026, 6, 14)),
    ("quy-3", 2026, date(2026, 6, 15), date(2026, 9, 14)),
    ("quy-4", 2026, date(2026, 9, 15), date(2026, 12, 14)),
    ("6-thang", 2026, date(2025, 12, 15), date(2026, 6, 14)),
    ("9-thang", 2026, date(2025, 12, 15), date(2026, 9, 14)),
    ("nam", 2026, date(2025, 12, 15), date(2026, 12, 14)),
    ("quy-1", 2028, date(2027, 12, 15), date(2028, 3, 14)),
    ("quy-2", 2028, date(2028, 3, 15), date(2028, 6, 14)),
    ("quy-3", 2028, date(2028, 6, 15), date(2028, 9, 14)),
    ("quy-4", 2028, date(2028, 9, 15), date(2028, 12, 14)),
    ("6-thang", 2028, date(2027, 12, 15), date(2028, 6, 14)),
    ("9-thang", 2028, date(2027, 12, 15), date(2028, 9, 14)),
    ("nam", 2028, date(2027, 12, 15), date(2028, 12, 14)),
]


@pytest.mark.parametrize(("kind", "year", "start", "end"), CUTOFFS)
def test_cutoff_dates_follow_decree_09_article_12(kind, year, start, end):
    period = cutoff_period(kind, year)
    assert (period.start, period.end) == (start, end)


def test_every_period_kind_is_covered_for_both_years():
    assert {(k, y) for k, y, _, _ in CUTOFFS} == {(k, y) for k in PERIOD_KINDS
                                                   for y in (2026, 2028)}


def test_quý_i_of_a_leap_year_spans_its_29_february():
    period = cutoff_period("quy-1", 2028)
    assert (period.end - period.start).days + 1 == 17 + 31 + 29 + 14  # Dec, Jan, Feb, Mar
    assert (cutoff_period("quy-1", 2026).end - cutoff_period("quy-1", 2026).start).days + 1 \
        == 17 + 31 + 28 + 14


@pytest.mark.parametrize(("kind", "label", "short"), [
    ("quy-1", "quý I năm 2026", "Quý I"),
    ("quy-2", "quý II năm 2026", "Quý II"),
    ("quy-3", "quý III năm 2026", "Quý III"),
    ("quy-4", "quý IV năm 2026", "Quý IV"),
    ("6-thang", "6 tháng đầu năm 2026", "6 tháng"),
    ("9-thang", "9 tháng năm 2026", "9 tháng"),
    ("nam", "năm 2026", "Năm"),
])
def test_periods_are_named_in_vietnamese(kind, label, short):
    assert period_label(kind, 2026) == label
    assert period_title(kind, 2026) == f"Báo cáo {label}"
    assert period_short(kind) == short
    assert cutoff_period(kind, 2026).title == f"Báo cáo {label}"


def test_unknown_kind_is_refused_naming_the_valid_ones():
    with pytest.raises(PeriodError, match="'quy-5' không có; hãy dùng một trong: quy-1"):
        cutoff_period("quy-5", 2026)


@pytest.mark.parametrize(("kind", "day", "due"), [
    ("quy-1", 20, date(2026, 3, 20)),
    ("quy-2", 31, date(2026, 6, 30)),  # June has 30 days: the month's last day
    ("9-thang", 31, date(2026, 9, 30)),
    ("nam", 31, date(2026, 12, 31)),
    ("6-thang", 15, date(2026, 6, 15)),
])
def test_deadline_day_falls_in_the_periods_last_month(kind, day, due):
    assert cutoff_period(kind, 2026).deadline_on(day) == due


def test_plan_lists_the_year_in_period_order_with_deadlines():
    planned = plan_year(["nam", "quy-1", "9-thang", "6-thang"], 2026, deadline_day=18)
    assert [(p.period.kind, p.period.start, p.period.end, p.deadline) for p in planned] == [
        ("quy-1", date(2025, 12, 15), date(2026, 3, 14), date(2026, 3, 18)),
        ("6-thang", date(2025, 12, 15), date(2026, 6, 14), date(2026, 6, 18)),
        ("9-thang", date(2025, 12, 15), date(2026, 9, 14), date(2026, 9, 18)),
        ("nam", date(2025, 12, 15), date(2026, 12, 14), date(2026, 12, 18)),
    ]


def test_plan_overrides_any_date_of_one_period_only():
    planned = plan_year(["quy-1", "quy-2"], 2026, deadline_day=20, overrides={
        "quy-1": {"start": date(2026, 1, 1), "end": date(2026, 3, 31),
                  "deadline": date(2026, 4, 5)}})
    assert [(p.period.start, p.period.end, p.deadline) for p in planned] == [
        (date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 5)),
        (date(2026, 3, 15), date(2026, 6, 14), date(2026, 6, 20)),
    ]


@pytest.mark.parametrize(("kinds", "day", "overrides", "message"), [
    (["quy-1"], None, {}, "Chưa có hạn nộp cho kỳ quý I năm 2026"),
    (["quy-1"], 10, {}, "hạn nộp 10/03/2026 đứng trước ngày chốt số liệu 14/03/2026"),
    (["quy-1"], 20, {"quy-2": {"deadline": date(2026, 6, 20)}},
     "ngày riêng cho kỳ 'quy-2' nhưng kỳ này không được chọn"),
    (["quy-1"], 20, {"quy-1": {"end": date(2025, 12, 1)}},
     "ngày kết thúc 01/12/2025 đứng trước ngày bắt đầu 15/12/2025"),
    ([], 20, {}, "Chưa chọn kỳ báo cáo nào"),
])
def test_plan_mistakes_are_explained_in_vietnamese(kinds, day, overrides, message):
    with pytest.raises(PeriodError, match=message):
        plan_year(kinds, 2026, deadline_day=day, overrides=overrides)


def test_a_rounds_wording_prefers_its_stored_label_then_its_period():
    assert round_period_wording({"period_label": "đợt kiểm tra", "period_kind": "quy-1",
                                 "period_year": 2026}) == "đợt kiểm tra"
    assert round_period_wording({"period_label": None, "period_kind": "9-thang",
                                 "period_year": 2027}) == "9 tháng năm 2027"
    assert round_period_wording({"period_label": None, "period_kind": None,
                                 "period_year": None}) is None
