"""Evaluation: *no data* (None) propagates and nothing ever raises."""

import math
from datetime import date, datetime

import pytest

from forms.expr import parse

V = {"a": 6, "b": 4, "z": 0, "f": 2.5, "n": None, "t": True, "u": False, "s": "dat", "d": 1}


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        # numbers and arithmetic
        ("95", {}, 95),
        ("0.5", {}, 0.5),
        ("1e3", {}, 1000.0),
        ("a + b", V, 10),
        ("a - b * 2", V, -2),
        ("(a - b) * 2", V, 4),
        ("a / b", V, 1.5),
        ("a / 3", V, 2.0),
        ("-a", V, -6),
        ("+a", V, 6),
        ("a * f", V, 15.0),
        # no data propagates through arithmetic
        ("a + n", V, None),
        ("n * 0", V, None),
        ("-n", V, None),
        ("missing + 1", V, None),
        # division by zero is no data, never 0
        ("a / z", V, None),
        ("a / (b - 4)", V, None),
        ("z / a", V, 0.0),
        ("a / n", V, None),
        ("n / z", V, None),
        # comparisons
        ("a > b", V, True),
        ("a <= b", V, False),
        ("a = 6", V, True),
        ("a == 6.0", V, True),
        ("a != 6", V, False),
        ("a <> 5", V, True),
        ("n = 0", V, None),
        ("n != n", V, None),
        ("0.1 + 0.2 = 0.3", V, True),
        ("7 / 9 * 900 = 700", V, True),
        ("94.99999999999999 >= 95", V, True),
        ("94.9999 >= 95", V, False),
        ('s = "dat"', V, True),
        ('s = "Dat"', V, False),
        ('s != "khong_dat"', V, True),
        ("t = true", V, True),
        ("t = u", V, False),
        ("t != false", V, True),
        ('a = "6"', V, None),
        ("t = 1", V, None),
        ("t < u", V, None),
        # and / or are three-valued (Kleene)
        ("t and t", V, True),
        ("t and u", V, False),
        ("n and u", V, False),
        ("u and n", V, False),
        ("n and t", V, None),
        ("t and n", V, None),
        ("t or n", V, True),
        ("n or t", V, True),
        ("n or u", V, None),
        ("u or u", V, False),
        ("a > 10 and n > 0", V, False),
        ("a > 1 and n > 0", V, None),
        ("a > 1 or n > 0", V, True),
        ("not t", V, False),
        ("not n", V, None),
        ("not (n > 1)", V, None),
        ("not a", V, None),
        ("a and t", V, None),
        # if
        ("if(a > b, 1, 2)", V, 1),
        ("if(a < b, 1, 2)", V, 2),
        ("if(n > 0, 1, 2)", V, None),
        ("if(z = 0, 0, a / z)", V, 0),
        ("if(t, n, 1)", V, None),
        ("if(a, 1, 2)", V, None),
        # sum / min / max skip no data, no data only when every argument is
        ("sum(a, b, n)", V, 10),
        ("sum(n, n)", V, None),
        ("sum(n)", V, None),
        ("sum(a / z, b)", V, 4),
        ("sum(a / z)", V, None),
        ("sum(a, f)", V, 8.5),
        ("min(a, n, b)", V, 4),
        ("max(a, n, b)", V, 6),
        ("min(n, n)", V, None),
        ("max(n)", V, None),
        ("max(a, s)", V, None),
        ("sum(a, t)", V, None),
        ("sum(missing, a)", V, 6),
        # round: half away from zero, like Excel
        ("round(2.5)", V, 3),
        ("round(-2.5)", V, -3),
        ("round(0.5)", V, 1),
        ("round(1.5)", V, 2),
        ("round(2.675, 2)", V, 2.68),
        ("round(-1.005, 2)", V, -1.01),
        ("round(1234, -2)", V, 1200),
        ("round(1250, -2)", V, 1300),
        ("round(2.345, 1.9)", V, 2.3),
        ("round(7)", V, 7),
        ("round(n)", V, None),
        ("round(a, n)", V, None),
        ("round(a / z, 1)", V, None),
        ("round(a / b * 100, 1)", {"a": 2, "b": 3}, 66.7),
        ("round(s)", V, None),
        ("abs(-3)", V, 3),
        ("abs(n)", V, None),
        ("abs(s)", V, None),
        # self reference
        (". <= 1000", V, None),
        # strings and type mismatches give no data rather than an error
        ("s + 1", V, None),
        ("t + 1", V, None),
        ("s * 2", V, None),
        ("-s", V, None),
        ('"a" < "b"', V, True),
        # unknown functions and wrong arity evaluate to no data (the checker reports them)
        ("foo(a)", V, None),
        ("round(a, 1, 2)", V, None),
        ("if(t, 1)", V, None),
        ("sum()", V, None),
    ],
)
def test_evaluate(source: str, values: dict, expected: object) -> None:
    result = parse(source).evaluate(values)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("source", "self_value", "expected"),
    [
        (". <= 1000", 999, True),
        (". <= 1000", 1001, False),
        (". <= 1000", None, None),
        (". >= a", 6, True),
        ('. = "dat"', "dat", True),
        ("not .", True, False),
    ],
)
def test_self_value(source: str, self_value: object, expected: object) -> None:
    assert parse(source).evaluate({"a": 6}, self_value) == expected


def test_dates_compare_with_dates_only() -> None:
    values = {"d1": date(2025, 1, 1), "d2": date(2025, 6, 30), "dt": datetime(2025, 1, 1, 8)}
    assert parse("d1 < d2").evaluate(values) is True
    assert parse("d1 = d1").evaluate(values) is True
    assert parse("d1 < dt").evaluate(values) is None
    assert parse("d1 + 1").evaluate(values) is None
    assert parse("d1 < 5").evaluate(values) is None


@pytest.mark.parametrize(
    "value",
    [
        math.inf,
        -math.inf,
        math.nan,
        10**400,
        -(10**400),
        1e308,
        "",
        "x",
        [],
        [{"a": 1}],
        {"a": 1},
        object(),
        b"1",
        date(2025, 1, 1),
    ],
)
@pytest.mark.parametrize(
    "source",
    [
        "a + b",
        "a * b * b",
        "a / b",
        "-a",
        "a < b",
        "a = b",
        "a and b",
        "not a",
        "if(a > 0, a, b)",
        "sum(a, b)",
        "min(a, b)",
        "max(a, 1)",
        "round(a, 2)",
        "round(1.5, a)",
        "round(a)",
        "abs(a)",
    ],
)
def test_never_raises(source: str, value: object) -> None:
    result = parse(source).evaluate({"a": value, "b": 1e308})
    assert result is None or isinstance(result, int | float | bool | str)
    if isinstance(result, float):
        assert math.isfinite(result)


def test_overflow_is_no_data() -> None:
    assert parse("a * a").evaluate({"a": 1e300}) is None
    assert parse("a / 3").evaluate({"a": 10**400}) is None
    assert parse("a + 0.5").evaluate({"a": 10**400}) is None


def test_parse_once_evaluate_many() -> None:
    expr = parse("round(a / b * 100, 1)")
    assert [expr.evaluate({"a": a, "b": 8}) for a in (1, 2, None, 8)] == [12.5, 25.0, None, 100.0]
