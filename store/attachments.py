"""Evidence files (tài liệu kiểm chứng) attached to an item of a unit's report.

Kept like uploads: the bytes once per hash in `files`, a row per attachment that is never
changed. Checking the file type and size is the caller's job (the web app sniffs magic bytes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from store.audit import record_event
from store.db import clean_text, transaction, utc_iso
from store.errors import NotFound, StoreError
from store.names import clean_file_name
from store.rounds import round_units
from store.values import sha256_hex

MAX_ATTACHMENTS_PER_UNIT = 500


class AttachmentNotFound(NotFound):
    """Không có tài liệu kiểm chứng này."""


_COLUMNS = "id, round_id, unit_code, item_key, file_name, media_type, size, sha256, actor, " \
           "created_at"


def add_attachment(db: Database, *, round_id: int, unit_code: str, item_key: str,
                   file_name: str, content: bytes, media_type: str, actor: str,
                   now: datetime | None = None) -> dict[str, Any]:
    """Keep one evidence file for `item_key` of a unit's report in a round."""
    code = clean_text(unit_code) or ""
    if code not in {row["unit_code"] for row in round_units(db, round_id)}:
        raise StoreError(f"Đơn vị '{code}' không thuộc đợt báo cáo số {round_id}.")
    name = clean_file_name(file_name, "tai-lieu")
    stamp = utc_iso(now)
    sha = sha256_hex(content)
    with transaction(db):
        count = db.execute("SELECT COUNT(*) FROM attachments WHERE round_id = ? AND unit_code = ?",
                           [round_id, code]).fetchone()[0]
        if count >= MAX_ATTACHMENTS_PER_UNIT:
            raise StoreError(f"Đã có {count} tài liệu kiểm chứng, tối đa "
                             f"{MAX_ATTACHMENTS_PER_UNIT} tài liệu cho một báo cáo.")
        db.execute("INSERT OR IGNORE INTO files (sha256, name, size, content, created_at) "
                   "VALUES (?, ?, ?, ?, ?)", [sha, name, len(content), content, stamp])
        cursor = db.execute(
            "INSERT INTO attachments (round_id, unit_code, item_key, file_name, media_type, "
            "size, sha256, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [round_id, code, item_key, name, media_type, len(content), sha, actor, stamp])
        record_event(db, actor, "attachment.add", round_id=round_id, unit_code=code,
                     detail={"item": item_key, "file": name, "sha256": sha}, now=now)
        attachment_id = cursor.lastrowid
    return _get(db, round_id, code, attachment_id)


def _get(db: Database, round_id: int, unit_code: str, attachment_id: int) -> dict[str, Any]:
    rows = list(db.query(f"SELECT {_COLUMNS} FROM attachments WHERE id = ? AND round_id = ? "
                         "AND unit_code = ?", [attachment_id, round_id, unit_code]))
    if not rows:
        raise AttachmentNotFound(f"Không có tài liệu kiểm chứng số {attachment_id}.")
    return rows[0]


def list_attachments(db: Database, round_id: int, unit_code: str) -> list[dict[str, Any]]:
    """A unit's evidence in a round, oldest first."""
    return list(db.query(f"SELECT {_COLUMNS} FROM attachments WHERE round_id = ? AND "
                         "unit_code = ? ORDER BY id", [round_id, unit_code]))


def get_attachment(db: Database, round_id: int, unit_code: str, attachment_id: int
                   ) -> tuple[dict[str, Any], bytes]:
    """(metadata, bytes); scoped by round and unit so one unit cannot read another's."""
    meta = _get(db, round_id, unit_code, attachment_id)
    content = db.execute("SELECT content FROM files WHERE sha256 = ?",
                         [meta["sha256"]]).fetchone()[0]
    return meta, content
