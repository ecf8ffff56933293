"""The interpreter. *No data* (None) propagates instead of turning into 0: an empty input
must never make a rate look like 0 % or a rule look broken."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any, TypeGuard

from . import nodes as n
from .columns import column_call, is_column_call
from .functions import FUNCTIONS

_DECIMAL = Context(prec=800)
_MAX_DIGITS = 330  # beyond this no float has digits left to round


def evaluate(node: n.Node, values: Mapping[str, object], self_value: object = None) -> object:
    try:
        return _eval(node, values, self_value)
    except (ArithmeticError, ValueError, TypeError):  # belt and braces: never raise
        return None


def _eval(node: n.Node, values: Mapping[str, object], self_value: object) -> object:
    match node:
        case n.Number(value=value) | n.String(value=value) | n.Boolean(value=value):
            return value
        case n.Name(key=key):
            return values.get(key)
        case n.SelfRef():
            return self_value
        case n.Unary(op="not", operand=operand):
            truth = _eval(operand, values, self_value)
            return (not truth) if isinstance(truth, bool) else None
        case n.Unary(op=op, operand=operand):
            number = _eval(operand, values, self_value)
            if not is_number(number):
                return None
            return -number if op == "-" else number
        case n.Binary(op=op, left=left, right=right):
            return arithmetic(op, _eval(left, values, self_value), _eval(right, values, self_value))
        case n.Compare(op=op, left=left, right=right):
            return compare(op, _eval(left, values, self_value), _eval(right, values, self_value))
        case n.Logical(op=op, left=left, right=right):
            a = _truth(_eval(left, values, self_value))
            b = _truth(_eval(right, values, self_value))
            decisive = op == "or"  # True decides an "or", False an "and"
            if a is decisive or b is decisive:
                return decisive
            if a is None or b is None:
                return None
            return not decisive
        case n.Call(name=name, args=args):
            if is_column_call(node):
                return column_call(name, args[0], values)
            return _call(name, args, values, self_value)
    return None  # a ColumnRef outside a column function has no single value


def is_number(value: object) -> TypeGuard[int | float]:
    """A finite int or float, not a bool (True is no number in a formula)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def _truth(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _finite(value: int | float) -> int | float | None:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def arithmetic(op: str, a: object, b: object) -> int | float | None:
    if not (is_number(a) and is_number(b)):
        return None
    x, y = a, b
    try:
        if op == "+":
            return _finite(x + y)
        if op == "-":
            return _finite(x - y)
        if op == "*":
            return _finite(x * y)
        if y == 0:
            return None
        return _finite(x / y)
    except OverflowError:
        return None


def _comparable(value: int | float) -> int | float:
    """Floats are compared on 15 significant digits, as Excel shows them, so that
    7 / 9 * 900 = 700 holds and a rate of 94.99999999999999 meets a target of 95."""
    if isinstance(value, int):
        return value
    return float(f"{value:.15g}")


def compare(op: str, a: object, b: object) -> bool | None:
    if a is None or b is None:
        return None
    if is_number(a) and is_number(b):
        if not (isinstance(a, int) and isinstance(b, int)):
            a, b = _comparable(float(a)), _comparable(float(b))
    elif isinstance(a, bool) and isinstance(b, bool):
        if op not in ("=", "!="):
            return None
    elif isinstance(a, str) and isinstance(b, str):
        pass
    elif isinstance(a, date) and isinstance(b, date):
        if type(a) is not type(b):  # a date and a datetime do not compare
            return None
    else:
        return None
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b  # type: ignore[operator]  # the checks above: a and b of one ordered type
    if op == "<=":
        return a <= b  # type: ignore[operator]  # the checks above: a and b of one ordered type
    if op == ">":
        return a > b  # type: ignore[operator]  # the checks above: a and b of one ordered type
    if op == ">=":
        return a >= b  # type: ignore[operator]  # the checks above: a and b of one ordered type
    return None


def _call(name: str, args: tuple[n.Node, ...], values: Mapping[str, object], self_value: object
          ) -> object:
    function = FUNCTIONS.get(name)
    if function is None or not function.accepts(len(args)):
        return None
    if name in ("count", "avg") or any(isinstance(arg, n.ColumnRef) for arg in args):
        return None  # a column function on something else than a column (the checker says so)
    if name == "if":
        condition = _eval(args[0], values, self_value)
        if not isinstance(condition, bool):
            return None
        return _eval(args[1] if condition else args[2], values, self_value)
    evaluated = [_eval(arg, values, self_value) for arg in args]
    if name in ("sum", "min", "max"):
        return reduce_values(name, [value for value in evaluated if value is not None])
    numbers = [value for value in evaluated if is_number(value)]
    if len(numbers) != len(evaluated):
        return None
    if name == "abs":
        return abs(numbers[0])
    if name == "round":
        digits = numbers[1] if len(numbers) > 1 else 0
        return round_half_away(numbers[0], int(digits))
    return None


def round_half_away(value: int | float, digits: int) -> int | float | None:
    """Excel's ROUND: halves go away from zero (2.5 → 3, -2.5 → -3), not to even as Python's
    round does; digits may be negative (round(1234, -2) = 1200)."""
    if isinstance(value, int) and digits >= 0:
        return value
    if digits > _MAX_DIGITS:
        return value
    digits = max(digits, -_MAX_DIGITS)
    try:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        rounded = exact.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP, _DECIMAL)
    except (InvalidOperation, ValueError):
        return None
    if digits <= 0:
        return int(rounded)
    return _finite(float(rounded))


def reduce_values(name: str, present: list[Any]) -> Any:
    """`sum`, `min`, `max` or `avg` of the values given (empties already left out): *no data*
    when there are none or one is not a number, whether they come from arguments or from a
    table's column."""
    numbers = [value for value in present if is_number(value)]
    if not present or len(numbers) != len(present):
        return None
    if name == "min":
        return min(numbers)
    if name == "max":
        return max(numbers)
    total: int | float | None = numbers[0]
    for value in numbers[1:]:
        total = arithmetic("+", total, value)
    if name == "sum" or total is None:
        return total
    return arithmetic("/", total, len(numbers))  # avg
