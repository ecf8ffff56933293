"""Reporting periods (kỳ báo cáo) of a periodic regime and their cut-off dates.

Decree 09/2019/NĐ-CP, Article 12, fixes the data cut-off of a periodic report: a quarter runs
from the 15th of the month before it to the 14th of its last month (quý I of 2026 is
15/12/2025–14/03/2026); a 6-month, 9-month and yearly report all start on 15/12 of the year
before and end on 14/06, 14/09 and 14/12. Computing the dates here, in one pure module, lets
the command line, the web form, the round pages and the documents agree on them and on the
words that name a period ("quý I năm 2026", "Báo cáo 6 tháng đầu năm 2026").
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

# In the order a year's reports follow each other: by the day their data ends, a shorter
# period first when two end on the same day (quý II before 6 tháng).
PERIOD_KINDS: tuple[str, ...] = ("quy-1", "quy-2", "6-thang", "quy-3", "9-thang", "quy-4", "nam")

# kind → (months from 15/12 of the year before to the period's start, last month, short name)
_SHAPES: dict[str, tuple[int, int, str]] = {
    "quy-1": (0, 3, "Quý I"),
    "quy-2": (3, 6, "Quý II"),
    "quy-3": (6, 9, "Quý III"),
    "quy-4": (9, 12, "Quý IV"),
    "6-thang": (0, 6, "6 tháng"),
    "9-thang": (0, 9, "9 tháng"),
    "nam": (0, 12, "Năm"),
}

_WORDS: dict[str, str] = {
    "quy-1": "quý I năm {year}",
    "quy-2": "quý II năm {year}",
    "quy-3": "quý III năm {year}",
    "quy-4": "quý IV năm {year}",
    "6-thang": "6 tháng đầu năm {year}",
    "9-thang": "9 tháng năm {year}",
    "nam": "năm {year}",
}

CUTOFF_START_DAY = 15
CUTOFF_END_DAY = 14
MIN_YEAR, MAX_YEAR = 2000, 2100


class PeriodError(ValueError):
    """A period kind or year the regime does not know; the message is Vietnamese."""


@dataclass(frozen=True)
class ReportingPeriod:
    """One period of one year, with its Decree 09 cut-off dates."""

    kind: str
    year: int
    start: date
    end: date

    @property
    def label(self) -> str:
        """"quý I năm 2026": the period as a sentence names it."""
        return period_label(self.kind, self.year)

    @property
    def title(self) -> str:
        """"Báo cáo quý I năm 2026": the title of the period's report."""
        return period_title(self.kind, self.year)

    @property
    def short(self) -> str:
        """"Quý I", "6 tháng": a column heading in a year's series."""
        return _SHAPES[self.kind][2]

    def deadline_on(self, day: int) -> date:
        """The given day of the period's last month; a day past the month's end (31 in June)
        falls on the month's last day, so "ngày 31" reads as "the end of the month"."""
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31:
            raise PeriodError(f"Ngày hạn nộp phải từ 1 đến 31, không phải '{day}'.")
        month = _SHAPES[self.kind][1]
        return date(self.year, month, min(day, calendar.monthrange(self.year, month)[1]))


def check_kind(kind: str) -> str:
    """`kind` when it is one of PERIOD_KINDS; PeriodError naming the valid ones otherwise."""
    if kind not in _SHAPES:
        known = ", ".join(PERIOD_KINDS)
        raise PeriodError(f"Kỳ báo cáo '{kind}' không có; hãy dùng một trong: {known}.")
    return kind


def check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"Năm báo cáo phải là số từ {MIN_YEAR} đến {MAX_YEAR}, không phải "
                          f"'{year}'.")
    return year


def cutoff_period(kind: str, year: int) -> ReportingPeriod:
    """The period `kind` of `year` with the cut-off dates of Decree 09/2019/NĐ-CP, Art. 12."""
    offset, last_month, _ = _SHAPES[check_kind(kind)]
    check_year(year)
    start_month = 12 + offset  # counted from December of the year before
    start = date(year - 1 + (start_month - 1) // 12, (start_month - 1) % 12 + 1,
                 CUTOFF_START_DAY)
    return ReportingPeriod(kind, year, start, date(year, last_month, CUTOFF_END_DAY))


def period_label(kind: str, year: int) -> str:
    """"quý I năm 2026", "6 tháng đầu năm 2026", "9 tháng năm 2026", "năm 2026"."""
    return _WORDS[check_kind(kind)].format(year=year)


def period_title(kind: str, year: int) -> str:
    """"Báo cáo quý I năm 2026": the title a periodic round and its documents carry."""
    return f"Báo cáo {period_label(kind, year)}"


def period_short(kind: str) -> str:
    """"Quý I", "6 tháng", "Năm": the heading of the period's column in a year's series."""
    return _SHAPES[check_kind(kind)][2]


def period_order(kind: str) -> int:
    """Position of `kind` in a year (sort key for a series quý I → 6 tháng → 9 tháng → năm)."""
    return PERIOD_KINDS.index(check_kind(kind))


def round_period_wording(row: Mapping[str, Any]) -> str | None:
    """What a page or document calls a round's period: the stored label, or the words of its
    period kind and year, or None for an ad-hoc round with neither (callers then show dates)."""
    if row.get("period_label"):
        return str(row["period_label"])
    kind, year = row.get("period_kind"), row.get("period_year")
    if kind in _SHAPES and isinstance(year, int):
        return period_label(kind, year)
    return None


@dataclass(frozen=True)
class PlannedRound:
    """A round `round plan` would open: its period (dates possibly overridden) and deadline."""

    period: ReportingPeriod
    deadline: date


def _vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def plan_year(kinds: Iterable[str], year: int, *, deadline_day: int | None = None,
              overrides: Mapping[str, Mapping[str, date]] | None = None) -> list[PlannedRound]:
    """The rounds of `year` for the period kinds asked, in period order, each with the Decree 09
    cut-off dates and the deadline on `deadline_day` of its last month; `overrides` maps a kind
    to the dates the coordinator sets instead ({"start"|"end"|"deadline": date}).

    Raises PeriodError (Vietnamese, naming the period) for an unknown kind, an override of a
    period not planned, a missing deadline, an end before the start or a deadline before the
    end of the data period (a report cannot be due before its figures are closed)."""
    check_year(year)
    wanted = sorted({check_kind(kind) for kind in kinds}, key=PERIOD_KINDS.index)
    if not wanted:
        raise PeriodError("Chưa chọn kỳ báo cáo nào (quy-1 … nam).")
    overrides = overrides or {}
    for kind, dates in overrides.items():
        check_kind(kind)
        if kind not in wanted:
            raise PeriodError(f"Có ngày riêng cho kỳ '{kind}' nhưng kỳ này không được chọn; "
                              "hãy chọn kỳ đó hoặc bỏ ngày riêng.")
        unknown = set(dates) - {"start", "end", "deadline"}
        if unknown:  # a caller's mistake, not a user's
            raise ValueError(f"unknown override fields {sorted(unknown)}")
    planned: list[PlannedRound] = []
    for kind in wanted:
        period = cutoff_period(kind, year)
        own = overrides.get(kind, {})
        period = replace(period, start=own.get("start", period.start),
                         end=own.get("end", period.end))
        if period.end < period.start:
            raise PeriodError(f"Kỳ {period.label}: ngày kết thúc {_vn(period.end)} đứng trước "
                              f"ngày bắt đầu {_vn(period.start)}.")
        deadline = own.get("deadline")
        if deadline is None:
            if deadline_day is None:
                raise PeriodError(f"Chưa có hạn nộp cho kỳ {period.label}: hãy cho ngày hạn "
                                  "nộp trong tháng cuối kỳ, hoặc hạn nộp riêng của kỳ này.")
            deadline = period.deadline_on(deadline_day)
        if deadline < period.end:
            raise PeriodError(f"Kỳ {period.label}: hạn nộp {_vn(deadline)} đứng trước ngày "
                              f"chốt số liệu {_vn(period.end)}; hãy chọn hạn nộp từ ngày "
                              f"{_vn(period.end)} trở đi.")
        planned.append(PlannedRound(period, deadline))
    return planned


__all__ = [
    "PERIOD_KINDS",
    "PeriodError",
    "PlannedRound",
    "ReportingPeriod",
    "check_kind",
    "check_year",
    "cutoff_period",
    "period_label",
    "period_order",
    "period_short",
    "period_title",
    "plan_year",
    "round_period_wording",
]
