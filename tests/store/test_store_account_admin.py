"""Accounts the coordinator manages: unit accounts with one-time passwords (several per unit),
resets, deactivation that ends sessions and refuses logins, and an account for every unit
that has none — with only hashes stored."""

from __future__ import annotations

import pytest

import store
from store.sessions import ACTIVE, UNKNOWN


@pytest.fixture
def world(fresh_db):
    store.add_unit(fresh_db, "UBND", "UBND xã Cẩm Giang")
    store.add_unit(fresh_db, "VHXH", "Phòng Văn hóa - Xã hội", parent="UBND")
    store.add_unit(fresh_db, "Đ-KT", "Phòng Kinh tế", parent="UBND")
    store.add_account(fresh_db, "daumoi", "Song-Hong-chay-mai", "coordinator")
    return fresh_db


def test_unit_accounts_get_names_from_the_code_and_a_one_time_password(world):
    first = store.create_unit_account(world, "VHXH", actor="daumoi")
    second = store.create_unit_account(world, "VHXH", actor="daumoi")
    third = store.create_unit_account(world, "Đ-KT", actor="daumoi")
    named = store.create_unit_account(world, "VHXH", " Chi.Lan ", actor="daumoi")
    assert [c.username for c in (first, second, third, named)] == [
        "vhxh", "vhxh-2", "d-kt", "chi.lan"]
    assert (first.unit_code, first.unit_name) == ("VHXH", "Phòng Văn hóa - Xã hội")
    assert first.password != second.password
    assert store.password_problem(first.password, "vhxh") is None
    account = store.verify_password(world, "vhxh", first.password)
    assert account is not None and account["must_change"] == 1
    assert account["unit_code"] == "VHXH"
    with pytest.raises(store.Conflict, match=r"Đã có tài khoản 'chi\.lan'"):
        store.create_unit_account(world, "VHXH", "chi.lan", actor="daumoi")
    with pytest.raises(store.UnitNotFound):
        store.create_unit_account(world, "KHONGCO", actor="daumoi")


def test_the_owner_choosing_a_password_clears_the_one_time_mark(world):
    credential = store.create_unit_account(world, "VHXH", actor="daumoi")
    store.set_password(world, "vhxh", "Cay-tre-dau-lang-2026", actor="vhxh")
    assert store.get_account(world, "vhxh")["must_change"] == 0
    assert store.verify_password(world, "vhxh", credential.password) is None


def test_reset_gives_a_new_one_time_password_and_ends_every_session(world):
    store.create_unit_account(world, "VHXH", actor="daumoi")
    store.set_password(world, "vhxh", "Cay-tre-dau-lang-2026", actor="vhxh")
    token = store.start_session(world, "vhxh")
    credential = store.reset_to_one_time(world, "VHXH", actor="daumoi")
    assert credential.username == "vhxh"
    assert store.session_account(world, token) == (UNKNOWN, None)
    assert store.verify_password(world, "vhxh", "Cay-tre-dau-lang-2026") is None
    assert store.verify_password(world, "vhxh", credential.password)["must_change"] == 1


def test_deactivation_ends_sessions_refuses_logins_and_can_be_undone(world):
    credential = store.create_unit_account(world, "VHXH", actor="daumoi")
    tokens = [store.start_session(world, "vhxh") for _ in range(2)]
    assert store.deactivate_account(world, "vhxh", actor="daumoi") == 2
    assert [store.session_account(world, t) for t in tokens] == [(UNKNOWN, None)] * 2
    assert store.verify_password(world, "vhxh", credential.password) is None
    assert store.get_account(world, "vhxh")["disabled_at"] is not None
    actions = [e["action"] for e in store.list_events(world, actor="vhxh")]
    assert actions[0] == "login.disabled"  # the right password, refused, and audited
    # A session started some other way still does not pass while the account is stopped.
    assert store.session_account(world, store.start_session(world, "vhxh"))[0] == UNKNOWN
    with pytest.raises(store.Conflict, match="đã ngừng hoạt động từ trước"):
        store.deactivate_account(world, "vhxh", actor="daumoi")
    store.reactivate_account(world, "vhxh", actor="daumoi")
    assert store.verify_password(world, "vhxh", credential.password) is not None
    assert store.session_account(world, store.start_session(world, "vhxh"))[0] == ACTIVE
    events = [e["action"] for e in store.list_events(world, actor="daumoi")]
    assert {"account.deactivate", "account.reactivate"} <= set(events)


def test_the_last_active_coordinator_cannot_be_deactivated(world):
    with pytest.raises(store.StoreError, match="tài khoản đầu mối tổng hợp cuối cùng"):
        store.deactivate_account(world, "daumoi", actor="daumoi")
    store.add_account(world, "phomoi", "Song-Da-chay-mai-2026", "coordinator")
    store.deactivate_account(world, "daumoi", actor="phomoi")
    with pytest.raises(store.StoreError, match="cuối cùng"):
        store.deactivate_account(world, "phomoi", actor="phomoi")


def test_missing_accounts_are_made_once_and_only_hashes_are_kept(world):
    store.create_unit_account(world, "VHXH", actor="daumoi")
    made = store.create_missing_accounts(world, actor="daumoi")
    assert [(c.unit_code, c.username) for c in made] == [("UBND", "ubnd"), ("Đ-KT", "d-kt")]
    assert store.create_missing_accounts(world, actor="daumoi") == []
    for credential in made:
        assert store.verify_password(world, credential.username, credential.password)
    dump = "\n".join(str(row) for table in world.table_names()
                     for row in world.conn.execute(f"SELECT * FROM [{table}]"))
    for credential in made:
        assert credential.password not in dump
        assert credential.password.replace("-", "") not in dump
