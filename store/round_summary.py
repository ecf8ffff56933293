"""Whole-round reads: who has sent what (round_status), the counts the boards show
(round_summary), and the latest submitted values of every unit that consolidation adds up
(latest_values). Read-only; kept apart from the revision history they read."""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypedDict

from sqlite_utils import Database

from store.db import parse_iso, utc_iso
from store.rounds import RoundNotFound
from store.values import decode_values


class UnitStatus(TypedDict):
    """One expected unit of a round as the boards show it; `unit_code` as in every store row."""

    unit_code: str
    name: str
    kind: str | None
    status: str  # "missing", "draft", "submitted", "returned" or "accepted"
    submitted_at: str | None
    late: bool
    revision: int | None


class RoundStatus(TypedDict):
    round: int
    deadline: str
    units: list[UnitStatus]


class LatestValues(TypedDict):
    """One reported unit's latest submitted values (`latest_values`)."""

    unit_code: str
    name: str
    kind: str | None
    status: str  # "submitted", "accepted" (or "returned" when asked for)
    submitted_at: str | None
    revision: int
    values: dict[str, Any]


class RoundSummary(TypedDict):
    """The counts of a round's boards (`round_summary`)."""

    round: int
    deadline: str
    deadline_passed: bool
    expected: int
    submitted: int  # includes accepted; = on_time + late
    on_time: int
    late: int
    missing: int
    draft: int
    returned: int
    accepted: int
    overdue: int  # without a submitted report after the deadline


def latest_values(
    db: Database, round_id: int, statuses: Iterable[str] = ("submitted", "accepted")
) -> list[LatestValues]:
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


#: Per connection (the `Database` object), round id → ((data_version, total_changes), digest).
_states: weakref.WeakKeyDictionary[Database, dict[int, tuple[tuple[int, int], str]]] = \
    weakref.WeakKeyDictionary()


def round_state(db: Database, round_id: int) -> str:
    """A short digest of everything a live consolidation of the round depends on besides the
    stored values: the round's row, and every expected unit's name, kind, parent, contact,
    e-mail, status, submission time and latest revision number. Revisions are append-only and each
    save raises `latest_revision`, so the digest changes with every new revision, status
    change or unit edit: pages cache per round state and drop the entry of the old one.
    One query; the rows are joined in SQL so a 4,000-unit round costs a few milliseconds."""
    # Nothing committed since this connection last worked the digest out (by another
    # connection: `data_version`; by this one: `total_changes`) → the same digest, without
    # joining every unit again (the join is most of a cached page's database time).
    (version,) = db.conn.execute("PRAGMA data_version").fetchone()
    marks = (version, db.conn.total_changes)
    memo = _states.setdefault(db, {})
    known = memo.get(round_id)
    if known is not None and known[0] == marks:
        return known[1]
    round_row = list(db.query("SELECT * FROM rounds WHERE id = ?", [round_id]))
    if not round_row:
        raise RoundNotFound(f"Không có đợt báo cáo số {round_id}.")
    (units,) = db.conn.execute(
        "SELECT group_concat(line, char(10)) FROM ("
        " SELECT json_array(u.code, u.name, u.kind, u.parent, u.contact, u.email, s.status,"
        "  s.submitted_at, s.latest_revision) AS line"
        " FROM round_units ru JOIN units u ON u.code = ru.unit_code"
        " LEFT JOIN submissions s ON s.round_id = ru.round_id AND s.unit_code = ru.unit_code"
        " WHERE ru.round_id = ? ORDER BY ru.unit_code)",
        [round_id],
    ).fetchone()
    digest = hashlib.blake2b(digest_size=16)
    digest.update(json.dumps(round_row[0], sort_keys=True, default=str).encode())
    digest.update((units or "").encode())
    memo[round_id] = (marks, digest.hexdigest())
    return memo[round_id][1]


def round_status(db: Database, round_id: int) -> RoundStatus:
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
    units: list[UnitStatus] = []
    for code, name, kind, status, submitted_at, revision in db.conn.execute(
        "SELECT u.code, u.name, u.kind, s.status, s.submitted_at, s.latest_revision"
        " FROM round_units ru JOIN units u ON u.code = ru.unit_code"
        " LEFT JOIN submissions s ON s.round_id = ru.round_id AND s.unit_code = ru.unit_code"
        " WHERE ru.round_id = ? ORDER BY u.code",
        [round_id],
    ):
        arrived = parse_iso(submitted_at)
        units.append({
            "unit_code": code,
            "name": name,
            "kind": kind,
            "status": status or "missing",
            "submitted_at": submitted_at,
            "late": bool(arrived and status != "draft" and arrived > deadline),
            "revision": revision,
        })
    return {"round": round_id, "deadline": deadline_text, "units": units}


def round_summary(db: Database, round_id: int, now: datetime | None = None,
                  status: RoundStatus | None = None) -> RoundSummary:
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
            "expected": counts["expected"], "submitted": counts["submitted"],
            "on_time": counts["on_time"], "late": counts["late"], "missing": counts["missing"],
            "draft": counts["draft"], "returned": counts["returned"],
            "accepted": counts["accepted"], "overdue": counts["overdue"]}
