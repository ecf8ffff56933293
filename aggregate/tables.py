"""Repeating tables (e.g. initiatives) stacked across units, each row tagged with its unit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from aggregate.model import UnitInfo
from forms.kinds import CATEGORY
from forms.model import Item, Outline

UNIT_COLUMNS = {"unit_code": "Mã đơn vị", "unit_name": "Đơn vị"}


def table_headers(item: Item) -> dict[str, str]:
    """Column → Vietnamese header for a stacked table."""
    return {**UNIT_COLUMNS, **{column.key: column.label for column in item.columns}}


def stack_table(item: Item, units: Sequence[UnitInfo],
                values: Mapping[str, Mapping[str, Any] | None]) -> pd.DataFrame:
    """Every unit's rows of one table item, units in display order; numeric columns as floats
    (NaN = no data), other columns as stored."""
    keys = [column.key for column in item.columns]
    rows: list[dict[str, Any]] = []
    for unit in units:
        entry = (values.get(unit.code) or {}).get(item.field_key)
        if not isinstance(entry, list):
            continue
        for row in entry:
            if isinstance(row, Mapping):
                rows.append({"unit_code": unit.code, "unit_name": unit.name,
                             **{key: row.get(key) for key in keys}})
    frame = pd.DataFrame.from_records(rows, columns=[*UNIT_COLUMNS, *keys])
    for column in item.columns:
        if CATEGORY.get(column.kind) == "number":
            frame[column.key] = pd.to_numeric(frame[column.key], errors="coerce").astype(float)
    return frame


def stacked_tables(outline: Outline, units: Sequence[UnitInfo],
                   values: Mapping[str, Mapping[str, Any] | None]) -> dict[str, pd.DataFrame]:
    """One stacked DataFrame per table item that consolidates by stacking, keyed by item key."""
    return {item.key: stack_table(item, units, values) for item in outline.fields()
            if item.is_table and item.aggregate != "none" and item.key}
