"""A workbook outline's cell as the YAML key wants it (text, yes/no, number, date, names).

Kept apart from the reader, which follows sheets and rows: these rules are about one value,
and a value that cannot be converted is passed on unchanged so the one checker reports it at
its cell with its usual message.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from forms.spreadsheet.layout import NO, YES

TEXT_KEYS = frozenset({"name", "label", "unit", "hint", "constraint", "constraint_message",
                       "calculation", "target", "aggregate", "list_name", "message", "severity",
                       "id", "title", "issuer", "note", "period_label"})
EXPR_KEYS = frozenset({"constraint", "calculation", "target"})
DATE_KEYS = frozenset({"period_start", "period_end", "deadline"})
XLSFORM_REF = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}")
DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def fold(text: str) -> str:
    """How sheet names, headers and type words compare: NFC, spaces folded, case ignored."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def convert(key: str, value: Any) -> Any:
    """A cell's value as the YAML key wants it; a value that cannot be is passed on as it is,
    so the checker reports it (at this cell) with its usual message."""
    if key == "number":
        if isinstance(value, float) and value.is_integer():
            return f"{int(value)}."  # Excel turns a typed "1." into the number 1
        return cell_text(value)
    if key in EXPR_KEYS:
        return XLSFORM_REF.sub(r"\1", cell_text(value))
    if key in TEXT_KEYS:
        return cell_text(value)
    if key in ("required", "evidence"):
        return _boolean(value)
    if key in ("min", "max"):
        return _number(value, allow_date=True)
    if key in ("min_rows", "max_rows", "version", "decimals"):
        return _number(value, allow_date=False)
    if key in DATE_KEYS:
        return _date(value)
    if key == "items":
        return [name for name in re.split(r"[\s,;]+", cell_text(value)) if name]
    return cell_text(value)


def cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _boolean(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = fold(cell_text(value))
    if word in YES:
        return True
    if word in NO:
        return False
    return cell_text(value)


def _number(value: Any, *, allow_date: bool) -> Any:
    if isinstance(value, bool):
        return cell_text(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value
    if allow_date and isinstance(value, (date, datetime)):
        return value.date() if isinstance(value, datetime) else value
    text = cell_text(value)
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d*[.,]\d+", text):
        return float(text.replace(",", "."))
    if allow_date:
        found = _date(text)
        if isinstance(found, date):
            return found
    return text


def _date(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = DMY.match(text)
    if match:
        try:
            return date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            pass
    return value if isinstance(value, (int, float)) else text
