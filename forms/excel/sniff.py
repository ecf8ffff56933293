"""Say what an uploaded file is before opening it: a zip, or a renamed PDF, photo, CSV, old .xls.

Uploads come from e-mail and Zalo, where a file's name says little about its content; the first
bytes say more, and the refusal can then tell the user what they actually sent.
"""

from __future__ import annotations

from forms.excel.errors import ExcelError, human_size, problem
from forms.excel.limits import MAX_BYTES

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def sniff(data: bytes, *, max_bytes: int = MAX_BYTES) -> None:
    """Refuse what is not a zip before opening it, saying what the file seems to be."""
    if not data:
        raise ExcelError(problem("empty"))
    if len(data) > max_bytes:
        raise ExcelError(problem("too_large", size=human_size(len(data)),
                                 limit=human_size(max_bytes)))
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return
    if data[:8] == OLE_MAGIC:
        # An OLE compound file is either an encrypted OOXML package or a legacy .xls/.doc.
        if _ENCRYPTED_STREAM in data:
            raise ExcelError(problem("encrypted"))
        raise ExcelError(problem("old_xls"))
    raise ExcelError(problem("not_xlsx", what=_what(data)))


def _what(data: bytes) -> str:
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return "tệp PDF đổi tên"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")) or head[8:12] == b"WEBP":
        return "tệp ảnh đổi tên"
    if head.startswith(b"{\\rtf"):
        return "tệp văn bản RTF đổi tên"
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return "tệp nén đổi tên"
    text = _as_text(head)
    if text is None:
        return "một loại tệp khác"
    stripped = text.lstrip().lower()
    if stripped.startswith(("<html", "<!doctype html", "<table", "<meta")):
        return "trang web HTML đổi tên"
    if stripped.startswith("<?xml") or stripped.startswith("<"):
        return "tệp XML đổi tên, ví dụ Bảng tính XML 2003"
    first = text.splitlines()[0] if text.splitlines() else ""
    if any(sep in first for sep in (",", ";", "\t")):
        return "tệp CSV đổi tên"
    return "tệp văn bản đổi tên"


def _as_text(head: bytes) -> str | None:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        if all(ch.isprintable() or ch in "\r\n\t" for ch in text):
            return text
    # A cut in the middle of a UTF-8 sequence at the end of `head` is fine.
    try:
        text = head[:-3].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if all(ch.isprintable() or ch in "\r\n\t" for ch in text) else None
