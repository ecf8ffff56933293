"""CSV in and out of the browser: the reminder list (chưa nộp) and the units import.

Written CSV starts with a BOM (Excel on Windows otherwise reads UTF-8 as a legacy code page and
garbles Vietnamese) and neutralises cells a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from store.commands import UNIT_HEADERS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: Any) -> str:
    """A cell text that no spreadsheet will evaluate: a leading = + - @ (or tab, CR) gets an
    apostrophe in front, as OWASP recommends against CSV injection."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


class ImportProblem(ValueError):
    """The uploaded unit list cannot be read (message in Vietnamese)."""


def read_units_csv(content: bytes) -> list[dict[str, Any]]:
    """Rows of a units CSV (header first: mã/code, tên/name, loại/kind, cấp trên/parent, liên
    hệ/contact; comma, semicolon or tab separated) as dicts the store's upsert takes."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem("Tệp không phải văn bản UTF-8. Hãy lưu lại tệp dạng "
                            "«CSV UTF-8» rồi tải lên.") from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportProblem("Tệp trống.")
    try:
        dialect: Any = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    header = [UNIT_HEADERS.get(unicodedata.normalize("NFC", h).strip().lower()) for h in rows[0]]
    if "code" not in header or "name" not in header:
        raise ImportProblem("Dòng 1 phải có các cột «mã» (code) và «tên» (name); có thể thêm "
                            "«loại» (kind), «cấp trên» (parent), «liên hệ» (contact).")
    body = rows[1:]
    while body and not any(cell.strip() for cell in body[-1]):
        body.pop()  # trailing blank lines; inner ones stay, so row numbers match the file
    return [{key: (value.strip() or None) for key, value in zip(header, row, strict=False)
             if key} for row in body]
