"""The aggregated workbook (xlsxwriter): what a coordinator opens the night before the summary.

Sheets: "Tổng quan" (round, completeness with a chart, target verdicts of the total), one sheet
per top-level section (units grouped by kind, subtotal and total rows in bold, the outline's
numbering as a multi-row header, unit words, Vietnamese number formats, frozen panes,
autofilter, target verdict columns with red/green conditional formats), "Biểu đồ" (a bar chart
per targeted item), "Tổng hợp ý kiến" (narratives), one sheet per repeating table, "Tình hình
nộp" (every unit's status) and "Chưa báo cáo" (who has not reported, with contact).

Memory: the workbook runs in xlsxwriter's `constant_memory` mode, so a 10,000-unit round is
written row by row with one row in memory. That mode only accepts writes in row order, and
`merge_range` over several rows writes blanks into the rows below at once, after which the
rest of the current row can no longer be written. So header rectangles spanning one row are
real merges, and rectangles spanning several rows are drawn as a bordered box (text in its
middle row, no inner borders) that looks the same to a reader and filters and sorts the same.

Numbers are written as numbers with formats (`#,##0` counts, `#,##0.0#` rates and means);
Excel shows them with the reader's own separators (1.234,5 on a Vietnamese system). No data
is an empty cell, never 0. Text is written with `write_string` (never a formula); text a
spreadsheet could read as a formula also gets Excel's quote-prefix style, the equivalent of a
typed leading apostrophe (see `exports.safety`). xlsxwriter's return codes are checked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

import numpy as np
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Format
from xlsxwriter.worksheet import Worksheet

from aggregate import (
    MET,
    NOT_MET,
    NOT_REPORTED,
    SUBTOTAL_ROW,
    TOTAL_ROW,
    UNIT_ROW,
    ColumnHeader,
    Consolidation,
)
from aggregate.completeness import COUNT_LABELS
from aggregate.groups import FORMULA_NOTE, MEAN_NOTE
from aggregate.model import LATE_LABEL
from aggregate.tables import table_headers
from exports.layout import header_grid, item_title, with_unit
from exports.limits import ExportError, check_size, fit_cell, sheet_name
from exports.meta import ExportMeta, show_datetime
from exports.safety import is_dangerous, xml_safe
from forms.kinds import CATEGORY
from forms.model import Item

WHOLE = "#,##0"
FRACTION = "#,##0.0#"
DAY = "dd/mm/yyyy"
MOMENT = "dd/mm/yyyy hh:mm"
RED = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
GREEN = {"bg_color": "#C6EFCE", "font_color": "#006100"}
DESCRIPTIVE = (("code", "Mã đơn vị", 12), ("name", "Đơn vị", 36), ("kind", "Loại đơn vị", 14),
               ("note", "Ghi chú", 16))
CHART_UNITS = 60  # above this many units a chart shows groups, not units
STATUS_NOT_ACCEPTED = "Đã nộp, chưa tiếp nhận"


def _number_format(header: ColumnHeader, item: Item) -> str:
    if header.role in ("mean_n", "yes", "choice"):
        return WHOLE
    if item.kind in ("integer", "money") and header.aggregate in ("sum", "min", "max", "none"):
        return WHOLE
    return FRACTION


class _Book:
    """The workbook with its formats; every write goes through a checked helper."""

    def __init__(self, target: str | Path | IO[bytes]) -> None:
        self.wb = xlsxwriter.Workbook(target, {"constant_memory": True,
                                               "strings_to_formulas": False,
                                               "strings_to_numbers": False,
                                               "strings_to_urls": False})
        self.taken: set[str] = set()
        base = {"font_name": "Times New Roman", "font_size": 11}
        self._formats: dict[tuple, Format] = {}
        self._props: dict[int, dict[str, Any]] = {}
        self._pending: dict[int, list[tuple[int, int, str, Format]]] = {}
        self._unit_cells: dict[str, list[tuple[int, str, Format]]] | None = None
        self.base = base
        self.title = self.fmt(bold=True, font_size=14)
        self.bold = self.fmt(bold=True)
        self.text = self.fmt()
        self.wrap = self.fmt(text_wrap=True, valign="top")
        self.head = self.fmt(bold=True, text_wrap=True, align="center", valign="vcenter",
                             border=1, bg_color="#DDEBF7")
        self.red = self.wb.add_format(RED)
        self.green = self.wb.add_format(GREEN)

    def fmt(self, **props: Any) -> Format:
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            made = self.wb.add_format({**self.base, **props})
            self._formats[key] = made
            self._props[id(made)] = props
        return self._formats[key]

    def sheet(self, wanted: str) -> Worksheet:
        name = sheet_name(wanted, self.taken)
        self.taken.add(name.lower())
        return self.wb.add_worksheet(name)

    def put(self, ws: Worksheet, row: int, col: int, value: Any,
            fmt: Format | None = None) -> None:
        """Write one cell by type: numbers as numbers, dates as dates, text as safe text."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return
        if isinstance(value, bool):
            value = "Có" if value else "Không"
        if isinstance(value, int | float | np.integer | np.floating):
            rc = ws.write_number(row, col, float(value), fmt)
        elif isinstance(value, date):
            rc = ws.write_datetime(row, col, value, fmt or self.fmt(num_format=DAY))
        else:
            self.put_text(ws, row, col, str(value), fmt)
            return
        if rc < 0:
            raise ExportError(f"Không ghi được ô {xl_rowcol_to_cell(row, col)} của trang "
                              f"«{ws.get_name()}» (mã lỗi {rc}).")

    def put_text(self, ws: Worksheet, row: int, col: int, text: str,
                 fmt: Format | None = None) -> None:
        text = fit_cell(xml_safe(text))
        if is_dangerous(text):
            fmt = self.quoted(fmt)
        rc = ws.write_string(row, col, text, fmt)
        if rc < 0:
            raise ExportError(f"Không ghi được ô {xl_rowcol_to_cell(row, col)} của trang "
                              f"«{ws.get_name()}» (mã lỗi {rc}).")

    def quoted(self, fmt: Format | None) -> Format:
        """`fmt` plus Excel's quote prefix (text that must never become a formula)."""
        props = self._props.get(id(fmt), {}) if fmt is not None else {}
        return self.fmt(**{**props, "quote_prefix": True})

    def unit_cells(self, result: Consolidation) -> dict[str, list[tuple[int, str, Format]]]:
        """Code → the (column, safe text, format) of a unit's code, name and kind, made once."""
        if self._unit_cells is None:
            cells: dict[str, list[tuple[int, str, Format]]] = {}
            for unit in result.units:
                row = []
                for col, text in enumerate((unit.code, unit.name, unit.kind or "")):
                    text = fit_cell(xml_safe(text))
                    row.append((col, text, self.quoted(self.text) if is_dangerous(text)
                                else self.text))
                cells[unit.code] = row
            self._unit_cells = cells
        return self._unit_cells

    def box(self, ws: Worksheet, first_row: int, last_row: int, first_col: int, last_col: int,
            text: str) -> None:
        """A header rectangle: merged when it spans one row, else a bordered box (see the
        module docstring for why). Called in row order of `first_row`; the rows below are
        written by `box_rest` when the writer reaches them."""
        middle = first_row + (last_row - first_row) // 2
        for row in range(first_row, last_row + 1):
            sides = {"left": 1, "right": 1, "top": 1 if row == first_row else 0,
                     "bottom": 1 if row == last_row else 0}
            fmt = self.fmt(bold=True, text_wrap=True, align="center", valign="vcenter",
                           bg_color="#DDEBF7", **sides)
            self._pending.setdefault(row, []).append(
                (first_col, last_col, text if row == middle else "", fmt))

    def flush_boxes(self, ws: Worksheet, row: int) -> None:
        for first_col, last_col, text, fmt in sorted(self._pending.pop(row, []),
                                                     key=lambda x: x[0]):
            if first_col == last_col:
                if text:
                    self.put_text(ws, row, first_col, text, fmt)
                else:
                    ws.write_blank(row, first_col, None, fmt)
            else:
                rc = ws.merge_range(row, first_col, row, last_col, "", fmt)
                if rc < 0:
                    raise ExportError(f"Không gộp được ô ở dòng {row + 1} của trang "
                                      f"«{ws.get_name()}» (mã lỗi {rc}).")
                if text:
                    self.put_text(ws, row, first_col, text, fmt)


# -- cover --------------------------------------------------------------------------------------


def _cover(book: _Book, result: Consolidation, meta: ExportMeta) -> None:
    ws = book.sheet("Tổng quan")
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 6, 14)
    outline = result.outline
    book.put_text(ws, 0, 0, outline.title, book.title)
    lines = [
        ("Cơ quan ban hành đề cương", outline.issuer or ""),
        ("Đợt báo cáo", meta.round_title),
        ("Kỳ báo cáo", meta.period),
        ("Hạn nộp", show_datetime(meta.deadline)),
        ("Số liệu tổng hợp từ", meta.basis_text),
        ("Đề cương", f"{outline.id}, phiên bản {outline.version}"),
        ("Thời điểm lập", show_datetime(meta.generated_at)),
    ]
    row = 2
    for label, value in lines:
        book.put_text(ws, row, 0, label, book.bold)
        book.put_text(ws, row, 1, value, book.text)
        row += 1
    row += 1
    book.put_text(ws, row, 0, "TÌNH HÌNH NỘP BÁO CÁO", book.bold)
    row += 1
    counts = result.completeness.counts()
    first_count = row
    pie = ("on_time", "late", "returned", "missing")
    whole = book.fmt(num_format=WHOLE, align="left")
    # Rows are written in order (constant_memory): the pie's data sits beside the counts.
    book.put_text(ws, row, 3, "Dữ liệu biểu đồ", book.bold)
    for i, (key, label) in enumerate(COUNT_LABELS.items()):
        book.put_text(ws, row, 0, label, book.text)
        book.put(ws, row, 1, counts[key], whole)
        if 1 <= i <= len(pie):
            book.put_text(ws, row, 3, COUNT_LABELS[pie[i - 1]], book.text)
            book.put(ws, row, 4, counts[pie[i - 1]], whole)
        row += 1
    chart = book.wb.add_chart({"type": "pie"})
    name = ws.get_name()
    chart.add_series({
        "name": "Tình hình nộp báo cáo",
        "categories": [name, first_count + 1, 3, first_count + 4, 3],
        "values": [name, first_count + 1, 4, first_count + 4, 4],
        "data_labels": {"value": True},
    })
    chart.set_title({"name": "Tình hình nộp báo cáo"})
    ws.insert_chart(first_count, 6, chart)
    row = max(row, first_count + 6) + 1
    if result.targets.headers:
        book.put_text(ws, row, 0, "CHỈ TIÊU (ĐÁNH GIÁ TRÊN SỐ TỔNG CỘNG)", book.bold)
        row += 1
        heads = ["Mục", "Chỉ tiêu", "Tổng cộng", "Đánh giá", "Số đơn vị đạt",
                 "Số đơn vị không đạt", "Số đơn vị không có số liệu"]
        for col, text in enumerate(heads):
            book.put_text(ws, row, col, text, book.head)
        row += 1
        total = result.total
        verdict_total = result.targets.table.iloc[-1]
        tallies = result.targets.counts.to_dict("index")  # item key → {verdict word: units}
        for header in result.targets.headers:
            figure = total[header.key] if header.key in total.index else None
            book.put_text(ws, row, 0, header.ref, book.wrap)
            book.put_text(ws, row, 1, header.target, book.text)
            book.put(ws, row, 2, figure, book.fmt(num_format=FRACTION))
            verdict = str(verdict_total[header.key])
            book.put_text(ws, row, 3, verdict,
                          book.fmt(**(RED if verdict == NOT_MET else GREEN if verdict == MET
                                      else {})))
            for col, word in enumerate(("đạt", "không đạt", "không có số liệu"), start=4):
                book.put(ws, row, col, int(tallies[header.key][word]), book.fmt(num_format=WHOLE))
            row += 1
    row += 1
    book.put_text(ws, row, 0, "Ghi chú", book.bold)
    for note in (FORMULA_NOTE, MEAN_NOTE, "Ô để trống: không có số liệu (không phải số 0)."):
        row += 1
        book.put_text(ws, row, 0, note, book.text)


# -- section sheets -----------------------------------------------------------------------------


def _section(book: _Book, result: Consolidation, meta: ExportMeta, number: str, label: str,
             columns: Sequence[ColumnHeader], table: Any) -> None:
    outline = result.outline
    ws = book.sheet(f"{number} {label}")
    n_desc = len(DESCRIPTIVE)
    targeted = [c for c in columns if c.role == "value"
                and outline.item(c.item_key).target is not None]
    n_cols = n_desc + len(columns) + len(targeted)
    height, cells = header_grid(outline, columns)
    first_head = 3
    index_row = first_head + height  # "(1) (2) …": column numbers, as official tables have
    first_data = index_row + 1
    n_rows = len(table)
    check_size(first_data + n_rows + 5, n_cols, f"{number} {label}")

    book.put_text(ws, 0, 0, f"{number} {label}".strip(), book.title)
    book.put_text(ws, 1, 0, f"{meta.round_title} — {meta.period}".strip(" —"), book.text)
    # Header rectangles, queued by row and flushed in row order (constant_memory).
    book._pending = {}
    for col, (_, text, _) in enumerate(DESCRIPTIVE):
        book.box(ws, first_head, index_row - 1, col, col, text)
    for cell in cells:
        book.box(ws, first_head + cell.first_row, first_head + cell.last_row,
                 n_desc + cell.first_col, n_desc + cell.last_col, cell.text)
    for i, header in enumerate(targeted):
        item = outline.item(header.item_key)
        assert item.target is not None
        book.box(ws, first_head, index_row - 1, n_desc + len(columns) + i,
                 n_desc + len(columns) + i,
                 f"{item_title(item)}: chỉ tiêu {item.target.display}")
    for row in range(first_head, index_row):
        book.flush_boxes(ws, row)
    index_fmt = book.fmt(italic=True, align="center", border=1)
    for col in range(n_cols):
        book.put_text(ws, index_row, col, f"({col + 1})", index_fmt)

    items = [outline.item(c.item_key) for c in columns]
    plain = [book.fmt(num_format=_number_format(c, it)) for c, it in zip(columns, items,
                                                                           strict=True)]
    strong = [book.fmt(num_format=_number_format(c, it), bold=True, top=1, bottom=1)
              for c, it in zip(columns, items, strict=True)]
    muted = book.fmt(italic=True, font_color="#7F7F7F")
    strong_text = book.fmt(bold=True, top=1, bottom=1)
    block = table[[c.key for c in columns]].to_numpy(dtype=float).tolist()
    # Plain lists: iterating pandas string columns cell by cell costs more than the writes.
    head = zip(*(table[c].tolist() for c in ("row_type", "code", "name", "kind", "status")),
               strict=True)
    verdicts = result.targets.table
    verdict_block = (verdicts[[c.item_key for c in targeted]].to_numpy(dtype=object).tolist()
                     if targeted else [[]] * n_rows)
    write_number = ws.write_number
    write_string = ws.write_string
    unit_cells = book.unit_cells(result)
    late = {u.code for u in result.units if u.late and u.submitted_at is not None}
    value_col = n_desc
    verdict_col = n_desc + len(columns)
    by_colour = {i: bound for i, header in enumerate(targeted)
                 if (bound := _constant_target(outline.item(header.item_key))) is not None}
    for r, ((row_type, code, name, kind, status), values, words) in enumerate(
            zip(head, block, verdict_block, strict=True)):
        row = first_data + r
        group = row_type != UNIT_ROW
        text_fmt = strong_text if group else book.text
        if group:
            book.put_text(ws, row, 1, name, text_fmt)
            book.put_text(ws, row, 2, kind, text_fmt)
            ws.write_blank(row, 0, None, strong_text)
            ws.write_blank(row, 3, None, strong_text)
        else:
            # The unit's texts are made safe once for all sheets (hot loop at 10,000 units).
            for col, text, fmt in unit_cells[code]:
                write_string(row, col, text, fmt)
            if status == NOT_REPORTED:
                write_string(row, 3, NOT_REPORTED, muted)
            elif code in late:
                write_string(row, 3, LATE_LABEL, book.text)
        fmts = strong if group else plain
        for c, value in enumerate(values):
            if value == value:  # NaN is no data: the cell stays empty
                if write_number(row, value_col + c, value, fmts[c]) < 0:
                    raise ExportError(f"Không ghi được dòng {row + 1} của trang "
                                      f"«{ws.get_name()}».")
            elif group:
                ws.write_blank(row, value_col + c, None, fmts[c])
        for i, word in enumerate(words):
            # A constant target is shown on unit rows by colouring the figure itself (below):
            # one text cell less per unit and target, which is most of the export's time.
            if group or i not in by_colour:
                write_string(row, verdict_col + i, word, text_fmt)
    last_data = first_data + n_rows - 1
    notes = []
    if any(c.aggregate == "formula" for c in columns):
        notes.append(FORMULA_NOTE)
    if any(c.aggregate == "mean" for c in columns):
        notes.append(MEAN_NOTE)
    notes.append("Ô để trống: không có số liệu (không phải số 0).")
    for i, note in enumerate(notes):
        book.put_text(ws, last_data + 2 + i, 0, note, book.fmt(italic=True))

    # Targets: the verdict column is red/green, and the figure it judges turns red too.
    for i, header in enumerate(targeted):
        verdict_col = value_col + len(columns) + i
        value_at = value_col + columns.index(header)
        ws.conditional_format(first_data, verdict_col, last_data, verdict_col, {
            "type": "cell", "criteria": "==", "value": f'"{NOT_MET}"', "format": book.red})
        ws.conditional_format(first_data, verdict_col, last_data, verdict_col, {
            "type": "cell", "criteria": "==", "value": f'"{MET}"', "format": book.green})
        letter = xl_col_to_name(verdict_col)
        ws.conditional_format(first_data, value_at, last_data, value_at, {
            "type": "formula", "criteria": f'=${letter}{first_data + 1}="{NOT_MET}"',
            "format": book.red})
        if i in by_colour:
            judged = f"{xl_col_to_name(value_at)}{first_data + 1}"
            test = f"{judged}{by_colour[i]}"
            for criteria, fmt in ((f"=AND(ISNUMBER({judged}),NOT({test}))", book.red),
                                  (f"=AND(ISNUMBER({judged}),{test})", book.green)):
                ws.conditional_format(first_data, value_at, last_data, value_at, {
                    "type": "formula", "criteria": criteria, "format": fmt})
    for col, (_, _, width) in enumerate(DESCRIPTIVE):
        ws.set_column(col, col, width)
    ws.set_column(n_desc, n_cols - 1, 16)
    ws.set_row(index_row - 1, None)
    ws.freeze_panes(first_data, 2)
    ws.autofilter(index_row, 0, max(last_data, index_row), n_cols - 1)
    ws.repeat_rows(first_head, index_row)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _constant_target(item: Item) -> str | None:
    """`>=95` for a numeric target against a constant, as an Excel comparison tail; None when
    the target names other items or is not a number (those keep their verdict text)."""
    target = item.target
    if target is None or target.expr.names() or target.expr.uses_self:
        return None
    bound = target.expr.evaluate({})
    if isinstance(bound, bool) or not isinstance(bound, int | float):
        return None
    op = {"=": "=", "!=": "<>"}.get(target.op, target.op)
    return f"{op}{bound!r}"


# -- charts -------------------------------------------------------------------------------------


def _charts(book: _Book, result: Consolidation) -> None:
    headers = [h for h in result.targets.headers if h.key in result.table.columns]
    if not headers:
        return
    ws = book.sheet("Biểu đồ")
    table = result.table
    units = table[table["row_type"] == UNIT_ROW]
    groups = table[table["row_type"].isin([SUBTOTAL_ROW, TOTAL_ROW])]
    row = 0
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 14)
    for header in headers:
        item = result.outline.item(header.key)
        shown = units[units[header.key].notna()]
        by_unit = len(shown) <= CHART_UNITS
        if not by_unit:
            shown = groups[groups[header.key].notna()]
        title = f"{item_title(item)} (chỉ tiêu {header.target})"
        book.put_text(ws, row, 0, title, book.bold)
        book.put_text(ws, row + 1, 0, "Đơn vị" if by_unit else "Nhóm đơn vị", book.head)
        book.put_text(ws, row + 1, 1, with_unit("Giá trị", item), book.head)
        first = row + 2
        for i, (name, value) in enumerate(zip(shown["name"], shown[header.key], strict=True)):
            book.put_text(ws, first + i, 0, str(name), book.text)
            book.put(ws, first + i, 1, float(value), book.fmt(num_format=FRACTION))
        last = first + max(len(shown), 1) - 1
        if len(shown):
            chart = book.wb.add_chart({"type": "bar"})
            chart.add_series({
                "name": title,
                "categories": [ws.get_name(), first, 0, last, 0],
                "values": [ws.get_name(), first, 1, last, 1],
                "fill": {"color": "#4472C4"},
            })
            chart.set_title({"name": title})
            chart.set_legend({"none": True})
            chart.set_y_axis({"reverse": True})
            chart.set_size({"width": 720, "height": max(288, 18 * len(shown) + 80)})
            ws.insert_chart(row, 3, chart)
        row = max(last + 2, row + 2 + (max(288, 18 * len(shown) + 80) // 20) + 1)


# -- narratives, tables, units ------------------------------------------------------------------


def _narratives(book: _Book, result: Consolidation) -> None:
    if not result.narratives:
        return
    ws = book.sheet("Tổng hợp ý kiến")
    heads = [("Mục", 40), ("Mã đơn vị", 12), ("Đơn vị", 30), ("Nội dung", 100)]
    book.put_text(ws, 0, 0, "TỔNG HỢP Ý KIẾN CỦA CÁC ĐƠN VỊ", book.title)
    for col, (text, width) in enumerate(heads):
        book.put_text(ws, 2, col, text, book.head)
        ws.set_column(col, col, width)
    row = 3
    for narrative in result.narratives:
        if not narrative.entries:
            book.put_text(ws, row, 0, narrative.ref, book.wrap)
            book.put_text(ws, row, 3, "(Không có đơn vị nào trả lời.)", book.fmt(italic=True))
            row += 1
        for entry in narrative.entries:
            book.put_text(ws, row, 0, narrative.ref, book.wrap)
            book.put_text(ws, row, 1, entry.code, book.wrap)
            book.put_text(ws, row, 2, entry.name, book.wrap)
            book.put_text(ws, row, 3, entry.text, book.wrap)
            row += 1
    check_size(row, len(heads), "Tổng hợp ý kiến")
    ws.freeze_panes(3, 0)
    ws.autofilter(2, 0, max(row - 1, 2), len(heads) - 1)


def _cell_value(item: Item, key: str, value: Any) -> Any:
    column = next(c for c in item.columns if c.key == key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if CATEGORY.get(column.kind) == "number":
        return float(value)
    if column.kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if column.kind == "select_one":
        return next((c.label for c in column.choices if c.name == value), value)
    return value


def _tables(book: _Book, result: Consolidation) -> None:
    for key, frame in result.tables.items():
        item = result.outline.item(key)
        ws = book.sheet(item.label)
        headers = table_headers(item)
        book.put_text(ws, 0, 0, item.ref, book.title)
        units = {c.key: c.unit for c in item.columns}
        for col, (column, text) in enumerate(headers.items()):
            unit = units.get(column)
            book.put_text(ws, 2, col, f"{text} ({unit})" if unit else text, book.head)
            ws.set_column(col, col, 30 if col != 0 else 12)
        check_size(len(frame) + 3, len(headers), item.label)
        number_fmt = book.fmt(num_format=WHOLE)
        fraction_fmt = book.fmt(num_format=FRACTION)
        kinds = {c.key: c.kind for c in item.columns}
        for r, record in enumerate(frame.itertuples(index=False)):
            for col, (column, value) in enumerate(zip(headers, record, strict=True)):
                if column in kinds:
                    value = _cell_value(item, column, value)
                fmt = book.wrap
                if isinstance(value, date):
                    fmt = book.fmt(num_format=DAY, align="left")
                elif isinstance(value, float):
                    fmt = number_fmt if kinds.get(column) in ("integer", "money") \
                        else fraction_fmt
                book.put(ws, 3 + r, col, value, fmt)
        ws.freeze_panes(3, 2)
        ws.autofilter(2, 0, max(2 + len(frame), 2), len(headers) - 1)


def _status_label(status: str, label: str, reported: bool) -> str:
    if not reported and status in ("submitted",):
        return STATUS_NOT_ACCEPTED
    return label


def _units(book: _Book, result: Consolidation, meta: ExportMeta) -> None:
    table = result.table
    unit_rows = table[table["row_type"] == UNIT_ROW]
    reported = dict(zip(unit_rows["code"], unit_rows["status"] != NOT_REPORTED, strict=True))
    info = {u.code: u for u in result.units}

    ws = book.sheet("Tình hình nộp")
    heads = [("STT", 6), ("Mã đơn vị", 12), ("Đơn vị", 36), ("Loại đơn vị", 14),
             ("Tình trạng", 22), ("Thời điểm nộp", 18), ("Nộp muộn", 10)]
    for col, (text, width) in enumerate(heads):
        book.put_text(ws, 0, col, text, book.head)
        ws.set_column(col, col, width)
    moment = book.fmt(num_format=MOMENT, align="left")
    for r, unit in enumerate(result.units, start=1):
        book.put(ws, r, 0, r, book.text)
        book.put_text(ws, r, 1, unit.code, book.text)
        book.put_text(ws, r, 2, unit.name, book.text)
        book.put_text(ws, r, 3, unit.kind or "", book.text)
        book.put_text(ws, r, 4, _status_label(unit.status, unit.status_label,
                                              reported.get(unit.code, False)), book.text)
        if unit.submitted_at is not None:
            local = unit.submitted_at.astimezone(_vietnam()).replace(tzinfo=None)
            ws.write_datetime(r, 5, local, moment)
        if unit.late and unit.submitted_at is not None:
            book.put_text(ws, r, 6, "x", book.fmt(align="center"))
    check_size(len(result.units) + 1, len(heads), "Tình hình nộp")
    ws.freeze_panes(1, 3)
    ws.autofilter(0, 0, max(len(result.units), 1), len(heads) - 1)

    ws = book.sheet("Chưa báo cáo")
    heads = [("STT", 6), ("Mã đơn vị", 12), ("Đơn vị", 36), ("Loại đơn vị", 14),
             ("Tình trạng", 24), ("Liên hệ", 40)]
    book.put_text(ws, 0, 0, "CÁC ĐƠN VỊ CHƯA CÓ SỐ LIỆU TRONG BẢNG TỔNG HỢP", book.title)
    for col, (text, width) in enumerate(heads):
        book.put_text(ws, 2, col, text, book.head)
        ws.set_column(col, col, width)
    row = 3
    for unit in result.units:
        if reported.get(unit.code, False):
            continue
        book.put(ws, row, 0, row - 2, book.text)
        book.put_text(ws, row, 1, unit.code, book.text)
        book.put_text(ws, row, 2, info[unit.code].name, book.text)
        book.put_text(ws, row, 3, unit.kind or "", book.text)
        book.put_text(ws, row, 4, _status_label(unit.status, unit.status_label, False),
                      book.text)
        book.put_text(ws, row, 5, meta.contacts.get(unit.code, ""), book.wrap)
        row += 1
    if row == 3:
        book.put_text(ws, 3, 0, "Tất cả các đơn vị đã có số liệu.", book.fmt(italic=True))
    ws.freeze_panes(3, 0)
    ws.autofilter(2, 0, max(row - 1, 2), len(heads) - 1)


def _vietnam():
    from store.rounds import VIETNAM

    return VIETNAM


def write(consolidation: Consolidation, path_or_buffer: str | Path | IO[bytes], *,
          meta: ExportMeta) -> None:
    """Write the aggregated workbook of `consolidation` to a path or a binary buffer."""
    book = _Book(path_or_buffer)
    try:
        _cover(book, consolidation, meta)
        for summary in consolidation.sections:
            _section(book, consolidation, meta, summary.number, summary.label,
                     summary.columns, summary.table)
        _charts(book, consolidation)
        _narratives(book, consolidation)
        _tables(book, consolidation)
        _units(book, consolidation, meta)
    finally:
        book.wb.close()


__all__ = ["write"]
