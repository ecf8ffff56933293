"""The coordinator's moves on a report, and the unit's recall: status changes that never create
a revision (the values did not change), each audited and each with its comments kept.

Transitions (anything else is refused with Conflict):

- submitted → returned  ("return", needs a reason: a general comment and/or item comments)
- submitted → accepted  ("accept"; the web layer asks the coordinator to confirm first)
- submitted → draft     ("recall", the unit's own move while the round is open)
- accepted  → returned  ("reopen", needs a reason; only through `reopen`, so a stale "return"
  form can never undo an acceptance by accident; the round must be open, or the unit could
  not correct anything)

A returned report is edited and resubmitted by the unit as usual (store/submissions.py); the
reason of a return or a reopening is stored as a comment on the current revision, which is
how the unit is shown it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from store.audit import record_event
from store.db import clean_text, transaction, utc_iso
from store.errors import Conflict, StoreError
from store.submissions import (
    STATUS_LABELS,
    SubmissionNotFound,
    SubmissionRow,
    actor_name,
    expected_round,
    get_submission,
)


@dataclass(frozen=True, slots=True)
class _Move:
    """One allowed transition: its audit action, the Vietnamese verb for messages, the status
    it starts from and goes to, whether it needs a reason and an open round."""

    action: str
    verb: str
    source: str
    target: str
    needs_reason: bool = False
    needs_open_round: bool = False
    closed_hint: str = ""


_RETURN = _Move("return", "trả lại", "submitted", "returned", needs_reason=True)
_ACCEPT = _Move("accept", "chấp nhận", "submitted", "accepted")
_RECALL = _Move("recall", "rút lại", "submitted", "draft", needs_open_round=True)
_REOPEN = _Move("reopen", "mở lại", "accepted", "returned", needs_reason=True,
                needs_open_round=True, closed_hint="; hãy mở lại đợt trước")
#: set_status's target status → the move it makes (reopening has its own function).
_BY_TARGET = {move.target: move for move in (_RETURN, _ACCEPT, _RECALL)}


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
) -> SubmissionRow:
    """Return ("returned"), accept ("accepted") or recall ("draft") a submitted report; return
    the submission's new state.

    Only a report in status "submitted" can move, so a coordinator cannot accept a draft and a
    unit cannot recall an accepted report. Returning needs a reason (`comment` and/or
    `item_comments`, item key → text); comments are stored against the current revision.
    """
    move = _BY_TARGET.get(status)
    if move is None:
        raise StoreError(
            f"Trạng thái '{status}' không hợp lệ; chỉ được 'returned' (trả lại), "
            "'accepted' (chấp nhận) hoặc 'draft' (rút lại)."
        )
    return _apply(db, move, round_id, unit_code, actor, comment, item_comments, now)


def reopen(
    db: Database,
    round_id: int,
    unit_code: str,
    actor: str,
    reason: str | None,
    item_comments: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> SubmissionRow:
    """Mở lại: undo an acceptance. The accepted report goes back to the unit as returned, with
    `reason` shown to it like a return comment; the unit edits and resubmits it. Returns the
    submission's new state."""
    return _apply(db, _REOPEN, round_id, unit_code, actor, reason, item_comments, now)


def _apply(db: Database, move: _Move, round_id: int, unit_code: str, actor: str,
           comment: str | None, item_comments: Mapping[str, str] | None,
           now: datetime | None) -> SubmissionRow:
    actor = actor_name(actor)
    code = clean_text(unit_code)
    general = clean_text(comment)
    per_item = {
        key: text
        for key, text in ((clean_text(k), clean_text(v)) for k, v in (item_comments or {}).items())
        if key and text
    }
    if move.needs_reason and general is None and not per_item:
        raise StoreError(
            f"Cần ghi lý do khi {move.verb} báo cáo để đơn vị biết cần sửa gì."
        )
    stamp = utc_iso(now)
    with transaction(db):
        round_row = expected_round(db, round_id, code)
        current = get_submission(db, round_id, code or "")
        if current is None:
            raise SubmissionNotFound(f"Đơn vị '{code}' chưa có báo cáo trong đợt số {round_id}.")
        if current["status"] != move.source:
            wanted = "đã nộp" if move.source == "submitted" else STATUS_LABELS[move.source]
            raise Conflict(
                f"Chỉ {move.verb} được báo cáo {wanted}; báo cáo của đơn vị '{code}' đang ở "
                f"trạng thái {STATUS_LABELS[current['status']]}."
            )
        if move.needs_open_round and round_row["status"] != "open":
            raise Conflict(
                f"Đợt báo cáo số {round_id} đã đóng, không thể {move.verb} báo cáo"
                f"{move.closed_hint}."
            )
        db.conn.execute(
            "UPDATE submissions SET status = ?, updated_at = ? WHERE id = ?",
            (move.target, stamp, current["id"]),
        )
        rows: list[tuple[str | None, str]] = [(None, general)] if general else []
        rows += sorted(per_item.items())
        db.conn.executemany(
            "INSERT INTO comments (submission_id, revision_number, item_key, text, author,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [(current["id"], current["latest_revision"], key, text, actor, stamp)
             for key, text in rows],
        )
        record_event(
            db, actor, f"submission.{move.action}", round_id=round_id, unit_code=code,
            detail={"revision": current["latest_revision"], "comment": general,
                    "items": sorted(per_item), "from": move.source, "to": move.target},
            now=now,
        )
    result = get_submission(db, round_id, code or "")
    assert result is not None
    return result
