"""Reading a list of units (CSV or xlsx, header row first) for `decuong units import` and the
web import alike: one reader, the same messages on both channels."""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any

from store.errors import StoreCode, StoreError

HEADERS = {
    "code": "code", "mã": "code", "ma": "code", "mã đơn vị": "code",
    "name": "name", "tên": "name", "ten": "name", "tên đơn vị": "name",
    "kind": "kind", "loại": "kind", "loai": "kind", "nhóm": "kind", "loại đơn vị": "kind",
    "parent": "parent", "cấp trên": "parent", "đơn vị cấp trên": "parent",
    "contact": "contact", "liên hệ": "contact", "lien he": "contact",
    "email": "email", "e-mail": "email", "thư điện tử": "email", "thu dien tu": "email",
    "địa chỉ thư": "email",
}


class UnitListError(StoreError):
    code = StoreCode.UNIT_LIST_UNREADABLE


def _csv_rows(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnitListError("Tệp không phải văn bản UTF-8. Hãy lưu lại tệp dạng «CSV UTF-8» "
                            "rồi tải lên.") from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise UnitListError("Tệp trống.")
    try:
        dialect: Any = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    from forms.excel import ExcelError, read_workbook

    try:  # the same defensive reader as uploaded templates: bombs and macros refused
        book = read_workbook(content)
    except ExcelError as exc:
        raise UnitListError(" ".join(p.message for p in exc.problems)) from None
    if not book.sheet_names:
        raise UnitListError("Tệp không có trang tính nào.")
    return book.rows(book.sheet_names[0])


def _cell(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number comes back as 12.0
    return str(value).strip() or None


def read_unit_list(content: bytes, file_name: str) -> list[dict[str, Any]]:
    """Rows as dicts `upsert_units` takes (code, name, kind, parent, contact, email: only when
    the file has that column). Trailing blank
    rows are dropped; inner ones stay so row numbers in messages match the file."""
    rows = _xlsx_rows(content) if file_name.lower().endswith(".xlsx") else _csv_rows(content)
    if not rows:
        raise UnitListError("Tệp trống.")
    header = [HEADERS.get(unicodedata.normalize("NFC", str(h)).strip().lower()) for h in rows[0]]
    if "code" not in header or "name" not in header:
        raise UnitListError("Dòng 1 phải có các cột «mã» (code) và «tên» (name); có thể thêm "
                            "«loại» (kind), «cấp trên» (parent), «liên hệ» (contact), "
                            "«thư điện tử» (email).")
    body = [list(row) for row in rows[1:]]
    while body and not any(_cell(c) for c in body[-1]):
        body.pop()
    return [{key: _cell(value) for key, value in zip(header, row, strict=False) if key}
            for row in body]
