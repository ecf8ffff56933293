"""Remind every unit of a round that has not submitted: compose, send, record.

Shared by `decuong remind` and the round board's «Gửi nhắc nhở». Units whose report is
submitted or accepted get nothing; units without an address are listed as such; each unit's
sending is one audit event (store.reminders), so a failure for one unit is recorded and the
others are still sent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import store
from store.reminders import record_reminder
from webapp.reminders.mailer import Mailer, SendFailed
from webapp.reminders.message import build_message, fill_link, subject_for
from webapp.reminders.settings import SmtpSettings

#: Statuses that still owe a report (the board's «chưa nộp» list).
NOT_SUBMITTED = ("missing", "draft", "returned")

SENT, FAILED, NO_EMAIL, DRY_RUN = "sent", "failed", "no_email", "dry_run"


class ReminderRefused(Exception):
    """The round cannot be reminded (closed, unknown); str() is the Vietnamese reason."""


@dataclass(slots=True)
class UnitOutcome:
    unit: str
    name: str
    email: str | None
    status: str
    link: str
    error: str | None = None


@dataclass(slots=True)
class RoundReminders:
    """What reminding one round did: its row as the store gave it, each unit written to (or,
    on a dry run, that would be), and how many had already submitted (not reminded)."""

    round_row: store.RoundRow
    dry_run: bool
    submitted: int
    units: list[UnitOutcome] = field(default_factory=list)

    @property
    def round(self) -> int:
        return int(self.round_row["id"])

    @property
    def title(self) -> str:
        return str(self.round_row["title"])

    def count(self, status: str) -> int:
        return sum(1 for u in self.units if u.status == status)

    def as_dict(self) -> dict[str, Any]:
        return {"round": self.round, "title": self.title,
                "deadline": self.round_row["deadline"],
                "dry_run": self.dry_run, "sent": self.count(SENT),
                "failed": self.count(FAILED), "no_email": self.count(NO_EMAIL),
                "would_send": self.count(DRY_RUN), "skipped_submitted": self.submitted,
                "units": [asdict(u) for u in self.units]}


def pending_units(db: Any, round_id: int
                  ) -> tuple[store.RoundRow, list[dict[str, Any]], int]:
    """(round, units still owing a report with their e-mail, number already submitted);
    raises ReminderRefused for an unknown or closed round."""
    try:
        round_row = store.get_round(db, round_id)
    except store.NotFound:
        raise ReminderRefused(f"Không có đợt báo cáo số {round_id}.") from None
    if round_row["status"] != "open":
        raise ReminderRefused(f"Đợt báo cáo số {round_id} đã đóng nên không gửi nhắc nhở.")
    emails = {u["unit_code"]: u["email"]
              for u in store.round_units(db, round_id, round_checked=True)}
    status = store.round_status(db, round_id)
    pending = [{**u, "email": emails.get(u["unit_code"])} for u in status["units"]
               if u["status"] in NOT_SUBMITTED]
    return round_row, pending, len(status["units"]) - len(pending)


def remind_round(
    db: Any, round_id: int, *, settings: SmtpSettings | None, base_url: str | None,
    actor: str, dry_run: bool = False, mailer: Mailer | None = None,
    now: datetime | None = None,
) -> RoundReminders:
    """Send (or with `dry_run`, only list) the round's reminders. `mailer` lets several rounds
    share one connection; without it one is opened from `settings` (required unless dry run).
    """
    round_row, pending, submitted = pending_units(db, round_id)
    result = RoundReminders(round_row, dry_run, submitted)
    own = mailer is None and not dry_run
    if own:
        if settings is None:
            raise ReminderRefused("Chưa có cấu hình máy chủ thư.")
        mailer = Mailer(settings)
    try:
        for unit in pending:
            link = fill_link(base_url, round_id, unit["unit_code"])
            outcome = UnitOutcome(unit["unit_code"], unit["name"], unit["email"], DRY_RUN, link)
            result.units.append(outcome)
            if not unit["email"]:
                outcome.status = NO_EMAIL
                continue
            if dry_run:
                continue
            assert mailer is not None
            sender = mailer.settings.sender
            message = build_message(sender=sender, round_row=round_row, unit=unit, link=link,
                                    now=now)
            try:
                mailer.send(message)
            except SendFailed as exc:
                outcome.status, outcome.error = FAILED, str(exc)
            else:
                outcome.status = SENT
            record_reminder(db, round_id, unit["unit_code"], actor=actor, to=unit["email"],
                            subject=subject_for(round_row, now), error=outcome.error, now=now)
    finally:
        if own and mailer is not None:
            mailer.close()
    return result
