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

import numpy as np

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


@dataclass(frozen=True, eq=False)
class YearSeries:
    """`data[item key]` is a (rows × periods) float array, NaN for no data, whose row 0 is the
    total and row `rows[code]` a unit's; `units` are (code, name) in the order the rounds list
    them. Arrays, not per-cell tuples: a 4,000-unit year is lined up in a fraction of a second
    and held in a few megabytes."""

    periods: tuple[SeriesPeriod, ...]
    items: tuple[SeriesItem, ...]
    units: tuple[tuple[str, str], ...]
    rows: dict[str, int]
    data: dict[str, np.ndarray]

    def series(self, item_key: str, row: str = TOTAL) -> tuple[float | None, ...]:
        """The values of one item for a unit (or the total), period by period."""
        block = self.data.get(item_key)
        if block is None or row not in self.rows:
            return (None,) * len(self.periods)
        return tuple(None if math.isnan(v) else float(v) for v in block[self.rows[row]])

    def reported(self, item_key: str, row: str) -> bool:
        """Whether the unit (or the total) has a value of the item in any period."""
        block = self.data.get(item_key)
        return block is not None and row in self.rows and bool(
            (~np.isnan(block[self.rows[row]])).any())


def _item(header: ColumnHeader, kind: str) -> SeriesItem:
    return SeriesItem(key=header.item_key, ref=header.ref, label=header.label, unit=header.unit,
                      aggregate=header.aggregate, header=header.header, kind=kind)


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
    rows = {TOTAL: 0, **{code: n for n, code in enumerate(units, start=1)}}
    data = {key: np.full((len(rows), len(rounds)), np.nan) for key in items}
    for position, (_, consolidation) in enumerate(rounds):
        table = consolidation.table
        kinds = table["row_type"].to_numpy()
        at_unit = kinds == UNIT_ROW
        targets = np.array([rows[str(code)] for code in table["code"].to_numpy()[at_unit]],
                           dtype=int)
        total = np.flatnonzero(kinds == TOTAL_ROW)
        for key in items:
            if key not in table.columns:
                continue
            column = table[key].to_numpy(dtype=float)
            data[key][targets, position] = column[at_unit]
            if total.size:
                data[key][0, position] = column[total[-1]]
    return YearSeries(
        periods=tuple(period for period, _ in rounds),
        items=tuple(items.values()),
        units=tuple(units.items()),
        rows=rows,
        data=data,
    )
