"""Column functions as Excel formulas agree with the interpreter and with a plain reference:
random tables are written to a workbook, the formulas over their ranges computed by the
`formulas` package (an Excel engine in Python), and every result compared — blanks, zeros,
cells of spaces, a table with no row at all included. Computed columns are checked per row."""

from __future__ import annotations

import math
import random

import formulas
import numpy as np
import xlsxwriter

from forms.expr import parse

ROWS = 6  # rows of each table block: B..D hold so, diem, ten; A holds x
CASES = 40
SOURCES = (
    "sum(t.so)", "min(t.so)", "max(t.so)", "avg(t.so)", "count(t.so)", "count(t.ten)",
    "count(t)", "sum(t.diem)", "avg(t.diem)", "sum(t.so) / count(t) * x",
    "if(count(t) > 0, max(t.diem) - min(t.diem), 0)", "sum(t.so) + sum(t.diem) >= x",
    "min(t.so) * -1",
)
CELLS = (None, None, 0, 1, 2.5, -3, 10, 0.1)
TEXTS = (None, "", "   ", "a", "Tên")


def blank(cell: object) -> bool:
    """The emptiness rule written out again: nothing, or text of spaces only."""
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def reference(source: str, rows: list[dict], x: object) -> object:
    """The documented meaning, in plain Python, for the sources above."""
    def column(name):
        return [row[name] for row in rows if not blank(row[name])]

    def total(name):
        return math.fsum(column(name)) if column(name) else None

    def least(name):
        return min(column(name)) if column(name) else None

    def most(name):
        return max(column(name)) if column(name) else None

    count = len([row for row in rows if any(not blank(v) for v in row.values())])
    mean = None if not column("so") else math.fsum(column("so")) / len(column("so"))
    table = {
        "sum(t.so)": total("so"), "min(t.so)": least("so"), "max(t.so)": most("so"),
        "avg(t.so)": mean, "count(t.so)": len(column("so")), "count(t.ten)": len(column("ten")),
        "count(t)": count, "sum(t.diem)": total("diem"),
        "avg(t.diem)": None if not column("diem") else total("diem") / len(column("diem")),
        "sum(t.so) / count(t) * x": None if total("so") is None or x is None or count == 0
        else total("so") / count * x,
        "if(count(t) > 0, max(t.diem) - min(t.diem), 0)": 0 if count == 0 else (
            None if most("diem") is None else most("diem") - least("diem")),
        "sum(t.so) + sum(t.diem) >= x": None if None in (total("so"), total("diem"), x)
        else total("so") + total("diem") >= x,
        "min(t.so) * -1": None if least("so") is None else -least("so"),
    }
    return table[source]


def _unwrap(value: object) -> object:
    value = getattr(value, "value", value)
    if isinstance(value, np.ndarray):
        value = value.ravel()[0]
    if isinstance(value, np.generic):
        value = value.item()
    return value


def _same(python: object, excel: object) -> bool:
    if python is None:
        return excel == ""
    if isinstance(python, bool):
        return isinstance(excel, bool) and python == excel
    if isinstance(excel, bool) or not isinstance(excel, int | float):
        return False
    return math.isclose(python, excel, rel_tol=1e-9, abs_tol=1e-12)


def _cases() -> list[tuple[list[dict], object]]:
    rng = random.Random(20261203)
    cases: list[tuple[list[dict], object]] = [([], 5), ([{"so": None, "diem": None,
                                                         "ten": "  "}], 1)]
    for _ in range(CASES):
        count = rng.randint(0, ROWS)
        rows = [{"so": rng.choice(CELLS), "diem": rng.choice(CELLS), "ten": rng.choice(TEXTS)}
                for _ in range(count)]
        cases.append((rows, rng.choice((None, 1, 4))))
    return cases


def test_column_functions_in_excel_agree_with_the_engine_and_the_reference(tmp_path) -> None:
    cases = _cases()
    path = tmp_path / "bang.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Sheet1")
    written: list[tuple[int, str, int]] = []  # (case, source, row of the formula)
    row = 0
    for index, (rows, x) in enumerate(cases):
        first = row
        if x is not None:
            sheet.write_number(first, 0, x)
        for offset, values in enumerate(rows):
            for col, name in ((1, "so"), (2, "diem"), (3, "ten")):
                value = values[name]
                if isinstance(value, str):
                    sheet.write_string(first + offset, col, value)
                elif value is not None:
                    sheet.write_number(first + offset, col, value)
        last = first + ROWS  # the block's end row, blank as the template's is
        ranges = {f"t.{name}": (f"${letter}${first + 1}:${letter}${last + 1}",)
                  for name, letter in (("so", "B"), ("diem", "C"), ("ten", "D"))}
        ranges["t"] = (ranges["t.so"][0], ranges["t.diem"][0], ranges["t.ten"][0])
        for offset, source in enumerate(SOURCES):
            formula = parse(source).to_excel({"x": f"A{first + 1}"}, ranges=ranges)
            sheet.write_formula(first + offset, 5, formula)
            written.append((index, source, first + offset))
        row = first + max(ROWS, len(SOURCES)) + 1
    book.close()
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    by_cell = {key.rsplit("!", 1)[-1].upper(): value for key, value in solution.items()}
    mismatches = []
    for index, source, at in written:
        rows, x = cases[index]
        excel = _unwrap(by_cell.get(f"F{at + 1}"))
        engine = parse(source).evaluate({"t": rows, "x": x})
        expected = reference(source, rows, x)
        engine_agrees = engine is None if expected is None else _same(expected, engine)
        if not (engine_agrees and _same(expected, excel)):
            mismatches.append((source, rows, x, expected, engine, excel))
    assert not mismatches, "\n".join(map(repr, mismatches[:8]))
    assert len(written) == len(cases) * len(SOURCES)


def test_a_computed_column_is_one_formula_per_row(tmp_path) -> None:
    rng = random.Random(7)
    expr = parse("(toi_da - dat) / toi_da * 100")
    path = tmp_path / "cot.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Sheet1")
    rows = [{"dat": rng.choice(CELLS), "toi_da": rng.choice(CELLS)} for _ in range(60)]
    for index, values in enumerate(rows):
        for col, name in ((0, "dat"), (1, "toi_da")):
            if values[name] is not None:
                sheet.write_number(index, col, values[name])
        sheet.write_formula(index, 2, expr.to_excel({"dat": f"A{index + 1}",
                                                     "toi_da": f"B{index + 1}"}))
    book.close()
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    by_cell = {key.rsplit("!", 1)[-1].upper(): value for key, value in solution.items()}
    for index, values in enumerate(rows):
        dat, toi_da = values["dat"], values["toi_da"]
        expected = None if dat is None or toi_da is None or toi_da == 0 \
            else (toi_da - dat) / toi_da * 100
        assert _same(expected, _unwrap(by_cell.get(f"C{index + 1}"))), values
        engine = expr.evaluate(values)
        assert engine is None if expected is None else _same(expected, engine), values
