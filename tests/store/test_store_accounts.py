"""Accounts: hashed passwords, role rules, the password policy, no lockout."""

from __future__ import annotations

from datetime import datetime

import pytest

import store

T0 = datetime.fromisoformat("2025-11-10T09:00:00+07:00")
PW = "hoa-sen-tren-nui-cao"


@pytest.fixture
def db(fresh_db):
    store.add_unit(fresh_db, "VHXH", "Phòng Văn hóa - Xã hội")
    return fresh_db


def test_password_is_hashed_and_verified(db):
    store.add_account(db, "Nguyen.Van.A", "Hoa-đào-nở-sớm", "unit", unit="VHXH")
    stored = db.conn.execute("SELECT password_hash FROM accounts").fetchone()[0]
    assert stored != "Hoa-đào-nở-sớm"
    assert "Hoa-đào-nở-sớm" not in stored
    account = store.verify_password(db, "nguyen.van.a", "Hoa-đào-nở-sớm")
    assert account is not None
    assert account["username"] == "nguyen.van.a"  # usernames are case-insensitive
    assert account["role"] == "unit" and account["unit_code"] == "VHXH"
    assert "password_hash" not in account
    assert store.verify_password(db, "nguyen.van.a", "sai") is None
    assert store.verify_password(db, "khong-co", "Hoa-đào-nở-sớm") is None
    assert store.verify_password(db, "", "x") is None


def test_role_rules(db):
    with pytest.raises(store.StoreError, match="phải gắn với một đơn vị"):
        store.add_account(db, "u", PW, "unit")
    with pytest.raises(store.StoreError, match="không gắn với đơn vị nào"):
        store.add_account(db, "c", PW, "coordinator", unit="VHXH")
    with pytest.raises(store.StoreError, match="Vai trò phải là"):
        store.add_account(db, "x", PW, "admin")
    with pytest.raises(store.UnitNotFound):
        store.add_account(db, "u", PW, "unit", unit="NOPE")
    with pytest.raises(store.StoreError, match="Mật khẩu không được để trống"):
        store.add_account(db, "c", "", "coordinator")
    coordinator = store.add_account(db, "dau-moi", PW, "coordinator")
    assert coordinator["unit_code"] is None
    with pytest.raises(store.Conflict, match="Đã có tài khoản 'dau-moi'"):
        store.add_account(db, "DAU-MOI", PW + "2", "coordinator")
    assert [a["username"] for a in store.list_accounts(db)] == ["dau-moi"]
    assert store.list_accounts(db, role="unit") == []


def test_set_password(db):
    store.add_account(db, "c", "cay-tre-dau-lang", "coordinator")
    store.set_password(db, "c", "con-song-que-huong")
    assert store.verify_password(db, "c", "cay-tre-dau-lang") is None
    assert store.verify_password(db, "c", "con-song-que-huong") is not None
    with pytest.raises(store.AccountNotFound, match="Không có tài khoản 'z'"):
        store.set_password(db, "z", PW)


@pytest.mark.parametrize(("password", "why"), [
    ("ngan-qua", "ít nhất 10 ký tự"),
    ("1234567890", "quá phổ biến"),
    ("MatKhau@2025", "quá phổ biến"),
    ("Mật khẩu 123", "quá phổ biến"),
    ("decuong2025!", "quá phổ biến"),
    ("2025-qwertyuiop", "quá phổ biến"),
    ("aaaaabbbbbaaaaa", "ít nhất 5 ký tự khác nhau"),
    ("daumoi-2025", "quá phổ biến"),
    ("nguyenvana-2025", "chứa tên đăng nhập"),
])
def test_the_password_policy_refuses_short_common_and_personal_passwords(db, password, why):
    with pytest.raises(store.StoreError, match=why):
        store.add_account(db, "NguyenVanA", password, "unit", unit="VHXH")
    store.add_account(db, "nguoi-khac", PW, "unit", unit="VHXH")
    with pytest.raises(store.StoreError, match=why if why != "chứa tên đăng nhập" else "."):
        store.set_password(db, "nguoi-khac", password.replace("nguyenvana", "nguoi-khac"))
    assert store.verify_password(db, "nguoi-khac", PW) is not None  # unchanged
    assert [a["username"] for a in store.list_accounts(db)] == ["nguoi-khac"]


def test_a_generated_password_passes_the_policy_and_differs_each_time():
    made = {store.generate_password() for _ in range(50)}
    assert len(made) == 50
    for password in made:
        assert len(password) >= 16
        assert store.password_problem(password, "dau-moi") is None


def test_wrong_passwords_never_lock_the_account(db):
    """Locking after N failures let anyone lock the coordinator out; throttling is per client
    now (store.login_throttle), so the owner's right password always works here."""
    store.add_account(db, "c", PW, "coordinator")
    for _ in range(20):
        assert store.verify_password(db, "c", "sai", now=T0) is None
    assert store.get_account(db, "c")["failed_logins"] == 20
    assert store.verify_password(db, "c", PW, now=T0) is not None
    assert store.get_account(db, "c")["failed_logins"] == 0
    actions = [e["action"] for e in store.list_events(db, actor="c", newest_first=False)]
    assert actions == ["login.failed"] * 20 + ["login"]
