"""`text`: one line (a name, a document number); `long_text` (forms/kinds/long_text.py) is its
narrative sibling.

Both are stored NFC with Unix line ends, so that texts typed on different machines compare and
export alike. Control characters are refused rather than silently dropped: they usually mean
a paste from another program went wrong, and the user should look at it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from typing import Any, ClassVar

from forms.kinds.base import Kind, Parsed, Spec, clean, plain_float, quote, validation
from forms.kinds.numbers import format_number

_ALLOWED_CONTROLS = "\n\t"
# Unicode category Cc is exactly C0, DEL and C1; a compiled class scans long narratives fast.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _utf16_len(text: str) -> int:
    """Length as Excel counts it (characters outside the BMP take two units)."""
    return len(text.encode("utf-16-le")) // 2


def natural_text(raw: object) -> str | None:
    """What a spreadsheet cell shows, as text: 12 not 12.0, 12,5, dates as dd/mm/yyyy."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "Có" if raw else "Không"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return plain_float(raw) if math.isfinite(raw) else None
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return f"{raw.day:02d}/{raw.month:02d}/{raw.year:04d}"
    if isinstance(raw, bytes | bytearray):
        try:  # a client that posts bytes: only valid UTF-8 is text
            return bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return None
    if isinstance(raw, list | tuple | dict | set | frozenset):
        return None  # a structure, not text: storing its repr would hide a client's mistake
    return str(raw)


class TextKind(Kind, name="text", order=50, title="chữ (một dòng)", category="text"):
    default_aggregate: ClassVar[str] = "narrative"
    narrative: ClassVar[bool] = True
    align: ClassVar[str | None] = "left"
    #: maximum length in characters (UTF-16 units, as Excel counts)
    limit: ClassVar[int] = 2000
    input_title: ClassVar[str] = "Nhập nội dung"

    def _parse(self, raw: object, spec: Spec | None) -> Parsed:
        text = natural_text(raw)
        if text is None:
            return Parsed(None, (f"{quote(raw)} không phải là nội dung đọc được. "
                                 "Hãy gõ lại nội dung.",))
        text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
        text = clean(text)
        found = _CONTROL.search(text)
        bad = found.group() if found else None
        if bad is not None:
            return Parsed(None, (f"{quote(text)} có ký tự điều khiển không hiển thị được "
                                 f"(mã U+{ord(bad):04X}). Hãy xoá ký tự đó hoặc gõ lại nội dung.",))
        size = _utf16_len(text)
        if size > self.limit:
            return Parsed(None, (f"{quote(text)} dài {format_number(size)} ký tự, vượt quá giới "
                                 f"hạn {format_number(self.limit)} ký tự. "
                                 "Hãy rút gọn nội dung.",))
        return Parsed(text, ())

    def format(self, value: Any, spec: Spec | None = None) -> str:
        return "" if value is None else str(value)

    def excel_validation(self, spec: Spec | None = None) -> dict[str, Any]:
        """A length check: Excel would otherwise accept text the web form refuses."""
        limit = format_number(self.limit)
        return validation(
            "length",
            criteria="<=",
            value=self.limit,
            input_title=self.input_title,
            input_message=f"Nhập nội dung, tối đa {limit} ký tự.",
            error_title="Nội dung quá dài",
            error_message=f"Nội dung chỉ được dài tối đa {limit} ký tự. Hãy rút gọn.",
        )


KIND = TEXT = TextKind()
