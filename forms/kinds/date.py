"""`date`: a calendar date, always day first (`12/11/2025`), or ISO `2025-11-12`.

Month-first input is never guessed: `12/11/2025` is the 12th of November. Two-digit years are
refused because `25` could be 1925 or 2025 in an archive of decisions.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Any, ClassVar

from forms.kinds.base import Kind, Parsed, Spec, clean, quote, spec_attr, validation

_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_DMY = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]+)" + _TIME)
_YMD = re.compile(r"([0-9]{4})([/.-])([0-9]{1,2})\2([0-9]{1,2})" + _TIME)
_EXAMPLE = "12/11/2025"
_CHECK = "Hãy kiểm tra lại (ngày viết trước, rồi đến tháng, năm)."
EXCEL_FIRST = date(1900, 1, 1)


def show_date(value: date) -> str:
    """`12/11/2025`: the way Vietnamese documents write dates."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


class DateKind(Kind, name="date", order=70, title="ngày", category="date"):
    default_aggregate: ClassVar[str] = "none"
    excel_number_format: ClassVar[str | None] = "day"
    input_attrs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("placeholder", "dd/mm/yyyy"), ("autocomplete", "off"))

    def _parse(self, raw: object, spec: Spec | None) -> Parsed:
        q = quote(raw)
        value = _as_date(raw)
        if value is None:
            if not isinstance(raw, str):
                return Parsed(None, (self._not_date(q),))
            found = self._read(clean(raw), q)
            if isinstance(found, str):
                return Parsed(None, (found,))
            value = found
        if value.year < EXCEL_FIRST.year:
            return Parsed(None, (f"{q} có năm {value.year} quá sớm: chỉ nhận ngày từ năm 1900. "
                                 f"{_CHECK}",))
        problem = self._check_bounds(value, spec)
        return Parsed(None, (problem,)) if problem else Parsed(value, ())

    @staticmethod
    def _not_date(q: str) -> str:
        return f"{q} không phải là ngày. Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ {_EXAMPLE}."

    def _read(self, text: str, q: str) -> date | str:
        """The date in `text`, or the problem to report."""
        iso = _YMD.fullmatch(text)
        if iso:
            year, month, day = int(iso[1]), int(iso[3]), int(iso[4])
        else:
            dmy = _DMY.fullmatch(text)
            if not dmy:
                return self._not_date(q)
            day, month, digits = int(dmy[1]), int(dmy[3]), dmy[4]
            if len(digits) == 2:
                return (f"{q} chỉ có 2 chữ số của năm. Hãy ghi năm đủ 4 chữ số, "
                        f"ví dụ {day:02d}/{month:02d}/20{digits}.")
            if len(digits) != 4:
                return (f"{q} có năm không hợp lệ. Hãy ghi năm đủ 4 chữ số, ví dụ {_EXAMPLE}.")
            year = int(digits)
        if not 1 <= month <= 12:
            return f"{q} không phải là ngày có thật: không có tháng {month}. {_CHECK}"
        if year < 1:
            return f"{q} có năm không hợp lệ. Hãy ghi năm đủ 4 chữ số, ví dụ {_EXAMPLE}."
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            if day == 0:
                return f"{q} không phải là ngày có thật: không có ngày 0. {_CHECK}"
            return (f"{q} không phải là ngày có thật: tháng {month} năm {year} chỉ có {last} "
                    f"ngày. {_CHECK}")
        return date(year, month, day)

    def _check_bounds(self, value: date, spec: Spec | None) -> str | None:
        lo, hi = _as_date(spec_attr(spec, "min")), _as_date(spec_attr(spec, "max"))
        if lo is not None and value < lo:
            return (f"{show_date(value)} sớm hơn ngày sớm nhất được phép {show_date(lo)}. "
                    f"Hãy nhập {self._range(lo, hi)}.")
        if hi is not None and value > hi:
            return (f"{show_date(value)} muộn hơn ngày muộn nhất được phép {show_date(hi)}. "
                    f"Hãy nhập {self._range(lo, hi)}.")
        return None

    @staticmethod
    def _range(lo: date | None, hi: date | None) -> str:
        if lo and hi:
            return f"một ngày từ {show_date(lo)} đến {show_date(hi)}"
        if lo:
            return f"một ngày từ {show_date(lo)} trở đi"
        if hi:
            return f"một ngày không muộn hơn {show_date(hi)}"
        return "một ngày"

    def format(self, value: Any, spec: Spec | None = None) -> str:
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return value
        found = _as_date(value)
        return show_date(found) if found else ("" if value is None else str(value))

    def report_text(self, value: Any, spec: Spec | None = None) -> str:
        """A stored ISO date `2025-11-12` as `12/11/2025`; anything else as it is."""
        if isinstance(value, str) and len(value) == 10:
            return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
        return str(value)

    def sheet_value(self, value: Any, spec: Spec | None = None) -> Any:
        """A stored ISO date as a date cell (Excel sorts and filters it as one)."""
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return value
        return value

    def to_json(self, value: Any) -> Any:
        found = _as_date(value)
        return found.isoformat() if found else value

    def from_json(self, obj: Any) -> Any:
        if isinstance(obj, str):
            return date.fromisoformat(obj)
        return _as_date(obj) if obj is not None else None

    def excel_validation(self, spec: Spec | None = None) -> dict[str, Any]:
        """A date validation between the bounds (1900 to 9999 when none)."""
        lo = _as_date(spec_attr(spec, "min")) or EXCEL_FIRST
        hi = _as_date(spec_attr(spec, "max")) or date(9999, 12, 31)
        shown = self._range(_as_date(spec_attr(spec, "min")), _as_date(spec_attr(spec, "max")))
        return validation(
            "date",
            criteria="between",
            minimum=lo,
            maximum=hi,
            input_title="Nhập ngày",
            input_message=f"Nhập ngày theo dạng ngày/tháng/năm, ví dụ {_EXAMPLE}.",
            error_title="Ngày không hợp lệ",
            error_message=f"Ô này chỉ nhận {shown}, viết theo dạng ngày/tháng/năm, "
                          f"ví dụ {_EXAMPLE}.",
        )


KIND = DATE = DateKind()
