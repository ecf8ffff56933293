"""Where in the uploaded workbook each issue of its values is: the cells a user fixes.

An issue of one item is at that item's cell (or a table's row or cell); a cross-item rule is at
every cell it names, since the wrong figure may be in any of them. The place is kept as text
("Báo cáo!D12", "Báo cáo!D51, Báo cáo!D52") because that is what the user reads on the web
page and in the workbook's list of issues.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forms.excel.reader import Extracted

#: An item key, (key, row) for a table row, (key, row, column) for a table cell.
CellKey = str | tuple[str, int] | tuple[str, int, str]

#: Between the cells of one place: "Báo cáo!D51, Báo cáo!D52" (a rule naming two items).
PLACE_SEPARATOR = ", "


def locate(issues: Iterable[Any], extracted: Extracted) -> list[tuple[Any, str | None]]:
    """Pair each validation issue with its place and prefix its message with it, so the same
    list serves the web page and `annotate`.

    The place is its cell ("Báo cáo!D12"), None when it has none, or for a cross-item rule
    every cell the rule names ("Báo cáo!D51, Báo cáo!D52"; `cells_of` splits it): the wrong
    figure may be in any of them."""
    located: list[tuple[Any, str | None]] = []
    for issue in issues:
        cells = _issue_cells(issue, extracted.cells)
        where = PLACE_SEPARATOR.join(cells) if cells else None
        if where is not None:
            issue = replace(issue, message=f"{where}: {issue.message}")
        located.append((issue, where))
    return located


def cells_of(where: str | None) -> list[str]:
    """The cells of a place `locate` gave: [] for None, one cell, or each cell of a rule."""
    if not where:
        return []
    return [cell for cell in re.split(r", (?=[^,!]*!)", where) if "!" in cell]


def _issue_cells(issue: Any, cells: Mapping[CellKey, str]) -> list[str]:
    """The issue's own cell first, then the cell of every other item it concerns."""
    out = []
    first = _issue_cell(issue, cells)
    if first is not None:
        out.append(first)
    key, row = getattr(issue, "key", None), getattr(issue, "row", None)
    for column in tuple(getattr(issue, "columns", ()))[1:]:  # a row rule's other cells
        cell = cells.get((key, row, column)) if key is not None and row is not None else None
        if cell is not None and cell not in out:
            out.append(cell)
    for key in tuple(getattr(issue, "keys", ()))[1:]:
        cell = cells.get(key)
        if cell is not None and cell not in out:
            out.append(cell)
    return out


def _issue_cell(issue: Any, cells: Mapping[CellKey, str]) -> str | None:
    key = getattr(issue, "key", None)
    if key is None:
        return None
    row, column = getattr(issue, "row", None), getattr(issue, "column", None)
    if row is not None and column is not None and (key, row, column) in cells:
        return cells[(key, row, column)]
    if row is not None and (key, row) in cells:
        return cells[(key, row)]
    return cells.get(key)
