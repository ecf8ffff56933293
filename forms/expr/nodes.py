"""The syntax tree.

Nodes are frozen so a parsed expression can be shared by every channel (web form, Excel,
aggregation) without copying; positions are kept for messages but left out of equality so
that `parse(str(e)) == e` holds whatever the spacing of the source.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

# Binding strength, loosest first; atoms and calls bind tightest.
PREC_OR = 1
PREC_AND = 2
PREC_NOT = 3
PREC_COMPARE = 4
PREC_ADD = 5
PREC_MUL = 6
PREC_UNARY = 7
PREC_ATOM = 8

ARITHMETIC_OPS = ("+", "-", "*", "/")
COMPARE_OPS = ("<", "<=", ">", ">=", "=", "!=")
LOGICAL_OPS = ("and", "or")


@dataclass(frozen=True)
class Node:
    column: int = field(default=0, kw_only=True, compare=False, repr=False)

    def children(self) -> tuple[Node, ...]:
        return ()

    @property
    def prec(self) -> int:
        return PREC_ATOM


@dataclass(frozen=True)
class Number(Node):
    value: int | float


@dataclass(frozen=True)
class String(Node):
    value: str


@dataclass(frozen=True)
class Boolean(Node):
    value: bool


@dataclass(frozen=True)
class Name(Node):
    key: str


@dataclass(frozen=True)
class ColumnRef(Node):
    """`table.column`: every cell of one column of a repeating table. Only the argument of a
    column function (`sum(t.c)`); the checker reports it anywhere else."""

    table: str
    name: str


@dataclass(frozen=True)
class SelfRef(Node):
    """`.`: the item the constraint or target belongs to."""


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "-", "+" or "not"
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    @property
    def prec(self) -> int:
        return PREC_NOT if self.op == "not" else PREC_UNARY


@dataclass(frozen=True)
class Infix(Node):
    """`left op right`: what every two-operand node holds. Each operator family is its own
    subclass (equality includes the class), differing only in how tightly it binds."""

    op: str
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Binary(Infix):
    """`op` is one of ARITHMETIC_OPS."""

    @property
    def prec(self) -> int:
        return PREC_ADD if self.op in ("+", "-") else PREC_MUL


@dataclass(frozen=True)
class Compare(Infix):
    """`op` is one of COMPARE_OPS (aliases ==, <> are normalised by the parser)."""

    @property
    def prec(self) -> int:
        return PREC_COMPARE


@dataclass(frozen=True)
class Logical(Infix):
    """`op` is "and" or "or"."""

    @property
    def prec(self) -> int:
        return PREC_AND if self.op == "and" else PREC_OR


@dataclass(frozen=True)
class Call(Node):
    name: str  # lower case; may name an unknown function (the checker reports it)
    args: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.args


def walk(node: Node) -> Iterator[Node]:
    """Every node, pre-order, without recursion (trees are shallow, but keep it robust)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children()))


def depth(node: Node) -> int:
    best = 0
    stack = [(node, 1)]
    while stack:
        current, level = stack.pop()
        best = max(best, level)
        stack.extend((child, level + 1) for child in current.children())
    return best


def number_source(value: int | float) -> str:
    """A number as the expression language writes it (`95`, `0.5`): source text, not a
    reader's figure (that is `forms.kinds.numbers.format_number`)."""
    return str(value) if isinstance(value, int) else repr(value)


def quote(text: str) -> str:
    """Double quotes inside a string are written twice, as in Excel."""
    return '"' + text.replace('"', '""') + '"'


def render(node: Node) -> str:
    """The canonical source: minimal parentheses, one space around binary operators."""
    match node:
        case Number(value=value):
            return number_source(value)
        case String(value=value):
            return quote(value)
        case Boolean(value=value):
            return "true" if value else "false"
        case Name(key=key):
            return key
        case ColumnRef(table=table, name=name):
            return f"{table}.{name}"
        case SelfRef():
            return "."
        case Unary(op="not", operand=operand):
            return "not " + _wrap(operand, PREC_NOT)
        case Unary(op=op, operand=operand):
            return op + _wrap(operand, PREC_UNARY)
        case Binary(op=op, left=left, right=right) | Logical(op=op, left=left, right=right):
            return f"{_wrap(left, node.prec)} {op} {_wrap(right, node.prec + 1)}"
        case Compare(op=op, left=left, right=right):
            return f"{_wrap(left, PREC_ADD)} {op} {_wrap(right, PREC_ADD)}"
        case Call(name=name, args=args):
            return f"{name}({', '.join(render(arg) for arg in args)})"
    raise TypeError(f"not an expression node: {node!r}")


def _wrap(node: Node, min_prec: int) -> str:
    text = render(node)
    return f"({text})" if node.prec < min_prec else text
