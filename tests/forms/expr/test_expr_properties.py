"""Property tests: the interpreter against an independent reference, round trips, and fuzzing
the parser with arbitrary text."""

import math
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.expr import ExprSyntaxError, parse

NAMES = ("a", "b", "c")
VALUES = st.one_of(
    st.none(),
    st.just(0),
    st.integers(-20, 20),
    st.sampled_from([0.5, -2.5, 0.1, 3.75, 1e-3, 0.0]),
)
SETTINGS = settings(
    max_examples=250,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Trees are plain tuples here so that the reference below shares nothing with the package.
leaf = st.one_of(
    st.sampled_from(NAMES).map(lambda n: ("name", n)),
    st.integers(0, 9).map(lambda v: ("num", v)),
    st.sampled_from([0.5, 2.5, 0.25]).map(lambda v: ("num", v)),
)


def _extend_number(inner):
    conditions = st.tuples(
        st.just("cmp"), st.sampled_from(["<", "<=", ">", ">=", "=", "!="]), inner, inner
    )
    return st.one_of(
        st.tuples(st.just("bin"), st.sampled_from("+-*/"), inner, inner),
        st.tuples(st.just("neg"), inner),
        st.tuples(st.sampled_from(["sum", "min", "max"]), st.lists(inner, min_size=1, max_size=3)),
        st.tuples(st.just("round"), inner, st.integers(-1, 2)),
        st.tuples(st.just("abs"), inner),
        st.tuples(st.just("if"), conditions, inner, inner),
    )


numbers = st.recursive(leaf, _extend_number, max_leaves=12)
comparisons = st.tuples(
    st.just("cmp"), st.sampled_from(["<", "<=", ">", ">=", "=", "!="]), numbers, numbers
)
conditions = st.recursive(
    comparisons,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["and", "or"]), inner, inner),
        st.tuples(st.just("not"), inner),
    ),
    max_leaves=6,
)
trees = st.one_of(numbers, conditions)
envs = st.fixed_dictionaries({name: VALUES for name in NAMES})

CMP_SOURCE = {"=": "=", "!=": "<>"}


def source_of(tree) -> str:
    """Fully bracketed, with alternative spellings, so parsing is exercised independently."""
    kind = tree[0]
    if kind == "name":
        return tree[1]
    if kind == "num":
        return repr(tree[1])
    if kind == "bin":
        return f"({source_of(tree[2])}){tree[1]}({source_of(tree[3])})"
    if kind == "neg":
        return f"-({source_of(tree[1])})"
    if kind in ("sum", "min", "max"):
        return f"{kind.upper()}({', '.join(source_of(arg) for arg in tree[1])})"
    if kind == "round":
        return f"round({source_of(tree[1])}, {tree[2]})"
    if kind == "abs":
        return f"abs({source_of(tree[1])})"
    if kind == "if":
        return f"if({source_of(tree[1])}, {source_of(tree[2])}, {source_of(tree[3])})"
    if kind == "cmp":
        op = CMP_SOURCE.get(tree[1], tree[1])
        return f"({source_of(tree[2])}) {op} ({source_of(tree[3])})"
    if kind in ("and", "or"):
        return f"({source_of(tree[1])}) {kind.upper()} ({source_of(tree[2])})"
    if kind == "not":
        return f"not ({source_of(tree[1])})"
    raise AssertionError(kind)


def _fifteen(x):
    return x if isinstance(x, int) else float(f"{x:.15g}")


def reference(tree, env):
    """The documented semantics, written out directly."""
    kind = tree[0]
    if kind == "name":
        return env.get(tree[1])
    if kind == "num":
        return tree[1]
    if kind == "bin":
        x, y = reference(tree[2], env), reference(tree[3], env)
        if x is None or y is None:
            return None
        op = tree[1]
        if op == "/":
            if y == 0:
                return None
            result = x / y
        else:
            result = x + y if op == "+" else x - y if op == "-" else x * y
        return result if not isinstance(result, float) or math.isfinite(result) else None
    if kind == "neg":
        x = reference(tree[1], env)
        return None if x is None else -x
    if kind in ("sum", "min", "max"):
        present = [v for v in (reference(arg, env) for arg in tree[1]) if v is not None]
        if not present:
            return None
        if kind == "min":
            return min(present)
        if kind == "max":
            return max(present)
        total = present[0]
        for v in present[1:]:
            total = total + v
        return total
    if kind == "round":
        x = reference(tree[1], env)
        if x is None:
            return None
        digits = tree[2]
        if isinstance(x, int) and digits >= 0:
            return x
        q = Decimal(repr(x) if isinstance(x, float) else x).quantize(
            Decimal(f"1e{-digits}"), rounding=ROUND_HALF_UP
        )
        return int(q) if digits <= 0 else float(q)
    if kind == "abs":
        x = reference(tree[1], env)
        return None if x is None else abs(x)
    if kind == "if":
        c = reference(tree[1], env)
        if c is None:
            return None
        return reference(tree[2] if c else tree[3], env)
    if kind == "cmp":
        x, y = reference(tree[2], env), reference(tree[3], env)
        if x is None or y is None:
            return None
        if not (isinstance(x, int) and isinstance(y, int)):
            x, y = _fifteen(float(x)), _fifteen(float(y))
        return {
            "<": x < y,
            "<=": x <= y,
            ">": x > y,
            ">=": x >= y,
            "=": x == y,
            "!=": x != y,
        }[tree[1]]
    if kind == "not":
        c = reference(tree[1], env)
        return None if c is None else not c
    if kind in ("and", "or"):
        values = [reference(tree[1], env), reference(tree[2], env)]
        decisive = kind == "or"
        if decisive in values:
            return decisive
        if None in values:
            return None
        return not decisive
    raise AssertionError(kind)


@SETTINGS
@given(trees, envs)
def test_evaluate_matches_reference(tree, env) -> None:
    expr = parse(source_of(tree))
    expected = reference(tree, env)
    got = expr.evaluate(env)
    if isinstance(expected, float) and isinstance(got, float):
        assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=0.0) or got == expected
    else:
        assert got == expected
        assert type(got) is type(expected)


@SETTINGS
@given(trees)
def test_canonical_round_trip(tree) -> None:
    expr = parse(source_of(tree))
    again = parse(str(expr))
    assert again == expr
    assert str(again) == str(expr)
    assert expr.names() <= set(NAMES)


@SETTINGS
@given(trees, envs)
def test_canonical_form_evaluates_the_same(tree, env) -> None:
    expr = parse(source_of(tree))
    assert parse(str(expr)).evaluate(env) == expr.evaluate(env)


@SETTINGS
@given(trees)
def test_excel_formula_is_always_guarded(tree) -> None:
    """Every division in the written formula is under an IFERROR, and blank-sensitive cells are
    tested before use; the numeric agreement itself is in test_expr_excel."""
    formula = parse(source_of(tree)).to_excel({"a": "A1", "b": "B1", "c": "C1"})
    assert formula.startswith("=")
    if "/" in formula:
        assert "IFERROR(" in formula
    assert formula.count("(") == formula.count(")")


ALPHABET = st.sampled_from([*'abcxyz_019 .,()+-*/<>=!"≤≥≠#&\tÀổ', "and", "or", "not"])


@settings(max_examples=400, deadline=None, database=None)
@given(st.one_of(st.text(), st.lists(ALPHABET, max_size=30).map("".join)))
def test_parse_only_raises_syntax_errors(source: str) -> None:
    try:
        expr = parse(source)
    except ExprSyntaxError as error:
        assert 1 <= error.column <= len(source) + 1
        assert error.message
        return
    assert parse(str(expr)) == expr
    expr.evaluate({"a": 1, "b": 0, "x": None})
    expr.problems({"a": "number", "b": "number", "c": "text"}, "number")
