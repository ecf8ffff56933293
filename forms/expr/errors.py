"""What goes wrong in an expression, positioned for `file:line:column: message` reports."""

from __future__ import annotations

from dataclasses import dataclass


class ExprSyntaxError(ValueError):
    """The source is not an expression. `column` is 1-based in the source string."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message

    def __repr__(self) -> str:
        return f"ExprSyntaxError(column={self.column}, message={self.message!r})"


@dataclass(frozen=True)
class ExprProblem:
    """A statically detectable mistake in an expression that parses (see `Expr.problems`)."""

    column: int
    message: str
