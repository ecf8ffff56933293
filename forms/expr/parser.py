"""A recursive-descent parser: precedence or < and < not < comparison < +,- < *,/ < unary.

Each level is one method so the grammar reads off the code; nesting is bounded so that no
input, however hostile, can raise anything but `ExprSyntaxError`.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import ExprSyntaxError
from .expression import Expr
from .nodes import (
    Binary,
    Boolean,
    Call,
    ColumnRef,
    Compare,
    Infix,
    Logical,
    Name,
    Node,
    Number,
    SelfRef,
    String,
    Unary,
    depth,
)
from .tokens import COMPARE_OPS_SET, Token, tokenize

MAX_NESTING = 60
MAX_DEPTH = 100


def parse(source: str) -> Expr:
    """Parse once; the returned `Expr` is immutable and can be evaluated any number of times."""
    if not isinstance(source, str):
        raise TypeError("an expression source must be a str")
    root = _Parser(source).parse()
    if depth(root) > MAX_DEPTH:
        raise ExprSyntaxError(1, "biểu thức quá dài hoặc lồng nhau quá sâu; hãy chia nhỏ")
    return Expr(source, root)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.pos = 0
        self.nesting = 0

    # -- helpers ---------------------------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.pos += 1
        return token

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.value in ops

    def at_keyword(self, word: str) -> bool:
        return self.tok.kind == "keyword" and self.tok.value == word

    def enter(self, column: int) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise ExprSyntaxError(column, "biểu thức lồng nhau quá sâu; hãy chia nhỏ")

    def unexpected(self) -> ExprSyntaxError:
        token = self.tok
        if token.kind == "end":
            return ExprSyntaxError(token.column, "biểu thức bị bỏ dở")
        if token.kind == "op" and token.value == ",":
            return ExprSyntaxError(
                token.column, 'dấu "," chỉ dùng để ngăn cách các đối số của một hàm'
            )
        if token.kind == "op" and token.value == ")":
            return ExprSyntaxError(token.column, 'thừa dấu ")" hoặc thiếu giá trị trước nó')
        if token.kind == "op":
            return ExprSyntaxError(token.column, f'thiếu giá trị trước "{token.text}"')
        return ExprSyntaxError(token.column, f'không hiểu "{token.text}" ở vị trí này')

    # -- grammar ---------------------------------------------------------------------------

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise ExprSyntaxError(1, "biểu thức trống")
        node = self.or_expr()
        if self.tok.kind != "end":
            if self.at_op(")"):
                raise ExprSyntaxError(self.tok.column, 'thừa dấu ")"')
            if self.at_op(","):
                raise self.unexpected()
            raise ExprSyntaxError(
                self.tok.column,
                f'không hiểu "{self.tok.text}" ở vị trí này: thiếu phép tính hoặc dấu ngoặc?',
            )
        return node

    def or_expr(self) -> Node:
        return self.chain("keyword", ("or",), self.and_expr, Logical)

    def and_expr(self) -> Node:
        return self.chain("keyword", ("and",), self.not_expr, Logical)

    def not_expr(self) -> Node:
        if self.at_keyword("not"):
            return self.prefixed(self.not_expr)
        return self.comparison()

    def comparison(self) -> Node:
        node = self.additive()
        if self.tok.kind == "op" and self.tok.value in COMPARE_OPS_SET:
            token = self.advance()
            node = Compare(str(token.value), node, self.additive(), column=token.column)
            if self.tok.kind == "op" and self.tok.value in COMPARE_OPS_SET:
                raise ExprSyntaxError(
                    self.tok.column,
                    "không thể viết hai phép so sánh nối tiếp nhau; hãy tách bằng and, "
                    'ví dụ "a < b and b < c" thay cho "a < b < c"',
                )
        return node

    def additive(self) -> Node:
        return self.chain("op", ("+", "-"), self.term, Binary)

    def term(self) -> Node:
        return self.chain("op", ("*", "/"), self.unary, Binary)

    def unary(self) -> Node:
        if self.at_op("-", "+"):
            return self.prefixed(self.unary)
        return self.primary()

    def chain(self, kind: str, ops: tuple[str, ...], operand: Callable[[], Node],
              node_type: type[Infix]) -> Node:
        """A left-associative level: `operand (op operand)*`, each `op` a `kind` token."""
        node = operand()
        while self.tok.kind == kind and self.tok.value in ops:
            token = self.advance()
            node = node_type(str(token.value), node, operand(), column=token.column)
        return node

    def prefixed(self, operand: Callable[[], Node]) -> Node:
        """A prefix operator (`not`, `-`, `+`) at the current token, applied to `operand`."""
        token = self.advance()
        self.enter(token.column)
        inner = operand()
        self.nesting -= 1
        return Unary(str(token.value), inner, column=token.column)

    def primary(self) -> Node:
        token = self.tok
        if token.kind == "number":
            self.advance()
            value = token.value
            assert isinstance(value, int | float)  # the tokenizer reads every number as one
            return Number(value, column=token.column)
        if token.kind == "string":
            self.advance()
            return String(str(token.value), column=token.column)
        if token.kind == "name":
            self.advance()
            return Name(token.text, column=token.column)
        if token.kind == "column":
            self.advance()
            value = token.value
            assert isinstance(value, tuple)  # the tokenizer reads "t.c" as (table, column)
            return ColumnRef(str(value[0]), str(value[1]), column=token.column)
        if token.kind == "self":
            self.advance()
            return SelfRef(column=token.column)
        if token.kind == "keyword" and token.value in ("true", "false"):
            self.advance()
            return Boolean(token.value == "true", column=token.column)
        if token.kind == "func":
            return self.call()
        if self.at_op("("):
            self.advance()
            self.enter(token.column)
            node = self.or_expr()
            self.nesting -= 1
            self.close(token)
            return node
        raise self.unexpected()

    def call(self) -> Node:
        name = self.advance()
        opening = self.advance()  # the tokenizer only makes a "func" token before "("
        self.enter(opening.column)
        args: list[Node] = []
        if not self.at_op(")"):
            while True:
                args.append(self.or_expr())
                if not self.at_op(","):
                    break
                self.advance()
        self.nesting -= 1
        if not self.at_op(")") and self.tok.kind != "end":
            raise ExprSyntaxError(
                self.tok.column,
                f'thiếu dấu "," hoặc ")" trong lời gọi hàm "{name.text}" '
                f"(mở ngoặc ở cột {opening.column})",
            )
        self.close(opening)
        return Call(str(name.value), tuple(args), column=name.column)

    def close(self, opening: Token) -> None:
        if not self.at_op(")"):
            raise ExprSyntaxError(
                self.tok.column, f'thiếu dấu ")" (đóng dấu "(" ở cột {opening.column})'
            )
        self.advance()
