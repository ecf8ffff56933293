"""Workbooks written inline, pyxform style: a markdown-like table per sheet.

    | survey |
    |        | type    | name | label |
    |        | integer | a    | A     |

A line whose first cell is filled starts a sheet; the other lines are its rows (row 1 is the
header). Cells are written as text, as an author would type them; `typed` rows keep Python
values (numbers, dates, booleans) for what Excel itself stores as such.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import xlsxwriter

from forms.spreadsheet import SheetProblem, import_workbook


def parse_md(md: str) -> dict[str, list[list[Any]]]:
    sheets: dict[str, list[list[Any]]] = {}
    current: list[list[Any]] | None = None
    for line in md.strip().splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0]:
            current = sheets.setdefault(cells[0], [])
        else:
            assert current is not None, "a row before any sheet name"
            current.append(cells[1:])
    return sheets


def workbook(sheets: dict[str, list[list[Any]]] | str) -> bytes:
    """The .xlsx bytes of `sheets` (sheet name → rows), or of a markdown-like text."""
    if isinstance(sheets, str):
        sheets = parse_md(sheets)
    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value)
                elif hasattr(value, "isoformat"):
                    ws.write_datetime(r, c, value, date_format)
                else:
                    ws.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


SETTINGS = """
| settings |
|          | id        | version | title               |
|          | thu-nghiem | 1      | Đề cương thử nghiệm |
"""


def run(md: str, *, settings: bool = True) -> tuple[str, list[SheetProblem]]:
    """Import a markdown-like workbook (with a valid settings sheet unless told otherwise)."""
    return import_workbook(workbook(md + (SETTINGS if settings else "")))


def problems_at(md: str, **kwargs: Any) -> dict[str, str]:
    """where → message of every problem (one per place in these tests)."""
    _yaml, problems = run(md, **kwargs)
    return {p.where: p.message for p in problems}
