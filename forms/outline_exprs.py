"""The expression layer of the outline loader (see `forms.loader`): formulas, constraints,
targets and cross-item rules are parsed where they stand and checked once every item is known
(unknown names, arithmetic on text, formula cycles), each problem at its file:line:column."""

from __future__ import annotations

import re

from forms.errors import Code, did_you_mean
from forms.expr import Expr, ExprSyntaxError, parse
from forms.model import Rule, Target
from forms.outline_reader import Reader
from forms.yaml_source import LocDict, LocList, Pos

RULE_KEYS = ("name", "constraint", "message", "severity", "items")
TARGET_RE = re.compile(r"^\s*(>=|<=|!=|<>|==|=|>|<|≥|≤|≠)\s*(.+?)\s*$", re.S)
TARGET_OPS = {"≥": ">=", "≤": "<=", "≠": "!=", "<>": "!=", "==": "="}


class Expressions(Reader):
    """Parses expressions as the builder meets them; checks them at the end."""

    # -- expressions -----------------------------------------------------------------------
    def expression(self, data: LocDict, key: str, *, self_kind: str | None,
                   row: tuple[str, bool] | None = None) -> Expr | None:
        """`row`: (table, only its columns) for an expression read in one row of a table."""
        value = data.get(key)
        if value is None:
            return None
        pos = data.value_pos[key]
        text = str(value)
        try:
            expr = parse(text)
        except ExprSyntaxError as exc:
            self.add(self.shift(pos, exc.column), Code.EXPR_SYNTAX, source=text,
                     detail=exc.message)
            return None
        self.pending_exprs.append((expr, pos, self_kind, 0, row))
        return expr

    @staticmethod
    def shift(pos: Pos, column: int, offset: int = 0) -> Pos:
        """Position of the column-th character of a scalar's text (single-line scalars)."""
        return Pos(pos.line, pos.column + (1 if pos.quoted else 0) + offset + column - 1)

    def target(self, data: LocDict, kind: str | None, category: str | None) -> Target | None:
        value = data.get("target")
        if value is None:
            return None
        pos = data.value_pos["target"]
        if kind is not None and category not in ("number", "bool"):
            self.add(data.key_pos["target"], Code.TARGET_NOT_ALLOWED, kind=kind)
            return None
        source = str(value)
        match = TARGET_RE.match(source)
        if not match:
            self.add(pos, Code.BAD_TARGET, source=source)
            return None
        op = TARGET_OPS.get(match.group(1), match.group(1))
        rhs = match.group(2)
        try:
            expr = parse(rhs)
        except ExprSyntaxError as exc:
            self.add(self.shift(pos, exc.column, match.start(2)), Code.BAD_TARGET, source=source)
            return None
        self.pending_exprs.append((expr, pos, category, match.start(2), None))
        return Target(source=source, op=op, expr=expr)

    def rules(self, data: LocDict, key: str = "rules", table: str | None = None
              ) -> tuple[Rule, ...]:
        """The outline's `rules`, or with `table` a table's `row_rules` (judged in each row:
        a bare name is first a column of the row)."""
        entries = data.get(key)
        if entries is None:
            return ()
        if not isinstance(entries, LocList):
            self.add(data.value_pos[key], Code.NOT_A_LIST, what=f"'{key}'")
            return ()
        row_columns = self.table_columns.get(table or "", {})
        out = []
        seen: dict[str, Pos] = {}
        for entry, pos in zip(entries, entries.item_pos, strict=True):
            if not isinstance(entry, LocDict):
                self.add(pos, Code.NOT_A_MAPPING, what="Mỗi quy tắc")
                continue
            self.unknown_keys(entry, RULE_KEYS, "quy tắc")
            for key in ("name", "constraint", "message"):
                if key not in entry:
                    self.add(entry.pos, Code.MISSING_KEY, key=key, where="quy tắc")
            name = str(entry.get("name") or "")
            if name in seen:
                self.add(entry.value_pos["name"], Code.DUPLICATE_RULE, name=name,
                         first=seen[name].line)
            elif name:
                seen[name] = entry.value_pos["name"]
            severity = str(entry.get("severity") or "error")
            if severity not in ("error", "warning"):
                self.add(entry.value_pos["severity"], Code.BAD_SEVERITY, value=severity)
            expr = self.expression(entry, "constraint", self_kind=None,
                                   row=None if table is None else (table, False))
            attached = self.rule_items(entry, row_columns)
            message = self.text(entry, "message")
            if expr is not None and name and message:
                names = expr.names()
                items = attached or (
                    tuple(c for c in row_columns if c in names)
                    + tuple(sorted((n for n in names if n not in row_columns and n != table),
                                   key=self.line_of)))
                out.append(Rule(name=name, expr=expr, message=message, severity=severity,
                                items=items, line=entry.pos.line))
        return tuple(out)

    def line_of(self, name: str) -> int:
        pos = self.names.get(name)
        return pos.line if pos else 0

    def rule_items(self, entry: LocDict, row_columns: dict[str, str]) -> tuple[str, ...]:
        value = entry.get("items")
        if value is None:
            return ()
        if not isinstance(value, LocList):
            self.add(entry.value_pos["items"], Code.NOT_A_LIST, what="'items' của quy tắc")
            return ()
        out = []
        for name, pos in zip(value, value.item_pos, strict=True):
            if str(name) not in self.names and str(name) not in row_columns:
                self.add(pos, Code.RULE_UNKNOWN_ITEM, name=name,
                         hint=did_you_mean(str(name), [*row_columns, *self.names]))
            else:
                out.append(str(name))
        return tuple(out)

    def check_expressions(self) -> None:
        for expr, pos, self_kind, offset, row in self.pending_exprs:
            table, row_only = row or (None, False)
            for problem in expr.problems(self.kinds_by_name, self_kind=self_kind,
                                         columns=self.table_columns, row_table=table,
                                         row_only=row_only):
                self.add(self.shift(pos, problem.column, offset), Code.EXPR_PROBLEM,
                         source=expr.source, detail=problem.message)

    def check_cycles(self) -> None:
        """Report each formula cycle once, at the item where the walk found it."""
        graph = {key: sorted(n for n in expr.names() if n in self.formulas)
                 for key, (expr, _pos) in self.formulas.items()}
        state: dict[str, int] = {}  # 1 = on the stack, 2 = done
        stack: list[str] = []

        def visit(key: str) -> None:
            state[key] = 1
            stack.append(key)
            for dep in graph[key]:
                if state.get(dep) == 1:
                    cycle = [*stack[stack.index(dep):], dep]
                    self.add(self.formulas[dep][1], Code.CALC_CYCLE, cycle=" → ".join(cycle))
                elif dep not in state:
                    visit(dep)
            stack.pop()
            state[key] = 2

        for key in graph:
            if key not in state:
                visit(key)
