"""`money`: a whole number of đồng, typed `1.250.000`, `1.250.000 đ`, `1.250.000 VNĐ`.

The đồng has no subunit in use, so a fractional amount is a typing mistake, not a value.
`format` gives the figure only: the unit word is shown next to it by the caller.
"""

from __future__ import annotations

from typing import ClassVar

from forms.kinds.numbers import WholeNumberKind


class MoneyKind(WholeNumberKind, name="money", order=40, title="số tiền (đồng)"):
    suffixes: ClassVar[tuple[str, ...]] = ("đồng", "dong", "đ", "₫", "vnđ", "vnd")
    noun: ClassVar[str] = "số tiền"
    not_number: ClassVar[str] = ("{q} không phải là số tiền. "
                                 "Hãy nhập số tiền bằng đồng, ví dụ 1.250.000.")
    not_whole: ClassVar[str] = ("{q} có phần lẻ dưới một đồng. "
                                "Hãy nhập số tiền tròn đồng, ví dụ {lower} hoặc {upper}.")
    input_title: ClassVar[str] = "Nhập số tiền (đồng)"
    example: ClassVar[str] = "1250000"


KIND = MONEY = MoneyKind()
