"""Where a repeating table's cells are in the template, for the formulas that read them.

A column function (`sum(t.c)`) becomes SUM over the column's range in the table block; the
range runs from the first data row down to the table's end row (whose cells under the table's
columns are blank), so a row the user inserts anywhere in the table, even just above the end
row, falls inside it and is counted. A computed column is one formula per data row over that
row's cells.
"""

from __future__ import annotations

from forms.excel.layout import TABLE_FIRST_COL, cell_name, col_letter
from forms.model import Item


def table_ranges(item: Item, first_row: int, end_row: int) -> dict[str, tuple[str, ...]]:
    """`ranges` for `Expr.to_excel`: "t.c" → the column's absolute range, and "t" → the ranges
    of the typed columns (what makes a row a row, for count(t)). Rows are zero-based."""
    key = item.field_key
    out: dict[str, tuple[str, ...]] = {}
    typed: list[str] = []
    for index, column in enumerate(item.columns):
        letter = col_letter(TABLE_FIRST_COL + index)
        ref = f"${letter}${first_row + 1}:${letter}${end_row + 1}"
        out[f"{key}.{column.key}"] = (ref,)
        if column.formula is None:
            typed.append(ref)
    out[key] = tuple(typed)
    return out


def row_cells(item: Item, row: int) -> dict[str, str]:
    """Column key → its cell in one data row (relative, so a copied row keeps its formulas)."""
    return {column.key: cell_name(row, TABLE_FIRST_COL + index)
            for index, column in enumerate(item.columns)}
