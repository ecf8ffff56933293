"""`percent`: a rate from 0 to 100, typed `95`, `95%`, `95 %` or `95,5`.

Stored as the number of percent (95.5, not 0.955). Numbers that arrive already numeric from a
spreadsheet are kept as they are: converting Excel's percent-formatted fractions is the
workbook reader's job, because only it knows the cell's format.
"""

from __future__ import annotations

from typing import Any, ClassVar

from forms.kinds.base import Spec
from forms.kinds.numbers import NumberKind, figure_decimals, format_number


class PercentKind(NumberKind, name="percent", order=30, title="tỷ lệ %"):
    default_aggregate: ClassVar[str] = "mean"
    measure: ClassVar[str | None] = "%"
    rate: ClassVar[bool] = True
    excel_number_format: ClassVar[str | None] = "percent"
    excel_percent: ClassVar[bool] = True
    default_min: ClassVar[float | None] = 0
    default_max: ClassVar[float | None] = 100
    suffixes: ClassVar[tuple[str, ...]] = ("%", "％", "phần trăm")
    not_number: ClassVar[str] = ("{q} không phải là tỷ lệ phần trăm. "
                                 "Hãy nhập một số từ 0 đến 100, ví dụ 95 hoặc 95,5.")
    input_title: ClassVar[str] = "Nhập tỷ lệ (%)"
    example: ClassVar[str] = "95,5"

    def format(self, value: Any, spec: Spec | None = None) -> str:
        """`95.5` → `95,5 %` (Vietnamese typesetting puts a space before the sign). Shown to
        the item's `decimals:`, else two at most: a rate of 1/3 reads 33,33 %, not 33,3333 %."""
        text = format_number(value, figure_decimals(spec))
        return f"{text} %" if text else ""


KIND = PERCENT = PercentKind()
