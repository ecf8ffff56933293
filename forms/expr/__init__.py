"""The expression language of outlines: formulas (`calculation`), rules (`constraint`) and
targets. One parser and one tree feed the interpreter, the outline checker and the Excel
writer, so the three can never disagree on what a formula means."""

from .errors import ExprProblem, ExprSyntaxError
from .expression import Expr
from .functions import FUNCTIONS, Function
from .parser import parse

__all__ = ["FUNCTIONS", "Expr", "ExprProblem", "ExprSyntaxError", "Function", "parse"]
