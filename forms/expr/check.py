"""Static checks for the outline checker: catch at load time what would otherwise only show
as a formula that is silently always empty."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from forms.kinds.numbers import format_number

from . import nodes as n
from .errors import ExprProblem
from .functions import COLUMN_FUNCTIONS, FUNCTIONS, NUMERIC_COLUMN_FUNCTIONS

KIND_WORDS = {
    "number": "số",
    "text": "văn bản",
    "choice": "lựa chọn",
    "date": "ngày tháng",
    "bool": "có/không",
    "table": "bảng",
    "string": "chuỗi",
}
NOT_NUMBERS = frozenset({"text", "choice", "date", "bool", "table", "string"})
NOT_CONDITIONS = frozenset({"number", "text", "choice", "date", "table", "string"})
# What may be compared with what: a choice holds its name, so it compares with a string.
FAMILY = {
    "number": "number",
    "text": "text",
    "choice": "text",
    "string": "text",
    "date": "date",
    "bool": "bool",
    "table": "table",
}


def problems(
    root: n.Node,
    kinds: Mapping[str, str],
    self_kind: str | None = None,
    columns: Mapping[str, Mapping[str, str]] | None = None,
    row_table: str | None = None,
    row_only: bool = False,
) -> list[ExprProblem]:
    """`columns`: table key → column key → category. `row_table`: the expression is read in
    a row of that table (a computed column or a row rule), where a bare name is first a column
    of the same row; `row_only`: nothing but the row's columns may be named (a computed
    column, worked out before any item)."""
    checker = _Checker(kinds, self_kind, columns or {}, row_table, row_only)
    checker.infer(root)
    return sorted(checker.found, key=lambda problem: problem.column)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f'; có phải là "{close[0]}"?' if close else ""


class _Checker:
    def __init__(self, kinds: Mapping[str, str], self_kind: str | None,
                 columns: Mapping[str, Mapping[str, str]], row_table: str | None,
                 row_only: bool) -> None:
        self.kinds = kinds
        self.self_kind = self_kind
        self.columns = columns
        self.row_table = row_table
        self.row_columns: Mapping[str, str] = columns.get(row_table or "", {})
        self.row_only = row_only
        self.found: list[ExprProblem] = []

    def report(self, node: n.Node, message: str) -> None:
        self.found.append(ExprProblem(node.column, message))

    def infer(self, node: n.Node) -> str | None:
        """The category of the node's value ("number", "bool", …, "string" for a literal),
        or None when unknown (an unknown name already reported, or mixed branches)."""
        match node:
            case n.Number():
                return "number"
            case n.String():
                return "string"
            case n.Boolean():
                return "bool"
            case n.Name(key=key) if key in self.row_columns:
                kind = self.row_columns[key]
                return kind if kind in KIND_WORDS else None
            case n.Name(key=key) if self.row_only:
                self.report(
                    node,
                    f'bảng "{self.row_table}" không có cột "{key}"'
                    + did_you_mean(key, self.row_columns)
                    + "; công thức của một cột chỉ dùng các cột cùng dòng",
                )
                return None
            case n.ColumnRef():
                if self.column_kind(node) is not None:
                    self.report(
                        node,
                        f'cột "{render_ref(node)}" chỉ dùng được bên trong một hàm trên cột: '
                        + ", ".join(f"{name}({render_ref(node)})" for name in
                                    ("sum", "min", "max", "avg", "count")),
                    )
                return None
            case n.Name(key=key):
                if key not in self.kinds:
                    self.report(
                        node, f'không có mục nào tên "{key}"' + did_you_mean(key, self.kinds)
                    )
                    return None
                kind = self.kinds[key]
                return kind if kind in KIND_WORDS else None
            case n.SelfRef():
                if self.self_kind is None:
                    self.report(
                        node,
                        'dấu "." (chính mục này) chỉ dùng được trong ràng buộc hoặc chỉ tiêu '
                        "của một mục",
                    )
                    return None
                return self.self_kind if self.self_kind in KIND_WORDS else None
            case n.Unary(op="not", operand=operand):
                self.condition(operand)
                return "bool"
            case n.Unary(operand=operand):
                self.number(operand)
                return "number"
            case n.Binary(left=left, right=right):
                self.number(left)
                self.number(right)
                return "number"
            case n.Logical(left=left, right=right):
                self.condition(left)
                self.condition(right)
                return "bool"
            case n.Compare(left=left, right=right):
                self.comparison(node, left, right)
                return "bool"
            case n.Call():
                return self.call(node)
        return None

    def number(self, node: n.Node) -> None:
        kind = self.infer(node)
        if kind in NOT_NUMBERS:
            self.report(node, f"không thể làm phép tính với {describe(node, kind)}")

    def condition(self, node: n.Node) -> None:
        kind = self.infer(node)
        if kind in NOT_CONDITIONS:
            self.report(
                node,
                f"cần một điều kiện đúng/sai ở đây (ví dụ một phép so sánh), "
                f"không phải {describe(node, kind)}",
            )

    def comparison(self, node: n.Compare, left: n.Node, right: n.Node) -> None:
        left_kind, right_kind = self.infer(left), self.infer(right)
        if left_kind is None or right_kind is None:
            return
        if "table" in (left_kind, right_kind):
            table = left if left_kind == "table" else right
            self.report(table, f"không thể so sánh {describe(table, 'table')}")
            return
        if FAMILY[left_kind] != FAMILY[right_kind]:
            where = right if isinstance(right, n.String) or not isinstance(left, n.String) else left
            self.report(
                where,
                f"không thể so sánh {describe(left, left_kind)} với {describe(right, right_kind)}",
            )
        elif left_kind == "bool" and node.op not in ("=", "!="):
            self.report(node, "giá trị đúng/sai chỉ so sánh được bằng = hoặc !=")

    def table(self, node: n.Node, table: str) -> bool:
        """Whether `table` names a repeating table the expression may read; reports why not."""
        if self.kinds.get(table) != "table":
            if table in self.kinds:
                self.report(node, f'mục "{table}" không phải là bảng')
            else:
                tables = [key for key, kind in self.kinds.items() if kind == "table"]
                self.report(node, f'không có bảng nào tên "{table}"' + did_you_mean(table, tables))
            return False
        if self.row_table is not None and table != self.row_table:
            self.report(
                node,
                f'biểu thức trong một dòng của bảng "{self.row_table}" không dùng được bảng '
                f'khác ("{table}")',
            )
            return False
        return True

    def column_kind(self, node: n.ColumnRef) -> str | None:
        """The category of the column `node` names, or None (reported) when there is none."""
        if self.row_only:
            self.report(node, "công thức của một cột chỉ dùng các cột cùng dòng, viết tên cột "
                              f'không kèm tên bảng (ví dụ "{node.name}")')
            return None
        if not self.table(node, node.table):
            return None
        known = self.columns.get(node.table, {})
        if node.name not in known:
            self.report(node, f'bảng "{node.table}" không có cột "{node.name}"'
                        + did_you_mean(node.name, known))
            return None
        return known[node.name]

    def column_call(self, node: n.Call) -> str:
        """`sum(t.c)`, `count(t)`…: one argument, a column of a table (or a table for count)."""
        name = node.name
        arg = node.args[0] if len(node.args) == 1 else None
        if isinstance(arg, n.ColumnRef):
            kind = self.column_kind(arg)
            if kind is not None and name in NUMERIC_COLUMN_FUNCTIONS and kind != "number":
                self.report(
                    node,
                    f'hàm "{name}" chỉ dùng với cột số; cột "{render_ref(arg)}" là cột '
                    f"{KIND_WORDS.get(kind, kind)}",
                )
            return "number"
        if name == "count" and isinstance(arg, n.Name) and arg.key not in self.row_columns:
            if self.row_only:
                self.infer(arg)
            else:
                self.table(arg, arg.key)
            return "number"
        for other in node.args:
            if not isinstance(other, n.ColumnRef):
                self.infer(other)
        if name == "count":
            self.report(node, 'hàm "count" cần một bảng, count(bang), hoặc một cột của bảng, '
                              "count(bang.cot)")
        elif name == "avg":
            self.report(node, 'hàm "avg" cần một cột số của bảng, avg(bang.cot)')
        else:
            self.report(node, f'hàm "{name}" trên một cột chỉ nhận đúng một đối số, '
                              f"ví dụ {name}(bang.cot)")
        return "number"

    def call(self, node: n.Call) -> str | None:
        if node.name in COLUMN_FUNCTIONS and (
            node.name in ("count", "avg") or any(isinstance(a, n.ColumnRef) for a in node.args)
        ):
            return self.column_call(node)
        function = FUNCTIONS.get(node.name)
        if function is None:
            for arg in node.args:
                self.infer(arg)
            hint = did_you_mean(node.name, FUNCTIONS) or (
                "; các hàm dùng được: " + ", ".join(FUNCTIONS)
            )
            self.report(node, f'không có hàm "{node.name}"' + hint)
            return None
        if not function.accepts(len(node.args)):
            self.report(
                node,
                f'hàm "{node.name}" cần {function.arity}, ở đây có {len(node.args)}',
            )
        if node.name == "if":
            if not node.args:
                return None
            self.condition(node.args[0])
            branches = {self.infer(arg) for arg in node.args[1:3]}
            for arg in node.args[3:]:
                self.infer(arg)
            return branches.pop() if len(branches) == 1 else None
        for arg in node.args:
            self.number(arg)
        return "number"


def render_ref(node: n.ColumnRef) -> str:
    return f"{node.table}.{node.name}"


def describe(node: n.Node, kind: str | None) -> str:
    """How a message names an operand: by item name where there is one."""
    word = KIND_WORDS.get(kind or "", "")
    match node:
        case n.Name(key=key):
            return f'mục {word} "{key}"'
        case n.SelfRef():
            return f"chính mục này (mục {word})"
        case n.String(value=value):
            return f'chuỗi "{value}"'
        case n.Number(value=value):
            return f"số {format_number(value)}"
        case n.Boolean():
            return "giá trị đúng/sai"
    if kind == "bool":
        return "kết quả đúng/sai"
    return f"giá trị {word}"
