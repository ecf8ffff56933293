"""Aggregating unit rows into group rows, the same way for subtotals, totals and roll-ups.

Each item aggregates by its declared mode. The formula mode is the point of this module: a
computed item of a group row is its formula evaluated on the group's aggregated inputs, so the
on-time rate of a district is Σ on-time / Σ resolved, never the mean of the units' rates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from aggregate.frame import UnitFrames, count_items, numeric_items
from aggregate.model import ColumnHeader
from aggregate.vector import evaluate_columns
from forms.loader import computed_order
from forms.model import Item, Outline

MEAN_NOTE = "Dòng cộng: trung bình của các đơn vị có số liệu (nhỏ nhất–lớn nhất, số đơn vị)."
FORMULA_NOTE = "Dòng cộng: tính lại theo công thức trên các số đã cộng, không lấy trung bình."


def _base_header(item: Item) -> str:
    unit = item.unit or ("%" if item.kind == "percent" else None)
    return f"{item.ref} ({unit})" if unit else item.ref


@dataclass(frozen=True)
class Plan:
    """Which columns aggregate how; built once per outline."""

    sums: tuple[str, ...]  # also the yes/no and choice indicator columns: Σ of 1/0 = count
    means: tuple[str, ...]
    minima: tuple[str, ...]
    maxima: tuple[str, ...]
    formulas: tuple[Item, ...]  # in dependency order
    headers: tuple[ColumnHeader, ...]  # every output column, in outline order

    @property
    def columns(self) -> list[str]:
        return [header.key for header in self.headers]


def make_plan(outline: Outline) -> Plan:
    """Read each item's `aggregate` mode into the column lists `aggregate_rows` works on."""
    sums: list[str] = []
    means: list[str] = []
    minima: list[str] = []
    maxima: list[str] = []
    headers: list[ColumnHeader] = []
    counted = {item.key for item in count_items(outline)}
    numeric = {item.key for item in numeric_items(outline)}
    for item in outline.fields():
        key = item.key
        if key is None or (key not in numeric and key not in counted):
            continue
        mode = item.aggregate or "none"

        def header(col: str, role: str, text: str, note: str = "", item: Item = item,
                   mode: str = mode) -> ColumnHeader:
            return ColumnHeader(key=col, item_key=item.key or "", number=item.number,
                                ref=item.ref, label=item.label, unit=item.unit, aggregate=mode,
                                role=role, header=text, note=note)

        if key in counted:
            if item.kind == "yes_no":
                sums.append(key)
                headers.append(header(key, "yes", f"{item.ref}: số đơn vị trả lời «Có»"))
            else:
                for choice in item.choices:
                    col = f"{key}={choice.name}"
                    sums.append(col)
                    headers.append(header(col, "choice",
                                          f"{item.ref}: «{choice.label}» (số đơn vị)"))
            continue
        base = _base_header(item)
        if mode == "sum":
            sums.append(key)
            headers.append(header(key, "value", base))
        elif mode == "mean":
            means.append(key)
            headers.append(header(key, "value", f"{base} — trung bình", MEAN_NOTE))
            headers.append(header(f"{key}@min", "mean_min", f"{item.ref}: nhỏ nhất"))
            headers.append(header(f"{key}@max", "mean_max", f"{item.ref}: lớn nhất"))
            headers.append(header(f"{key}@n", "mean_n", f"{item.ref}: số đơn vị có số liệu"))
        elif mode == "min":
            minima.append(key)
            headers.append(header(key, "value", f"{base} — nhỏ nhất"))
        elif mode == "max":
            maxima.append(key)
            headers.append(header(key, "value", f"{base} — lớn nhất"))
        elif mode == "formula":
            headers.append(header(key, "value", base, FORMULA_NOTE))
        else:  # "none": shown per unit, left empty on group rows
            headers.append(header(key, "value", base))
    formulas = tuple(item for item in computed_order(outline)
                     if item.aggregate == "formula" and item.key in numeric)
    return Plan(tuple(sums), tuple(means), tuple(minima), tuple(maxima), formulas,
                tuple(headers))


def unit_rows(plan: Plan, frames: UnitFrames) -> pd.DataFrame:
    """Per-unit values under the plan's columns (a mean's companions are empty on unit rows),
    as one float block so that group-bys run on a single array. Units that have not reported
    are all NaN already: the frames hold no values for them."""
    columns = plan.columns
    block = np.full((len(frames.numbers), len(columns)), np.nan)
    position = {key: i for i, key in enumerate(columns)}
    for source in (frames.numbers, frames.counts):
        pairs = [(j, position[key]) for j, key in enumerate(source.columns) if key in position]
        if pairs:
            src, dst = (list(x) for x in zip(*pairs, strict=True))
            block[:, dst] = source.to_numpy(dtype=float)[:, src]
    return pd.DataFrame(block, index=frames.numbers.index, columns=columns)


def aggregate_rows(plan: Plan, table: pd.DataFrame | np.ndarray,
                   labels: np.ndarray | pd.Series, order: list | None = None) -> pd.DataFrame:
    """One aggregated row per distinct label (in order of first appearance, or `order`).

    `table` holds unit rows under `plan.columns` (as `unit_rows` gives). A group where no unit
    has a value gets no data (NaN), not 0, in every mode. Groups are reduced in one pass with
    `ufunc.reduceat` over rows sorted by group: a roll-up has as many groups as units, where a
    pandas group-by per column costs several times more.
    """
    columns = plan.columns
    block = table.to_numpy(dtype=float) if isinstance(table, pd.DataFrame) else table
    codes, uniques = pd.factorize(np.asarray(labels, dtype=object), sort=False)
    out = np.full((len(uniques), len(columns)), np.nan)
    if len(codes):
        perm = np.argsort(codes, kind="stable")
        ordered = block[perm]
        sorted_codes = codes[perm]
        starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
        position = {key: i for i, key in enumerate(columns)}

        def take(keys: tuple[str, ...]) -> tuple[list[int], np.ndarray]:
            idx = [position[key] for key in keys]
            return idx, ordered[:, idx]

        additive = plan.sums + plan.means
        if additive:
            idx, part = take(additive)
            present = ~np.isnan(part)
            sums = np.add.reduceat(np.where(present, part, 0.0), starts, axis=0)
            counts = np.add.reduceat(present.astype(np.int64), starts, axis=0)
            with np.errstate(all="ignore"):
                n_sums = len(plan.sums)
                out[:, idx[:n_sums]] = np.where(counts[:, :n_sums] > 0, sums[:, :n_sums], np.nan)
                mean_counts = counts[:, n_sums:]
                out[:, idx[n_sums:]] = np.where(mean_counts > 0,
                                                sums[:, n_sums:] / mean_counts, np.nan)
            if plan.means:
                _, part = take(plan.means)
                out[:, [position[f"{k}@min"] for k in plan.means]] = np.fmin.reduceat(
                    part, starts, axis=0)
                out[:, [position[f"{k}@max"] for k in plan.means]] = np.fmax.reduceat(
                    part, starts, axis=0)
                out[:, [position[f"{k}@n"] for k in plan.means]] = mean_counts
        for keys, reducer in ((plan.minima, np.fmin), (plan.maxima, np.fmax)):
            if keys:
                idx, part = take(keys)
                out[:, idx] = reducer.reduceat(part, starts, axis=0)
    frame = pd.DataFrame(out, index=pd.Index(uniques), columns=columns)
    for item in plan.formulas:
        frame[item.key] = evaluate_columns(item.formula, frame)  # type: ignore[arg-type]
    if order is not None:
        frame = frame.reindex(order)
        n_columns = [f"{k}@n" for k in plan.means]
        frame[n_columns] = frame[n_columns].fillna(0.0)
    return frame
