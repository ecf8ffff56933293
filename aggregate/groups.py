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
from aggregate.vector import computed_column
from forms.kinds import get_kind, unit_word
from forms.kinds.numbers import figure_decimals
from forms.loader import computed_order
from forms.model import Item, Outline

MEAN_NOTE = "Dòng cộng: trung bình của các đơn vị có số liệu (nhỏ nhất–lớn nhất, số đơn vị)."
FORMULA_NOTE = "Dòng cộng: tính lại theo công thức trên các số đã cộng, không lấy trung bình."


def _base_header(item: Item) -> str:
    unit = unit_word(item)
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
                                role=role, header=text, note=note,
                                decimals=0 if role in ("yes", "choice", "mean_n")
                                else figure_decimals(item))

        if key in counted:
            for tally in get_kind(item.kind).tallies(key, item):
                sums.append(tally.column)
                headers.append(header(tally.column, tally.role, f"{item.ref}: {tally.words}"))
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
    # Column-major like pandas itself: each column is copied as one contiguous run.
    block = np.full((len(frames.numbers), len(columns)), np.nan, order="F")
    position = {key: i for i, key in enumerate(columns)}
    for source in (frames.numbers, frames.counts):
        for key in source.columns:
            if key in position:
                block[:, position[key]] = source[key].to_numpy(dtype=float)
    return pd.DataFrame(block, index=frames.numbers.index, columns=columns, copy=False)


CHUNK_CELLS = 1 << 19  # cells of one column chunk: ~4 MB of floats, stays in the CPU caches
_NONE, _SUM, _MEAN, _MIN, _MAX = range(5)


def aggregate_rows(plan: Plan, table: pd.DataFrame | np.ndarray,
                   labels: np.ndarray | pd.Series, order: list | None = None,
                   rows: np.ndarray | None = None) -> pd.DataFrame:
    """One aggregated row per distinct label (in order of first appearance, or `order`).

    `table` holds unit rows under `plan.columns` (as `unit_rows` gives); `rows`, when given,
    picks (and may repeat) rows of `table` to aggregate, one per label. A group where no unit
    has a value gets no data (NaN), not 0, in every mode. Groups are reduced in one pass with
    `ufunc.reduceat` over rows sorted by group: a roll-up has as many groups as units, where a
    pandas group-by per column costs several times more. The columns go a chunk at a time so
    that every temporary stays small: whole-block temporaries of a 100,000-unit round are
    hundreds of MB, and time then grows faster than the round.
    """
    columns = plan.columns
    block = table.to_numpy(dtype=float) if isinstance(table, pd.DataFrame) else table
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":  # integer labels (roll-up positions) hash as integers
        labels = labels.astype(object)
    codes, uniques = pd.factorize(labels, sort=False)
    out = np.full((len(uniques), len(columns)), np.nan, order="F")  # pandas' own layout
    if len(codes) and columns:
        perm = np.argsort(codes, kind="stable")
        sorted_codes = codes[perm]
        starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
        picked = perm if rows is None else np.asarray(rows)[perm]
        position = {key: i for i, key in enumerate(columns)}
        mode = np.full(len(columns), _NONE)
        for keys, code in ((plan.sums, _SUM), (plan.means, _MEAN), (plan.minima, _MIN),
                           (plan.maxima, _MAX)):
            mode[[position[key] for key in keys]] = code
        width = max(1, CHUNK_CELLS // len(picked))
        for first in range(0, len(columns), width):
            last = min(first + width, len(columns))
            _reduce_chunk(block[picked, first:last], starts, mode[first:last],
                          [columns[i] for i in range(first, last)], position, out, first)
    frame = _with_formulas(plan, pd.DataFrame(out, index=pd.Index(uniques), columns=columns,
                                              copy=False))
    if order is not None and (len(order) != len(uniques) or any(
            a != b for a, b in zip(order, uniques, strict=True))):
        frame = frame.reindex(order)
        n_columns = [f"{k}@n" for k in plan.means]
        frame[n_columns] = frame[n_columns].fillna(0.0)
    return frame


def single_rows(plan: Plan, table: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """What `aggregate_rows` gives when every group is one unit row, without reducing: the
    row itself, a mean's companions from its value (min = max = value, n = 1 or 0), columns
    that do not aggregate left empty and formulas evaluated on the row, as on any group row.
    Most units of a roll-up have nothing below them."""
    columns = plan.columns
    position = {key: i for i, key in enumerate(columns)}
    out = np.array(table, dtype=float, order="F")  # a copy: the caller's rows stay as they are
    kept = set(plan.sums) | set(plan.minima) | set(plan.maxima)
    for key in plan.means:
        value = out[:, position[key]]
        out[:, position[f"{key}@min"]] = value
        out[:, position[f"{key}@max"]] = value
        out[:, position[f"{key}@n"]] = ~np.isnan(value)
        kept |= {key, f"{key}@min", f"{key}@max", f"{key}@n"}
    for key in columns:
        if key not in kept:  # "none" and formula columns: empty, then formulas recomputed
            out[:, position[key]] = np.nan
    return _with_formulas(plan, pd.DataFrame(out, index=index, columns=columns, copy=False))


def _with_formulas(plan: Plan, frame: pd.DataFrame) -> pd.DataFrame:
    """A group row's computed items: their formula on the group's aggregated inputs."""
    for item in plan.formulas:
        assert item.formula is not None  # the plan lists computed items only
        frame[item.key] = computed_column(item, frame)
    return frame


def _reduce_chunk(part: np.ndarray, starts: np.ndarray, mode: np.ndarray, keys: list[str],
                  position: dict[str, int], out: np.ndarray, first: int) -> None:
    """Aggregate the group-sorted rows of columns first… of `out` by each column's mode; a
    mean also fills its @min, @max and @n companions, wherever they sit."""
    present = ~np.isnan(part)
    additive = (mode == _SUM) | (mode == _MEAN)
    with np.errstate(all="ignore"):
        if additive.any():
            idx = np.flatnonzero(additive)
            chosen = part[:, idx]
            counts = np.add.reduceat(present[:, idx], starts, axis=0, dtype=np.int64)
            sums = np.add.reduceat(np.where(present[:, idx], chosen, 0.0), starts, axis=0)
            summed = mode[idx] == _SUM
            out[:, first + idx[summed]] = np.where(counts[:, summed] > 0, sums[:, summed],
                                                   np.nan)
            for j in np.flatnonzero(~summed):
                col = idx[j]
                out[:, first + col] = np.where(counts[:, j] > 0, sums[:, j] / counts[:, j],
                                               np.nan)
                key = keys[col]
                out[:, position[f"{key}@min"]] = np.fmin.reduceat(chosen[:, j], starts)
                out[:, position[f"{key}@max"]] = np.fmax.reduceat(chosen[:, j], starts)
                out[:, position[f"{key}@n"]] = counts[:, j]
        for code, reducer in ((_MIN, np.fmin), (_MAX, np.fmax)):
            idx = np.flatnonzero(mode == code)
            if len(idx):
                out[:, first + idx] = reducer.reduceat(part[:, idx], starts, axis=0)
