"""Reading many units' values from one file, each value remembered with the line it came from.

Two shapes, for scripts and for spreadsheets:

- JSON Lines (`.jsonl`): one unit per line, `{"unit": "KT", "values": {"nv_tong": 12, …}}`; a
  repeating table is a list of rows, each an object of its columns, as in the single-unit JSON.
- A long CSV (`.csv`, UTF-8 with or without BOM, header `unit,item,value`): one value per row.
  A cell of a repeating table is the item `table.row.column` (row numbered from 1, e.g.
  `sang_kien.2.ten`), the convention the single-unit CSV already uses; rows are kept in the
  order of their numbers.

A line that cannot be read never stops the others: it becomes a `LineProblem` (and, when the
line names its unit, that whole unit is refused, so a unit is taken from the file entirely or
not at all). A unit given on two JSON lines is refused on both: which one is meant cannot be
guessed.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field
from typing import Any

HEADER = ("unit", "item", "value")


@dataclass(frozen=True)
class LineProblem:
    """Something in the file itself that is wrong: where (line, and the item if known), what."""

    line: int
    message: str
    item: str | None = None


@dataclass
class UnitValues:
    """One unit's raw values as read, with the line of each item (`lines`, item key → line;
    for a table, the line of its first cell) and the problems that refuse the unit."""

    unit: str
    line: int  # where the unit first appears
    raw: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[LineProblem] = field(default_factory=list)


@dataclass
class ValuesFile:
    """What a file holds: the units in the order they first appear, and the problems of lines
    that name no unit (the report shows them with their line)."""

    units: list[UnitValues] = field(default_factory=list)
    orphans: list[LineProblem] = field(default_factory=list)


def read_jsonl(data: bytes) -> ValuesFile:
    """Units from JSON Lines; see the module docstring."""
    found = ValuesFile()
    by_code: dict[str, UnitValues] = {}
    text = _decode(data, found)
    # Split at line feeds only: a JSON string may hold U+2028, which str.splitlines breaks at.
    for number, line in enumerate(text.split("\n") if text is not None else [], start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            found.orphans.append(LineProblem(
                number, f"JSON không hợp lệ ở cột {exc.colno} ({exc.msg}). Mỗi dòng phải là một "
                        'đối tượng {"unit": "MÃ", "values": {…}}.'))
            continue
        code = record.get("unit") if isinstance(record, dict) else None
        if not isinstance(code, str | int) or isinstance(code, bool) or not str(code).strip():
            found.orphans.append(LineProblem(
                number, 'Thiếu mã đơn vị: mỗi dòng phải là {"unit": "MÃ", "values": {…}}.'))
            continue
        code = unicodedata.normalize("NFC", str(code).strip())  # as unit codes are stored
        if code in by_code:
            first = by_code[code]
            first.problems.append(LineProblem(
                number, f"Đơn vị '{code}' có ở cả dòng {first.line} và dòng {number}: mỗi đơn "
                        "vị chỉ một dòng. Hãy giữ một dòng rồi nhập lại."))
            continue
        unit = by_code[code] = UnitValues(code, number)
        found.units.append(unit)
        values = record.get("values")
        extra = sorted(set(record) - {"unit", "values"})
        if not isinstance(values, dict):
            unit.problems.append(LineProblem(
                number, '"values" phải là một đối tượng {mã mục: giá trị}.'))
            continue
        if extra:
            unit.problems.append(LineProblem(
                number, f"Khóa không dùng được: {', '.join(extra)}. Mỗi dòng chỉ có \"unit\" và "
                        '"values".'))
        unit.raw = values
        unit.lines = dict.fromkeys(values, number)
    return found


def read_long_csv(data: bytes) -> ValuesFile:
    """Units from a long CSV `unit,item,value`; see the module docstring."""
    found = ValuesFile()
    by_code: dict[str, UnitValues] = {}
    tables: dict[str, dict[str, dict[int, dict[str, Any]]]] = {}
    text = _decode(data, found)
    rows = csv.reader(io.StringIO(text or "", newline=""))
    header_seen = False
    end = 0
    for row in rows:
        number, end = end + 1, rows.line_num  # a quoted value may span lines: say where it starts
        if not any(cell.strip() for cell in row):
            continue
        if not header_seen:
            header_seen = True
            if tuple(cell.strip().lower() for cell in row) != HEADER:
                found.orphans.append(LineProblem(
                    number, "Dòng đầu phải là tiêu đề unit,item,value (mã đơn vị, mã mục, giá "
                            "trị). Không nhập gì từ tệp này. Tệp của một đơn vị dạng "
                            "key,value: thêm --unit MÃ."))
                return found
            continue
        code = unicodedata.normalize("NFC", row[0].strip()) if row else ""
        if not code:
            found.orphans.append(LineProblem(number, "Thiếu mã đơn vị ở cột unit."))
            continue
        unit = by_code.get(code)
        if unit is None:
            unit = by_code[code] = UnitValues(code, number)
            found.units.append(unit)
        if len(row) != 3:
            unit.problems.append(LineProblem(
                number, f"Cần đúng 3 cột unit,item,value, dòng này có {len(row)} cột. Giá trị "
                        "có dấu phẩy phải đặt trong ngoặc kép."))
            continue
        item, value = row[1].strip(), row[2]
        if not item:
            unit.problems.append(LineProblem(number, "Thiếu mã mục ở cột item."))
            continue
        parts = item.split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) >= 1:
            cells = tables.setdefault(code, {}).setdefault(parts[0], {})
            cell_row = cells.setdefault(int(parts[1]), {})
            if parts[2] in cell_row:
                unit.problems.append(_twice(item, unit.lines.get(item, 0), number))
                continue
            cell_row[parts[2]] = value
            unit.lines.setdefault(parts[0], number)
            unit.lines[item] = number
            continue
        if item in unit.raw:
            unit.problems.append(_twice(item, unit.lines[item], number))
            continue
        unit.raw[item] = value
        unit.lines[item] = number
    for code, by_table in tables.items():
        unit = by_code[code]
        for key, cells in by_table.items():
            if key in unit.raw:
                unit.problems.append(LineProblem(
                    unit.lines[key], f"Mục '{key}' vừa có giá trị riêng vừa có ô bảng "
                                     f"{key}.<dòng>.<cột>.", key))
                continue
            unit.raw[key] = [cells[index] for index in sorted(cells)]
    if not header_seen and text is not None:
        found.orphans.append(LineProblem(1, "Tệp trống: cần tiêu đề unit,item,value rồi các "
                                            "dòng giá trị."))
    return found


def _twice(item: str, first: int, number: int) -> LineProblem:
    return LineProblem(number, f"Mục '{item}' đã có giá trị ở dòng {first}; mỗi mục của một "
                               "đơn vị chỉ một dòng.", item)


def _decode(data: bytes, found: ValuesFile) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        found.orphans.append(LineProblem(
            line, "Tệp không phải chữ UTF-8. Hãy lưu lại với bảng mã UTF-8 (trong Excel: "
                  "Lưu thành → CSV UTF-8)."))
        return None
