"""Excel's limits, handled rather than hoped away (as formpack does).

- A cell holds at most 32,767 characters, counted in UTF-16 code units (an emoji counts two):
  longer text is cut with a visible marker, so nobody mistakes a cut narrative for the whole.
- A sheet name has 1–31 characters, none of `[ ] : * ? / \\`, no leading or trailing
  apostrophe, is unique ignoring case, and "History" is reserved.
- A sheet has 1,048,576 rows and 16,384 columns.
"""

from __future__ import annotations

import re
from collections.abc import Container

MAX_CELL_CHARS = 32_767
MAX_SHEET_NAME = 31
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
TRUNCATED_MARKER = "… (đã cắt bớt)"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


class ExportError(Exception):
    """Không xuất được tệp tổng hợp."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def fit_cell(text: str, limit: int = MAX_CELL_CHARS) -> str:
    """`text` cut to fit a cell (with `TRUNCATED_MARKER` at the end) when it is too long."""
    if len(text) <= limit // 2 or utf16_len(text) <= limit:
        return text
    room = limit - utf16_len(TRUNCATED_MARKER)
    cut = text[:room]
    while utf16_len(cut) > room:  # astral characters take two units each
        cut = cut[:-1]
    return cut + TRUNCATED_MARKER


def sheet_name(wanted: str, taken: Container[str] = ()) -> str:
    """A valid sheet name close to `wanted`, not in `taken` (compared ignoring case; pass the
    lower-cased names already used). Too long names end in "…"; duplicates get " (2)", " (3)"."""
    name = _BAD_SHEET_CHARS.sub(" ", wanted)
    name = re.sub(r"\s+", " ", name).strip().strip("'").strip() or "Trang"
    if name.lower() == "history":
        name = "History (1)"

    def clip(text: str, room: int) -> str:
        return text if len(text) <= room else text[: room - 1].rstrip() + "…"

    candidate = clip(name, MAX_SHEET_NAME)
    number = 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = clip(name, MAX_SHEET_NAME - len(suffix)) + suffix
        number += 1
    return candidate


def check_size(rows: int, columns: int, what: str) -> None:
    """Refuse, with a message saying what to do, a sheet Excel could not open."""
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise ExportError(
            f"Bảng «{what}» có {rows} dòng × {columns} cột, vượt giới hạn của Excel "
            f"({MAX_ROWS} dòng × {MAX_COLUMNS} cột). Hãy xuất tệp CSV thay cho Excel.")
