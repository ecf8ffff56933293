"""`decimal`: a number with decimals (điểm, diện tích), written `8,5` or `1.234,5`."""

from __future__ import annotations

from typing import ClassVar

from forms.kinds.numbers import NumberKind


class DecimalKind(NumberKind, name="decimal", order=20, title="số thập phân"):
    not_number: ClassVar[str] = ("{q} không phải là số. Hãy nhập một số, ví dụ 8,5 hoặc 1.234,5 "
                                 "(dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần thập phân).")
    example: ClassVar[str] = "8,5"


KIND = DECIMAL = DecimalKind()
