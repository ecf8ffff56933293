"""Column functions over a repeating table: `sum(t.c)`, `min(t.c)`, `max(t.c)`, `avg(t.c)`,
`count(t.c)` and `count(t)`.

A table's value is its list of rows (dicts of column key → typed cell). The semantics follow the
rest of the language, where *no data* is never zero:

- an empty cell (the project's one rule, `forms.kinds.base.is_empty`) is skipped;
- `count(t)` is the number of rows with at least one cell filled, `count(t.c)` the number of
  filled cells of the column; both are 0 for a table without rows (a count is never no data);
- `sum`, `min`, `max` and `avg` of a column without any value are *no data* (None), not 0 — as
  `sum(a, b)` of two empty items is — so a rule over them is not judged and a formula using
  them is no data in turn;
- a cell that is not a number (only possible with unchecked input) makes the result no data,
  as a text argument does for `sum(a, b)`.

The same definitions are written in static/fill.js (the browser preview) and in `excel` (the
template's formulas); tests/forms/expr/test_expr_columns.py holds all three to a plain reference.
"""

from __future__ import annotations

from collections.abc import Mapping

from forms.kinds.base import is_empty

from .functions import COLUMN_FUNCTIONS
from .nodes import Call, ColumnRef, Name, Node


def rows_of(values: Mapping[str, object], table: str) -> list[Mapping[str, object]]:
    """The rows of `table` in `values`: [] when it is missing or not a list of rows."""
    rows = values.get(table)
    if not isinstance(rows, list):
        return []
    return [row for row in rows if isinstance(row, Mapping)]


def cells(values: Mapping[str, object], table: str, column: str) -> list[object]:
    """The filled cells of one column, top to bottom."""
    out = []
    for row in rows_of(values, table):
        cell = row.get(column)
        if not is_empty(cell):
            out.append(cell)
    return out


def count_rows(values: Mapping[str, object], table: str) -> int:
    """Rows with at least one filled cell: a blank row is no row, as the engine reads tables."""
    return sum(1 for row in rows_of(values, table)
               if any(not is_empty(cell) for cell in row.values()))


def column_call(name: str, arg: Node, values: Mapping[str, object]) -> object:
    """The value of a column function, or None for *no data*. `arg` is the call's only
    argument: a `ColumnRef` (or, for `count`, the `Name` of a table)."""
    from .evaluate import reduce_values

    if isinstance(arg, Name):
        table = values.get(arg.key)
        if name != "count" or not (table is None or isinstance(table, list)):
            return None  # not a table (the checker says so)
        return count_rows(values, arg.key)
    if not isinstance(arg, ColumnRef):
        return None
    present = cells(values, arg.table, arg.name)
    if name == "count":
        return len(present)
    return reduce_values(name, present)


def is_column_call(node: Node) -> bool:
    """A call of a column function on a column (or `count` on a name, a table if the checker
    is satisfied): evaluated over the rows rather than over its argument's value."""
    if not isinstance(node, Call) or len(node.args) != 1:
        return False
    arg = node.args[0]
    if isinstance(arg, ColumnRef):
        return node.name in COLUMN_FUNCTIONS
    return node.name in ("count", "avg") and isinstance(arg, Name)
