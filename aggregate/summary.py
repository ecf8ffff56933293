"""Summary tables: expected units grouped by kind, a subtotal after each group, a total last.

All sections share one row layout, so the full table is built once and each top-level
section's summary is a slice of its columns; targets are judged on the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from aggregate.frame import UnitFrames, unit_frames
from aggregate.groups import Plan, aggregate_rows, make_plan, unit_rows
from aggregate.model import (
    DESCRIPTIVE_HEADERS,
    NO_KIND_LABEL,
    NOT_REPORTED,
    SUBTOTAL_ROW,
    TOTAL_LABEL,
    TOTAL_ROW,
    UNIT_ROW,
    ColumnHeader,
    UnitInfo,
    subtotal_label,
)
from forms.model import Item, Outline

DESCRIPTIVE = list(DESCRIPTIVE_HEADERS)


@dataclass(frozen=True, eq=False)
class SectionSummary:
    """The summary table of one top-level section.

    `table` has the descriptive columns row_type ("unit" | "subtotal" | "total"), code (None on
    group rows), name (unit name, "Cộng <kind>" or "Tổng cộng"), kind, status (Vietnamese;
    "Chưa báo cáo" for units without data) and then one float column per `columns` entry.
    """

    number: str
    label: str
    columns: tuple[ColumnHeader, ...]
    table: pd.DataFrame

    @property
    def title(self) -> str:
        return f"{self.number} {self.label}".strip()

    def labelled(self) -> pd.DataFrame:
        """The table with Vietnamese headers, ready for a reader."""
        names = {**DESCRIPTIVE_HEADERS, **{c.key: c.header for c in self.columns}}
        return self.table.drop(columns=["row_type"]).rename(columns=names)


def kind_of(unit: UnitInfo) -> str:
    return (unit.kind or "").strip()


def full_table(plan: Plan, frames: UnitFrames, units: Sequence[UnitInfo],
               per_unit: np.ndarray | None = None) -> pd.DataFrame:
    """Every plan column over the shared row layout (units by kind, subtotals, total);
    `per_unit` is `unit_rows(plan, frames)` as an array when the caller already has it."""
    if per_unit is None:
        per_unit = unit_rows(plan, frames).to_numpy(dtype=float)
    n = len(units)
    kinds = np.array([kind_of(unit) for unit in units], dtype=object)
    groups = list(dict.fromkeys(kinds.tolist()))
    subtotals = aggregate_rows(plan, per_unit, kinds, order=groups).to_numpy(dtype=float)
    total = aggregate_rows(plan, per_unit, np.zeros(n, dtype=int), order=[0]).to_numpy(
        dtype=float)
    # One row per column, each contiguous (per_unit is column-major, so its .T is a view).
    stacked = np.concatenate([per_unit.T, subtotals.T, total.T], axis=1)

    take: list[int] = []
    row_type: list[str] = []
    names: list[str] = []
    codes: list[str | None] = []
    kind_labels: list[str] = []
    statuses: list[str] = []
    positions = np.arange(n)
    for g, kind in enumerate(groups):
        members = positions[kinds == kind].tolist()
        take += members
        row_type += [UNIT_ROW] * len(members)
        codes += [units[i].code for i in members]
        names += [units[i].name for i in members]
        kind_labels += [kind or NO_KIND_LABEL] * (len(members) + 1)
        statuses += [units[i].status_label if frames.reported[i] else NOT_REPORTED
                     for i in members]
        take.append(n + g)
        row_type.append(SUBTOTAL_ROW)
        codes.append(None)
        names.append(subtotal_label(kind))
        statuses.append("")
    take.append(n + len(groups))
    row_type.append(TOTAL_ROW)
    codes.append(None)
    names.append(TOTAL_LABEL)
    kind_labels.append("")
    statuses.append("")
    head = pd.DataFrame({"row_type": row_type, "code": pd.Series(codes, dtype=object),
                         "name": names, "kind": kind_labels, "status": statuses})
    # Gathered column by column into a column-major block (pandas' layout, so not copied
    # again): a whole-block row gather of a 100,000-unit round is several times slower.
    rows = np.asarray(take, dtype=np.intp)
    body_block = np.empty((len(rows), len(plan.columns)), order="F")
    for j, column in enumerate(stacked):
        body_block[:, j] = column[rows]
    body = pd.DataFrame(body_block, columns=plan.columns, copy=False)
    return pd.concat([head, body], axis=1)


def section_summaries(outline: Outline, plan: Plan, table: pd.DataFrame
                      ) -> tuple[SectionSummary, ...]:
    """Slice the full table per top-level item (section) that has numeric or count columns."""
    by_item: dict[str, list[ColumnHeader]] = {}
    for header in plan.headers:
        by_item.setdefault(header.item_key, []).append(header)
    out = []
    for top in outline.items:
        columns = [h for item in top.walk() if item.key for h in by_item.get(item.key, [])]
        if not columns:
            continue
        out.append(SectionSummary(
            number=top.number, label=top.label, columns=tuple(columns),
            table=table[DESCRIPTIVE + [c.key for c in columns]].copy()))
    return tuple(out)


def summarize(outline: Outline, units: Sequence[UnitInfo],
              values: Mapping[str, Mapping[str, Any] | None]) -> tuple[SectionSummary, ...]:
    """Summary table per top-level section (see `SectionSummary`)."""
    plan = make_plan(outline)
    frames = unit_frames(outline, units, values)
    return section_summaries(outline, plan, full_table(plan, frames, list(units)))


def section_of(outline: Outline, key: str) -> Item | None:
    """The top-level item holding `key`, for callers placing an item in its summary."""
    for top in outline.items:
        if any(item.key == key for item in top.walk()):
            return top
    return None
