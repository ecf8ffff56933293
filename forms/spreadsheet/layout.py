"""The workbook conventions, in one place: sheet names, their columns and the `type` words.

They follow XLSForm (pyxform) so that ODK/KoboToolbox authors feel at home: a `survey` sheet
with one row per item and a header in row 1, `begin_group`/`end_group` and
`begin_repeat`/`end_repeat` rows for nesting, `select_one LIST` with the lists on a `choices`
sheet, and a `settings` sheet. decuong's own columns (number, unit, target, …) are added beside
XLSForm's. The importer and the exporter both read these tables, so they cannot drift apart.
"""

from __future__ import annotations

SURVEY = "survey"
CHOICES = "choices"
SETTINGS = "settings"
RULES = "rules"

#: canonical sheet name → names accepted for it (compared case-insensitively).
SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    SURVEY: ("survey", "items", "muc", "mục"),
    CHOICES: ("choices",),
    SETTINGS: ("settings",),
    RULES: ("rules",),
}

#: survey columns in the order the exporter writes them; keys of the YAML item of the same name.
SURVEY_COLUMNS: tuple[str, ...] = (
    "type", "name", "number", "label", "unit", "hint", "required", "min", "max", "constraint",
    "constraint_message", "calculation", "target", "aggregate", "decimals", "min_rows",
    "max_rows", "evidence",
)
CHOICES_COLUMNS: tuple[str, ...] = ("list_name", "name", "label")
SETTINGS_COLUMNS: tuple[str, ...] = (
    "id", "version", "title", "issuer", "note", "period_start", "period_end", "period_label",
    "deadline",
)
#: `table`: the rule is one of that table's `row_rules`, judged in each of its rows.
RULES_COLUMNS: tuple[str, ...] = ("name", "constraint", "message", "severity", "items", "table")

COLUMNS: dict[str, tuple[str, ...]] = {
    SURVEY: SURVEY_COLUMNS,
    CHOICES: CHOICES_COLUMNS,
    SETTINGS: SETTINGS_COLUMNS,
    RULES: RULES_COLUMNS,
}

#: XLSForm's names for the same settings, accepted on import.
COLUMN_ALIASES: dict[str, dict[str, str]] = {
    SETTINGS: {"form_id": "id", "form_title": "title"},
    CHOICES: {"list name": "list_name"},
    SURVEY: {},
    RULES: {},
}

BEGIN_GROUP = "begin_group"
END_GROUP = "end_group"
BEGIN_REPEAT = "begin_repeat"
END_REPEAT = "end_repeat"
STRUCTURE = (BEGIN_GROUP, END_GROUP, BEGIN_REPEAT, END_REPEAT)

#: Item keys emitted in this order (outline-format order); `choices`, `columns` and `items` are
#: added by the structure.
ITEM_ORDER: tuple[str, ...] = (
    "type", "name", "number", "label", "unit", "hint", "required", "min", "max", "constraint",
    "constraint_message", "calculation", "target", "aggregate", "decimals", "choices", "min_rows",
    "max_rows", "evidence",
)

YES = frozenset({"yes", "true", "true()", "1", "x", "có", "co", "y"})
NO = frozenset({"no", "false", "false()", "0", "không", "khong", "n"})


def col_letter(index: int) -> str:
    """Zero-based column index → "A", "B", …, "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """Zero-based (row, col) → "C12"."""
    return f"{col_letter(col)}{row + 1}"
