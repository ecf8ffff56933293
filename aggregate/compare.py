"""Comparison of two rounds of the same outline, unit by unit, with a plausibility flag.

A figure that jumps tenfold between two periods is more often a typing slip (an extra zero,
thousands typed as units) than a real change; flagging it lets the coordinator ask before the
figure reaches the consolidated report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from aggregate.frame import numeric_items, wide_frame
from aggregate.model import UnitInfo
from forms.model import Outline

COMPARE_HEADERS: dict[str, str] = {
    "code": "Mã đơn vị",
    "name": "Đơn vị",
    "kind": "Loại đơn vị",
    "item": "Mã mục",
    "ref": "Mục",
    "value": "Kỳ này",
    "previous": "Kỳ trước",
    "change": "Tăng/giảm",
    "pct_change": "Tăng/giảm (%)",
    "flag": "Cần kiểm tra",
}


def compare(outline: Outline, current_values: Mapping[str, Mapping[str, Any] | None],
            previous_values: Mapping[str, Mapping[str, Any] | None],
            units: Sequence[UnitInfo], *, factor: float = 10.0,
            from_zero: float = 100.0) -> pd.DataFrame:
    """One row per unit × numeric item (units in display order, items in outline order):
    value, previous, change, pct_change (NaN when previous is 0 or missing) and flag.

    `flag` is True when both values exist and one is at least `factor` times the other in
    absolute value, or when one is 0 and the other at least `from_zero` in absolute value.
    """
    items = numeric_items(outline)
    current = wide_frame(outline, units, current_values)
    previous = wide_frame(outline, units, previous_values)
    n_units, n_items = current.shape
    value = current.to_numpy(dtype=float).ravel()
    before = previous.to_numpy(dtype=float).ravel()
    with np.errstate(all="ignore"):
        change = value - before
        pct = np.where((before == 0) | np.isnan(before), np.nan, change / np.abs(before) * 100)
        big, small = np.fmax(np.abs(value), np.abs(before)), np.fmin(np.abs(value), np.abs(before))
        both = ~np.isnan(value) & ~np.isnan(before)
        ratio_flag = (small > 0) & (big >= factor * small)
        zero_flag = (small == 0) & (big >= from_zero)
    flag = both & (ratio_flag | zero_flag)
    return pd.DataFrame({
        "code": np.repeat([u.code for u in units], n_items),
        "name": np.repeat([u.name for u in units], n_items),
        "kind": np.repeat([u.kind or "" for u in units], n_items),
        "item": np.tile([item.key for item in items], n_units),
        "ref": np.tile([item.ref for item in items], n_units),
        "value": value,
        "previous": before,
        "change": change,
        "pct_change": pct,
        "flag": flag,
    })
