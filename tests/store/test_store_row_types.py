"""Every row the store hands out is exactly the TypedDict its function declares.

mypy checks each `row["key"]` against these types, so they must tell the truth: a row with a
key its type lacks (a column added to a SELECT), or a type naming a key the row lacks, fails
here. Where a type is a table's row, its keys are also compared with the table's columns in
the migrated database, so a column added by a new migration must be added to its row type (or
named here as left out on purpose).
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest

import store
from store.round_summary import LatestValues, RoundStatus, RoundSummary, UnitStatus

OUTLINE = """\
id: kieu-dong
version: 1
title: Đề cương kiểm tra kiểu dòng
items:
  - {type: integer, name: tong, number: "1.", label: Tổng số nhiệm vụ, required: true}
  - {type: text, name: ghi_chu, number: "2.", label: Ghi chú}
"""
NOW = datetime.fromisoformat("2025-10-01T08:00:00+07:00")


def _matches(value: Any, hint: Any) -> bool:
    """Whether a value read from SQLite fits a TypedDict field's annotation."""
    if hint is Any:
        return True
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return any(_matches(value, arg) for arg in get_args(hint))
    if hint is type(None):
        return value is None
    if origin is not None:  # list[...], dict[...], a nested TypedDict list
        return isinstance(value, origin)
    if isinstance(hint, type) and issubclass(hint, dict):  # a nested TypedDict
        return isinstance(value, dict)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def assert_row(row: Mapping[str, Any], row_type: type) -> None:
    hints = get_type_hints(row_type)
    assert row_type.__required_keys__ == set(hints), f"{row_type.__name__}: NotRequired keys"
    assert set(row) == set(hints), (
        f"{row_type.__name__}: the row has {sorted(set(row) - set(hints))} beyond its type, "
        f"lacks {sorted(set(hints) - set(row))}")
    for key, hint in hints.items():
        assert _matches(row[key], hint), f"{row_type.__name__}[{key!r}] = {row[key]!r} ≠ {hint}"


def _columns(db, table: str) -> set[str]:
    return {row[1] for row in db.conn.execute(f"PRAGMA table_info({table})")}


@pytest.fixture
def world(fresh_db):
    """A round with one unit that submitted (with a warning and a file), was returned with a
    comment, attached evidence, and a snapshot: every kind of row exists at least once."""
    db = fresh_db
    store.upsert_units(db, [{"code": "TINH", "name": "Tỉnh"},
                            {"code": "A", "name": "Xã A", "kind": "xa", "parent": "TINH",
                             "contact": "0912 345 678", "email": "xa-a@example.vn"},
                            {"code": "B", "name": "Xã B", "parent": "TINH"}])
    store.add_account(db, "dau-moi", "Mật-khẩu-đủ-dài-2025", "coordinator")
    store.add_account(db, "xa-a", "Mật-khẩu-đủ-dài-2025", "unit", "A")
    outline = store.register_outline(db, OUTLINE, actor="dau-moi")
    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=outline.version, title="Quý I năm 2099",
        period_start=date(2099, 1, 1), period_end=date(2099, 3, 31), period_label=None,
        deadline=store.deadline_end_of_day(date(2099, 4, 10)), units=["A", "B"],
        created_by="dau-moi", now=NOW, period_kind="quy-1", period_year=2099)
    store.save_revision(db, round_id=round_id, unit_code="A", values={"tong": 3},
                        status="submitted", channel="excel", actor="xa-a",
                        warnings=[{"item": "tong", "message": "Số lớn bất thường."}],
                        file_name="bao-cao.xlsx", file_bytes=b"PK fake workbook")
    store.set_status(db, round_id, "A", "returned", "dau-moi", comment="Xem lại mục 1.",
                     item_comments={"tong": "Tổng chưa khớp."})
    store.add_attachment(db, round_id=round_id, unit_code="A", item_key="tong",
                         file_name="quyet-dinh.pdf", content=b"%PDF-1.4 test",
                         media_type="application/pdf", actor="xa-a")
    store.save_revision(db, round_id=round_id, unit_code="A", values={"tong": 4},
                        status="submitted", channel="web", actor="xa-a")
    store.create_snapshot(db, round_id, label="Chốt quý I", actor="dau-moi")
    return db, round_id


def test_unit_and_account_rows(world):
    db, _ = world
    for row in [store.get_unit(db, "A"), *store.list_units(db), *store.children(db, "TINH")]:
        assert_row(row, store.UnitRow)
    assert set(get_type_hints(store.UnitRow)) == _columns(db, "units")
    for account in [store.get_account(db, "xa-a"), *store.list_accounts(db)]:
        assert_row(account, store.AccountRow)
    assert set(get_type_hints(store.AccountRow)) == _columns(db, "accounts") - {"password_hash"}
    verified = store.verify_password(db, "xa-a", "Mật-khẩu-đủ-dài-2025")
    assert verified is not None
    assert_row(verified, store.AccountRow)
    token = store.start_session(db, "xa-a")
    state, session_account = store.session_account(db, token)
    assert state == "active"
    assert session_account is not None
    assert_row(session_account, store.AccountRow)
    for row in store.list_accounts_with_units(db):
        assert_row(row, store.AccountWithUnit)


def test_round_rows(world):
    db, round_id = world
    assert_row(store.get_round(db, round_id), store.RoundRow)
    # The document details (doc_*) are read by store.round_documents, not with the round.
    documents = {c for c in _columns(db, "rounds") if c.startswith("doc_")}
    assert set(get_type_hints(store.RoundRow)) == _columns(db, "rounds") - documents
    for listed in store.list_rounds(db):
        assert_row(listed, store.ListedRound)
    periodic = store.period_round(db, "kieu-dong", 2099, "quy-1")
    assert periodic is not None
    assert_row(periodic, store.PeriodicRound)
    for row in store.year_rounds(db, "kieu-dong", 2099):
        assert_row(row, store.PeriodicRound)
    for year in store.planned_years(db):
        assert_row(year, store.PlannedYear)
    for unit_round in store.unit_rounds(db, "A"):
        assert_row(unit_round, store.UnitRound)
    for expected in store.round_units(db, round_id):
        assert_row(expected, store.RoundUnit)


def test_submission_revision_and_comment_rows(world):
    db, round_id = world
    submission = store.get_submission(db, round_id, "A")
    assert submission is not None
    assert_row(submission, store.SubmissionRow)
    assert set(get_type_hints(store.SubmissionRow)) == _columns(db, "submissions")
    revisions = store.list_revisions(db, round_id, "A")
    assert [r["number"] for r in revisions] == [1, 2]
    for meta in revisions:
        assert_row(meta, store.RevisionMeta)
    # A revision row names its submission's round and unit instead of submission_id, and
    # carries its warnings and values decoded.
    assert set(get_type_hints(store.Revision)) == (
        _columns(db, "revisions") - {"submission_id", "values_json", "warnings_json"}
        | {"round_id", "unit_code", "warnings", "values"})
    for number in (1, None):
        revision = store.get_revision(db, round_id, "A", number)
        assert revision is not None
        assert_row(revision, store.Revision)
    saved = store.save_revision(db, round_id=round_id, unit_code="B", values={"tong": 1},
                                status="draft", channel="web", actor="xa-b")
    assert_row(saved, store.Revision)
    assert saved == store.get_revision(db, round_id, "B")
    by_file = store.find_revision_by_file(db, round_id, "A", revisions[0]["file_sha256"] or "")
    assert by_file is not None
    assert_row(by_file, store.RevisionMeta)
    comments = store.comments_for(db, round_id, "A")
    assert len(comments) == 2
    for comment in comments:
        assert_row(comment, store.CommentRow)
    assert set(get_type_hints(store.CommentRow)) == _columns(db, "comments") - {"submission_id"}
    moved = store.set_status(db, round_id, "A", "accepted", "dau-moi")
    assert_row(moved, store.SubmissionRow)


def test_attachment_snapshot_outline_and_event_rows(world):
    db, round_id = world
    attachments = store.list_attachments(db, round_id, "A")
    assert len(attachments) == 1
    assert_row(attachments[0], store.AttachmentRow)
    assert set(get_type_hints(store.AttachmentRow)) == _columns(db, "attachments")
    meta, content = store.get_attachment(db, round_id, "A", attachments[0]["id"])
    assert_row(meta, store.AttachmentRow)
    assert content == b"%PDF-1.4 test"

    snapshots = store.list_snapshots(db, round_id)
    assert len(snapshots) == 1
    assert_row(snapshots[0], store.SnapshotRow)
    assert set(get_type_hints(store.SnapshotRow)) == _columns(db, "snapshots") - {"data_json"}
    snapshot = store.get_snapshot(db, snapshots[0]["id"])
    assert_row(snapshot, store.Snapshot)
    assert store.snapshot_meta(snapshot) == snapshots[0]

    for entry in store.list_outlines(db):
        assert_row(entry, store.OutlineEntry)
    assert set(get_type_hints(store.OutlineRow)) == _columns(db, "outlines")

    events = store.list_events(db)
    assert {"round.create", "submission.submit", "snapshot.create"} <= {e["action"] for e in events}
    for event in events:
        assert_row(event, store.Event)
    assert set(get_type_hints(store.Event)) == _columns(db, "events") - {"detail_json"} | {"detail"}


def test_whole_round_reads(world):
    db, round_id = world
    status = store.round_status(db, round_id)
    assert_row(status, RoundStatus)
    for unit in status["units"]:
        assert_row(unit, UnitStatus)
    assert_row(store.round_summary(db, round_id), RoundSummary)
    latest = store.latest_values(db, round_id)
    assert [row["unit_code"] for row in latest] == ["A"]
    assert_row(latest[0], LatestValues)


def test_removed_attachment_and_due_rounds(world):
    db, round_id = world
    from store.reminders import DueRound, rounds_due

    store.save_revision(db, round_id=round_id, unit_code="B", values={"tong": 1},
                        status="draft", channel="web", actor="xa-b")
    added = store.add_attachment(db, round_id=round_id, unit_code="B", item_key="tong",
                                 file_name="nham.pdf", content=b"%PDF wrong file",
                                 media_type="application/pdf", actor="xa-b")
    assert_row(added, store.AttachmentRow)
    removed = store.remove_attachment(db, round_id, "B", added["id"], actor="xa-b")
    assert_row(removed, store.RemovedAttachment)
    assert removed["kept"] is False
    due = rounds_due(db, 365 * 80, now=NOW + timedelta(days=1))
    assert [row["id"] for row in due] == [round_id]
    assert_row(due[0], DueRound)


def test_a_key_the_type_lacks_fails():
    """The checker itself: a row with one more key than its type, or one fewer, is refused."""
    row = {"code": "A", "name": "Xã A", "kind": None, "parent": None, "contact": None,
           "email": None, "created_at": "2025-10-01T01:00:00+00:00"}
    assert_row(row, store.UnitRow)
    with pytest.raises(AssertionError, match="beyond its type"):
        assert_row({**row, "phone": None}, store.UnitRow)
    with pytest.raises(AssertionError, match="lacks"):
        assert_row({k: v for k, v in row.items() if k != "email"}, store.UnitRow)
    with pytest.raises(AssertionError, match="≠"):
        assert_row({**row, "name": None}, store.UnitRow)
