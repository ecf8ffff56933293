"""The parsed expression handed to the rest of the engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .errors import ExprProblem
from .nodes import ColumnRef, Name, Node, SelfRef, render, walk


@dataclass(frozen=True)
class Expr:
    """An immutable parsed expression. Equality compares the tree, not the spelling."""

    source: str = field(compare=False)
    root: Node = field(repr=False)

    def __str__(self) -> str:
        return render(self.root)

    @cached_property
    def _names(self) -> frozenset[str]:
        return frozenset(
            node.key if isinstance(node, Name) else node.table
            for node in walk(self.root)
            if isinstance(node, Name | ColumnRef)
        )

    def names(self) -> frozenset[str]:
        """Item keys the expression reads (a table for `sum(t.c)`; in a row, the row's column
        keys too): what a formula depends on, for cycle checks."""
        return self._names

    @cached_property
    def reads_tables(self) -> bool:
        """Whether a column function (`sum(t.c)`, `count(t)`) stands in the expression: its
        value needs a unit's rows, which a consolidated total does not have."""
        from .columns import is_column_call

        return any(is_column_call(node) or isinstance(node, ColumnRef)
                   for node in walk(self.root))

    @cached_property
    def uses_self(self) -> bool:
        return any(isinstance(node, SelfRef) for node in walk(self.root))

    def evaluate(self, values: Mapping[str, object], self_value: object = None) -> object | None:
        """The value, or None for *no data*; never raises, whatever the values are."""
        from .evaluate import evaluate

        return evaluate(self.root, values, self_value)

    def problems(self, kinds: Mapping[str, str], self_kind: str | None = None, *,
                 columns: Mapping[str, Mapping[str, str]] | None = None,
                 row_table: str | None = None, row_only: bool = False) -> list[ExprProblem]:
        """Mistakes the outline checker reports: unknown names, tables, columns and functions,
        argument counts, arithmetic on non-numbers, comparisons that can never hold, column
        functions misused. Empty when sound. `columns` gives each table's column categories;
        `row_table`/`row_only` read the expression in one row of a table (see `check`)."""
        from .check import problems

        return problems(self.root, kinds, self_kind, columns, row_table, row_only)

    def to_excel(self, cells: Mapping[str, str], self_cell: str | None = None,
                 ranges: Mapping[str, tuple[str, ...]] | None = None, *,
                 decimals: int | None = None) -> str:
        """A live Excel formula (starting with "=") that shows "" wherever `evaluate` gives
        None for numeric inputs. Raises ValueError for a name missing from `cells`, a table
        column missing from `ranges` (see `excel.to_excel`), a `.` without `self_cell`, or a
        function call `problems` would report.

        `decimals` wraps the figure in ROUND(…, decimals): a computed cell of a template holds
        the figure every other channel shows (108,33), not Excel's 15 digits."""
        from .excel import to_excel
        from .nodes import Call, Number

        root = self.root if decimals is None else Call("round", (self.root, Number(decimals)))
        return to_excel(root, cells, self_cell, ranges)
