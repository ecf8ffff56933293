"""The list sheets: "Tổng hợp ý kiến" (narratives unit by unit), one sheet per repeating table,
"Tình hình nộp" (every unit's status) and "Chưa báo cáo" (who has not reported, with contact).

They print on A4 with their header row repeated on every page, one page wide; wrapped cells
(narratives, labels, contacts) get rows tall enough for their text (`printing.fit_row`). A
narrative longer than an Excel cell is cut with a visible marker, never silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from aggregate import NOT_REPORTED, UNIT_ROW, Consolidation
from aggregate.model import no_data
from aggregate.tables import table_headers
from exports.limits import ExportError, check_size
from exports.meta import ExportMeta
from exports.xlsx.book import Book
from exports.xlsx.formats import DAY, MOMENT, kind_format
from exports.xlsx.printing import (
    PORTRAIT_WIDTH,
    a4,
    fit_row,
    height_for,
    lines_needed,
    one_page_wide,
)
from forms.kinds import get_kind
from forms.model import Item
from store.rounds import VIETNAM

STATUS_NOT_ACCEPTED = "Đã nộp, chưa tiếp nhận"
CODE_WIDTH, TABLE_WIDTH = 12, 30


def narratives(book: Book, result: Consolidation) -> None:
    if not result.narratives:
        return
    ws = book.sheet("Tổng hợp ý kiến")
    heads = [("Mục", 30), ("Mã đơn vị", 10), ("Đơn vị", 22), ("Nội dung", 70)]
    book.put_text(ws, 0, 0, "TỔNG HỢP Ý KIẾN CỦA CÁC ĐƠN VỊ", book.title)
    _head_row(book, ws, 2, heads)
    row = 3
    w_ref, _, w_name, w_text = (width for _, width in heads)
    wrap = book.wrap
    names: dict[str, tuple[int, tuple[str, Any], tuple[str, Any]]] = {}  # made once per unit
    for narrative in result.narratives:
        ref = book.prepared(narrative.ref, wrap)
        ref_lines = lines_needed(narrative.ref, w_ref)
        if not narrative.entries:
            fit_row(ws, row, [(narrative.ref, w_ref)])
            ws.write_string(row, 0, *ref)
            book.put_text(ws, row, 3, "(Không có đơn vị nào trả lời.)", book.fmt(italic=True))
            row += 1
        for entry in narrative.entries:
            if entry.code not in names:
                names[entry.code] = (lines_needed(entry.name, w_name),
                                     book.prepared(entry.code, wrap),
                                     book.prepared(entry.name, wrap))
            name_lines, code, name = names[entry.code]
            text = book.prepared(entry.text, wrap)
            lines = max(ref_lines, name_lines, lines_needed(text[0], w_text))
            if lines > 1:
                ws.set_row(row, height_for(lines))
            ws.write_string(row, 0, *ref)
            ws.write_string(row, 1, *code)
            ws.write_string(row, 2, *name)
            if ws.write_string(row, 3, *text) < 0:
                raise ExportError(f"Không ghi được dòng {row + 1} của trang "
                                  f"«{ws.get_name()}».")
            row += 1
    check_size(row, len(heads), "Tổng hợp ý kiến")
    ws.freeze_panes(3, 0)
    ws.autofilter(2, 0, max(row - 1, 2), len(heads) - 1)
    _print(ws, 2, landscape=False)


def _head_row(book: Book, ws, row: int, heads: Sequence[tuple[str, float]]) -> None:
    """A one-row header: bold, boxed, wrapped, as tall as its longest text; sets widths."""
    fit_row(ws, row, heads, bold=True)
    for col, (text, width) in enumerate(heads):
        book.put_text(ws, row, col, text, book.head)
        ws.set_column(col, col, width)


def _print(ws, head_row: int, *, landscape: bool) -> None:
    """A4, one page wide, the header row (and the rows above it) repeated on every page."""
    a4(ws, landscape=landscape)
    one_page_wide(ws)
    ws.repeat_rows(head_row)


def _cell_value(item: Item, key: str, value: Any) -> Any:
    column = next(c for c in item.columns if c.key == key)
    if no_data(value):
        return None
    return get_kind(column.kind).sheet_value(value, column)


def tables(book: Book, result: Consolidation) -> None:
    for key, frame in result.tables.items():
        item = result.outline.item(key)
        ws = book.sheet(item.label)
        headers = table_headers(item)
        book.put_text(ws, 0, 0, item.ref, book.title)
        units = {c.key: c.unit for c in item.columns}
        heads = [(f"{text} ({units[column]})" if units.get(column) else text,
                  TABLE_WIDTH if col != 0 else CODE_WIDTH)
                 for col, (column, text) in enumerate(headers.items())]
        _head_row(book, ws, 2, heads)
        sizes = [width for _, width in heads]
        check_size(len(frame) + 3, len(headers), item.label)
        kinds = {c.key: c.kind for c in item.columns}
        numbers = {key: book.fmt(num_format=kind_format(kind)) for key, kind in kinds.items()}
        day = book.fmt(num_format=DAY, align="left")
        for r, record in enumerate(frame.itertuples(index=False)):
            texts = []
            for col, (column, value) in enumerate(zip(headers, record, strict=True)):
                if column in kinds:
                    value = _cell_value(item, column, value)
                fmt = book.wrap
                if isinstance(value, date):
                    fmt = day
                elif isinstance(value, float):
                    fmt = numbers.get(column, book.wrap)
                elif isinstance(value, str):
                    texts.append((value, sizes[col]))
                book.put(ws, 3 + r, col, value, fmt)
            fit_row(ws, 3 + r, texts)
        ws.freeze_panes(3, 2)
        ws.autofilter(2, 0, max(2 + len(frame), 2), len(headers) - 1)
        _print(ws, 2, landscape=sum(sizes) > PORTRAIT_WIDTH)


def _status_label(status: str, label: str, reported: bool) -> str:
    if not reported and status in ("submitted",):
        return STATUS_NOT_ACCEPTED
    return label


def units(book: Book, result: Consolidation, meta: ExportMeta) -> None:
    table = result.table
    unit_rows = table[table["row_type"] == UNIT_ROW]
    reported = dict(zip(unit_rows["code"], unit_rows["status"] != NOT_REPORTED, strict=True))
    info = {u.code: u for u in result.units}

    ws = book.sheet("Tình hình nộp")
    heads = [("STT", 6), ("Mã đơn vị", 12), ("Đơn vị", 36), ("Loại đơn vị", 14),
             ("Tình trạng", 22), ("Thời điểm nộp", 18), ("Nộp muộn", 10)]
    _head_row(book, ws, 0, heads)
    moment = book.fmt(num_format=MOMENT, align="left")
    for r, unit in enumerate(result.units, start=1):
        book.put(ws, r, 0, r, book.text)
        book.put_text(ws, r, 1, unit.code, book.text)
        book.put_text(ws, r, 2, unit.name, book.text)
        book.put_text(ws, r, 3, unit.kind or "", book.text)
        book.put_text(ws, r, 4, _status_label(unit.status, unit.status_label,
                                              reported.get(unit.code, False)), book.text)
        if unit.submitted_at is not None:
            local = unit.submitted_at.astimezone(VIETNAM).replace(tzinfo=None)
            ws.write_datetime(r, 5, local, moment)
        if unit.late and unit.submitted_at is not None:
            book.put_text(ws, r, 6, "x", book.fmt(align="center"))
    check_size(len(result.units) + 1, len(heads), "Tình hình nộp")
    ws.freeze_panes(1, 3)
    ws.autofilter(0, 0, max(len(result.units), 1), len(heads) - 1)
    _print(ws, 0, landscape=False)

    ws = book.sheet("Chưa báo cáo")
    heads = [("STT", 6), ("Mã đơn vị", 12), ("Đơn vị", 30), ("Loại đơn vị", 12),
             ("Tình trạng", 16), ("Liên hệ", 30)]
    book.put_text(ws, 0, 0, "CÁC ĐƠN VỊ CHƯA CÓ SỐ LIỆU TRONG BẢNG TỔNG HỢP", book.title)
    _head_row(book, ws, 2, heads)
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
        contact = meta.contacts.get(unit.code, "")
        fit_row(ws, row, [(contact, heads[5][1])])
        book.put_text(ws, row, 5, contact, book.wrap)
        row += 1
    if row == 3:
        book.put_text(ws, 3, 0, "Tất cả các đơn vị đã có số liệu.", book.fmt(italic=True))
    ws.freeze_panes(3, 0)
    ws.autofilter(2, 0, max(row - 1, 2), len(heads) - 1)
    _print(ws, 2, landscape=False)
