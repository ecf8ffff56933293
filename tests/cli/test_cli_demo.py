"""`decuong demo` only on a new file or a demo: its accounts have published passwords."""

from __future__ import annotations

from datetime import datetime

import pytest

import store
from store.demo import ACCOUNTS


def accounts_of(path):
    db = store.open_db(path)
    try:
        return [a["username"] for a in store.list_accounts(db)]
    finally:
        db.close()


@pytest.mark.parametrize("what", ["unit", "account", "round"])
def test_demo_refuses_a_database_in_real_use_and_adds_nothing(run, demo, tmp_path, what):
    path, data = demo
    db = store.open_db(path)
    if what == "unit":
        store.add_unit(db, "SOTP", "Sở Tư pháp")
    elif what == "account":
        store.add_account(db, "chuyen-vien", "Cay-tre-dau-lang", "unit", "VP")
    else:
        round_ = store.get_round(db, data["round"])
        store.create_round(db, outline_id=round_["outline_id"],
                           outline_version=round_["outline_version"], title="Đợt thật",
                           period_start="2026-01-01", period_end=None, period_label="Năm 2026",
                           deadline=datetime.fromisoformat(round_["deadline"]), units=["VP"],
                           created_by="dau-moi")
    db.conn.execute("DELETE FROM accounts WHERE username = 'daumoi'")  # as on a real database
    db.conn.commit()
    db.close()
    result = run("demo", "--db", path)
    assert result.exit_code == 1
    assert "đang được dùng thật" in result.output and "--db demo.db" in result.output
    assert "daumoi-2025" not in result.output
    assert "daumoi" not in accounts_of(path)


def test_demo_refuses_a_real_database_without_any_demo_in_it(run, tmp_path):
    path = tmp_path / "prod.db"
    db = store.open_db(path)
    store.add_unit(db, "VP", "Văn phòng")  # a code the demo uses too
    store.add_unit(db, "SOTP", "Sở Tư pháp")
    store.add_account(db, "dau-moi", "Cay-tre-dau-lang", "coordinator")
    db.close()
    result = run("demo", "--db", path)
    assert result.exit_code == 1
    assert ("(có dữ liệu không do lệnh demo tạo ra; đơn vị SOTP; tài khoản dau-moi)"
            in result.output)
    assert accounts_of(path) == ["dau-moi"]


def test_demo_refuses_a_database_whose_units_only_share_the_demos_codes(run, tmp_path):
    path = tmp_path / "prod.db"
    db = store.open_db(path)
    store.add_unit(db, "VP", "Văn phòng")
    db.close()
    result = run("demo", "--db", path)
    assert result.exit_code == 1 and "không do lệnh demo tạo ra" in result.output
    assert accounts_of(path) == []


def test_demo_still_runs_on_a_new_file_and_again_on_its_own_database(run, demo):
    path, _ = demo
    assert run("demo", "--db", path).exit_code == 0
    assert sorted(accounts_of(path)) == sorted(a["username"] for a in ACCOUNTS)
