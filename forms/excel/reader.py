"""Read an uploaded workbook: refuse unsafe or foreign files, then find the answers by marker.

`read_workbook` runs the safety checks (`safety.inspect`) and opens the file with python-calamine
(fast, and it reads what Excel, LibreOffice and WPS save). `extract` finds the identity and reads
each item's cell by the key in hidden column A, so inserted or deleted rows do not matter.
Values are returned raw, as calamine gives them (float, str, date, datetime, bool): the one
validation engine parses them exactly as it parses the web form's strings.

One conversion is done here because only the reader can see it: a percent item whose cell holds
a number formatted with Excel's own percent format (someone typed "95%" and Excel stored 0.95)
is read as 95, the number of percent the outline means. Our template formats percent inputs as
plain numbers with a quoted sign (`#,##0.00" %"`, see `number_formats`), so this happens only
when the user typed a % sign in Excel or changed the cell's format; LibreOffice does the same
on "95%".
"""

from __future__ import annotations

import io
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

import python_calamine as calamine

from forms.excel.errors import ExcelError, ExcelProblem, problem
from forms.excel.identity import Identity, TemplateKey, UnkeyedLayout
from forms.excel.identity_checks import check_identity
from forms.excel.layout import (
    COLUMNS_MARKER,
    IDENTITY_SHEET,
    KEY_COL,
    LABEL_COL,
    MAIN_SHEET,
    ROLES,
    TABLE_COLUMNS,
    TABLE_END,
    TABLE_FIRST_COL,
    TABLE_HEADER,
    VALUE_COL,
    cell_name,
)
from forms.excel.places import CellKey, locate
from forms.excel.safety import MAX_BYTES, MAX_COLUMNS, MAX_ROWS, Inspection, inspect
from forms.kinds import get_kind
from forms.model import Item, Outline
from forms.validate import Issue, Result, validate


class UploadedWorkbook:
    """A workbook that passed the safety checks; sheets are read on demand and cached."""

    def __init__(self, data: bytes, inspection: Inspection) -> None:
        self.inspection = inspection
        try:
            self._book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            self.sheet_names: list[str] = list(self._book.sheet_names)
            self.visibility: dict[str, str] = {
                meta.name: str(meta.visible).rsplit(".", 1)[-1]
                for meta in self._book.sheets_metadata
            }
        except calamine.PasswordError:
            raise ExcelError(problem("encrypted")) from None
        except Exception:
            raise ExcelError(problem("corrupt")) from None
        self._rows: dict[str, list[list[Any]]] = {}
        self._merged: dict[str, list[tuple[int, int, int, int]]] = {}

    def find_sheet(self, name: str) -> str | None:
        """The sheet called `name`, ignoring Unicode normalisation and case."""
        wanted = unicodedata.normalize("NFC", name).casefold()
        for sheet in self.sheet_names:
            if unicodedata.normalize("NFC", sheet).casefold() == wanted:
                return sheet
        return None

    def rows(self, sheet: str) -> list[list[Any]]:
        """Every row of `sheet` from A1 (empty leading rows and columns kept), cells as
        calamine reads them; an empty cell is ""."""
        if sheet not in self._rows:
            try:
                found = self._book.get_sheet_by_name(sheet)
                self._rows[sheet] = found.to_python(skip_empty_area=False)
                self._merged[sheet] = [(r1, c1, r2, c2) for (r1, c1), (r2, c2)
                                       in found.merged_cell_ranges or ()]
            except Exception:
                raise ExcelError(problem("corrupt", sheet=sheet)) from None
        return self._rows[sheet]

    def percent_cells(self, sheet: str) -> set[tuple[int, int]]:
        return self.inspection.percent_cells(sheet)

    def merged_ranges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        """Zero-based (first row, first col, last row, last col) of the merged cells of
        `sheet`, as calamine reads them with the sheet (at most MAX_MERGES: see `extent`)."""
        self.rows(sheet)
        return self._merged[sheet]


def read_workbook(data: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS,
                  max_columns: int = MAX_COLUMNS) -> UploadedWorkbook:
    """Check `data` and open it. Raise ExcelError with a Vietnamese reason when the file is not
    a safe .xlsx: not a zip (PDF, CSV, photo, old .xls, encrypted), a zip bomb, macros,
    external links, XML entities, or a sheet over `max_rows` rows — all before parsing."""
    inspection = inspect(data, max_bytes=max_bytes, max_rows=max_rows, max_columns=max_columns)
    return UploadedWorkbook(data, inspection)


@dataclass(frozen=True)
class Extracted:
    """What an upload says: its identity, raw values by key, and where each value came from.

    `cells` maps an item key (or `(key, row)`, `(key, row, column)` for a table cell, with the
    row numbered as the validation engine numbers non-empty rows) to "Báo cáo!D12".
    `problems` are things the user should know that do not stop the upload.
    """

    identity: Identity
    raw: dict[str, Any]
    cells: dict[CellKey, str]
    problems: tuple[ExcelProblem, ...] = ()
    sheet: str = MAIN_SHEET
    outline: Outline | None = field(default=None, compare=False, repr=False)


def read_identity(book: UploadedWorkbook) -> Identity:
    """The identity from the hidden sheet (hidden or very hidden: LibreOffice turns very hidden
    into hidden when it saves). Missing or unreadable → a refusal."""
    sheet = book.find_sheet(IDENTITY_SHEET)
    if sheet is None:
        raise ExcelError(problem("identity_missing"))
    rows = book.rows(sheet)
    try:
        return Identity.from_rows((row[0], row[1] if len(row) > 1 else "") for row in rows if row)
    except UnkeyedLayout:
        raise ExcelError(problem("unkeyed_template")) from None
    except ValueError as exc:
        raise ExcelError(problem("identity_unreadable", sheet=sheet, detail=str(exc))) from None


def extract(outline: Outline, book: UploadedWorkbook, *,
            identity: Identity | None = None) -> Extracted:
    """Read the identity (unless the caller already has it from `read_identity`) and every
    input of `outline` from the main sheet, by key marker."""
    identity = identity if identity is not None else read_identity(book)
    sheet = _main_sheet(book)
    rows = book.rows(sheet)
    percent = book.percent_cells(sheet)
    roles = _roles(rows)
    value_col = roles.get("value", VALUE_COL)

    raw: dict[str, Any] = {}
    cells: dict[CellKey, str] = {}
    problems: list[ExcelProblem] = []
    refusals: list[ExcelProblem] = []  # formulas without a saved result
    uncached = book.inspection.uncached_formulas(sheet)
    items = {item.key: item for item in outline.fields() if item.key}
    seen: set[str] = set()
    inputs: dict[int, Item] = {}  # row → value item whose input cell is on it

    def where(r: int, c: int) -> str:
        return f"{sheet}!{cell_name(r, c)}"

    r = 0
    while r < len(rows):
        row = rows[r]
        marker = _text(row[KEY_COL]) if row else ""
        item = items.get(marker)
        if item is None:
            # A row without a key: the title block, a section heading, or a row the user
            # inserted. Only a value typed into an inserted row among the items is worth a word.
            value = _cell(row, value_col)
            if not marker and seen and not _blank(value):
                problems.append(problem("row_ignored", sheet=sheet, cell=cell_name(r, value_col),
                                        row=r + 1, value=_shown(value)))
            r += 1
            continue
        key = marker
        seen.add(key)
        if item.is_table:
            cells[key] = where(r, roles.get("label", LABEL_COL))
            r = _read_table(item, rows, r + 1, sheet, percent, raw, cells, problems,
                            uncached, refusals)
            continue
        cells[key] = where(r, value_col)
        if item.formula is None:
            if cell_name(r, value_col).encode() in uncached:
                refusals.append(problem("formula_without_result", sheet=sheet,
                                        cell=cell_name(r, value_col), ref=item.ref))
            value = _cell(row, value_col)
            if get_kind(item.kind).excel_percent and (r, value_col) in percent:
                value = _from_fraction(value)
            raw[key] = value
            inputs[r] = item
        r += 1

    if refusals:
        raise ExcelError(refusals)
    for key, item in items.items():
        if key not in seen:
            problems.append(problem("row_missing", sheet=sheet, ref=item.ref))
    problems += _merged_inputs(book.merged_ranges(sheet), inputs, value_col, sheet)
    return Extracted(identity=identity, raw=raw, cells=cells, problems=tuple(problems),
                     sheet=sheet, outline=outline)


def _merged_inputs(ranges: list[tuple[int, int, int, int]], inputs: dict[int, Item],
                   col: int, sheet: str) -> list[ExcelProblem]:
    """Merged cells over inputs: a spreadsheet keeps only the merge's top-left value, so every
    other input cell it covers reads as empty. Say which items that empties, rather than let
    their values vanish without a word (a required one is also refused by validation)."""
    rows = sorted(inputs)
    found: list[ExcelProblem] = []
    for r1, c1, r2, c2 in ranges:
        if not c1 <= col <= c2:
            continue
        covered = rows[bisect_left(rows, r1): bisect_right(rows, r2)]
        lost = [inputs[r] for r in covered if (r, col) != (r1, c1)]
        if not lost:
            continue
        refs = ", ".join(f"mục «{item.ref}»" for item in lost[:5])
        if len(lost) > 5:
            refs += f" và {len(lost) - 5} mục khác"
        found.append(problem("merged_inputs", sheet=sheet,
                             cell=f"{cell_name(r1, c1)}:{cell_name(r2, c2)}",
                             first=cell_name(r1, c1), refs=refs))
    return found


def _main_sheet(book: UploadedWorkbook) -> str:
    """«Báo cáo», or whichever sheet carries the column marker (the user renamed it)."""
    sheet = book.find_sheet(MAIN_SHEET)
    if sheet is not None:
        return sheet
    for name in book.sheet_names:
        if name == IDENTITY_SHEET:
            continue
        if any(row and _text(row[KEY_COL]) == COLUMNS_MARKER for row in book.rows(name)[:5]):
            return name
    raise ExcelError(problem("main_sheet_missing", sheet=MAIN_SHEET))


def _roles(rows: list[list[Any]]) -> dict[str, int]:
    """Column index of each role, from the hidden marker row (default: the template's)."""
    for row in rows[:20]:
        if row and _text(row[KEY_COL]) == COLUMNS_MARKER:
            found = {_text(value): index for index, value in enumerate(row) if _text(value)}
            return {role: found[role] for role in ROLES[1:] if role in found}
    return {}


def _read_table(item: Item, rows: list[list[Any]], r: int, sheet: str,
                percent: set[tuple[int, int]], raw: dict[str, Any], cells: dict[CellKey, str],
                problems: list[ExcelProblem], uncached: frozenset[bytes],
                refusals: list[ExcelProblem]) -> int:
    """Read a table block starting after its title row; return the row after its end. A cell
    in `uncached` (a formula without its result, which would read as blank and drop its row
    unseen) adds a refusal to `refusals`."""
    key = item.key
    assert key is not None
    positions = {column.key: TABLE_FIRST_COL + index for index, column in enumerate(item.columns)}
    # The hidden columns row and the header row come first; everything until the end marker
    # is data, including rows the user inserted (column A empty).
    while r < len(rows):
        marker = _text(rows[r][KEY_COL]) if rows[r] else ""
        if marker == key + TABLE_COLUMNS:
            found = {_text(v): i for i, v in enumerate(rows[r]) if i > KEY_COL and _text(v)}
            positions = {c.key: found.get(c.key, positions[c.key]) for c in item.columns}
        elif marker == key + TABLE_HEADER:
            r += 1
            break
        else:
            break
        r += 1
    table: list[dict[str, Any]] = []
    ended = False
    while r < len(rows):
        row = rows[r]
        marker = _text(row[KEY_COL]) if row else ""
        if marker == key + TABLE_END:
            ended = True
            r += 1
            break
        values: dict[str, Any] = {}
        for column in item.columns:
            if column.formula is not None:
                continue  # computed again by the engine from the row: its cell is not read
            col = positions[column.key]
            if cell_name(r, col).encode() in uncached:
                refusals.append(problem("formula_without_result", sheet=sheet,
                                        cell=cell_name(r, col),
                                        ref=f"{item.ref}, cột «{column.label}»"))
            value = _cell(row, col)
            if get_kind(column.kind).excel_percent and (r, col) in percent:
                value = _from_fraction(value)
            values[column.key] = value
        if any(not _blank(v) for v in values.values()):
            table.append(values)
            number = len(table)
            cells[(key, number)] = f"{sheet}!{cell_name(r, 1)}"
            for column in item.columns:
                cells[(key, number, column.key)] = f"{sheet}!{cell_name(r, positions[column.key])}"
        r += 1
    if not ended:
        problems.append(problem("table_end_missing", sheet=sheet, ref=item.ref))
    raw[key] = table
    return r


def _cell(row: list[Any], col: int) -> Any:
    """The raw value, None for an empty cell."""
    if col >= len(row):
        return None
    value = row[col]
    return None if isinstance(value, str) and value == "" else value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


def _shown(value: Any) -> str:
    text = _text(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _from_fraction(value: Any) -> Any:
    """0.955 in an Excel-percent cell → 95.5 (rounded to drop binary noise)."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return round(float(value) * 100, 10)
    return value


# -- the whole upload -------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """An accepted upload: what it says, what the engine made of it, and where each issue is."""

    extracted: Extracted
    result: Result
    located: list[tuple[Issue, str | None]]


def read_upload(data: bytes, outline: Outline, *, key: TemplateKey,
                round_id: int | None = None, unit_code: str | None = None,
                round_title: str | None = None, unit_name: str | None = None, mode: str = "submit",
                max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> Upload:
    """Everything an upload handler needs, in the order that refuses cheapest first: safety
    checks, identity (wrong outline, version, round or unit), then values and validation.
    Raises ExcelError when the file must be refused; issues of the values are in the result."""
    book = read_workbook(data, max_bytes=max_bytes, max_rows=max_rows)
    problems = check_identity(read_identity(book), outline=outline, key=key, round_id=round_id,
                              unit_code=unit_code, round_title=round_title, unit_name=unit_name)
    if problems:
        raise ExcelError(problems)
    extracted = extract(outline, book)
    result = validate(outline, extracted.raw, mode=mode)
    return Upload(extracted, result, locate(result.issues, extracted))
