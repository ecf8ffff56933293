"""Snapshots: a frozen consolidation input never changes, whatever units do afterwards."""

from __future__ import annotations

import sqlite3
import sys
from datetime import datetime
from pathlib import Path

import pytest

import store
from aggregate import load_round
from store.snapshots import SnapshotNotFound, create_snapshot, get_snapshot, list_snapshots

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "exports"))
from export_round import build_round, reference

LATER = datetime.fromisoformat("2025-11-15T09:00:00+07:00")


@pytest.fixture
def round_(fresh_db):
    return build_round(fresh_db, seed=11)


def test_later_revisions_do_not_alter_a_frozen_snapshot(fresh_db, round_):
    round_id = round_["round"]
    snapshot_id = create_snapshot(fresh_db, round_id, label="Chốt ngày 12/11", actor="dau-moi")
    frozen = load_round(fresh_db, round_id, basis="snapshot", snapshot_id=snapshot_id)
    code = next(c for c, u in round_["units"].items() if u["status"] == "submitted")
    missing = next(c for c, u in round_["units"].items() if u["status"] == "missing")
    for unit in (code, missing):
        store.submit_values(fresh_db, round_id=round_id, unit_code=unit,
                            raw={"tiep_nhan": 123456, "da_giai_quyet": 10, "dung_han": 10},
                            channel="web", actor=unit, now=LATER)
    live = load_round(fresh_db, round_id)
    again = load_round(fresh_db, round_id, basis="snapshot", snapshot_id=snapshot_id)
    assert live.total["tiep_nhan"] != frozen.total["tiep_nhan"]
    assert again.table.equals(frozen.table)
    assert again.completeness.counts() == frozen.completeness.counts()
    expected = reference(round_)["Tổng cộng"]
    assert again.total["tiep_nhan"] == expected["tiep_nhan"]
    assert [n.entries for n in again.narratives] == [n.entries for n in frozen.narratives]


def test_snapshot_is_append_only_and_hash_checked(fresh_db, round_):
    round_id = round_["round"]
    snapshot_id = create_snapshot(fresh_db, round_id, label=None, basis="accepted",
                                  actor="dau-moi")
    row = get_snapshot(fresh_db, snapshot_id)
    assert row["label"].startswith("Chốt số liệu ")
    assert row["basis"] == "accepted" and row["reported_count"] == len(round_["accepted"])
    assert set(row["data"]["values"]) == set(round_["accepted"])
    for sql in ("UPDATE snapshots SET label = 'x'", "DELETE FROM snapshots"):
        with pytest.raises(sqlite3.IntegrityError, match="chỉ được ghi thêm"):
            fresh_db.conn.execute(sql)
    assert [s["id"] for s in list_snapshots(fresh_db, round_id)] == [snapshot_id]
    events = [e["action"] for e in store.list_events(fresh_db, round_id=round_id)]
    assert "snapshot.create" in events


def test_bases_select_which_reports_count(fresh_db, round_):
    round_id = round_["round"]
    accepted = load_round(fresh_db, round_id, basis="accepted")
    expected = reference(round_, "accepted")["Tổng cộng"]
    assert accepted.total["nv_tong"] == expected["nv_tong"]
    units = {u.code: u for u in accepted.units}
    late = [c for c, u in round_["units"].items() if u["late"]]
    assert late and all(units[c].late for c in late)
    assert all(units[c].submitted_at.tzinfo is not None for c in late)


def test_unknown_snapshot_and_wrong_round(fresh_db, round_):
    with pytest.raises(SnapshotNotFound):
        get_snapshot(fresh_db, 42)
    with pytest.raises(store.StoreError, match="Cơ sở số liệu"):
        create_snapshot(fresh_db, round_["round"], label="x", basis="draft", actor="a")
