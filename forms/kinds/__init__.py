"""Value kinds: parsing, formatting and validation of one value, the same for every channel.

`KINDS` maps each value kind's name to its `Kind`; `section` and `table` are not value kinds
(a table's cells use their columns' kinds) but have a `CATEGORY` so that expressions and the
loader can tell what an item holds.
"""

from __future__ import annotations

from forms.kinds.base import Kind, Parsed, Spec
from forms.kinds.date import DATE
from forms.kinds.decimal import DECIMAL
from forms.kinds.integer import INTEGER
from forms.kinds.money import MONEY
from forms.kinds.percent import PERCENT
from forms.kinds.select_one import SELECT_ONE
from forms.kinds.text import LONG_TEXT, TEXT
from forms.kinds.yes_no import YES_NO

__all__ = ["CATEGORY", "KINDS", "VALUE_KINDS", "Kind", "Parsed", "Spec", "get_kind"]

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (INTEGER, DECIMAL, PERCENT, MONEY, TEXT, LONG_TEXT, DATE, SELECT_ONE, YES_NO)
}

#: Every kind that holds one value: all but `section` and `table`, in documentation order.
VALUE_KINDS: tuple[str, ...] = tuple(KINDS)

#: What an item of each kind holds, for type checks in expressions and aggregation.
CATEGORY: dict[str, str] = {
    **{name: kind.category for name, kind in KINDS.items()},
    "section": "section",
    "table": "table",
}


def get_kind(name: str) -> Kind:
    """The value kind called `name`. Raises KeyError for `section`, `table` or unknown names:
    the outline loader has already refused unknown kinds, so this is a programming error."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"no value kind {name!r}; value kinds: {', '.join(KINDS)}") from None
