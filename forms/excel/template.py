"""Write the Excel template of an outline: a document a civil servant is happy to fill.

One main sheet «Báo cáo» follows the outline word for word (numbering in B, labels in C, input
in D, unit word in E, hint and target in F), with locked labels, unlocked inputs, Vietnamese
data validation, live formulas for computed items, repeating tables as blocks, and print
set-up for A4. A sheet «Hướng dẫn» explains how to fill and send it; «Danh mục» (hidden) holds
long choice lists; «_decuong» (very hidden) holds the identity. See `layout` for the markers
the reader follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from forms.excel.identity import Identity, TemplateKey
from forms.excel.layout import (
    COLUMNS_MARKER,
    DEFAULT_TABLE_ROWS,
    HELP_SHEET,
    IDENTITY_SHEET,
    KEY_COL,
    LABEL_COL,
    LISTS_SHEET,
    MAIN_SHEET,
    NOTE_COL,
    NUMBER_COL,
    ROLES,
    UNIT_COL,
    VALUE_COL,
    cell_name,
)
from forms.excel.number_formats import BY_KIND
from forms.excel.table_formulas import table_ranges
from forms.excel.template_cells import validate, write_value
from forms.excel.template_help import write_help
from forms.excel.template_style import (
    COMPUTED_FILL,
    EXTRA_TABLE_WIDTH,
    FONT,
    FONT_SIZE,
    HEADER_FILL,
    INPUT_FILL,
    LONG_TEXT_HEIGHT,
    PASSWORD,
    PROTECTION,
    SECTION_FILL,
    WIDTHS,
    row_height,
    wrapped_lines,
)
from forms.excel.template_table import write_table
from forms.kinds import get_kind
from forms.kinds.numbers import round_computed, shown_decimals
from forms.loader import computed_order
from forms.model import Item, Outline
from forms.targets import target_words
from forms.validate import compute_row, from_json

#: Number formats by kind, shared with the consolidated workbook (see `number_formats`).
NUMBER_FORMATS = BY_KIND


def write_template(
    outline: Outline,
    path_or_buffer: str | IO[bytes],
    *,
    identity: Identity,
    key: TemplateKey,
    values: Mapping[str, Any] | None = None,
    period_label: str | None = None,
    deadline: date | None = None,
    table_rows: int = DEFAULT_TABLE_ROWS,
) -> None:
    """Write the template of `outline` for `identity` to a path or a binary buffer.

    `values` are stored JSON values (a unit's latest revision) to pre-fill the inputs, so a unit
    can download what it has sent, correct it offline and upload it again. `period_label` and
    `deadline` are the round's (default: the outline's). The identity is sealed here with
    `key` (the installation's id and secret), whatever the caller passed.
    """
    TemplateWriter(outline, identity.sealed(outline, key), values, period_label, deadline,
            table_rows).write(path_or_buffer)


class TemplateWriter:
    """One template being written: the formats, choice lists and cell addresses the sheets
    share while they are built."""

    def __init__(self, outline: Outline, identity: Identity, values: Mapping[str, Any] | None,
                 period_label: str | None, deadline: date | None, table_rows: int) -> None:
        self.outline = outline
        self.identity = identity
        self.stored = dict(values or {})
        self.typed = self._typed(self.stored)
        self.period_label = period_label or _period(outline)
        self.deadline = deadline or outline.deadline
        self.table_rows = max(1, table_rows)
        self.formats: dict[tuple, Format] = {}
        self.lists: dict[tuple[str, ...], str] = {}
        self.cells: dict[str, str] = {}  # key → "D12" of scalar items, for formulas
        self.ranges: dict[str, tuple[str, ...]] = {}  # table columns' ranges, for formulas
        self.max_col = NOTE_COL

    # -- entry point ----------------------------------------------------------------------

    def write(self, target: str | IO[bytes]) -> None:
        wb = xlsxwriter.Workbook(target, {
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "in_memory": True,
        })
        self.wb = wb
        wb.set_properties({
            "title": self.outline.title,
            "subject": self.identity.round_title or "",
            "author": self.identity.unit_name or "",
            "company": self.outline.issuer or "",
            "comments": "Mẫu báo cáo tạo bởi hệ thống decuong.",
        })
        for name, text in self.identity.as_properties().items():
            wb.set_custom_property(name, text)
        main = wb.add_worksheet(MAIN_SHEET)
        help_sheet = wb.add_worksheet(HELP_SHEET)
        self.lists_sheet = wb.add_worksheet(LISTS_SHEET)
        ident = wb.add_worksheet(IDENTITY_SHEET)
        self._main(main)
        write_help(self, help_sheet)
        self._identity(ident)
        self.lists_sheet.hide()
        self.lists_sheet.protect(PASSWORD)
        main.activate()
        wb.close()

    # -- formats --------------------------------------------------------------------------

    def fmt(self, **props: Any) -> Format:
        """A cached format: the base font, wrapping and top alignment plus `props`."""
        key = tuple(sorted(props.items()))
        if key not in self.formats:
            base = {"font_name": FONT, "font_size": FONT_SIZE, "valign": "top",
                    "text_wrap": True}
            self.formats[key] = self.wb.add_format({**base, **props})
        return self.formats[key]

    def input_fmt(self, kind: str, *, computed: bool = False, **extra: Any) -> Format:
        props: dict[str, Any] = {"border": 1}
        props.update({k: v for k, v in extra.items() if v is not None})
        if kind in NUMBER_FORMATS:
            props["num_format"] = NUMBER_FORMATS[kind]
        if get_kind(kind).align == "right":  # figures line up right whatever the caller asks
            props["align"] = "right"
        if computed:
            props.update(bg_color=COMPUTED_FILL, italic=True)
        else:
            props.update(bg_color=INPUT_FILL, locked=False)
        return self.fmt(**props)

    # -- main sheet -----------------------------------------------------------------------

    def _main(self, ws: Worksheet) -> None:
        self.ws = ws
        ws.hide_gridlines(2)
        for col, width in WIDTHS.items():
            ws.set_column(col, col, width)
        ws.set_column(KEY_COL, KEY_COL, WIDTHS[KEY_COL], None, {"hidden": True})

        # Row 1 (hidden): the role of each column, so the reader finds the input column by
        # marker even if a column was inserted.
        for col, role in enumerate(ROLES):
            ws.write_string(0, col, COLUMNS_MARKER if col == KEY_COL else role)
        ws.set_row(0, None, None, {"hidden": True})

        row = self._title_block(ws, 1)
        header_row = row
        for col, text in ((NUMBER_COL, "STT"), (LABEL_COL, "Nội dung"),
                          (VALUE_COL, "Số liệu báo cáo"), (UNIT_COL, "Đơn vị tính"),
                          (NOTE_COL, "Ghi chú, chỉ tiêu")):
            ws.write_string(row, col, text, self.fmt(bold=True, border=1, align="center",
                                                     valign="vcenter", bg_color=HEADER_FILL))
        ws.set_row(row, 32)
        row += 1
        ws.freeze_panes(row, 0)

        # Formulas need every input's cell, including inputs that come after them.
        self._plan_cells(row)
        for item in self.outline.items:
            row = self._item(ws, item, row, depth=0)

        ws.write_string(row + 1, LABEL_COL, "Người lập báo cáo: ……………………    Điện thoại: ………………",
                        self.fmt(italic=True))
        self._print_setup(ws, header_row)
        if self.max_col > NOTE_COL:
            ws.set_column(NOTE_COL + 1, self.max_col, EXTRA_TABLE_WIDTH)
        ws.protect(PASSWORD, PROTECTION)

    def _title_block(self, ws: Worksheet, row: int) -> int:
        outline, ident = self.outline, self.identity
        last = NOTE_COL
        lines: list[tuple[str, Format, float | None]] = []
        if outline.issuer:
            lines.append((outline.issuer.upper(), self.fmt(bold=True, align="center"), None))
        lines.append((outline.title.upper(), self.fmt(bold=True, font_size=14, align="center",
                                                       valign="vcenter"),
                      row_height(outline.title, 95, 20)))
        if outline.note:
            lines.append((outline.note, self.fmt(italic=True, align="center"), None))
        info = self.fmt(align="left")
        if ident.round_title:
            lines.append((f"Đợt báo cáo: {ident.round_title}", info, None))
        if self.period_label:
            lines.append((f"Kỳ báo cáo: {self.period_label}", info, None))
        unit = ident.unit_name or "……………………………………………"
        if ident.unit_code:
            unit += f" (mã {ident.unit_code})"
        lines.append((f"Đơn vị báo cáo: {unit}", self.fmt(bold=True, align="left"), None))
        if self.deadline:
            lines.append((f"Hạn gửi báo cáo: {self.deadline:%d/%m/%Y}", info, None))
        lines.append((f"Đề cương: {outline.id}, phiên bản {outline.version}. Xem hướng dẫn "
                      f"ở trang «{HELP_SHEET}».", self.fmt(italic=True, font_size=10,
                                                        font_color="#595959"), None))
        for text, fmt, height in lines:
            ws.merge_range(row, NUMBER_COL, row, last, "", fmt)
            ws.write_string(row, NUMBER_COL, text, fmt)
            ws.set_row(row, height or row_height(text, 110, 16))
            row += 1
        return row + 1  # a blank row before the header

    def _plan_cells(self, first_row: int) -> None:
        """Dry-run the layout to know the row of every scalar item before writing formulas."""
        row = first_row
        for item in self.outline.walk():
            if item.is_table:
                first = row + 3  # after the title, the hidden columns row and the header
                end = first + self._row_count(item)
                self.ranges.update(table_ranges(item, first, end))
                row = end + 1
                continue
            if item.key:
                self.cells[item.key] = cell_name(row, VALUE_COL)
            row += 1

    def _item(self, ws: Worksheet, item: Item, row: int, depth: int) -> int:
        if item.is_section:
            self._section(ws, item, row, depth)
            row += 1
        elif item.is_table:
            row = write_table(self, ws, item, row)
        else:
            self._scalar(ws, item, row)
            row += 1
        for child in item.children:
            row = self._item(ws, child, row, depth + 1)
        return row

    def _section(self, ws: Worksheet, item: Item, row: int, depth: int) -> None:
        fill = {"bg_color": SECTION_FILL} if depth == 0 else {}
        ws.write_string(row, NUMBER_COL, item.number,
                        self.fmt(bold=True, border=1, align="center", **fill))
        ws.write_string(row, LABEL_COL, item.label, self.fmt(bold=True, border=1, **fill))
        for col in (VALUE_COL, UNIT_COL, NOTE_COL):
            ws.write_blank(row, col, None, self.fmt(border=1, **fill))
        if item.hint:
            ws.write_string(row, NOTE_COL, item.hint, self.note_fmt(**fill))
        lines = max(wrapped_lines(item.label, 50), wrapped_lines(item.hint or "", 30))
        if lines > 1:
            ws.set_row(row, 15 * lines + 2)

    def note_fmt(self, **extra: Any) -> Format:
        return self.fmt(italic=True, border=1, font_size=10, font_color="#404040", **extra)

    def _label(self, ws: Worksheet, item: Item, row: int, *, hint_in_label: bool = False) -> None:
        ws.write_string(row, KEY_COL, item.key or "")
        ws.write_string(row, NUMBER_COL, item.number, self.fmt(border=1, align="center"))
        label_fmt = self.fmt(border=1)
        if hint_in_label and item.hint:
            ws.write_rich_string(row, LABEL_COL, item.label, self.fmt(italic=True, font_size=10),
                                 "\n" + item.hint, label_fmt)
        else:
            ws.write_string(row, LABEL_COL, item.label, label_fmt)

    def _scalar(self, ws: Worksheet, item: Item, row: int) -> None:
        key = item.key
        assert key is not None
        kind = item.kind
        if get_kind(kind).multiline:
            self._label(ws, item, row, hint_in_label=True)
            fmt = self.input_fmt(kind, align="left")
            ws.merge_range(row, VALUE_COL, row, NOTE_COL, "", fmt)
            write_value(ws, row, VALUE_COL, item, self.stored.get(key), fmt)
            validate(self, ws, row, VALUE_COL, item)
            label_lines = wrapped_lines(item.label + (" " + item.hint if item.hint else ""), 52)
            ws.set_row(row, max(LONG_TEXT_HEIGHT, 16 * label_lines))
            return
        self._label(ws, item, row)
        ws.write_string(row, UNIT_COL, item.unit or "", self.fmt(border=1, align="center"))
        notes = "\n".join(self._notes(item))
        ws.write_string(row, NOTE_COL, notes, self.note_fmt())
        # Spreadsheet programs do not grow a row for wrapped text on opening: size it here so
        # a long label (the groups 1–4 of public-service units) never spills over the next row.
        lines = max(wrapped_lines(item.label, 52), wrapped_lines(item.unit or "", 11),
                    sum(wrapped_lines(n, 30) for n in notes.split("\n")))
        if lines > 1:
            ws.set_row(row, 15 * lines + 2)
        if item.formula is not None:
            fmt = self.input_fmt(kind, computed=True)
            formula = item.formula.to_excel(self.cells, ranges=self.ranges,
                                            decimals=shown_decimals(item))
            ws.write_formula(row, VALUE_COL, formula, fmt, self._cached(item))
            return
        fmt = self.input_fmt(kind)
        write_value(ws, row, VALUE_COL, item, self.stored.get(key), fmt)
        validate(self, ws, row, VALUE_COL, item)

    def _notes(self, item: Item) -> list[str]:
        notes: list[str] = []
        if item.hint:
            notes.append(item.hint)
        if item.target is not None:
            notes.append(f"Chỉ tiêu: {target_words(item, self.outline)}")
        if item.formula is not None:
            notes.append("Ô tự động tính, không cần nhập.")
        elif item.required:
            notes.append("Bắt buộc nhập.")
        return notes

    # -- tables ---------------------------------------------------------------------------

    def _row_count(self, item: Item) -> int:
        have = len(self.stored.get(item.field_key) or [])
        wanted = max(self.table_rows, have + 3) if have else self.table_rows
        return max(1, have, min(wanted, max(item.max_rows, have)))

    def _typed(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        """Typed values with computed items, for the formulas' cached results."""
        if not stored:
            return {}
        try:
            typed = from_json(self.outline, stored)
            for table in self.outline.fields():
                for row in typed.get(table.field_key) or [] if table.is_table else []:
                    compute_row(table, row)
            for item in computed_order(self.outline):
                assert item.formula is not None  # computed_order yields computed items only
                typed[item.field_key] = item.formula.evaluate(typed)
            return typed
        except Exception:  # a stale stored value must not stop the download
            return {}

    def _cached(self, item: Item) -> Any:
        """The value a computed cell shows before the program recalculates (some viewers never
        do): the engine's figure, rounded as the formula's ROUND rounds it."""
        value = round_computed(self.typed.get(item.field_key), item)
        return "" if value is None else value

    # -- other sheets ---------------------------------------------------------------------

    def _print_setup(self, ws: Worksheet, header_row: int) -> None:
        ws.set_paper(9)  # A4
        ws.set_portrait()
        ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
        ws.repeat_rows(header_row)
        ws.set_margins(left=0.7, right=0.4, top=0.6, bottom=0.6)
        ws.center_horizontally()
        ws.set_footer("&C&\"Times New Roman\"&10Trang &P/&N")

    def _identity(self, ws: Worksheet) -> None:
        for row, (name, text) in enumerate(self.identity.rows()):
            ws.write_string(row, 0, name)
            ws.write_string(row, 1, text)
        ws.very_hidden()
        ws.protect(PASSWORD)


def _period(outline: Outline) -> str | None:
    period = outline.period
    if period.label:
        return period.label
    if period.start and period.end:
        return f"Từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y}"
    if period.start:
        return f"Từ {period.start:%d/%m/%Y} đến thời điểm báo cáo"
    return None
