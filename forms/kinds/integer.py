"""`integer`: a count (hồ sơ, nhiệm vụ, đơn vị), a whole number ≥ 0 unless `min` says otherwise."""

from __future__ import annotations

from forms.kinds.numbers import WholeNumberKind


class IntegerKind(WholeNumberKind, name="integer", order=10, title="số nguyên"):
    """A count: everything but its name is a whole number's (`WholeNumberKind`)."""


KIND = INTEGER = IntegerKind()
