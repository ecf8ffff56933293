"""The workbook layout shared by the template writer and the reader.

Parsing follows markers, never row numbers: column A of the main sheet (hidden) holds each
item's key, so rows inserted or deleted by the user do not shift anything. A hidden first row
names the role of each column, so even the input column is found by marker.

Markers in column A of the main sheet:

| marker             | row                                                          |
|--------------------|--------------------------------------------------------------|
| `_decuong:columns` | hidden row naming each column's role (`number`, `value`, …)  |
| `key`              | a value item: its input (or formula) is in the `value` column |
| `key:columns`      | hidden row of a table: each table column's key in its cell   |
| `key:header`       | the table's header row (labels)                              |
| (anything)         | every row between the header and the end marker is a data row |
| `key:end`          | the row after the table's last data row                      |
"""

from __future__ import annotations

MAIN_SHEET = "Báo cáo"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
IDENTITY_SHEET = "_decuong"

COLUMNS_MARKER = "_decuong:columns"
ROLES = ("key", "number", "label", "value", "unit", "note")  # columns A..F, in order
KEY_COL, NUMBER_COL, LABEL_COL, VALUE_COL, UNIT_COL, NOTE_COL = range(6)
TABLE_FIRST_COL = LABEL_COL  # a table's first column sits under the labels

TABLE_COLUMNS = ":columns"
TABLE_HEADER = ":header"
TABLE_END = ":end"

DEFAULT_TABLE_ROWS = 10


def col_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """Zero-based (row, col) → "D12"."""
    return f"{col_letter(col)}{row + 1}"
