"""Submissions (báo cáo): one unit's values for one round, kept as an append-only history.

Every save is a new numbered revision; nothing is overwritten (triggers refuse UPDATE and DELETE
on revisions, comments and events). The `submissions` row is the current state: status, the
latest revision number and when the unit last submitted. Uploaded files are kept once per
SHA-256, so re-uploading the same bytes costs nothing.

Status flow. A unit's save_revision: (none)/draft/returned → draft or submitted; submitted →
submitted (a corrected re-submission). The coordinator's set_status, which never creates a
revision: submitted → returned (with a reason) or accepted (final). A unit's recall: submitted →
draft. Everything else is refused with Conflict.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from store.audit import record_event
from store.db import clean_text, parse_iso, select, transaction, utc_iso
from store.errors import (
    Conflict,
    NotFound,
    RevisionNotFound,
    RoundNotFound,
    StoredFileNotFound,
    StoreError,
    SubmissionNotFound,
)

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
# Coordinator actions: target status → (action name, what the Vietnamese message calls it).
_ACTIONS = {"returned": ("return", "trả lại"), "accepted": ("accept", "chấp nhận"),
            "draft": ("recall", "rút lại")}

_DATE_TAG = "__decuong_date__"
_DATETIME_TAG = "__decuong_datetime__"
_REVISION_META = (
    "r.id, s.round_id, s.unit_code, r.number, r.status, r.channel, r.actor, r.created_at,"
    " r.file_sha256, r.file_name, r.warnings_json, r.comment"
)


# --- values as JSON ------------------------------------------------------------------------


def _check_value(value: Any, where: str) -> Any:
    """Refuse what JSON would silently change (non-text keys, NaN, unknown types) so that
    get_revision returns exactly what save_revision was given. Tuples become lists."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise StoreError(f"Giá trị của mục '{where}' không phải số hữu hạn ({value}).")
        return value
    if isinstance(value, datetime):
        return {_DATETIME_TAG: value.isoformat()}
    if isinstance(value, date):
        return {_DATE_TAG: value.isoformat()}
    if isinstance(value, list | tuple):
        return [_check_value(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise StoreError(f"Khóa '{key}' trong mục '{where}' phải là chuỗi ký tự.")
            out[key] = _check_value(item, f"{where}.{key}")
        return out
    raise StoreError(
        f"Giá trị của mục '{where}' có kiểu {type(value).__name__}, không lưu được."
    )


def encode_values(values: Mapping[str, Any]) -> str:
    """The JSON text stored for a values dict (item key → value)."""
    if not isinstance(values, Mapping):
        raise StoreError("Số liệu báo cáo phải là bảng ánh xạ mã mục → giá trị (dict).")
    checked = {}
    for key, value in values.items():
        if not isinstance(key, str):
            raise StoreError(f"Mã mục '{key}' phải là chuỗi ký tự.")
        checked[key] = _check_value(value, key)
    return json.dumps(checked, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _revive(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if _DATE_TAG in obj:
            return date.fromisoformat(obj[_DATE_TAG])
        if _DATETIME_TAG in obj:
            return datetime.fromisoformat(obj[_DATETIME_TAG])
    return obj


def decode_values(text: str) -> dict[str, Any]:
    """Inverse of encode_values; the date hook only runs when the text holds a date, keeping
    the common case (numbers and text) at plain json.loads speed."""
    if "__decuong_" in text:
        return json.loads(text, object_hook=_revive)
    return json.loads(text)


def sha256_hex(data: bytes) -> str:
    """The hash files are kept under."""
    return hashlib.sha256(data).hexdigest()


# --- reading --------------------------------------------------------------------------------


def _meta(row: dict[str, Any]) -> dict[str, Any]:
    warnings_json = row.pop("warnings_json", None)
    row["warnings"] = json.loads(warnings_json) if warnings_json else []
    return row


def get_submission(db: Database, round_id: int, unit_code: str) -> dict[str, Any] | None:
    """The current state of a unit's submission, or None if it has saved nothing yet (a normal
    state, shown as "missing")."""
    rows = select(
        db,
        "SELECT id, round_id, unit_code, status, latest_revision, submitted_at, updated_at"
        " FROM submissions WHERE round_id = ? AND unit_code = ?",
        (round_id, clean_text(unit_code)),
    )
    return rows[0] if rows else None


def get_revision(
    db: Database, round_id: int, unit_code: str, number: int | None = None
) -> dict[str, Any] | None:
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
    row = _meta(rows[0])
    row["values"] = decode_values(row.pop("values_json"))
    return row


def list_revisions(db: Database, round_id: int, unit_code: str) -> list[dict[str, Any]]:
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
) -> dict[str, Any] | None:
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


def comments_for(db: Database, round_id: int, unit_code: str) -> list[dict[str, Any]]:
    """The coordinator's comments on a submission, oldest first; `item_key` None means a comment
    on the whole report, and `revision_number` is the revision it was written about."""
    return list(
        db.query(
            "SELECT c.id, c.revision_number, c.item_key, c.text, c.author, c.created_at"
            " FROM comments c JOIN submissions s ON s.id = c.submission_id"
            " WHERE s.round_id = ? AND s.unit_code = ? ORDER BY c.id",
            (round_id, clean_text(unit_code)),
        )
    )


def get_file(db: Database, sha256: str) -> bytes:
    """The original bytes of an uploaded file; raises StoredFileNotFound."""
    row = db.conn.execute("SELECT content FROM files WHERE sha256 = ?", [sha256.lower()]).fetchone()
    if row is None:
        raise StoredFileNotFound(f"Không có tệp đã lưu với mã băm {sha256}.")
    return bytes(row[0])


# --- writing --------------------------------------------------------------------------------


def _actor(actor: str) -> str:
    """Every change names who made it (the audit log is useless otherwise)."""
    name = clean_text(actor)
    if name is None:
        raise StoreError("Thiếu người thực hiện thao tác.")
    return name


def _expected(db: Database, round_id: int, code: str | None) -> dict[str, Any]:
    """The round, after checking it exists and expects this unit."""
    rows = select(db, "SELECT id, status, deadline FROM rounds WHERE id = ?", [round_id])
    if not rows:
        raise RoundNotFound(f"Không có đợt báo cáo số {round_id}.")
    expected = db.conn.execute(
        "SELECT 1 FROM round_units WHERE round_id = ? AND unit_code = ?", (round_id, code)
    ).fetchone()
    if not expected:
        raise NotFound(f"Đơn vị '{code}' không thuộc đợt báo cáo số {round_id}.")
    return rows[0]


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
) -> dict[str, Any]:
    """Append a revision (status "draft" or "submitted") and return it, with its `number`.

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
    actor = _actor(actor)
    values_json = encode_values(values)
    warnings_json = (
        None if warnings is None
        else json.dumps(list(warnings), ensure_ascii=False, default=str)
    )
    stamp = utc_iso(now)
    sha = sha256_hex(file_bytes) if file_bytes is not None else None
    with transaction(db):
        round_row = _expected(db, round_id, code)
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
                (sha, clean_text(file_name), len(file_bytes or b""), file_bytes, stamp),
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
            " created_at, file_sha256, file_name, warnings_json, comment)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                submission_id, number, values_json, status, channel, actor, stamp, sha,
                clean_text(file_name), warnings_json, clean_text(comment),
            ),
        )
        revision_id = int(cursor.lastrowid or 0)
        record_event(
            db, actor, "submission.submit" if status == "submitted" else "submission.draft",
            round_id=round_id, unit_code=code,
            detail={"revision": number, "channel": channel, "file_sha256": sha},
            now=now,
        )
    return {
        "id": revision_id,
        "round_id": round_id,
        "unit_code": code,
        "number": number,
        "status": status,
        "channel": channel,
        "actor": actor,
        "created_at": stamp,
        "file_sha256": sha,
        "file_name": clean_text(file_name),
        "comment": clean_text(comment),
        "warnings": json.loads(warnings_json) if warnings_json else [],
        "values": decode_values(values_json),
    }


def set_status(
    db: Database,
    round_id: int,
    unit_code: str,
    status: str,
    actor: str,
    comment: str | None = None,
    item_comments: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Return ("returned"), accept ("accepted") or recall ("draft") a submitted report; return
    the submission's new state.

    Only a report in status "submitted" can move, so a coordinator cannot accept a draft and a
    unit cannot recall an accepted report. Returning needs a reason (`comment` and/or
    `item_comments`, item key → text); comments are stored against the current revision. No
    revision is created: the values did not change.
    """
    if status not in _ACTIONS:
        raise StoreError(
            f"Trạng thái '{status}' không hợp lệ; chỉ được 'returned' (trả lại), "
            "'accepted' (chấp nhận) hoặc 'draft' (rút lại)."
        )
    action, verb = _ACTIONS[status]
    actor = _actor(actor)
    code = clean_text(unit_code)
    general = clean_text(comment)
    per_item = {
        key: text
        for key, text in ((clean_text(k), clean_text(v)) for k, v in (item_comments or {}).items())
        if key and text
    }
    if status == "returned" and general is None and not per_item:
        raise StoreError("Cần ghi lý do khi trả lại báo cáo để đơn vị biết cần sửa gì.")
    stamp = utc_iso(now)
    with transaction(db):
        round_row = _expected(db, round_id, code)
        current = get_submission(db, round_id, code or "")
        if current is None:
            raise SubmissionNotFound(f"Đơn vị '{code}' chưa có báo cáo trong đợt số {round_id}.")
        if current["status"] != "submitted":
            raise Conflict(
                f"Chỉ {verb} được báo cáo đã nộp; báo cáo của đơn vị '{code}' đang ở trạng thái "
                f"{STATUS_LABELS[current['status']]}."
            )
        if status == "draft" and round_row["status"] != "open":
            raise Conflict(f"Đợt báo cáo số {round_id} đã đóng, không thể rút lại báo cáo.")
        db.conn.execute(
            "UPDATE submissions SET status = ?, updated_at = ? WHERE id = ?",
            (status, stamp, current["id"]),
        )
        rows = [(None, general)] if general else []
        rows += sorted(per_item.items())
        db.conn.executemany(
            "INSERT INTO comments (submission_id, revision_number, item_key, text, author,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [(current["id"], current["latest_revision"], key, text, actor, stamp)
             for key, text in rows],
        )
        record_event(
            db, actor, f"submission.{action}", round_id=round_id, unit_code=code,
            detail={"revision": current["latest_revision"], "comment": general,
                    "items": sorted(per_item)},
            now=now,
        )
    result = get_submission(db, round_id, code or "")
    assert result is not None
    return result


# --- consolidation and monitoring -----------------------------------------------------------


def latest_values(
    db: Database, round_id: int, statuses: Iterable[str] = ("submitted", "accepted")
) -> list[dict[str, Any]]:
    """What the coordinator consolidates: one row per unit, in code order, with `unit_code`,
    `name`, `kind`, `status`, `submitted_at`, `revision` and decoded `values`.

    Choice: a unit is included when its submission's *current* status is in `statuses`, and the
    values are those of its latest revision saved as "submitted". A report recalled to draft or
    returned therefore drops out of the default consolidation (the unit or coordinator said it
    is not final) — pass `statuses=("submitted", "accepted", "returned")` to include returned
    ones; a unit that never submitted has no row whatever `statuses` says. One SQL query.
    """
    wanted = json.dumps([statuses] if isinstance(statuses, str) else list(statuses))
    cursor = db.conn.execute(
        "SELECT s.unit_code, u.name, u.kind, s.status, s.submitted_at, r.number, r.values_json"
        " FROM submissions s"
        " JOIN units u ON u.code = s.unit_code"
        " JOIN revisions r ON r.submission_id = s.id AND r.number = ("
        "   SELECT MAX(r2.number) FROM revisions r2"
        "   WHERE r2.submission_id = s.id AND r2.status = 'submitted')"
        " WHERE s.round_id = ? AND s.status IN (SELECT value FROM json_each(?))"
        " ORDER BY s.unit_code",
        (round_id, wanted),
    )
    return [
        {
            "unit_code": unit, "name": name, "kind": kind, "status": status,
            "submitted_at": submitted_at, "revision": number, "values": decode_values(text),
        }
        for unit, name, kind, status, submitted_at, number, text in cursor
    ]


def round_status(db: Database, round_id: int) -> dict[str, Any]:
    """Who has sent what in a round: every expected unit, in code order.

    `status` is "missing" when the unit saved nothing; `submitted_at` is its latest submission
    (kept after a recall, as history); `late` is true when that submission arrived after the
    deadline and the report has not been recalled to draft. Missing is its own status, never
    late; round_summary counts overdue units.
    """
    rows = list(db.query("SELECT deadline FROM rounds WHERE id = ?", [round_id]))
    if not rows:
        raise RoundNotFound(f"Không có đợt báo cáo số {round_id}.")
    deadline_text = rows[0]["deadline"]
    deadline = parse_iso(deadline_text)
    assert deadline is not None
    units = []
    for code, name, kind, status, submitted_at, revision in db.conn.execute(
        "SELECT u.code, u.name, u.kind, s.status, s.submitted_at, s.latest_revision"
        " FROM round_units ru JOIN units u ON u.code = ru.unit_code"
        " LEFT JOIN submissions s ON s.round_id = ru.round_id AND s.unit_code = ru.unit_code"
        " WHERE ru.round_id = ? ORDER BY u.code",
        [round_id],
    ):
        arrived = parse_iso(submitted_at)
        units.append({
            "unit": code,
            "name": name,
            "kind": kind,
            "status": status or "missing",
            "submitted_at": submitted_at,
            "late": bool(arrived and status != "draft" and arrived > deadline),
            "revision": revision,
        })
    return {"round": round_id, "deadline": deadline_text, "units": units}


def round_summary(db: Database, round_id: int, now: datetime | None = None,
                  status: dict[str, Any] | None = None) -> dict[str, Any]:
    """Completeness and timeliness counts for a round.

    expected = missing + draft + returned + submitted; `submitted` includes accepted and splits
    into on_time + late. `overdue` counts units without a submitted or accepted report once the
    deadline has passed (`now`, default the current time), 0 before it. `status` is the round's
    `round_status` when the caller already has it (a page showing both reads it once).
    """
    status = status if status is not None else round_status(db, round_id)
    moment = parse_iso(utc_iso(now))
    deadline = parse_iso(status["deadline"])
    assert moment is not None and deadline is not None
    passed = moment > deadline
    counts = dict.fromkeys(
        ("expected", "submitted", "on_time", "late", "missing", "draft", "returned", "accepted",
         "overdue"), 0,
    )
    for unit in status["units"]:
        counts["expected"] += 1
        if unit["status"] in ("submitted", "accepted"):
            counts["submitted"] += 1
            counts["late" if unit["late"] else "on_time"] += 1
            if unit["status"] == "accepted":
                counts["accepted"] += 1
        else:
            counts[unit["status"]] += 1
            if passed:
                counts["overdue"] += 1
    return {"round": round_id, "deadline": status["deadline"], "deadline_passed": passed,
            **counts}
