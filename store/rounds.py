"""Reporting rounds (đợt báo cáo): one outline version, a period, a deadline, the expected units."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, TypedDict, cast

from sqlite_utils import Database

from forms.periods import PeriodError, check_kind, check_year, period_order
from forms.periods import period_label as period_label_of
from store.audit import record_event
from store.db import clean_text, transaction, utc_iso
from store.errors import Conflict, NotFound, StoreCode, StoreError
from store.units import UnitNotFound

# Vietnam has kept UTC+7 without daylight saving since 1975; a fixed offset gives the same
# answers as the tz database and needs no tzdata package on Windows machines.
VIETNAM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")
ROUND_STATUSES = ("open", "closed")



class RoundNotFound(NotFound):
    code = StoreCode.ROUND_NOT_FOUND


class _RoundColumns(TypedDict):
    id: int
    outline_id: str
    outline_version: int
    title: str
    period_start: str | None
    period_end: str | None
    period_label: str | None
    deadline: str
    created_by: str
    created_at: str
    status: str  # "open" or "closed"


class RoundRow(_RoundColumns):
    """A `rounds` row as `get_round` reads it (the document details are store.round_documents');
    `period_kind` and `period_year` are None for an ad-hoc round."""

    period_kind: str | None
    period_year: int | None


class PeriodicRound(_RoundColumns):
    """A round of a reporting year's period (`period_round`, `year_rounds`): the same columns,
    its period always set."""

    period_kind: str
    period_year: int


class ListedRound(RoundRow):
    """A round in `list_rounds`, with how many units it expects."""

    unit_count: int


class UnitRound(RoundRow):
    """A round as one unit sees it (`unit_rounds`): its submission's state beside the round."""

    submission_status: str  # a submission status, or "missing"
    latest_revision: int | None
    submitted_at: str | None


class RoundUnit(TypedDict):
    """An expected unit of a round (`round_units`), keyed `unit_code` like every store row."""

    unit_code: str
    name: str
    kind: str | None
    contact: str | None
    email: str | None
    parent: str | None


class PlannedYear(TypedDict):
    """An outline year with periodic rounds (`planned_years`)."""

    outline_id: str
    period_year: int
    rounds: int


_COLUMNS = (
    "id, outline_id, outline_version, title, period_start, period_end, period_label, deadline,"
    " created_by, created_at, status, period_kind, period_year"
)


def deadline_end_of_day(day: date) -> datetime:
    """The moment a deadline day ends in Vietnam (23:59:59+07:00): what "hạn nộp 12/11/2025"
    means to the people reporting."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=VIETNAM)


def _iso_date(value: date | str | None, what: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise StoreError(f"{what} '{value}' không phải ngày hợp lệ (YYYY-MM-DD).") from exc


def _unit_codes(db: Database, units: Iterable[str]) -> list[str]:
    """Cleaned, de-duplicated codes in the given order; UnitNotFound names every unknown one."""
    codes: list[str] = []
    for unit in units:
        code = clean_text(unit)
        if code is not None and code not in codes:
            codes.append(code)
    # One query however many codes (json_each avoids SQLite's bound-parameter limit).
    known = {
        row[0]
        for row in db.conn.execute(
            "SELECT code FROM units WHERE code IN (SELECT value FROM json_each(?))",
            [json.dumps(codes)],
        )
    }
    unknown = [code for code in codes if code not in known]
    if unknown:
        names = ", ".join(f"'{code}'" for code in unknown)
        raise UnitNotFound(f"Không có đơn vị mã {names}.")
    return codes


def _check_period(kind: str | None, year: int | None) -> None:
    if kind is None and year is None:
        return
    if kind is None or year is None:
        raise StoreError("Kỳ báo cáo định kỳ cần cả loại kỳ (ví dụ quy-1) và năm.")
    try:
        check_kind(kind)
        check_year(year)
    except PeriodError as exc:
        raise StoreError(str(exc)) from None


def period_round(db: Database, outline_id: str, year: int, kind: str) -> PeriodicRound | None:
    """The outline's round of period `kind` in `year` (any outline version), or None."""
    rows = list(db.query(
        f"SELECT {_COLUMNS} FROM rounds WHERE outline_id = ? AND period_year = ?"
        " AND period_kind = ?", [outline_id, year, kind]))
    return cast(PeriodicRound, rows[0]) if rows else None


def year_rounds(db: Database, outline_id: str, year: int) -> list[PeriodicRound]:
    """The outline's periodic rounds of `year` (any outline version), in period order
    (quý I → 6 tháng → 9 tháng → năm): what a year's series lines up."""
    rows = cast(list[PeriodicRound], list(db.query(
        f"SELECT {_COLUMNS} FROM rounds WHERE outline_id = ? AND period_year = ?"
        " AND period_kind IS NOT NULL", [outline_id, year])))
    return sorted(rows, key=lambda row: period_order(row["period_kind"]))


def planned_years(db: Database) -> list[PlannedYear]:
    """(outline_id, period_year, rounds) for every outline year with periodic rounds, newest
    year first: the links to a year's series."""
    return cast(list[PlannedYear], list(db.query(
        "SELECT outline_id, period_year, COUNT(*) AS rounds FROM rounds"
        " WHERE period_kind IS NOT NULL GROUP BY outline_id, period_year"
        " ORDER BY period_year DESC, outline_id")))


def get_round(db: Database, round_id: int) -> RoundRow:
    """The round row; raises RoundNotFound."""
    rows = list(db.query(f"SELECT {_COLUMNS} FROM rounds WHERE id = ?", [round_id]))
    if not rows:
        raise RoundNotFound(f"Không có đợt báo cáo số {round_id}.")
    return cast(RoundRow, rows[0])


def list_rounds(db: Database, status: str | None = None) -> list[ListedRound]:
    """Rounds, newest first, each with `unit_count` (how many units it expects)."""
    sql = (
        f"SELECT {_COLUMNS}, (SELECT COUNT(*) FROM round_units ru WHERE ru.round_id = rounds.id)"
        " AS unit_count FROM rounds"
    )
    params: list[Any] = []
    if status is not None:
        sql += " WHERE status = ?"
        params.append(status)
    return cast(list[ListedRound], list(db.query(sql + " ORDER BY id DESC", params)))


def create_round(
    db: Database,
    *,
    outline_id: str,
    outline_version: int,
    title: str,
    period_start: date | str | None,
    period_end: date | str | None,
    period_label: str | None,
    deadline: datetime,
    units: Iterable[str],
    created_by: str,
    now: datetime | None = None,
    period_kind: str | None = None,
    period_year: int | None = None,
) -> int:
    """Open a round and return its id. `deadline` must be timezone-aware (see
    deadline_end_of_day) and is stored in UTC; unknown unit codes write nothing.

    `period_kind` and `period_year` (forms.periods) place the round in a reporting year; an
    outline has at most one round of a period in a year (Conflict otherwise)."""
    outline = clean_text(outline_id)
    title_text = clean_text(title)
    if outline is None:
        raise StoreError("Thiếu mã đề cương của đợt báo cáo.")
    if title_text is None:
        raise StoreError("Tên đợt báo cáo không được để trống.")
    if isinstance(outline_version, bool) or not isinstance(outline_version, int):
        raise StoreError(f"Phiên bản đề cương phải là số nguyên, không phải '{outline_version}'.")
    if not isinstance(deadline, datetime) or deadline.utcoffset() is None:
        raise StoreError("Hạn nộp phải là thời điểm kèm múi giờ (ví dụ 23:59:59+07:00).")
    _check_period(period_kind, period_year)
    start = _iso_date(period_start, "Ngày bắt đầu kỳ báo cáo")
    end = _iso_date(period_end, "Ngày kết thúc kỳ báo cáo")
    if start and end and end < start:
        raise StoreError(
            f"Ngày kết thúc kỳ báo cáo ({end}) đứng trước ngày bắt đầu ({start})."
        )
    with transaction(db):
        codes = _unit_codes(db, units)
        if period_kind is not None:
            taken = period_round(db, outline, period_year or 0, period_kind)
            if taken is not None:
                words = period_label_of(period_kind, period_year or 0)
                raise Conflict(f"Đề cương '{outline}' đã có đợt báo cáo {words} "
                               f"(đợt số {taken['id']}).")
        cursor = db.conn.execute(
            "INSERT INTO rounds (outline_id, outline_version, title, period_start, period_end,"
            " period_label, deadline, created_by, created_at, status, period_kind, period_year)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
            (
                outline, outline_version, title_text, start, end, clean_text(period_label),
                utc_iso(deadline), created_by, utc_iso(now), period_kind, period_year,
            ),
        )
        round_id = int(cursor.lastrowid or 0)
        db.conn.executemany(
            "INSERT INTO round_units (round_id, unit_code) VALUES (?, ?)",
            [(round_id, code) for code in codes],
        )
        record_event(
            db, created_by, "round.create", round_id=round_id,
            detail={"title": title_text, "outline": outline, "version": outline_version,
                    "units": len(codes)},
            now=now,
        )
    return round_id


def set_round_status(
    db: Database, round_id: int, status: str, *, actor: str, now: datetime | None = None
) -> None:
    """Close a round (no more saves from units) or reopen it."""
    if status not in ROUND_STATUSES:
        raise StoreError(f"Trạng thái đợt báo cáo phải là 'open' hoặc 'closed', không phải "
                         f"'{status}'.")
    with transaction(db):
        get_round(db, round_id)
        db.conn.execute("UPDATE rounds SET status = ? WHERE id = ?", (status, round_id))
        record_event(db, actor, f"round.{status}", round_id=round_id, now=now)


def round_units(db: Database, round_id: int, unit_code: str | None = None,
                *, round_checked: bool = False) -> list[RoundUnit]:
    """The units a round expects, in code order, with name, kind, contact, email and parent.

    `unit_code` keeps only that unit (an empty list when the round does not expect it): a
    page about one unit need not read the whole list. `round_checked` skips the existence
    check when the caller has just read the round.
    """
    if not round_checked:
        get_round(db, round_id)
    sql = ("SELECT u.code AS unit_code, u.name, u.kind, u.contact, u.email, u.parent"
           " FROM round_units ru JOIN units u ON u.code = ru.unit_code"
           " WHERE ru.round_id = ?")
    params: list[Any] = [round_id]
    if unit_code is not None:
        sql += " AND ru.unit_code = ?"
        params.append(unit_code)
    return cast(list[RoundUnit], list(db.query(sql + " ORDER BY u.code", params)))


def round_contacts(db: Database, round_id: int) -> dict[str, tuple[str | None, str | None]]:
    """Unit code → (contact, e-mail) of the round's units that have either (the reminder
    list's columns): one light query, without the rows `round_units` builds for every unit."""
    return {code: (contact or None, email or None) for code, contact, email in db.conn.execute(
        "SELECT u.code, u.contact, u.email FROM round_units ru JOIN units u"
        " ON u.code = ru.unit_code WHERE ru.round_id = ?"
        " AND (COALESCE(u.contact, '') != '' OR COALESCE(u.email, '') != '')", [round_id])}


def add_round_units(
    db: Database,
    round_id: int,
    units: Iterable[str],
    *,
    actor: str = "system",
    now: datetime | None = None,
) -> int:
    """Add expected units to a round; return how many were new (already expected ones are
    skipped, so repeating the call is harmless)."""
    with transaction(db):
        get_round(db, round_id)
        codes = _unit_codes(db, units)
        added = 0
        for code in codes:
            cursor = db.conn.execute(
                "INSERT OR IGNORE INTO round_units (round_id, unit_code) VALUES (?, ?)",
                (round_id, code),
            )
            added += cursor.rowcount
        if added:
            record_event(
                db, actor, "round.units.add", round_id=round_id, detail={"units": codes}, now=now
            )
    return added


def remove_round_unit(db: Database, round_id: int, unit_code: str, *, actor: str = "system",
                      now: datetime | None = None) -> None:
    """Stop expecting a unit. Refused once the unit has saved anything in the round: its history
    must stay attached to a round it belongs to."""
    code = clean_text(unit_code)
    with transaction(db):
        get_round(db, round_id)
        expected = db.conn.execute(
            "SELECT 1 FROM round_units WHERE round_id = ? AND unit_code = ?", (round_id, code)
        ).fetchone()
        if not expected:
            raise NotFound(f"Đơn vị '{code}' không thuộc đợt báo cáo số {round_id}.")
        saved = db.conn.execute(
            "SELECT 1 FROM submissions WHERE round_id = ? AND unit_code = ?", (round_id, code)
        ).fetchone()
        if saved:
            raise Conflict(
                f"Đơn vị '{code}' đã có báo cáo trong đợt số {round_id}, không thể bỏ khỏi đợt."
            )
        db.conn.execute(
            "DELETE FROM round_units WHERE round_id = ? AND unit_code = ?", (round_id, code)
        )
        record_event(db, actor, "round.unit.remove", round_id=round_id, unit_code=code, now=now)


def unit_rounds(db: Database, unit_code: str) -> list[UnitRound]:
    """The rounds expecting this unit, newest first, each with the unit's `submission_status`
    ("missing" when nothing saved yet): what a unit sees on its home page."""
    code = clean_text(unit_code)
    cols = ", ".join(f"r.{c.strip()}" for c in _COLUMNS.split(","))
    return cast(list[UnitRound], list(
        db.query(
            f"SELECT {cols}, COALESCE(s.status, 'missing') AS submission_status,"
            " s.latest_revision, s.submitted_at"
            " FROM round_units ru JOIN rounds r ON r.id = ru.round_id"
            " LEFT JOIN submissions s ON s.round_id = ru.round_id AND s.unit_code = ru.unit_code"
            " WHERE ru.unit_code = ? ORDER BY r.id DESC",
            [code],
        )
    ))
