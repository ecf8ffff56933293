"""Parsing: precedence, canonical rendering, and syntax errors positioned for authors."""

import pytest

from forms.expr import Expr, ExprSyntaxError, parse
from forms.expr.nodes import Binary, Call, Compare, Logical, Name, Number, SelfRef, String, Unary


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("95", "95"),
        ("0.5", "0.5"),
        ("1e3", "1000.0"),
        ("2.5E-3", "0.0025"),
        ("a+b*c", "a + b * c"),
        ("(a+b)*c", "(a + b) * c"),
        ("a-(b-c)", "a - (b - c)"),
        ("(a-b)-c", "a - b - c"),
        ("a/(b*c)", "a / (b * c)"),
        ("-a*b", "-a * b"),
        ("-(a*b)", "-(a * b)"),
        ("- -a", "--a"),
        ("+a", "+a"),
        ("a or b and c", "a or b and c"),
        ("(a or b) and c", "(a or b) and c"),
        ("not a = b", "not a = b"),
        ("(not a) = b", "(not a) = b"),
        ("NOT not a", "not not a"),
        ("a == b", "a = b"),
        ("a <> b", "a != b"),
        ("a ≥ b", "a >= b"),
        ("a ≤ b", "a <= b"),
        ("a ≠ b", "a != b"),
        ("(a < b) = true", "(a < b) = true"),
        ("TRUE AND False", "true and false"),
        ("SUM(a, b,c)", "sum(a, b, c)"),
        ("Round (a/b*100, 1)", "round(a / b * 100, 1)"),
        ("if(b = 0, 0, a / b)", "if(b = 0, 0, a / b)"),
        (". <= 1000", ". <= 1000"),
        ('x = "tot"', 'x = "tot"'),
        ('x = "say ""hi"""', 'x = "say ""hi"""'),
        ('""', '""'),
        ("a_1 + b2", "a_1 + b2"),
        ("sum()", "sum()"),
        (".5", "0.5"),
    ],
)
def test_canonical_rendering(source: str, canonical: str) -> None:
    expr = parse(source)
    assert str(expr) == canonical
    assert parse(str(expr)) == expr
    assert expr.source == source


def test_tree_shape_and_precedence() -> None:
    root = parse("a + b * 2 > 3 and not . = 1 or f(x)").root
    assert root == Logical(
        "or",
        Logical(
            "and",
            Compare(">", Binary("+", Name("a"), Binary("*", Name("b"), Number(2))), Number(3)),
            Unary("not", Compare("=", SelfRef(), Number(1))),
        ),
        Call("f", (Name("x"),)),
    )


def test_expr_is_immutable_hashable_and_compares_by_tree() -> None:
    a, b = parse("a+b"), parse("a  +  b")
    assert a == b and hash(a) == hash(b)
    assert a != parse("b + a")
    with pytest.raises(AttributeError):
        a.source = "x"  # type: ignore[misc]
    assert isinstance(a, Expr)
    assert parse('x = "a"').root.right == String("a")  # type: ignore[attr-defined]


def test_names_and_self() -> None:
    expr = parse("sum(a, b) / c + round(a) + . * 0")
    assert expr.names() == frozenset({"a", "b", "c"})
    assert expr.uses_self
    assert not parse("a + 1").uses_self
    assert parse("1 + 2").names() == frozenset()


def test_positions_are_kept_but_not_compared() -> None:
    root = parse("a  +  b").root
    assert root.column == 4  # the operator
    assert root.right.column == 7  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("source", "column", "fragment"),
    [
        ("", 1, "biểu thức trống"),
        ("   ", 1, "biểu thức trống"),
        ("a #", 3, 'không hiểu ký tự "#"'),
        ("a & b", 3, 'không hiểu ký tự "&"'),
        ("(a + b", 7, 'thiếu dấu ")"'),
        ("((a)", 5, 'thiếu dấu ")"'),
        ("(a b)", 4, 'thiếu dấu ")"'),
        ("sum(a, b", 9, 'thiếu dấu ")"'),
        ("sum(a b)", 7, 'thiếu dấu "," hoặc ")"'),
        ("a +", 4, "biểu thức bị bỏ dở"),
        ("not", 4, "biểu thức bị bỏ dở"),
        ("a < b < c", 7, "hai phép so sánh nối tiếp"),
        ("a = b != c", 7, "a < b and b < c"),
        ("a b", 3, 'không hiểu "b"'),
        ("a)", 2, 'thừa dấu ")"'),
        ("* a", 1, 'thiếu giá trị trước "*"'),
        ("a + * b", 5, 'thiếu giá trị trước "*"'),
        ("sum(a,)", 7, 'thừa dấu ")"'),
        ("a, b", 2, 'dấu ","'),
        ('x = "abc', 5, "chuỗi chưa đóng"),
        ("Tong + 1", 1, 'tên mục "Tong" viết sai'),
        ("tổng + 1", 1, "chữ thường không dấu"),
        ("_a", 1, 'tên mục "_a"'),
        ("1.000.000", 1, "dấu ngăn cách hàng nghìn"),
        ("a + 5kg", 5, 'số "5kg" viết sai'),
        ("5. + a", 1, 'số "5." viết sai'),
        ("1e999", 1, "số quá lớn"),
        ("9" * 400, 1, "số quá lớn"),
        ("a = not b", 5, 'không hiểu "not"'),
        ("(" * 200 + "a" + ")" * 200, 61, "lồng nhau quá sâu"),
        ("-" * 200 + "a", 61, "lồng nhau quá sâu"),
        ("+".join(["a"] * 150), 1, "quá dài"),
        ("a !b", 3, 'không hiểu ký tự "!"'),
    ],
)
def test_syntax_errors(source: str, column: int, fragment: str) -> None:
    with pytest.raises(ExprSyntaxError) as caught:
        parse(source)
    assert caught.value.column == column
    assert fragment in caught.value.message
    assert str(caught.value) == caught.value.message


def test_syntax_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse("a +")


def test_sum_of_comma_separated_numbers_parses() -> None:
    assert parse("max(0,a)").root == Call("max", (Number(0), Name("a")))
