"""Evidence attachments (tài liệu kiểm chứng): PDF, JPEG or PNG per item, size-capped, with the
type read from the file's first bytes rather than trusted from its name or the browser.

Storage goes through the store (`store.add_attachment` & co.); until the store offers those
functions the upload inputs are simply not shown (`supported()`).

Only items the outline flags (`evidence: true`, `Item.wants_evidence`) take a file: the form
shows no input elsewhere, and a file posted for any other item is refused with a message. The
unit's evidence in a round is capped in total (`MAX_EVIDENCE_TOTAL_MB`, default 100 MB; the
store checks it inside the write transaction), and a unit may take a file back out of its
draft (`remove`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlite_utils import Database
from werkzeug.datastructures import FileStorage

import store
from forms import Outline
from store.attachments import megabytes
from store.names import clean_file_name

MAGIC = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
DEFAULT_MAX_MB = 10
DEFAULT_TOTAL_MB = 100
REMOVE_ACTION = "removefile:"


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


def _setting(name: str, default: float) -> int:
    """A size setting in bytes: the app config, else `DECUONG_<name>`, else the default."""
    value = current_app.config.get(name) or os.environ.get(f"DECUONG_{name}") or default
    return int(float(value) * 1024 * 1024)


def store_uploads(db: Database, outline: Outline, files: Iterable[tuple[str, FileStorage]], *,
                  round_id: int, unit_code: str, actor: str) -> list[str]:
    """Keep the files chosen in the evidence inputs of a fill POST; return the problems, each
    naming the file (a refused file is refused on its own; the typed values are still saved)."""
    if not supported():
        return []
    problems = []
    limit = _setting("MAX_EVIDENCE_MB", DEFAULT_MAX_MB)
    quota = _setting("MAX_EVIDENCE_TOTAL_MB", DEFAULT_TOTAL_MB)
    for field_name, upload in files:
        if not field_name.startswith("evidence-") or not upload or not upload.filename:
            continue
        key = field_name.removeprefix("evidence-")
        name = file_name(upload.filename)  # text for pages, never a path
        if key not in outline:
            continue
        item = outline.item(key)
        if not item.wants_evidence:
            problems.append(f"Tệp «{name}» không được lưu: mục «{item.ref}» không nhận tài liệu "
                            "kiểm chứng theo đề cương.")
            continue
        content = upload.read(limit + 1)
        checked = check(name, content, limit)
        if checked.problem:
            problems.append(checked.problem)
            continue
        try:
            add(db, round_id=round_id, unit_code=unit_code, item_key=key, file_name=name,
                content=content, media_type=checked.media_type or "", actor=actor,
                quota_bytes=quota)
        except store.StoreError as exc:
            problems.append(str(exc))
    return problems


def remove(db: Database, *, round_id: int, unit_code: str, action: str, actor: str
           ) -> tuple[str, str]:
    """Take the file named by a `removefile:<id>` action out of the unit's draft; return
    (category, message) for a flash."""
    digits = action.removeprefix(REMOVE_ACTION)
    if not digits.isdigit() or len(digits) > 12:
        return "error", "Không có tài liệu kiểm chứng này."
    try:
        meta = store.remove_attachment(db, round_id, unit_code, int(digits), actor)
    except store.StoreError as exc:
        return "error", str(exc)
    kept = (" Tệp vẫn được lưu trong lịch sử vì đã có trong một lần nộp trước."
            if meta["kept"] else "")
    return "success", f"Đã gỡ tài liệu «{meta['file_name']}» khỏi báo cáo.{kept}"


def usage(db: Database, round_id: int, unit_code: str) -> dict[str, str]:
    """The used, total and free room and the per-file cap, as texts for the fill page
    ("12,5" of "100" MB)."""
    quota = _setting("MAX_EVIDENCE_TOTAL_MB", DEFAULT_TOTAL_MB)
    used = store.evidence_usage(db, round_id, unit_code)
    return {"used": megabytes(used), "quota": megabytes(quota),
            "free": megabytes(max(quota - used, 0)),
            "file": megabytes(_setting("MAX_EVIDENCE_MB", DEFAULT_MAX_MB))}


def supported() -> bool:
    """Whether the store can keep attachments (see the module docstring)."""
    return all(hasattr(store, name) for name in ("add_attachment", "list_attachments",
                                                 "get_attachment"))


def attachments_by_item(db: Database, round_id: int, unit_code: str
                        ) -> dict[str, list[store.AttachmentRow]]:
    if not supported():
        return {}
    found: dict[str, list[store.AttachmentRow]] = {}
    for row in store.list_attachments(db, round_id, unit_code):
        found.setdefault(row["item_key"], []).append(row)
    return found


def add(db: Database, *, round_id: int, unit_code: str, item_key: str, file_name: str,
        content: bytes, media_type: str, actor: str, quota_bytes: int | None = None
        ) -> store.AttachmentRow:
    return store.add_attachment(
        db, round_id=round_id, unit_code=unit_code, item_key=item_key, file_name=file_name,
        content=content, media_type=media_type, actor=actor, quota_bytes=quota_bytes)


def get(db: Database, round_id: int, unit_code: str, attachment_id: int
        ) -> tuple[store.AttachmentRow, bytes]:
    return store.get_attachment(db, round_id, unit_code, attachment_id)
