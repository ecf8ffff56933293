"""View models of the consolidated page: a section's summary table as rows of display cells
(HTML built here, once per cached consolidation: a 200-unit table has 10,000 cells and a
template loop over them is most of a cold page), the roll-up, narratives and stacked tables,
and the items nobody has answered yet (folded behind one toggle on the page)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from flask import abort
from markupsafe import Markup

from aggregate import NOT_REPORTED, SUBTOTAL_ROW, TOTAL_ROW, UNIT_ROW, ColumnHeader
from aggregate.consolidate import Consolidation
from aggregate.model import NO_KIND_LABEL, UnitInfo, no_data
from aggregate.targets import MET, NO_DATA, NOT_MET
from exports.layout import header_grid
from forms.kinds import CATEGORY
from forms.kinds.numbers import format_number
from forms.model import Item
from webapp.consolidation.cache import Loaded
from webapp.display import value_text

VERDICT_CSS = {MET: "v-met", NOT_MET: "v-notmet", NO_DATA: "v-nodata"}
VERDICT_MARK = {MET: "✓", NOT_MET: "✗", NO_DATA: "–"}
MEAN_DETAIL = "Trung bình (nhỏ nhất–lớn nhất; n)"
#: Answers of a narrative item shown on the consolidated page; the rest open on their own
#: page (or in place, with `consolidation-narratives.js`), a page at a time.
NARRATIVE_PREVIEW = 5


@dataclass(frozen=True)
class HeadCell:
    text: str
    colspan: int
    rowspan: int
    col: int | None  # the data column a bottom cell sorts, else None
    title: str = ""


@dataclass
class Row:
    css: str
    name: str
    code: str | None
    note: str  # status words under the name
    cells: str | None  # the row's data cells as HTML; None for a unit that has not reported
    late: bool = False


@dataclass
class Group:
    kind: str
    rows: list[Row]
    subtotal: Row


@dataclass
class TableView:
    id: str
    head: list[list[HeadCell]]
    height: int
    width: int
    groups: list[Group]
    total: Row
    legend: list[tuple[str, str, str, str]]  # (ref, target in words, total verdict, rule)


def visible_columns(columns: Sequence[ColumnHeader]) -> list[ColumnHeader]:
    """A mean's min, max and count fold into its own cell on group rows: one column per item
    keeps a 40-item section readable on a laptop screen."""
    return [c for c in columns if c.role not in ("mean_min", "mean_max", "mean_n")]


def _cell(header: ColumnHeader, row: Mapping[str, Any], verdict: str | None,
          group: bool) -> str:
    """One `<td>`: a bare cell for a plain number (right-aligned by CSS; the script sorts on
    its text), classes only where they mean something — a 200-unit table has 10,000 cells and
    every byte of each is paid on every page view."""
    value = row[header.key]
    css = ""
    title = ""
    if no_data(value):
        text = ""
        css = "nd"
    elif header.role == "yes" and not group:
        text = "Có" if value else "Không"
    elif header.role == "choice" and not group:
        text = "✓" if value else "–"
    else:
        text = format_number(value, header.decimals)
        if header.role == "value" and header.aggregate == "mean" and group:
            low, high, n = (row.get(f"{header.key}@{s}") for s in ("min", "max", "n"))
            if not no_data(n) and n:
                assert low is not None and high is not None  # the summary writes all three
                text = (f'{text} <span class="mm">('
                        f"{format_number(low, header.decimals)}–"
                        f"{format_number(high, header.decimals)}; "
                        f"n={int(n)})</span>")
    if verdict is not None:
        css = VERDICT_CSS[verdict]
        title = f"Chỉ tiêu: {verdict}"
        mark = VERDICT_MARK[verdict]
        text = f'{text} <i aria-hidden="true">{mark}</i>' if text else f"<i>{mark}</i>"
    attrs = (f' class="{css}"' if css else "") + (f' title="{title}"' if title else "")
    return f"<td{attrs}>{text}</td>"


def _head(outline: Any, columns: Sequence[ColumnHeader]) -> tuple[int, list[list[HeadCell]]]:
    height, cells = header_grid(outline, columns)
    rows: list[list[HeadCell]] = [[] for _ in range(height)]
    for cell in cells:
        bottom = cell.last_row == height - 1 and cell.first_col == cell.last_col
        text = MEAN_DETAIL if cell.text == "Trung bình" else cell.text
        header = columns[cell.first_col] if bottom else None
        rows[cell.first_row].append(HeadCell(
            text=text, colspan=cell.last_col - cell.first_col + 1,
            rowspan=cell.last_row - cell.first_row + 1,
            col=cell.first_col if bottom else None,
            title=header.note if header is not None else ""))
    return height, rows


def table_view(loaded: Loaded, index: int, kind: str,
               window: tuple[int, int] | None = None) -> TableView | None:
    """The summary table of top-level section `index` as rows of display cells, units of
    `kind` only when given (their subtotal kept, the total still over every unit), and of
    those only the unit rows `window` (start, stop) in table order: every page shows every
    group's subtotal and the total, whatever units it lists."""
    result = loaded.result
    top = result.outline.items[index]
    summary = next((s for s in result.sections if s.number == top.number
                    and s.label == top.label), None)
    if summary is None:
        return None
    columns = visible_columns(summary.columns)
    height, head = _head(result.outline, columns)
    frame = summary.table
    all_keys = [c.key for c in summary.columns]
    values = frame[all_keys].to_numpy(dtype=float)
    row_types = frame["row_type"].tolist()
    codes = frame["code"].tolist()
    names = frame["name"].tolist()
    kinds = frame["kind"].tolist()
    statuses = frame["status"].tolist()
    verdict_table = result.targets.table
    # A yes/no target is judged on its "yes" column (the units answering «Có» on group rows).
    targeted = [c.key for c in columns if c.key in verdict_table.columns
                and c.role in ("value", "yes")]
    verdicts = {key: verdict_table[key].tolist() for key in targeted}
    units = loaded.by_code
    # Which unit rows the page shows: those of the groups kept by the kind filter, in table
    # order, `window` (start, stop) of them. Cells are built for shown rows only (a 4,000-unit
    # section is 100,000 cells; a page of 100 units is 2,500).
    members: list[list[int]] = [[]]
    for i, row_type in enumerate(row_types):
        if row_type == UNIT_ROW:
            members[-1].append(i)
        elif row_type == SUBTOTAL_ROW:
            members.append([])
    subtotals = [i for i, t in enumerate(row_types) if t == SUBTOTAL_ROW]
    kept = [g for g, i in enumerate(subtotals) if not kind or (kinds[i] or NO_KIND_LABEL) == kind]
    ordered = [i for g in kept for i in members[g]]
    start, stop = window if window is not None else (0, len(ordered))
    shown = set(ordered[start:stop])

    def cells(i: int, group: bool) -> str:
        row = dict(zip(all_keys, values[i].tolist(), strict=True))
        return "".join(_cell(c, row, verdicts[c.key][i] if c.key in verdicts else None,
                             group) for c in columns)

    def unit_row(i: int) -> Row:
        unit: UnitInfo = units[codes[i]]
        if statuses[i] == NOT_REPORTED:
            note = NOT_REPORTED
            if unit.status != "missing":
                note += f" · {unit.status_label}"
            return Row("unit missing", names[i], codes[i], note, None)
        return Row("unit", names[i], codes[i], statuses[i], cells(i, False), late=unit.late)

    groups = []
    for g in kept:
        i = subtotals[g]
        rows = [unit_row(u) for u in members[g] if u in shown]
        groups.append(Group(kinds[i] or NO_KIND_LABEL, rows, Row(
            "subtotal", names[i], None, f"{len(members[g])} đơn vị", cells(i, True))))
    last = len(row_types) - 1
    assert row_types[last] == TOTAL_ROW
    name = names[last]
    if kind:
        name = f"{name} (tất cả {len(result.units)} đơn vị, không theo bộ lọc)"
    total = Row("total", name, None, f"{len(result.units)} đơn vị", cells(last, True))
    legend = []
    for header in result.targets.headers:
        if header.key in verdicts:
            legend.append((header.ref, header.target, verdicts[header.key][last], header.rule))
    return TableView(id=f"bang-{slug(top, index)}", head=head, height=height,
                     width=len(columns), groups=groups, total=total, legend=legend)


def slug(top: Item, index: int) -> str:
    """A section's part of the URL: its number without dots ("II." → "II"), else its place."""
    text = "".join(ch for ch in top.number if ch.isalnum())
    return text or str(index + 1)


def find_section(result: Consolidation, part: str) -> int:
    for index, top in enumerate(result.outline.items):
        if slug(top, index) == part:
            return index
    abort(404)


def filtered_units(result: Consolidation, kind: str) -> list[UnitInfo]:
    return [u for u in result.units if not kind or (u.kind or NO_KIND_LABEL) == kind]


def narratives_for(loaded: Loaded, index: int, kind: str) -> list[dict[str, Any]]:
    """The narrative items of top-level section `index`: each with how many units (of `kind`)
    answered and the first `NARRATIVE_PREVIEW` answers; the rest load on demand."""
    result = loaded.result
    codes = loaded.codes_of(kind) if kind else None
    out = []
    for item in result.outline.items[index].walk():
        texts = loaded.texts.get(item.key or "")
        if texts is None:
            continue
        positions = texts.positions(codes)
        entries = texts.entries(positions[:NARRATIVE_PREVIEW])
        out.append({"key": texts.key, "ref": texts.ref, "entries": entries,
                    "count": len(positions)})
    return out


def _column_text(column: Any, value: Any) -> str:
    if no_data(value):
        return ""
    if CATEGORY.get(column.kind) == "number":
        return format_number(value, 2)
    return value_text(column, value)


def table_order(result: Consolidation, kind: str) -> list[str]:
    """Unit codes as the summary tables list them (grouped by kind, the kind filter applied):
    what the page's `?page=` counts through."""
    table = result.table
    rows = zip(table["row_type"].tolist(), table["code"].tolist(), table["kind"].tolist(),
               strict=True)
    return [code for row_type, code, unit_kind in rows if row_type == UNIT_ROW
            and (not kind or (unit_kind or NO_KIND_LABEL) == kind)]


def stacked_for(loaded: Loaded, index: int, kind: str,
                shown: Collection[str] | None = None) -> list[dict[str, Any]]:
    """The repeating tables of section `index`, stacked unit by unit: `count` rows of the
    units of `kind`, of which `rows` are those of the units `shown` on this page."""
    result = loaded.result
    codes = loaded.codes_of(kind)
    out = []
    for item in result.outline.items[index].walk():
        if not item.is_table or item.key not in result.tables:
            continue
        frame = result.tables[item.field_key]
        rows = []
        count = 0
        for record in frame.to_dict("records"):
            if record["unit_code"] not in codes:
                continue
            count += 1
            if shown is None or record["unit_code"] in shown:
                rows.append([record["unit_name"],
                             *(_column_text(c, record[c.key]) for c in item.columns)])
        out.append({"ref": item.ref, "columns": [c.label for c in item.columns],
                    "numeric": [CATEGORY.get(c.kind) == "number" for c in item.columns],
                    "rows": rows, "count": count})
    return out


def rollup_view(result: Consolidation) -> dict[str, Any] | None:
    """Units with units below them, each aggregated with its whole subtree; None when no
    expected unit reports to another expected unit."""
    frame = result.rollup
    if not len(frame) or int(frame["level"].max()) == 0:
        return None
    columns = visible_columns(result.columns)
    parents = frame[frame["n_units"] > 1]
    rows = []
    # cast: pandas-stubs type a record's keys as Hashable; these columns are named by text.
    records = cast("list[dict[str, Any]]", parents.to_dict("records"))
    for code, record in zip(parents.index, records, strict=True):
        cells = "".join(_cell(c, record, None, True) for c in columns)
        rows.append({"code": code, "name": record["name"], "level": int(record["level"]),
                     "n_units": int(record["n_units"]),
                     "n_reported": int(record["n_reported"]), "cells": Markup(cells)})
    return {"columns": columns, "rows": rows}
