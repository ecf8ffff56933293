"""Fuzzing the two places where user input meets code: the value validator and the expression
language. Whatever arrives, the answer is a Result (or a syntax error for a bad formula), never
an unhandled exception."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rel_world import CAM_GIANG, SAMPLE

from forms import Result, load_outline, validate
from forms.expr import FUNCTIONS, ExprSyntaxError, parse

OUTLINE = load_outline(CAM_GIANG.read_text(encoding="utf-8"), filename=CAM_GIANG.name)
KEYS = [item.key for item in OUTLINE.fields() if item.key]
SETTINGS = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e300, -1e-300, 0.1 + 0.2, 1e15, 1e16]),
    st.text(),
    st.text(alphabet="0123456789.,-+ %eE đĐ\u00a0\u200b\t\n", max_size=30),
    st.sampled_from(["NaN", "Infinity", "-inf", "1.234,5", "1,234.5", "95 %", "12/11/2025",
                     "có", "Không", "\x00", "\udcff", "Tốt", "1e300", "٣", "²", "１２"]),
    st.binary(max_size=40),
    st.dates(),
    st.datetimes(),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4),
    st.tuples(inner, inner),
    st.frozensets(st.integers(), max_size=3),
), max_leaves=8)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=12), st.integers())


@SETTINGS
@given(changes=st.dictionaries(keys, values, max_size=12),
       start=st.sampled_from(["empty", "sample"]), mode=st.sampled_from(["submit", "draft"]))
def test_validate_always_answers_with_a_result(changes, start, mode) -> None:
    raw = {**(SAMPLE if start == "sample" else {}), **changes}
    result = validate(OUTLINE, raw, mode=mode)
    assert isinstance(result, Result)
    for issue in result.issues:
        assert isinstance(issue.message, str) and issue.message
    # Refused values never reach the typed values; computed values stay finite.
    for key, value in result.values.items():
        if isinstance(value, float):
            assert math.isfinite(value), (key, value)


NAMES = ["a", "b", "c", "nv_tong", "x_1"]
atoms = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from([".", "true", "false", "0", "1", "2.5", "1e308", "1e-308", "9" * 40,
                     "0.0", "1e999"]),
    st.integers(0, 10**6).map(str),
)
OPS = ["+", "-", "*", "/", "<", "<=", ">", ">=", "=", "!=", "<>", "≤", "≥", "≠", "and", "or"]


def _combine(inner):
    return st.one_of(
        st.tuples(inner, st.sampled_from(OPS), inner).map(" ".join),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"-{e}"),
        inner.map(lambda e: f"not {e}"),
        st.tuples(st.sampled_from([*FUNCTIONS, "khong_co"]), st.lists(inner, max_size=4)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"),
    )


expressions = st.one_of(
    st.recursive(atoms, _combine, max_leaves=15),
    st.text(max_size=40),
    st.text(alphabet="()+-*/<>=!,. abc0123456789eE", max_size=60),
)
expr_values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5),
                        st.dates(), st.lists(st.integers(), max_size=2), st.binary(max_size=4))


@SETTINGS
@given(source=expressions,
       env=st.dictionaries(st.sampled_from(NAMES), expr_values, max_size=5),
       self_value=expr_values)
def test_expressions_parse_or_refuse_and_evaluate_without_raising(source, env, self_value
                                                                 ) -> None:
    try:
        expr = parse(source)
    except ExprSyntaxError as exc:
        assert str(exc)  # a refusal with a message, and a column to point at
        return
    expr.evaluate(env, self_value=self_value)
    expr.problems({name: "integer" for name in NAMES}, self_kind="integer")


@pytest.mark.parametrize("source", [
    "(" * 5000 + "1" + ")" * 5000,
    "-" * 5000 + "1",
    "not " * 5000 + "true",
    " + ".join(["1"] * 5000),
], ids=["parentheses", "unary-minus", "not", "long-sum"])
def test_deeply_nested_expression_is_refused_with_a_message(source: str) -> None:
    # A syntax error the author can act on, never a RecursionError from deep inside Python.
    with pytest.raises(ExprSyntaxError, match="hãy chia nhỏ"):
        parse(source).evaluate({})


def test_moderately_nested_expression_still_evaluates() -> None:
    assert parse("(" * 50 + "1 + 2" + ")" * 50).evaluate({}) == 3
