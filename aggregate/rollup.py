"""Roll-up along the unit hierarchy (phòng → xã/sở → tỉnh).

Each unit's row aggregates itself and every unit below it, by the same rules as a subtotal
(sum, formula on sums, mean with min/max/n), so a province's rate is Σ on-time / Σ resolved over
every office beneath it. Units whose parent is not among the expected units start a tree of
their own; a parent cycle (bad data) is cut where it closes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from aggregate.frame import UnitFrames, unit_frames
from aggregate.groups import Plan, aggregate_rows, make_plan, single_rows, unit_rows
from aggregate.model import UnitInfo
from forms.model import Outline

ROLLUP_HEADERS: dict[str, str] = {
    "name": "Đơn vị",
    "kind": "Loại đơn vị",
    "parent": "Đơn vị cấp trên",
    "level": "Cấp",
    "n_units": "Số đơn vị (kể cả cấp dưới)",
    "n_reported": "Số đơn vị đã báo cáo",
}


MAX_DEPTH = 32  # far deeper than tỉnh → sở → phòng; a longer chain is a cycle


def ancestry(units: Sequence[UnitInfo]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(descendant positions, ancestor positions, level) pairs: each unit with itself and every
    expected unit above it; level is the unit's depth (0 at a root).

    Climbs one level at a time for all units at once; data with a parent cycle (which the store
    refuses) or duplicate codes goes unit by unit, cutting each cycle where it closes."""
    codes = pd.Index([unit.code for unit in units])
    if not codes.is_unique:
        return _ancestry_by_unit(units)
    parent_of = codes.get_indexer(pd.Index([unit.parent for unit in units]))  # -1: a root here
    below = [np.arange(len(units))]
    above = [below[0]]
    levels = np.zeros(len(units), dtype=int)
    current, climbed = below[0], parent_of
    for _ in range(MAX_DEPTH):
        live = climbed >= 0
        if not live.any():
            break
        current, climbed = current[live], climbed[live]
        below.append(current)
        above.append(climbed)
        levels[current] += 1
        climbed = parent_of[climbed]
    else:
        if (climbed >= 0).any():
            return _ancestry_by_unit(units)
    return np.concatenate(below), np.concatenate(above), levels


def _ancestry_by_unit(units: Sequence[UnitInfo]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    position = {unit.code: i for i, unit in enumerate(units)}
    below: list[int] = []
    above: list[int] = []
    levels = np.zeros(len(units), dtype=int)
    for i, unit in enumerate(units):
        seen = {i}
        below.append(i)
        above.append(i)
        parent = unit.parent
        while parent is not None and parent in position and position[parent] not in seen:
            j = position[parent]
            seen.add(j)
            below.append(i)
            above.append(j)
            parent = units[j].parent
        levels[i] = len(seen) - 1
    return np.array(below, dtype=int), np.array(above, dtype=int), levels


def rollup_table(plan: Plan, frames: UnitFrames, units: Sequence[UnitInfo],
                 per_unit: np.ndarray | None = None) -> pd.DataFrame:
    """The roll-up from prepared frames; `per_unit` as in `summary.full_table`."""
    if per_unit is None:
        per_unit = unit_rows(plan, frames).to_numpy(dtype=float)
    below, above, levels = ancestry(units)
    # A unit with nothing below it is its own roll-up row; only the others are reduced (in a
    # typical round a few communes over many offices, so most rows skip the reduction).
    has_below = np.zeros(len(units), dtype=bool)
    has_below[above[below != above]] = True
    aggregated = single_rows(plan, per_unit, pd.RangeIndex(len(units)))
    inner = np.flatnonzero(has_below)
    if len(inner):
        pairs = has_below[above]
        reduced = aggregate_rows(plan, per_unit, above[pairs], order=inner.tolist(),
                                 rows=below[pairs])
        block = aggregated.to_numpy(dtype=float, copy=True)
        block[inner] = reduced[aggregated.columns].to_numpy(dtype=float)
        aggregated = pd.DataFrame(block, columns=aggregated.columns, copy=False)
    n_units = np.bincount(above, minlength=len(units))
    n_reported = np.bincount(above, weights=frames.reported[below].astype(float),
                             minlength=len(units)).astype(int)
    head = pd.DataFrame({
        "name": [u.name for u in units],
        "kind": [u.kind or "" for u in units],
        "parent": [u.parent for u in units],
        "level": levels,
        "n_units": n_units,
        "n_reported": n_reported,
    }, index=pd.Index([u.code for u in units], name="code"))
    aggregated.index = head.index
    return pd.concat([head, aggregated], axis=1)


def rollup(outline: Outline, units: Sequence[UnitInfo],
           values: Mapping[str, Mapping[str, Any] | None]) -> pd.DataFrame:
    """One row per expected unit (index: code, display order) aggregating the unit and all
    its descendants: name, kind, parent, level, n_units, n_reported, then the same value
    columns as the summary tables."""
    return rollup_table(make_plan(outline), unit_frames(outline, units, values), list(units))
