"""Submissions (báo cáo): one unit's values for one round, kept as an append-only history.

Every save is a new numbered revision; nothing is overwritten (triggers refuse UPDATE and DELETE
on revisions, comments and events). The `submissions` row is the current state: status, the
latest revision number and when the unit last submitted. Uploaded files are kept once per
SHA-256, so re-uploading the same bytes costs nothing.

Status flow. A unit's save_revision: (none)/draft/returned → draft or submitted; submitted →
submitted (a corrected re-submission). The coordinator's moves, which never create a revision,
are in store/review.py; the values codec in store/values.py; whole-round reads (who has sent
what, consolidation input) in store/round_summary.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypedDict, cast

from sqlite_utils import Database

from store.audit import record_event
from store.db import clean_text, select, transaction, utc_iso
from store.errors import Conflict, NotFound, StoreCode, StoreError
from store.names import clean_file_name
from store.rounds import RoundNotFound
from store.values import decode_values, encode_values, sha256_hex

SUBMISSION_STATUSES = ("draft", "submitted", "returned", "accepted")
REVISION_STATUSES = ("draft", "submitted")
CHANNELS = ("web", "excel", "import")
# Vietnamese names of the statuses, for messages and pages ("missing" = nothing saved yet).
STATUS_LABELS = {
    "missing": "chưa nộp",
    "draft": "nháp",
    "submitted": "đã nộp",
    "returned": "bị trả lại",
    "accepted": "đã chấp nhận",
}



class SubmissionNotFound(NotFound):
    code = StoreCode.SUBMISSION_NOT_FOUND


class RevisionNotFound(NotFound):
    code = StoreCode.REVISION_NOT_FOUND


class StoredFileNotFound(NotFound):
    code = StoreCode.STORED_FILE_NOT_FOUND


class SubmissionRow(TypedDict):
    """A `submissions` row: the current state of one unit's report in one round."""

    id: int
    round_id: int
    unit_code: str
    status: str  # one of SUBMISSION_STATUSES
    latest_revision: int
    submitted_at: str | None
    updated_at: str


class RevisionMeta(TypedDict):
    """A revision without its values (`list_revisions`, `find_revision_by_file`): the
    `revisions` columns, its submission's round and unit, `warnings` decoded from JSON."""

    id: int
    round_id: int
    unit_code: str
    number: int
    status: str  # one of REVISION_STATUSES
    channel: str  # one of CHANNELS
    actor: str
    created_at: str
    file_sha256: str | None
    file_name: str | None
    comment: str | None
    on_behalf: int  # 1: the coordinator entered it for the unit (nhập hộ)
    warnings: list[Any]


class Revision(RevisionMeta):
    """A revision with its decoded `values` (`get_revision`, `save_revision`)."""

    values: dict[str, Any]


class CommentRow(TypedDict):
    """A coordinator's comment on a submission (`comments_for`)."""

    id: int
    revision_number: int
    item_key: str | None  # None: about the whole report
    text: str
    author: str
    created_at: str


class ExpectedRound(TypedDict):
    """What a write needs of its round (`expected_round`)."""

    id: int
    status: str
    deadline: str


_REVISION_META = (
    "r.id, s.round_id, s.unit_code, r.number, r.status, r.channel, r.actor, r.created_at,"
    " r.file_sha256, r.file_name, r.warnings_json, r.comment, r.on_behalf"
)


# --- reading --------------------------------------------------------------------------------


def _meta(row: dict[str, Any]) -> RevisionMeta:
    """A selected `_REVISION_META` row with `warnings_json` decoded into `warnings`."""
    warnings_json = row.pop("warnings_json", None)
    row["warnings"] = json.loads(warnings_json) if warnings_json else []
    return cast(RevisionMeta, row)


def get_submission(db: Database, round_id: int, unit_code: str) -> SubmissionRow | None:
    """The current state of a unit's submission, or None if it has saved nothing yet (a normal
    state, shown as "missing")."""
    rows = select(
        db,
        "SELECT id, round_id, unit_code, status, latest_revision, submitted_at, updated_at"
        " FROM submissions WHERE round_id = ? AND unit_code = ?",
        (round_id, clean_text(unit_code)),
    )
    return cast(SubmissionRow, rows[0]) if rows else None


def get_revision(
    db: Database, round_id: int, unit_code: str, number: int | None = None
) -> Revision | None:
    """One revision with its decoded `values` and `warnings`: the latest when `number` is None
    (None if nothing saved yet), else that number (RevisionNotFound if absent)."""
    code = clean_text(unit_code)
    sql = (
        f"SELECT {_REVISION_META}, r.values_json FROM revisions r"
        " JOIN submissions s ON s.id = r.submission_id"
        " WHERE s.round_id = ? AND s.unit_code = ?"
    )
    if number is None:
        rows = list(db.query(sql + " ORDER BY r.number DESC LIMIT 1", (round_id, code)))
        if not rows:
            return None
    else:
        rows = list(db.query(sql + " AND r.number = ?", (round_id, code, number)))
        if not rows:
            raise RevisionNotFound(
                f"Báo cáo của đơn vị '{code}' trong đợt số {round_id} không có lần lưu "
                f"thứ {number}."
            )
    values = decode_values(rows[0].pop("values_json"))
    return {**_meta(rows[0]), "values": values}


def list_revisions(db: Database, round_id: int, unit_code: str) -> list[RevisionMeta]:
    """The history of a unit's submission, oldest first, without values (use get_revision)."""
    return [
        _meta(row)
        for row in db.query(
            f"SELECT {_REVISION_META} FROM revisions r JOIN submissions s ON s.id = r.submission_id"
            " WHERE s.round_id = ? AND s.unit_code = ? ORDER BY r.number",
            (round_id, clean_text(unit_code)),
        )
    ]


def find_revision_by_file(
    db: Database, round_id: int, unit_code: str, sha256: str
) -> RevisionMeta | None:
    """The latest revision of this submission made from a file with this hash, or None: lets an
    upload of the same bytes be answered "already received as revision N" with nothing stored."""
    rows = select(
        db,
        f"SELECT {_REVISION_META} FROM revisions r JOIN submissions s ON s.id = r.submission_id"
        " WHERE s.round_id = ? AND s.unit_code = ? AND r.file_sha256 = ?"
        " ORDER BY r.number DESC LIMIT 1",
        (round_id, clean_text(unit_code), sha256.lower()),
    )
    return _meta(rows[0]) if rows else None


def comments_for(db: Database, round_id: int, unit_code: str) -> list[CommentRow]:
    """The coordinator's comments on a submission, oldest first; `item_key` None means a comment
    on the whole report, and `revision_number` is the revision it was written about."""
    return cast(list[CommentRow], list(
        db.query(
            "SELECT c.id, c.revision_number, c.item_key, c.text, c.author, c.created_at"
            " FROM comments c JOIN submissions s ON s.id = c.submission_id"
            " WHERE s.round_id = ? AND s.unit_code = ? ORDER BY c.id",
            (round_id, clean_text(unit_code)),
        )
    ))


def get_file(db: Database, sha256: str) -> bytes:
    """The original bytes of an uploaded file; raises StoredFileNotFound."""
    row = db.conn.execute("SELECT content FROM files WHERE sha256 = ?", [sha256.lower()]).fetchone()
    if row is None:
        raise StoredFileNotFound(f"Không có tệp đã lưu với mã băm {sha256}.")
    return bytes(row[0])


# --- writing --------------------------------------------------------------------------------


def actor_name(actor: str) -> str:
    """Every change names who made it (the audit log is useless otherwise)."""
    name = clean_text(actor)
    if name is None:
        raise StoreError("Thiếu người thực hiện thao tác.")
    return name


def expected_round(db: Database, round_id: int, code: str | None) -> ExpectedRound:
    """The round, after checking it exists and expects this unit."""
    rows = select(db, "SELECT id, status, deadline FROM rounds WHERE id = ?", [round_id])
    if not rows:
        raise RoundNotFound(f"Không có đợt báo cáo số {round_id}.")
    expected = db.conn.execute(
        "SELECT 1 FROM round_units WHERE round_id = ? AND unit_code = ?", (round_id, code)
    ).fetchone()
    if not expected:
        raise NotFound(f"Đơn vị '{code}' không thuộc đợt báo cáo số {round_id}.")
    return cast(ExpectedRound, rows[0])


def save_revision(
    db: Database,
    *,
    round_id: int,
    unit_code: str,
    values: Mapping[str, Any],
    status: str,
    channel: str,
    actor: str,
    warnings: list[Any] | None = None,
    file_name: str | None = None,
    file_bytes: bytes | None = None,
    comment: str | None = None,
    now: datetime | None = None,
    on_behalf: bool = False,
) -> Revision:
    """Append a revision (status "draft" or "submitted") and return it, with its `number`.
    `on_behalf`: the coordinator (`actor`) entered it for the unit (nhập hộ).

    One transaction: the file (kept once per hash), the revision, the submission's new state and
    the audit event are all written, or nothing is. Refused (Conflict) when the round is closed,
    when the report is accepted (final), and when saving a draft over a submitted report (the
    unit recalls it first, so the coordinator never consolidates a half-edited report).
    """
    code = clean_text(unit_code)
    if status not in REVISION_STATUSES:
        raise StoreError(
            f"Trạng thái khi lưu phải là 'draft' (nháp) hoặc 'submitted' (nộp), không phải "
            f"'{status}'."
        )
    if channel not in CHANNELS:
        raise StoreError(
            f"Kênh nộp phải là 'web', 'excel' hoặc 'import', không phải '{channel}'."
        )
    actor = actor_name(actor)
    values_json = encode_values(values)
    warnings_json = (
        None if warnings is None
        else json.dumps(list(warnings), ensure_ascii=False, default=str)
    )
    stamp = utc_iso(now)
    sha = sha256_hex(file_bytes) if file_bytes is not None else None
    stored_name = clean_file_name(file_name) if file_name else None
    with transaction(db):
        round_row = expected_round(db, round_id, code)
        if round_row["status"] != "open":
            raise Conflict(f"Đợt báo cáo số {round_id} đã đóng, không nhận thêm báo cáo.")
        current = get_submission(db, round_id, code or "")
        if current is not None:
            if current["status"] == "accepted":
                raise Conflict(
                    f"Báo cáo của đơn vị '{code}' đã được chấp nhận, không thể sửa hay nộp lại."
                )
            if current["status"] == "submitted" and status == "draft":
                raise Conflict(
                    f"Báo cáo của đơn vị '{code}' đã nộp; hãy rút lại báo cáo trước khi lưu nháp."
                )
        if sha is not None:
            db.conn.execute(
                "INSERT OR IGNORE INTO files (sha256, name, size, content, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (sha, stored_name, len(file_bytes or b""), file_bytes, stamp),
            )
        submitted_at = stamp if status == "submitted" else None
        if current is None:
            number = 1
            cursor = db.conn.execute(
                "INSERT INTO submissions (round_id, unit_code, status, latest_revision,"
                " submitted_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
                (round_id, code, status, submitted_at, stamp),
            )
            submission_id = int(cursor.lastrowid or 0)
        else:
            number = current["latest_revision"] + 1
            submission_id = current["id"]
            db.conn.execute(
                "UPDATE submissions SET status = ?, latest_revision = ?,"
                " submitted_at = COALESCE(?, submitted_at), updated_at = ? WHERE id = ?",
                (status, number, submitted_at, stamp, submission_id),
            )
        cursor = db.conn.execute(
            "INSERT INTO revisions (submission_id, number, values_json, status, channel, actor,"
            " created_at, file_sha256, file_name, warnings_json, comment, on_behalf)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                submission_id, number, values_json, status, channel, actor, stamp, sha,
                stored_name, warnings_json, clean_text(comment), int(on_behalf),
            ),
        )
        revision_id = int(cursor.lastrowid or 0)
        record_event(
            db, actor, "submission.submit" if status == "submitted" else "submission.draft",
            round_id=round_id, unit_code=code,
            detail={"revision": number, "channel": channel, "file_sha256": sha,
                    **({"on_behalf": True} if on_behalf else {})},
            now=now,
        )
    return {
        "id": revision_id,
        "round_id": round_id,
        "unit_code": code or "",  # expected_round refused a missing code
        "number": number,
        "status": status,
        "channel": channel,
        "actor": actor,
        "created_at": stamp,
        "file_sha256": sha,
        "file_name": stored_name,
        "comment": clean_text(comment),
        "on_behalf": int(on_behalf),
        "warnings": json.loads(warnings_json) if warnings_json else [],
        "values": decode_values(values_json),
    }


def on_behalf_units(db: Database, round_id: int) -> set[str]:
    """Units of the round whose latest revision the coordinator entered for them (nhập hộ):
    one indexed join, for the round board."""
    return {row[0] for row in db.conn.execute(
        "SELECT s.unit_code FROM submissions s JOIN revisions r"
        " ON r.submission_id = s.id AND r.number = s.latest_revision"
        " WHERE s.round_id = ? AND r.on_behalf = 1", [round_id])}

