"""Column functions over a repeating table — `sum(t.c)`, `min(t.c)`, `max(t.c)`, `avg(t.c)`,
`count(t.c)`, `count(t)` — against a plain reference written here, and the checker's account
of their misuse."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.expr import ExprSyntaxError, parse

# A table "t" with a number column "so", a second number column "diem" and a text column "ten".
KINDS = {"t": "table", "u": "table", "x": "number", "ghi_chu": "text"}
COLUMNS = {"t": {"so": "number", "diem": "number", "ten": "text"}, "u": {"so": "number"}}
SETTINGS = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

CELLS = st.one_of(st.none(), st.just(""), st.just("  "), st.integers(-50, 50),
                  st.sampled_from([0.5, -2.25, 0.1, 1e-3, 7.75]))
TEXT_CELLS = st.one_of(st.none(), st.just(""), st.just(" \u00a0"), st.sampled_from(["a", "0"]))
ROWS = st.lists(st.fixed_dictionaries({"so": CELLS, "diem": CELLS, "ten": TEXT_CELLS}),
                max_size=8)


def _blank(cell: object) -> bool:
    """Written out again on purpose: None and whitespace-only text are empty, 0 is not."""
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def reference(function: str, rows: list[dict], column: str | None) -> object:
    """What the outline format documents, in the plainest Python."""
    if column is None:  # count(t)
        return len([row for row in rows if any(not _blank(v) for v in row.values())])
    present = [row[column] for row in rows if not _blank(row[column])]
    if function == "count":
        return len(present)
    if not present:
        return None
    if any(isinstance(v, str) for v in present):
        return None
    if function == "sum":
        return math.fsum(present)
    if function == "avg":
        return math.fsum(present) / len(present)
    return min(present) if function == "min" else max(present)


def _close(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)  # type: ignore[arg-type]


@SETTINGS
@given(rows=ROWS, function=st.sampled_from(["sum", "min", "max", "avg", "count"]),
       column=st.sampled_from(["so", "diem", "ten"]))
def test_column_functions_agree_with_the_reference(rows, function, column) -> None:
    source = f"{function}(t.{column})"
    assert _close(parse(source).evaluate({"t": rows}), reference(function, rows, column)), source


@SETTINGS
@given(rows=ROWS)
def test_count_of_a_table_counts_rows_with_a_filled_cell(rows) -> None:
    assert parse("count(t)").evaluate({"t": rows}) == reference("count", rows, None)


@SETTINGS
@given(rows=ROWS, x=st.one_of(st.none(), st.integers(1, 9)))
def test_no_data_propagates_through_a_formula(rows, x) -> None:
    total, count = reference("sum", rows, "so"), reference("count", rows, None)
    expected = None if total is None or x is None or count == 0 else total / count * x
    assert _close(parse("sum(t.so) / count(t) * x").evaluate({"t": rows, "x": x}), expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("sum(t.so)", 6),
        ("min(t.so)", 1),
        ("max(t.so)", 3),
        ("avg(t.so)", 2),
        ("count(t.so)", 3),
        ("count(t.diem)", 0),
        ("count(t)", 4),  # the row with only a name counts; the blank row does not
        ("sum(t.diem)", None),  # no value at all: no data, not 0
        ("avg(t.diem)", None),
        ("min(t.diem)", None),
        ("sum(t.diem) + 1", None),  # …and it propagates
        ("sum(t.diem) >= 0", None),  # a rule over it is not judged
        ("count(t.diem) = 0", True),
        ("sum(t.so) / count(t)", 1.5),
    ],
)
def test_worked_examples(source: str, expected: object) -> None:
    rows = [{"so": 1, "diem": None, "ten": "a"}, {"so": None, "diem": "", "ten": "b"},
            {"so": 2, "diem": None, "ten": None}, {"so": None, "diem": None, "ten": " "},
            {"so": 3, "diem": None, "ten": "c"}]
    assert parse(source).evaluate({"t": rows}) == expected


def test_a_missing_table_counts_nothing_and_sums_to_no_data() -> None:
    assert parse("count(t)").evaluate({}) == 0
    assert parse("sum(t.so)").evaluate({"t": None}) is None


def test_a_column_reference_alone_has_no_value() -> None:
    assert parse("t.so").evaluate({"t": [{"so": 1}]}) is None
    assert parse("sum(t.so, 1)").evaluate({"t": [{"so": 1}]}) is None


def test_written_back_as_read() -> None:
    expr = parse("sum( t.so )/count(t)")
    assert str(expr) == "sum(t.so) / count(t)"
    assert parse(str(expr)) == expr
    assert expr.names() == frozenset({"t"})


def test_a_badly_written_column_name_is_a_syntax_error() -> None:
    with pytest.raises(ExprSyntaxError) as caught:
        parse("sum(t.So)")
    assert caught.value.column == 7 and 'tên cột "So"' in caught.value.message


@pytest.mark.parametrize(
    ("source", "column", "fragment"),
    [
        ("sum(q.so)", 5, 'không có bảng nào tên "q"'),
        ("count(tt)", 7, 'không có bảng nào tên "tt"; có phải là "t"?'),
        ("sum(x.so)", 5, 'mục "x" không phải là bảng'),
        ("sum(t.soo)", 5, 'bảng "t" không có cột "soo"; có phải là "so"?'),
        ("sum(t.ten)", 1, 'hàm "sum" chỉ dùng với cột số; cột "t.ten" là cột văn bản'),
        ("avg(t.ten) > 1", 1, 'hàm "avg" chỉ dùng với cột số'),
        ("x + t.so", 5, 'cột "t.so" chỉ dùng được bên trong một hàm trên cột'),
        ("sum(t.so, x)", 1, 'chỉ nhận đúng một đối số'),
        ("count(x)", 7, 'mục "x" không phải là bảng'),
        ("avg(x)", 1, 'hàm "avg" cần một cột số của bảng'),
    ],
)
def test_the_checker_locates_misuse(source: str, column: int, fragment: str) -> None:
    found = parse(source).problems(KINDS, columns=COLUMNS)
    assert len(found) == 1, found
    assert found[0].column == column
    assert fragment in found[0].message


@pytest.mark.parametrize("source", ["sum(t.so) / count(t) * 100", "count(t.ten) >= 1",
                                    "max(t.diem) - min(t.diem)", "sum(u.so) <= x"])
def test_sound_uses_pass(source: str) -> None:
    assert parse(source).problems(KINDS, columns=COLUMNS) == []


def test_in_a_row_bare_names_are_the_rows_columns() -> None:
    assert parse("diem <= so and ten != \"\"").problems(KINDS, columns=COLUMNS, row_table="t") \
        == []
    assert parse("diem <= x").problems(KINDS, columns=COLUMNS, row_table="t") == []
    assert parse("diem <= sum(t.diem)").problems(KINDS, columns=COLUMNS, row_table="t") == []
    other = parse("diem <= sum(u.so)").problems(KINDS, columns=COLUMNS, row_table="t")
    assert [(p.column, p.message) for p in other] == [
        (13, 'biểu thức trong một dòng của bảng "t" không dùng được bảng khác ("u")')]


def test_a_computed_column_reads_only_its_row() -> None:
    found = parse("so - x").problems(KINDS, columns=COLUMNS, row_table="t", row_only=True)
    assert [(p.column, p.message) for p in found] == [
        (6, 'bảng "t" không có cột "x"; công thức của một cột chỉ dùng các cột cùng dòng')]
    dotted = parse("t.so * 2").problems(KINDS, columns=COLUMNS, row_table="t", row_only=True)
    assert len(dotted) == 1 and 'không kèm tên bảng (ví dụ "so")' in dotted[0].message
    assert parse("so * 2 - diem").problems(KINDS, columns=COLUMNS, row_table="t",
                                           row_only=True) == []
