"""Snapshots (chốt số liệu): the frozen consolidation input of a round.

A coordinator sends the official summary at some moment; units go on correcting their reports
afterwards. A snapshot keeps exactly what the consolidation was fed at that moment — every
expected unit with its status, submission time and late flag, and the values of the units that
count — so the summary can be rebuilt, figure for figure, months later. Snapshots are
append-only (triggers refuse UPDATE and DELETE) and carry a SHA-256 of their data.

`round_input` is also what a live consolidation reads (see `aggregate.source`), so a snapshot
and a live load of the same moment are the same data by construction.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TypedDict, cast

from sqlite_utils import Database

from store.audit import record_event
from store.db import clean_text, parse_iso, transaction, utc_iso
from store.errors import NotFound, StoreCode, StoreError
from store.round_summary import latest_values, round_status
from store.rounds import VIETNAM, get_round, round_units
from store.values import decode_values, encode_values, sha256_hex

BASES: dict[str, tuple[str, ...]] = {
    "submitted": ("submitted", "accepted"),
    "accepted": ("accepted",),
}
BASIS_LABELS = {
    "submitted": "báo cáo đã nộp (kể cả đã tiếp nhận)",
    "accepted": "chỉ báo cáo đã được tiếp nhận",
}
DATA_FORMAT = 1
_LIST_COLUMNS = (
    "id, round_id, label, basis, outline_id, outline_version, unit_count, reported_count,"
    " created_by, created_at, sha256"
)


class SnapshotRow(TypedDict):
    """A `snapshots` row without its data (`list_snapshots`)."""

    id: int
    round_id: int
    label: str
    basis: str  # a key of BASES
    outline_id: str
    outline_version: int
    unit_count: int
    reported_count: int
    created_by: str
    created_at: str
    sha256: str


class Snapshot(SnapshotRow):
    """A snapshot with its decoded `data`, as `round_input` returned it (`get_snapshot`)."""

    data: dict[str, Any]


class SnapshotNotFound(NotFound):
    code = StoreCode.SNAPSHOT_NOT_FOUND


def _check_basis(basis: str) -> tuple[str, ...]:
    if basis not in BASES:
        raise StoreError(
            f"Cơ sở số liệu phải là 'submitted' (đã nộp) hoặc 'accepted' (đã tiếp nhận), "
            f"không phải '{basis}'."
        )
    return BASES[basis]


def round_input(db: Database, round_id: int, basis: str = "submitted") -> dict[str, Any]:
    """What a consolidation of the round is fed, as plain JSON-ready data.

    `units`: every expected unit in code order (code, name, kind, parent, contact, status,
    submitted_at as UTC ISO text, late); `values`: unit code → stored values of the units whose
    current status counts under `basis` ("submitted": submitted or accepted; "accepted": only
    accepted); plus the round's outline id/version and deadline.
    """
    statuses = _check_basis(basis)
    round_row = get_round(db, round_id)
    status = round_status(db, round_id)
    extra = {row["unit_code"]: row for row in round_units(db, round_id)}
    units = []
    for unit in status["units"]:
        more = extra.get(unit["unit_code"])
        units.append({
            "code": unit["unit_code"], "name": unit["name"], "kind": unit["kind"],
            "parent": more["parent"] if more else None,
            "contact": more["contact"] if more else None,
            "status": unit["status"], "submitted_at": unit["submitted_at"],
            "late": unit["late"],
        })
    values = {row["unit_code"]: row["values"]
              for row in latest_values(db, round_id, statuses=statuses)}
    return {
        "format": DATA_FORMAT,
        "round_id": round_id,
        "outline": {"id": round_row["outline_id"], "version": round_row["outline_version"]},
        "basis": basis,
        "deadline": round_row["deadline"],
        "units": units,
        "values": values,
    }


def _encode(data: dict[str, Any]) -> str:
    # Values go through the store's own encoder, so dates survive exactly as in revisions.
    values = {code: json.loads(encode_values(v)) for code, v in data["values"].items()}
    return json.dumps({**data, "values": values}, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":"))


def _digest(text: str) -> str:
    return sha256_hex(text.encode("utf-8"))


def create_snapshot(db: Database, round_id: int, *, label: str | None = None,
                    basis: str = "submitted", actor: str,
                    now: datetime | None = None) -> int:
    """Freeze the round's consolidation input now and return the snapshot id.

    Read and written in one transaction, so no submission can slip in between the units' list
    and their values.
    """
    _check_basis(basis)
    who = clean_text(actor)
    if who is None:
        raise StoreError("Thiếu người thực hiện thao tác.")
    stamp = utc_iso(now)
    with transaction(db):
        data = round_input(db, round_id, basis)
        text = _encode(data)
        moment = parse_iso(stamp)
        assert moment is not None
        name = clean_text(label) or f"Chốt số liệu {moment.astimezone(VIETNAM):%d/%m/%Y %H:%M}"
        cursor = db.conn.execute(
            "INSERT INTO snapshots (round_id, label, basis, outline_id, outline_version,"
            " unit_count, reported_count, created_by, created_at, data_json, sha256)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (round_id, name, basis, data["outline"]["id"], data["outline"]["version"],
             len(data["units"]), len(data["values"]), who, stamp, text, _digest(text)),
        )
        snapshot_id = int(cursor.lastrowid or 0)
        record_event(db, who, "snapshot.create", round_id=round_id,
                     detail={"snapshot": snapshot_id, "label": name, "basis": basis}, now=now)
    return snapshot_id


def list_snapshots(db: Database, round_id: int) -> list[SnapshotRow]:
    """The round's snapshots, oldest first, without their data."""
    get_round(db, round_id)
    return cast(list[SnapshotRow], list(db.query(
        f"SELECT {_LIST_COLUMNS} FROM snapshots WHERE round_id = ? ORDER BY id", [round_id])))


def snapshot_meta(snapshot: Snapshot) -> SnapshotRow:
    """The snapshot's row without its data: what a listing or a JSON answer shows of it."""
    return cast(SnapshotRow, {key: value for key, value in snapshot.items() if key != "data"})


def get_snapshot(db: Database, snapshot_id: int) -> Snapshot:
    """One snapshot with its decoded `data` (as `round_input` returned it); raises
    SnapshotNotFound, and StoreError if the stored data no longer matches its hash."""
    rows = list(db.query(f"SELECT {_LIST_COLUMNS}, data_json FROM snapshots WHERE id = ?",
                         [snapshot_id]))
    if not rows:
        raise SnapshotNotFound(f"Không có bản chốt số liệu số {snapshot_id}.")
    row = rows[0]
    text = row.pop("data_json")
    if _digest(text) != row["sha256"]:
        raise StoreError(f"Bản chốt số liệu số {snapshot_id} đã bị thay đổi ngoài phần mềm "
                         "(mã băm không khớp); không dùng được.")
    return {**cast(SnapshotRow, row), "data": decode_values(text)}
