"""`decuong remind` against a real SMTP server: --dry-run sends nothing, --round sends and
reports per unit in JSON, --due picks only open rounds due within N days, a refused
connection makes the exit code 1 with the reason per unit, and missing settings are named."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from smtp_helpers import free_port, smtp_server

import store
from store.rounds import VIETNAM

BASE = "https://baocao.example.gov.vn"


@pytest.fixture
def world(demo):
    """The demo with addresses for VHXH and KT (VP has submitted, TTPVHCC has no address)."""
    path, info = demo
    db = store.open_db(path)
    try:
        for code, address in (("VHXH", "vhxh@example.gov.vn"), ("KT", "kt@example.gov.vn")):
            store.upsert_units(db, [{**store.get_unit(db, code), "email": address}])
    finally:
        db.close()
    return path, info


def _env(monkeypatch, port):
    monkeypatch.setenv("DECUONG_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DECUONG_SMTP_PORT", str(port))
    monkeypatch.setenv("DECUONG_SMTP_SECURITY", "none")
    monkeypatch.setenv("DECUONG_SMTP_FROM", "baocao@example.gov.vn")
    monkeypatch.setenv("DECUONG_BASE_URL", BASE)


def _events(path, action):
    db = store.open_db(path)
    try:
        return store.list_events(db, action=action)
    finally:
        db.close()


def test_dry_run_lists_who_would_be_reminded_and_sends_nothing(run, world, monkeypatch):
    path, info = world
    with smtp_server() as inbox:
        _env(monkeypatch, inbox.port)
        result = run("remind", "--db", path, "--round", info["round"], "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["dry_run"] is True
    assert {u["unit"]: u["status"] for u in report["units"]} == {
        "VHXH": "dry_run", "KT": "dry_run", "TTPVHCC": "no_email"}
    assert report["skipped_submitted"] == 1
    assert inbox.received == []
    assert _events(path, "reminder.sent") == _events(path, "reminder.failed") == []


def test_round_is_reminded_and_reported_per_unit(run, world, monkeypatch):
    path, info = world
    with smtp_server() as inbox:
        _env(monkeypatch, inbox.port)
        result = run("remind", "--db", path, "--round", info["round"])
    assert result.exit_code == 0, result.output
    assert "VHXH       Phòng Văn hóa - Xã hội <vhxh@example.gov.vn>: đã gửi" in result.output
    assert "TTPVHCC" in result.output and "chưa có địa chỉ thư" in result.output
    assert "Đã gửi 2, không gửi được 0, chưa có địa chỉ 1, đã nộp (không nhắc) 1." in (
        result.output)
    assert sorted(r.rcpt_tos[0] for r in inbox.received) == ["kt@example.gov.vn",
                                                             "vhxh@example.gov.vn"]
    body = inbox.to("kt@example.gov.vn")[0].get_content()
    assert f"{BASE}/rounds/{info['round']}/units/KT/edit" in body
    assert {e["unit_code"] for e in _events(path, "reminder.sent")} == {"VHXH", "KT"}
    assert {e["actor"] for e in _events(path, "reminder.sent")} == {"cli"}


def test_refused_connection_is_reported_per_unit_with_exit_code_1(run, world, monkeypatch):
    path, info = world
    _env(monkeypatch, free_port())
    result = run("remind", "--db", path, "--round", info["round"], "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["failed"] == 2 and report["sent"] == 0
    errors = [u["error"] for u in report["units"] if u["status"] == "failed"]
    assert all(e.startswith("Không kết nối được máy chủ thư 127.0.0.1:") for e in errors)
    assert len(_events(path, "reminder.failed")) == 2


def test_due_reminds_only_open_rounds_due_within_n_days(run, world, monkeypatch):
    path, info = world
    db = store.open_db(path)
    try:
        outline = store.get_round(db, info["round"])
        soon = datetime.now(VIETNAM) + timedelta(days=2)
        rounds = {}
        for name, deadline, status in (("sắp hạn", soon, "open"),
                                       ("còn xa", soon + timedelta(days=30), "open"),
                                       ("đã đóng", soon, "closed"),
                                       ("quá hạn", soon - timedelta(days=5), "open")):
            rounds[name] = store.create_round(
                db, outline_id=outline["outline_id"], outline_version=outline["outline_version"],
                title=f"Đợt {name}", period_start=None, period_end=None, period_label=None,
                deadline=deadline, units=["KT"], created_by="test")
            if status == "closed":
                store.set_round_status(db, rounds[name], "closed", actor="test")
        # The demo's own round is due in ≥ 14 days: out of a 3-day window.
    finally:
        db.close()
    with smtp_server() as inbox:
        _env(monkeypatch, inbox.port)
        result = run("remind", "--db", path, "--due", "3", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [r["round"] for r in report["rounds"]] == [rounds["sắp hạn"]]
    assert [r.rcpt_tos for r in inbox.received] == [["kt@example.gov.vn"]]
    assert "Đợt sắp hạn" in inbox.received[0].message["Subject"]


def test_missing_settings_are_named_and_nothing_is_sent(run, world, monkeypatch):
    path, info = world
    for key in ("DECUONG_SMTP_HOST", "DECUONG_SMTP_FROM", "DECUONG_BASE_URL"):
        monkeypatch.delenv(key, raising=False)
    result = run("remind", "--db", path, "--round", info["round"])
    assert result.exit_code == 1
    assert "DECUONG_SMTP_HOST" in result.output and "DECUONG_SMTP_FROM" in result.output
    both = run("remind", "--db", path)
    assert both.exit_code == 2
    assert "--round R hoặc --due N" in both.output
    assert _events(path, "reminder.sent") == _events(path, "reminder.failed") == []
