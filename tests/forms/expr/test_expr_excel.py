"""The Excel formula agrees with `Expr.evaluate`: checked by computing the written workbook
with the `formulas` package (an Excel formula engine in Python), blanks and zeros included."""

import math
import random

import formulas
import numpy as np
import pytest
import xlsxwriter

from forms.expr import parse

NAMES = ("a", "b", "c", "d")
COLUMNS = "ABCD"
INPUTS = (None, 0, 1, 2, -3, 2.5, 10)
RANDOM_CASES = 80

CASES = [
    "a + b",
    "a - b * c",
    "-a + 1",
    "a / b",
    "a / b * 100",
    "round(a / b * 100, 1)",
    "(a + b) / (c - d)",
    "a / (b / c)",
    "a / b / c / d",
    "sum(a, b, c)",
    "sum(a / b, c)",
    "sum(a * 2, b)",
    "sum(a, sum(b, c / d))",
    "min(a, b, c / d)",
    "max(a, b / c)",
    "max(a - b, 0)",
    "min(a * 2)",
    "abs(a - b)",
    "round(a / 3, 2)",
    "round(a * 1000 + 0.5, -1)",
    "if(b = 0, 0, a / b)",
    "if(a > b, a, b)",
    "if(a > b, c / d, sum(c, d))",
    "a > b",
    "a / b >= 0.5",
    "a = b",
    "a != b",
    "not a > b",
    "a > 0 and b > 0",
    "a > 0 or b > 0",
    "a > 0 and (b > 0 or c / d > 1)",
    "not (a > 0 and b < 1)",
    "sum(a, b) > c and d != 0",
    "if(a > 0 or b > 0, 1, 2)",
    "round(-a / 4)",
    "2.5",
    "true",
    ". * 2 + a",
    ". <= sum(a, b)",
]


def _unwrap(value: object) -> object:
    """A computed cell as a plain Python value ("" for a blank result)."""
    value = getattr(value, "value", value)  # formulas' Ranges
    if isinstance(value, np.ndarray):
        value = value.ravel()[0]
    if isinstance(value, np.generic):
        value = value.item()
    return value


def _excel_results(tmp_path, rows: list[tuple[dict, str]]) -> list[object]:
    """Write one row per case (inputs in A–E, formula in G) and let `formulas` compute."""
    path = tmp_path / "cases.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Sheet1")
    for index, (values, formula) in enumerate(rows, start=1):
        for column, name in zip("ABCDE", (*NAMES, "."), strict=True):
            value = values.get(name)
            if value is not None:
                sheet.write_number(f"{column}{index}", value)
        sheet.write_formula(f"G{index}", formula)
    workbook.close()
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    by_cell = {key.rsplit("!", 1)[-1].upper(): value for key, value in solution.items()}
    return [_unwrap(by_cell.get(f"G{index}")) for index in range(1, len(rows) + 1)]


def _same(python: object, excel: object) -> bool:
    if python is None:
        return excel == ""
    if isinstance(python, bool):
        return isinstance(excel, bool) and python == excel
    if isinstance(excel, bool) or not isinstance(excel, int | float):
        return False
    return math.isclose(python, excel, rel_tol=1e-9, abs_tol=1e-12)  # type: ignore[arg-type]


def _formula(source: str, row: int) -> str:
    cells = {name: f"{column}{row}" for name, column in zip(NAMES, COLUMNS, strict=True)}
    return parse(source).to_excel(cells, self_cell=f"E{row}")


def _random_source(rng: random.Random, depth: int, boolean: bool = False) -> str:
    if boolean:
        pick = rng.randrange(5 if depth > 0 else 1)
        if pick == 0:
            op = rng.choice(["<", "<=", ">", ">=", "=", "!="])
            return f"{_random_source(rng, depth - 1)} {op} {_random_source(rng, depth - 1)}"
        if pick in (1, 2):
            op = "and" if pick == 1 else "or"
            left = _random_source(rng, depth - 1, True)
            return f"({left}) {op} ({_random_source(rng, depth - 1, True)})"
        if pick == 3:
            return f"not ({_random_source(rng, depth - 1, True)})"
        return rng.choice(["true", "false"])
    if depth <= 0 or rng.random() < 0.25:
        return rng.choice([*NAMES, *NAMES, "0", "1", "2", "0.5"])
    pick = rng.randrange(8)
    sub = [_random_source(rng, depth - 1) for _ in range(3)]
    if pick <= 2:
        return f"({sub[0]}) {rng.choice('+-*/')} ({sub[1]})"
    if pick == 3:
        return f"{rng.choice(['sum', 'min', 'max'])}({', '.join(sub[: rng.randint(1, 3)])})"
    if pick == 4:
        return f"round({sub[0]}, {rng.choice([0, 1, -1])})"
    if pick == 5:
        return f"if({_random_source(rng, depth - 1, True)}, {sub[0]}, {sub[1]})"
    if pick == 6:
        return f"abs({sub[0]})"
    return f"-({sub[0]})"


def test_excel_agrees_with_evaluate(tmp_path) -> None:
    rng = random.Random(20251112)
    cases: list[tuple[str, dict]] = []
    for source in CASES:
        # all inputs filled, each input blank in turn, zero denominators, nothing filled
        full = {name: rng.choice([1, 2, 10, 2.5]) for name in (*NAMES, ".")}
        cases.append((source, full))
        cases.extend((source, {**full, name: None}) for name in (*NAMES, "."))
        cases.extend((source, {**full, name: 0}) for name in ("b", "d"))
        cases.append((source, {}))
    for index in range(RANDOM_CASES):
        source = _random_source(rng, 3, boolean=index % 4 == 0)
        values = {name: rng.choice(INPUTS) for name in (*NAMES, ".")}
        cases.append((source, values))
    rows = [(values, _formula(source, row)) for row, (source, values) in enumerate(cases, 1)]
    results = _excel_results(tmp_path, rows)
    mismatches = []
    for (source, values), (_, formula), excel in zip(cases, rows, results, strict=True):
        expected = parse(source).evaluate(values, values.get("."))
        if not _same(expected, excel):
            mismatches.append((source, values, formula, expected, excel))
    assert not mismatches, "\n".join(map(repr, mismatches[:10]))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a / b * 100", '=IF(OR(C5="",C6=""),"",IFERROR(C5/C6*100,""))'),
        ("a + b", '=IF(OR(C5="",C6=""),"",C5+C6)'),
        ("sum(a, b)", '=IF(COUNT(C5,C6)=0,"",SUM(C5,C6))'),
        ("round(a / b * 100, 1)", '=IF(OR(C5="",C6=""),"",IFERROR(ROUND(C5/C6*100,1),""))'),
        ("if(b = 0, 0, a / b)", '=IF(C6="","",IF(C6=0,0,IF(C5="","",IFERROR(C5/C6,""))))'),
        ("a - (b - 1)", '=IF(OR(C5="",C6=""),"",C5-(C6-1))'),
        ("a * -b", '=IF(OR(C5="",C6=""),"",C5*(-C6))'),
        (
            "a > b and a > 0",
            '=IF(C5="","",CHOOSE(MIN(IF(C6="",0.5,IF(C5>C6,1,0)),IF(C5>0,1,0))*2+1,FALSE,"",TRUE))',
        ),
        ('a = "say ""hi"""', '=IF(C5="","",EXACT(C5,"say ""hi"""))'),
        ('a != "x"', '=IF(C5="","",NOT(EXACT(C5,"x")))'),
        ("0.00001 + 1e20", "=1E-05+1E+20"),
        (". <= 1000", "=IF('Báo cáo'!$D$9=\"\",\"\",'Báo cáo'!$D$9<=1000)"),
        ("true", "=TRUE"),
    ],
)
def test_formula_text(source: str, expected: str) -> None:
    cells = {"a": "C5", "b": "C6"}
    assert parse(source).to_excel(cells, self_cell="'Báo cáo'!$D$9") == expected


def test_formula_never_divides_unguarded() -> None:
    formula = parse("a / b").to_excel({"a": "A1", "b": "B1"})
    assert formula.startswith("=") and "IFERROR(" in formula


@pytest.mark.parametrize(
    "step",
    [
        "if(b > 0, ({s}) / b, c)",
        "if(b > ({s}), c, a / b)",
        "(({s}) > b or c > 0) and a / b > 1",
        "round(({s}) / b, 1) + a",
        "-(({s}) * b) / (c - a)",
    ],
)
def test_formula_grows_linearly_with_nesting(step: str) -> None:
    source = "a"
    for _ in range(15):
        source = step.format(s=source)
    formula = parse(source).to_excel({"a": "A1", "b": "B1", "c": "C1"})
    assert len(formula) < 8 * len(source)


def test_aggregate_over_computed_arguments_stays_bounded() -> None:
    """The one known duplication: an argument of sum/min/max that may be no data is written
    twice (tested, then summed); nested calls of the same function are flattened first."""
    formula = parse("sum(sum(sum(a / b, c) / b, c) / b, c)").to_excel(
        {"a": "A1", "b": "B1", "c": "C1"}
    )
    assert len(formula) < 1200
    flat = parse("sum(a / b, sum(c / b, sum(a / c, b)))").to_excel(
        {"a": "A1", "b": "B1", "c": "C1"}
    )
    assert flat.count("SUM(") == 1


@pytest.mark.parametrize(
    ("source", "cells", "self_cell"),
    [
        ("a + x", {"a": "A1"}, None),
        (". + 1", {}, None),
        ("foo(a)", {"a": "A1"}, None),
        ("round(a, 1, 2)", {"a": "A1"}, None),
    ],
)
def test_formula_refuses_what_the_checker_reports(source, cells, self_cell) -> None:
    with pytest.raises(ValueError):
        parse(source).to_excel(cells, self_cell)
