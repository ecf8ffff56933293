"""`integer`: a count (hồ sơ, nhiệm vụ, đơn vị), a whole number ≥ 0 unless `min` says otherwise."""

from __future__ import annotations

from typing import ClassVar

from forms.kinds.numbers import WholeNumberKind


class IntegerKind(WholeNumberKind, name="integer", order=10, title="số nguyên"):
    what: ClassVar[str] = "số nguyên"
    noun: ClassVar[str] = "một số nguyên"
    input_title: ClassVar[str] = "Nhập số nguyên"
    example: ClassVar[str] = "1234"


KIND = INTEGER = IntegerKind()
