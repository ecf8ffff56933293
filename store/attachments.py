"""Evidence files (tài liệu kiểm chứng) attached to an item of a unit's report.

Kept like uploads: the bytes once per hash in `files`, a row per attachment that is never
changed. Checking the file type and size is the caller's job (the web app sniffs magic bytes);
the quota per unit and round is checked here, inside the write transaction, so two uploads at
once cannot both slip under it.

Removal (a unit taking a wrong file back out of its draft): a file that no submitted revision
carried is deleted, row and bytes (unless something else holds the same bytes), so a mistaken
upload leaves nothing behind and frees its room; a file that a submitted revision carried stays
as it was, marked removed (`attachment_removals`), and keeps counting against the quota, since
its bytes are still stored. Either way the audit log records it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime
from typing import TypedDict, cast

from sqlite_utils import Database

from forms.kinds.numbers import format_number
from store.audit import record_event
from store.db import clean_text, transaction, utc_iso
from store.errors import Conflict, NotFound, StoreCode, StoreError
from store.names import clean_file_name
from store.rounds import get_round, round_units
from store.submissions import get_submission
from store.values import sha256_hex

MAX_ATTACHMENTS_PER_UNIT = 500
MB = 1024 * 1024
EDITABLE = (None, "draft", "returned")


class AttachmentNotFound(NotFound):
    code = StoreCode.ATTACHMENT_NOT_FOUND


class EvidenceQuotaExceeded(StoreError):
    code = StoreCode.EVIDENCE_QUOTA


def megabytes(size: int) -> str:
    """`13_212_057` → `12,6`: sizes in messages, one decimal, Vietnamese style."""
    return format_number(size / MB, 1)


def evidence_usage(db: Database, round_id: int, unit_code: str) -> int:
    """Bytes of evidence the database keeps for a unit's report in a round: every attachment
    still stored, including removed ones a submitted revision carried."""
    row = db.execute("SELECT COALESCE(SUM(size), 0) FROM attachments WHERE round_id = ? AND "
                     "unit_code = ?", [round_id, unit_code]).fetchone()
    return int(row[0])


class AttachmentRow(TypedDict):
    """An `attachments` row: one evidence file's metadata (its bytes live in `files`)."""

    id: int
    round_id: int
    unit_code: str
    item_key: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    actor: str
    created_at: str


class RemovedAttachment(AttachmentRow):
    """What `remove_attachment` answers: the row, and whether it was kept (a submitted
    revision carried it)."""

    kept: bool


_COLUMNS = "id, round_id, unit_code, item_key, file_name, media_type, size, sha256, actor, " \
           "created_at"


def add_attachment(db: Database, *, round_id: int, unit_code: str, item_key: str,
                   file_name: str, content: bytes, media_type: str, actor: str,
                   quota_bytes: int | None = None, now: datetime | None = None
                   ) -> AttachmentRow:
    """Keep one evidence file for `item_key` of a unit's report in a round. With `quota_bytes`,
    refuse (EvidenceQuotaExceeded, naming the file and the room left) a file that would take
    the unit's evidence in this round over it."""
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
        if quota_bytes is not None:
            used = evidence_usage(db, round_id, code)
            if used + len(content) > quota_bytes:
                free = max(quota_bytes - used, 0)
                raise EvidenceQuotaExceeded(
                    f"Tệp «{name}» ({megabytes(len(content))} MB) không được lưu: tài liệu "
                    f"kiểm chứng của báo cáo này đã dùng {megabytes(used)} MB trong hạn mức "
                    f"{megabytes(quota_bytes)} MB, chỉ còn trống {megabytes(free)} MB. Hãy gỡ "
                    "tệp đính kèm nhầm hoặc không cần, hoặc giảm dung lượng tệp (ví dụ quét ở "
                    "độ phân giải thấp hơn).")
        db.execute("INSERT OR IGNORE INTO files (sha256, name, size, content, created_at) "
                   "VALUES (?, ?, ?, ?, ?)", [sha, name, len(content), content, stamp])
        cursor = db.execute(
            "INSERT INTO attachments (round_id, unit_code, item_key, file_name, media_type, "
            "size, sha256, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [round_id, code, item_key, name, media_type, len(content), sha, actor, stamp])
        record_event(db, actor, "attachment.add", round_id=round_id, unit_code=code,
                     detail={"item": item_key, "file": name, "sha256": sha}, now=now)
        attachment_id = cursor.lastrowid
        assert attachment_id is not None  # the INSERT above has just made the row
    return _get(db, round_id, code, attachment_id)


def _get(db: Database, round_id: int, unit_code: str, attachment_id: int) -> AttachmentRow:
    rows = list(db.query(f"SELECT {_COLUMNS} FROM attachments WHERE id = ? AND round_id = ? "
                         "AND unit_code = ?", [attachment_id, round_id, unit_code]))
    if not rows:
        raise AttachmentNotFound(f"Không có tài liệu kiểm chứng số {attachment_id}.")
    return cast(AttachmentRow, rows[0])


def list_attachments(db: Database, round_id: int, unit_code: str, *,
                     include_removed: bool = False) -> list[AttachmentRow]:
    """A unit's evidence in a round, oldest first: what the report carries now, or with
    `include_removed` also the removed files a submitted revision carried."""
    hidden = "" if include_removed else \
        " AND id NOT IN (SELECT attachment_id FROM attachment_removals)"
    return cast(list[AttachmentRow], list(db.query(
        f"SELECT {_COLUMNS} FROM attachments WHERE round_id = ? AND unit_code = ?{hidden}"
        " ORDER BY id", [round_id, unit_code])))


def _carried_by_submission(db: Database, meta: AttachmentRow) -> bool:
    """Whether a submitted revision of the report was saved after the file was attached (so
    the file went in with it). Same-second ties count as carried: the safe side keeps bytes."""
    return db.execute(
        "SELECT 1 FROM revisions r JOIN submissions s ON s.id = r.submission_id "
        "WHERE s.round_id = ? AND s.unit_code = ? AND r.status = 'submitted' "
        "AND r.created_at >= ? LIMIT 1",
        [meta["round_id"], meta["unit_code"], meta["created_at"]]).fetchone() is not None


def remove_attachment(db: Database, round_id: int, unit_code: str, attachment_id: int,
                      actor: str, now: datetime | None = None) -> RemovedAttachment:
    """Take an evidence file out of a unit's draft; return its metadata with `kept` (True when
    a submitted revision carried it, so its row and bytes stay). Refused (Conflict) unless the
    report is editable: round open, report not submitted nor accepted."""
    stamp = utc_iso(now)
    with transaction(db):
        meta = _get(db, round_id, unit_code, attachment_id)
        if db.execute("SELECT 1 FROM attachment_removals WHERE attachment_id = ?",
                      [attachment_id]).fetchone():
            raise AttachmentNotFound(f"Tài liệu «{meta['file_name']}» đã được gỡ trước đó.")
        if get_round(db, round_id)["status"] != "open":
            raise Conflict(f"Đợt báo cáo số {round_id} đã đóng; không gỡ được tài liệu.")
        sub = get_submission(db, round_id, unit_code)
        if (sub["status"] if sub else None) not in EDITABLE:
            raise Conflict("Báo cáo đã nộp hoặc đã được chấp nhận: chỉ gỡ được tài liệu khỏi "
                           "bản nháp (hãy thu hồi báo cáo trước, nếu còn được).")
        kept = _carried_by_submission(db, meta)
        if kept:
            db.execute("INSERT INTO attachment_removals (attachment_id, actor, created_at) "
                       "VALUES (?, ?, ?)", [attachment_id, actor, stamp])
        else:
            db.execute("DELETE FROM attachments WHERE id = ?", [attachment_id])
            # If another table holds the same bytes, the foreign key refuses: they stay for it.
            with contextlib.suppress(sqlite3.IntegrityError):
                db.execute(
                    "DELETE FROM files WHERE sha256 = ? "
                    "AND NOT EXISTS (SELECT 1 FROM attachments WHERE sha256 = ?) "
                    "AND NOT EXISTS (SELECT 1 FROM revisions WHERE file_sha256 = ?)",
                    [meta["sha256"]] * 3)
        record_event(db, actor, "attachment.remove", round_id=round_id, unit_code=unit_code,
                     detail={"item": meta["item_key"], "file": meta["file_name"],
                             "sha256": meta["sha256"], "size": meta["size"], "kept": kept},
                     now=now)
    return {**meta, "kept": kept}


def get_attachment(db: Database, round_id: int, unit_code: str, attachment_id: int
                   ) -> tuple[AttachmentRow, bytes]:
    """(metadata, bytes); scoped by round and unit so one unit cannot read another's."""
    meta = _get(db, round_id, unit_code, attachment_id)
    content = db.execute("SELECT content FROM files WHERE sha256 = ?",
                         [meta["sha256"]]).fetchone()[0]
    return meta, content
