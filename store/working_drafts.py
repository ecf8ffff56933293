"""Working drafts: what a unit is typing between two revisions, and the guard against lost
updates.

Why a separate table. Revisions are the report's history: append-only, numbered, audited.
Autosave fires a second or two after every change, so writing each one as a revision would
bury the few saves a person chose to make under thousands of keystroke snapshots. Instead each
round × unit has at most one *working draft* row, overwritten by every autosave. It holds the
form's raw text exactly as typed (an unreadable "mười" included), the revision number it was
started from (`base_revision`) and its own `version`, bumped on every write. An explicit
"Lưu nháp" or "Nộp báo cáo" from the web form is a revision (store.intake) and, in the same
transaction, deletes the working draft: its content is now in the history.

Why a version and a base. Every save names the state it was made on: the latest revision
number and the working-draft version the page had loaded (`ReportState.token`). If either has
moved (another tab or another account of the unit saved, an Excel upload arrived, the report
was submitted, returned or recalled) the save is refused with `StaleReport`, carrying the
current state, so the web layer shows the user what differs instead of applying the save
blindly. The check and the write run in one `BEGIN IMMEDIATE` transaction, so two saves racing
with the same token cannot both pass.

A working draft left behind by another channel (an Excel upload made a newer revision) is
kept, not deleted: `base_revision` then lags `latest_revision` and the fill page shows both
for the unit to choose. The next accepted save replaces it.

Unreadable values of an explicit draft. A draft revision stores the readable values; what the
engine could not read is kept as typed in `revision_rejects`, one append-only row per revision
that had any, so the next visit shows it back in its field with the engine's message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from store.db import clean_text, select, transaction, utc_iso
from store.errors import Conflict, StoreCode, StoreError
from store.values import decode_values, encode_values

#: Submission statuses in which the unit may still change its report (None: nothing saved).
EDITABLE_STATUSES = (None, "draft", "returned")


@dataclass(frozen=True)
class WorkingDraft:
    round_id: int
    unit_code: str
    base_revision: int  # the latest revision number when this draft was started (0: none)
    version: int  # bumped by every write, never reused for this round × unit
    raw: dict[str, Any]  # the form's raw values as typed (item key → text, table → rows)
    actor: str
    updated_at: str  # UTC ISO


@dataclass(frozen=True)
class ReportState:
    """What a save is checked against: the latest revision, the status and the working draft."""

    round_id: int
    unit_code: str
    latest_revision: int  # 0 when nothing has been saved
    status: str | None  # None when nothing has been saved
    round_open: bool
    draft: WorkingDraft | None

    @property
    def token(self) -> tuple[int, int]:
        """(latest revision, working-draft version): what a page must send back to save."""
        return self.latest_revision, self.draft.version if self.draft else 0

    @property
    def editable(self) -> bool:
        return self.round_open and self.status in EDITABLE_STATUSES

    @property
    def draft_is_current(self) -> bool:
        """The working draft was started from the latest revision (not overtaken since)."""
        return self.draft is not None and self.draft.base_revision == self.latest_revision


class StaleReport(Conflict):
    """The report changed since the page was opened; nothing was saved."""

    code = StoreCode.STALE_REPORT

    def __init__(self, state: ReportState) -> None:
        super().__init__()
        self.state = state


class ReportLocked(Conflict):
    """Submitted, accepted or in a closed round: the message says which."""

    code = StoreCode.REPORT_LOCKED

    def __init__(self, state: ReportState) -> None:
        if not state.round_open:
            text = "Đợt báo cáo đã đóng, không nhận thêm thay đổi."
        elif state.status == "accepted":
            text = "Báo cáo đã được chấp nhận, không thể sửa."
        else:
            text = ("Báo cáo đã được nộp (có thể từ thẻ khác hoặc tài khoản khác của đơn vị); "
                    "muốn sửa, hãy rút lại báo cáo trước.")
        super().__init__(text)
        self.state = state


def _draft(row: dict[str, Any]) -> WorkingDraft:
    return WorkingDraft(
        round_id=row["round_id"], unit_code=row["unit_code"],
        base_revision=row["base_revision"], version=row["version"],
        raw=decode_values(row["raw_json"]), actor=row["actor"], updated_at=row["updated_at"])


def report_state(db: Database, round_id: int, unit_code: str) -> ReportState:
    """The current state of a unit's report in a round (two small reads)."""
    code = clean_text(unit_code) or ""
    rows = select(
        db,
        "SELECT r.status AS round_status, s.status, s.latest_revision FROM rounds r"
        " LEFT JOIN submissions s ON s.round_id = r.id AND s.unit_code = ? WHERE r.id = ?",
        (code, round_id))
    if not rows:
        raise StoreError(f"Không có đợt báo cáo số {round_id}.")
    drafts = select(
        db,
        "SELECT round_id, unit_code, base_revision, version, raw_json, actor, updated_at"
        " FROM working_drafts WHERE round_id = ? AND unit_code = ?", (round_id, code))
    row = rows[0]
    return ReportState(
        round_id=round_id, unit_code=code, latest_revision=row["latest_revision"] or 0,
        status=row["status"], round_open=row["round_status"] == "open",
        draft=_draft(drafts[0]) if drafts else None)


def check_token(db: Database, round_id: int, unit_code: str,
                token: tuple[int, int]) -> ReportState:
    """The current state if `token` (latest revision, draft version) is still current and the
    report editable; else ReportLocked or StaleReport. Call it inside the transaction that
    writes, so nothing can change between the check and the write."""
    state = report_state(db, round_id, unit_code)
    if not state.editable:
        raise ReportLocked(state)
    if tuple(token) != state.token:
        raise StaleReport(state)
    return state


def save_working_draft(
    db: Database,
    *,
    round_id: int,
    unit_code: str,
    raw: Mapping[str, Any],
    token: tuple[int, int],
    actor: str,
    now: datetime | None = None,
) -> WorkingDraft:
    """Overwrite the unit's working draft with `raw` if `token` is current; return it with its
    new version. Writes no revision and no audit event: it is typing, not a decision."""
    name = clean_text(actor)
    if name is None:
        raise StoreError("Thiếu người thực hiện thao tác.")
    raw_json = encode_values(raw)
    stamp = utc_iso(now)
    code = clean_text(unit_code) or ""
    with transaction(db):
        state = check_token(db, round_id, code, token)
        version = (state.draft.version if state.draft else 0) + 1
        db.conn.execute(
            "INSERT INTO working_drafts (round_id, unit_code, base_revision, version, raw_json,"
            " actor, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (round_id, unit_code) DO UPDATE SET"
            " base_revision = excluded.base_revision, version = excluded.version,"
            " raw_json = excluded.raw_json, actor = excluded.actor,"
            " updated_at = excluded.updated_at",
            (round_id, code, state.latest_revision, version, raw_json, name, stamp))
    return WorkingDraft(round_id, code, state.latest_revision, version, decode_values(raw_json),
                        name, stamp)


def discard_working_draft(db: Database, round_id: int, unit_code: str) -> None:
    """Delete the working draft (its content just became a revision)."""
    with transaction(db):
        db.conn.execute("DELETE FROM working_drafts WHERE round_id = ? AND unit_code = ?",
                        (round_id, clean_text(unit_code)))


def record_rejects(db: Database, revision_id: int, rejected: Mapping[str, Any]) -> None:
    """Keep the unreadable input of a draft revision as typed (item key → raw value)."""
    if not rejected:
        return
    with transaction(db):
        db.conn.execute("INSERT INTO revision_rejects (revision_id, rejected_json) VALUES (?, ?)",
                        (revision_id, encode_values(rejected)))


def revision_rejects(db: Database, revision_id: int) -> dict[str, Any]:
    """What `record_rejects` kept for a revision ({} when everything was readable)."""
    rows = select(db, "SELECT rejected_json FROM revision_rejects WHERE revision_id = ?",
                  (revision_id,))
    return json.loads(rows[0]["rejected_json"]) if rows else {}
