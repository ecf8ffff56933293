"""Formulas evaluated over whole columns at once.

A formula such as `dung_han / da_giai_quyet * 100` must be evaluated for 10,000 units and for
every subtotal row; calling the interpreter once per row is the slow part of a consolidation.
This module translates the common part of the expression tree (numbers, item names, `.`,
arithmetic, `sum`/`min`/`max`/`abs`) to numpy arithmetic with the interpreter's semantics:
NaN stands for *no data* and propagates, division by zero and overflow give NaN. Anything else
(comparisons, `if`, `round`, strings, booleans) falls back to the interpreter row by row, so the
result is always the one `Expr.evaluate` gives.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from forms.expr import Expr
from forms.expr.evaluate import compare
from forms.expr.nodes import Binary, Call, Name, Node, Number, SelfRef, Unary
from forms.kinds.numbers import figure_decimals
from forms.model import Item


class Untranslatable(Exception):
    """The expression uses something only the interpreter handles."""


def _finite(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array, dtype=float)
    return np.where(np.isfinite(array), array, np.nan)


def _vec(node: Node, columns: Mapping[str, np.ndarray], self_values: np.ndarray | None,
         size: int) -> np.ndarray:
    if isinstance(node, Number):
        return np.full(size, float(node.value))
    if isinstance(node, Name):
        if node.key not in columns:
            raise Untranslatable(node.key)
        return columns[node.key]
    if isinstance(node, SelfRef):
        if self_values is None:
            raise Untranslatable(".")
        return self_values
    if isinstance(node, Unary) and node.op in ("-", "+"):
        value = _vec(node.operand, columns, self_values, size)
        return -value if node.op == "-" else value
    if isinstance(node, Binary):
        left = _vec(node.left, columns, self_values, size)
        right = _vec(node.right, columns, self_values, size)
        with np.errstate(all="ignore"):
            if node.op == "+":
                return _finite(left + right)
            if node.op == "-":
                return _finite(left - right)
            if node.op == "*":
                return _finite(left * right)
            if node.op == "/":
                return _finite(np.where(right == 0, np.nan, left / right))
        raise Untranslatable(node.op)
    if isinstance(node, Call) and node.name in ("sum", "min", "max", "abs") and node.args:
        args = [_vec(arg, columns, self_values, size) for arg in node.args]
        if node.name == "abs":
            if len(args) != 1:
                raise Untranslatable("abs")
            return np.abs(args[0])
        stacked = np.vstack(args)
        present = ~np.isnan(stacked)
        with np.errstate(all="ignore"):
            if node.name == "sum":
                result = _finite(np.where(present, stacked, 0.0).sum(axis=0))
            elif node.name == "min":
                result = np.fmin.reduce(stacked, axis=0)
            else:
                result = np.fmax.reduce(stacked, axis=0)
        return np.where(present.any(axis=0), result, np.nan)
    raise Untranslatable(type(node).__name__)


def _as_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return math.nan
    return float(value) if math.isfinite(value) else math.nan


def _none_if_nan(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def evaluate_columns(expr: Expr, frame: pd.DataFrame, *, self_values: np.ndarray | None = None,
                     records: Callable[[], Sequence[Mapping[str, Any]]] | None = None
                     ) -> np.ndarray:
    """`expr` for every row of `frame` (float columns, NaN = no data), as a float array.

    `records`, when given, supplies each row's values for the interpreter fallback (the unit's
    raw values, so that yes/no and choices reach formulas that use them); by default the row of
    `frame` itself is used.
    """
    size = len(frame)
    columns = {key: frame[key].to_numpy(dtype=float) for key in expr.names() if key in frame}
    try:
        return np.asarray(_vec(expr.root, columns, self_values, size), dtype=float)
    except Untranslatable:
        pass
    rows: Sequence[Mapping[str, Any]]
    if records is not None:
        rows = records()
    else:
        names = [key for key in expr.names() if key in frame]
        block = frame[names].astype(object).where(frame[names].notna(), None)
        # cast: pandas-stubs type a record's keys as Hashable; these columns are item keys.
        rows = cast("list[dict[str, Any]]", block.to_dict("records"))
    out = np.empty(size, dtype=float)
    selfs = self_values if self_values is not None else np.full(size, np.nan)
    for i, row in enumerate(rows):
        out[i] = _as_number(expr.evaluate(row, self_value=_none_if_nan(float(selfs[i]))))
    return out


def judge(op: str, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """`left op right` per row as an object array of True / False / None (no data).

    Decided in bulk where the two sides are clearly apart; where they are within rounding noise
    the interpreter's own `compare` decides (it compares floats on 15 significant digits, so a
    rate of 94.99999999999999 meets a target of 95 here exactly as in the web form).
    """
    left = np.asarray(left, dtype=float)
    right = np.asarray(right, dtype=float)
    missing = np.isnan(left) | np.isnan(right)
    with np.errstate(all="ignore"):
        ops: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
            ">=": np.greater_equal, ">": np.greater, "<=": np.less_equal, "<": np.less,
            "=": np.equal, "!=": np.not_equal,
        }
        result = ops[op](left, right).astype(object)
        scale = np.maximum(np.abs(left), np.abs(right))
        close = ~missing & (np.abs(left - right) <= 1e-12 * np.maximum(scale, 1e-300))
    for i in np.flatnonzero(close):
        result[i] = compare(op, float(left[i]), float(right[i]))
    result[missing] = None
    return result


def computed_column(item: Item, columns: pd.DataFrame, **options: Any) -> np.ndarray:
    """A computed item's column: its formula over `columns` (see `evaluate_columns`), each
    figure rounded as the engine rounds the item on a unit's report (`round_computed`: Python's
    round on the float's exact value), so a consolidated 108,33 is the form's 108,33 and a
    target is judged on the figure shown."""
    assert item.formula is not None
    values = evaluate_columns(item.formula, columns, **options)
    decimals = figure_decimals(item)
    return np.fromiter((round(v, decimals) if math.isfinite(v) else math.nan
                        for v in np.asarray(values, dtype=float).tolist()),
                       dtype=float, count=len(values))
