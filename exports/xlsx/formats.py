"""Which Excel number format each figure of the consolidated workbook gets.

The formats themselves are the template's (`forms.excel.number_formats`): a rate is stored as
the 0–100 number a person reads and shown "95,50 %"; counts and money are whole; means and
decimals show two places. Numbers stay numbers, so Excel applies the reader's own separators.
"""

from __future__ import annotations

from aggregate import ColumnHeader
from forms.excel.number_formats import BY_KIND, DAY, FRACTION, MOMENT, PERCENT, WHOLE
from forms.kinds import get_kind
from forms.model import Item

RED = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
GREEN = {"bg_color": "#C6EFCE", "font_color": "#006100"}
HEAD_FILL = "#DDEBF7"
FONT = {"font_name": "Times New Roman", "font_size": 11}

COUNTING_ROLES = ("mean_n", "yes", "choice")  # numbers of units: always whole


def _rate(kind: str) -> bool:
    """A rate keeps its own format (95,50 %) for means, minima and totals alike."""
    return get_kind(kind).rate


def item_format(item: Item) -> str:
    """The format of an item's own value (a unit's figure, a chart's bar, a target's total)."""
    if _rate(item.kind):
        return BY_KIND.get(item.kind, FRACTION)
    if get_kind(item.kind).whole and item.aggregate in (None, "sum", "min", "max", "none"):
        return WHOLE
    return FRACTION


def column_format(header: ColumnHeader, item: Item) -> str:
    """The format of a consolidated column: counts of units whole, rates as percent (a mean's
    minimum and maximum too), sums of whole numbers whole, the rest two decimals."""
    if header.role in COUNTING_ROLES:
        return WHOLE
    if _rate(item.kind):
        return BY_KIND.get(item.kind, FRACTION)
    if get_kind(item.kind).whole and header.aggregate in ("sum", "min", "max", "none"):
        return WHOLE
    return FRACTION


def kind_format(kind: str) -> str:
    """The format of a repeating table's column of `kind`."""
    if _rate(kind):
        return BY_KIND.get(kind, FRACTION)
    return WHOLE if get_kind(kind).whole else FRACTION


__all__ = ["DAY", "FRACTION", "GREEN", "MOMENT", "PERCENT", "RED", "WHOLE", "column_format",
           "item_format", "kind_format"]
