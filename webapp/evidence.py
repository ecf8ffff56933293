"""Evidence attachments (tài liệu kiểm chứng): PDF, JPEG or PNG per item, size-capped, with the
type read from the file's first bytes rather than trusted from its name or the browser.

Storage goes through the store (`store.add_attachment` & co.); until the store offers those
functions the upload inputs are simply not shown (`supported()`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

import store
from store.names import clean_file_name

MAGIC = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
DEFAULT_MAX_MB = 10


@dataclass(frozen=True)
class Checked:
    media_type: str | None
    problem: str | None = None


def file_name(raw: str | None) -> str:
    """The name a user gave the file, kept as text only (browsers may send `C:\\…\\scan.pdf`;
    a hostile client `../../etc/passwd`): see `store.names.clean_file_name`."""
    return clean_file_name(raw, "tai-lieu")


def sniff(content: bytes) -> str | None:
    """The media type from the magic bytes, or None when it is none of PDF, JPEG, PNG."""
    for magic, media_type, _ext in MAGIC:
        if content.startswith(magic):
            return media_type
    return None


def check(file_name: str, content: bytes, max_bytes: int) -> Checked:
    """Accept a PDF, JPEG or PNG up to `max_bytes`; say in Vietnamese why anything else is
    refused, naming the file."""
    if not content:
        return Checked(None, f"Tệp «{file_name}» rỗng.")
    if len(content) > max_bytes:
        limit = max_bytes / (1024 * 1024)
        return Checked(None, f"Tệp «{file_name}» lớn hơn {limit:g} MB. Hãy giảm dung lượng "
                             "(ví dụ quét ở độ phân giải thấp hơn).")
    media_type = sniff(content)
    if media_type is None:
        return Checked(None, f"Tệp «{file_name}» không phải PDF, JPEG hay PNG. Tài liệu kiểm "
                             "chứng chỉ nhận các định dạng này.")
    return Checked(media_type)


def supported() -> bool:
    """Whether the store can keep attachments (see the module docstring)."""
    return all(hasattr(store, name) for name in ("add_attachment", "list_attachments",
                                                 "get_attachment"))


def attachments_by_item(db: Database, round_id: int, unit_code: str) -> dict[str, list[dict]]:
    if not supported():
        return {}
    found: dict[str, list[dict[str, Any]]] = {}
    for row in store.list_attachments(db, round_id, unit_code):  # type: ignore[attr-defined]
        found.setdefault(row["item_key"], []).append(row)
    return found


def add(db: Database, *, round_id: int, unit_code: str, item_key: str, file_name: str,
        content: bytes, media_type: str, actor: str) -> dict[str, Any]:
    return store.add_attachment(  # type: ignore[attr-defined]
        db, round_id=round_id, unit_code=unit_code, item_key=item_key, file_name=file_name,
        content=content, media_type=media_type, actor=actor)


def get(db: Database, round_id: int, unit_code: str, attachment_id: int
        ) -> tuple[dict[str, Any], bytes]:
    return store.get_attachment(db, round_id, unit_code, attachment_id)  # type: ignore
