"""A reporting year at a glance: each numeric item and rate of an outline's periodic rounds as a
series over the year's periods (quý I → 6 tháng → 9 tháng → năm), per unit and in total.

Each round is consolidated on its own by `consolidate` and the results are only lined up here,
so a rate's total in every period is the rate of that period's sums (the formula evaluated on
summed parts), never an average of the units' rates or of the periods'.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from aggregate.consolidate import Consolidation
from aggregate.model import TOTAL_ROW, UNIT_ROW, ColumnHeader

TOTAL = "__total__"  # the row key of the total in `YearSeries.values`


@dataclass(frozen=True)
class SeriesPeriod:
    """One column of the series: a period of the year and the round that covers it."""

    kind: str  # forms.periods kind: quy-1 … nam
    label: str  # its heading: "Quý I", "6 tháng"
    round_id: int


@dataclass(frozen=True)
class SeriesItem:
    """One numeric item or rate: its header as the round tables write it."""

    key: str
    ref: str
    label: str
    unit: str | None
    aggregate: str  # sum | formula | mean | min | max | none
    header: str
    kind: str  # the item's kind (integer, percent …): how its numbers are written


@dataclass(frozen=True)
class YearSeries:
    """`values[(row, item key)]` holds one value per period (None: no data), where row is a
    unit code or TOTAL; `units` are (code, name) in the order the rounds list them."""

    periods: tuple[SeriesPeriod, ...]
    items: tuple[SeriesItem, ...]
    units: tuple[tuple[str, str], ...]
    values: dict[tuple[str, str], tuple[float | None, ...]]

    def series(self, item_key: str, row: str = TOTAL) -> tuple[float | None, ...]:
        """The values of one item for a unit (or the total), period by period."""
        return self.values.get((row, item_key), (None,) * len(self.periods))


def _item(header: ColumnHeader, kind: str) -> SeriesItem:
    return SeriesItem(key=header.item_key, ref=header.ref, label=header.label, unit=header.unit,
                      aggregate=header.aggregate, header=header.header, kind=kind)


def _value(raw: object) -> float | None:
    if raw is None:
        return None
    number = float(raw)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def year_series(rounds: Sequence[tuple[SeriesPeriod, Consolidation]]) -> YearSeries:
    """Line up the consolidations of a year's rounds, given in period order.

    Items are those of the newest round first (its outline version's order), then any item only
    an earlier version had; units likewise, in first appearance. A unit or item absent from a
    round is no data in that period, never zero."""
    items: dict[str, SeriesItem] = {}
    for _, consolidation in reversed(rounds):
        for header in consolidation.columns:
            if header.role == "value" and header.item_key not in items:
                kind = consolidation.outline.item(header.item_key).kind
                items[header.item_key] = _item(header, kind)
    units: dict[str, str] = {}
    for _, consolidation in rounds:
        for unit in consolidation.units:
            units.setdefault(unit.code, unit.name)
    cells: dict[tuple[str, str], list[float | None]] = {}
    width = len(rounds)
    for position, (_, consolidation) in enumerate(rounds):
        table = consolidation.table
        present = [key for key in items if key in table.columns]
        for _, row in table.iterrows():
            if row["row_type"] == UNIT_ROW:
                name = str(row["code"])
            elif row["row_type"] == TOTAL_ROW:
                name = TOTAL
            else:
                continue
            for key in present:
                cells.setdefault((name, key), [None] * width)[position] = _value(row[key])
    return YearSeries(
        periods=tuple(period for period, _ in rounds),
        items=tuple(items.values()),
        units=tuple(units.items()),
        values={where: tuple(series) for where, series in cells.items()},
    )
