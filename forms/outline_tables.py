"""The table layer of the outline loader (see `forms.loader`): computed columns (`calculation`
on a column, worked out in each row from the same row's columns) and a table's `row_rules`
(rules judged in each row), each checked at its file:line:column once every item is known."""

from __future__ import annotations

from forms.errors import Code
from forms.expr import Expr
from forms.kinds import CATEGORY
from forms.model import Column, Rule
from forms.outline_exprs import Expressions
from forms.yaml_source import LocDict, Pos


class Tables(Expressions):
    """Reads what belongs to a table's rows; `_Builder` calls it while building a table."""

    def column_formula(self, entry: LocDict, table: str, kind: str | None) -> Expr | None:
        """A computed column: numeric, over the same row's columns only."""
        formula = self.expression(entry, "calculation", self_kind=None, row=(table, True))
        if formula is None:
            return None
        if kind is not None and CATEGORY.get(kind) != "number":
            self.add(entry.key_pos["calculation"], Code.CALC_NOT_NUMERIC,
                     name=str(entry.get("name") or "?"), kind=kind)
            return None
        return formula

    def table_rules(self, data: LocDict, kind: str | None, table: str | None
                    ) -> tuple[Rule, ...]:
        """The table's `row_rules`, read once its columns are known."""
        if "row_rules" not in data:
            return ()
        if kind != "table":
            self.add(data.key_pos["row_rules"], Code.ROW_RULES_NOT_ALLOWED)
            return ()
        return self.rules(data, "row_rules", table or "")

    def check_column_cycles(self, table: str, columns: tuple[Column, ...],
                            where: dict[str, Pos]) -> tuple[str, ...]:
        """The computed columns, each after the computed columns it reads; a cycle between
        computed columns is reported once, at the column where the walk found it."""
        computed = {c.key: c for c in columns if c.formula is not None}
        order: list[str] = []
        state: dict[str, int] = {}  # 1 = on the stack, 2 = done
        stack: list[str] = []

        def visit(key: str) -> None:
            state[key] = 1
            stack.append(key)
            formula = computed[key].formula
            assert formula is not None  # `computed` holds computed columns only
            for dep in sorted(n for n in formula.names() if n in computed):
                if state.get(dep) == 1:
                    cycle = [f"{table}.{k}" for k in (*stack[stack.index(dep):], dep)]
                    self.add(where[dep], Code.CALC_CYCLE, cycle=" → ".join(cycle))
                elif dep not in state:
                    visit(dep)
            stack.pop()
            state[key] = 2
            order.append(key)

        for key in computed:
            if key not in state:
                visit(key)
        return tuple(order)
