"""`integer`: a count (hồ sơ, nhiệm vụ, đơn vị), a whole number ≥ 0 unless `min` says otherwise."""

from __future__ import annotations

from typing import ClassVar

from forms.kinds.numbers import NumberKind


class IntegerKind(NumberKind):
    name: ClassVar[str] = "integer"
    default_aggregate: ClassVar[str] = "sum"
    whole: ClassVar[bool] = True
    input_attrs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("inputmode", "numeric"), ("autocomplete", "off"))
    default_min: ClassVar[float | None] = 0
    noun: ClassVar[str] = "một số nguyên"
    not_number: ClassVar[str] = ("{q} không phải là số nguyên. "
                                 "Hãy nhập một số nguyên, ví dụ 1.234.")
    not_whole: ClassVar[str] = ("{q} không phải là số nguyên. "
                                "Hãy nhập một số nguyên, ví dụ {lower} hoặc {upper}.")
    input_title: ClassVar[str] = "Nhập số nguyên"
    example: ClassVar[str] = "1234"


INTEGER = IntegerKind()
