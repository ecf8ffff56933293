"""`decuong users add|reset-password`: the password policy, and a generated password printed
once when none is given."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

import store

GENERATED = re.compile(r"Mật khẩu của (\S+): (\S+)\n")


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "that.db"
    db = store.open_db(path)
    store.add_unit(db, "VP", "Văn phòng")
    db.close()
    return path


def test_add_without_a_password_generates_one_and_prints_it_once(run, db_path):
    result = run("users", "add", "--db", db_path, "Dau-Moi", "--role", "coordinator")
    assert result.exit_code == 0, result.output
    username, password = GENERATED.search(result.output).groups()
    assert username == "dau-moi"
    assert result.output.count(password) == 1
    assert "chỉ hiện một lần" in result.output
    assert store.password_problem(password) is None
    db = store.open_db(db_path)
    assert store.verify_password(db, "dau-moi", password) is not None
    db.close()


@pytest.mark.parametrize(("password", "why"), [
    ("x", "ít nhất 10 ký tự"), ("12345678", "ít nhất 10 ký tự"),
    ("123456789", "ít nhất 10 ký tự"), ("matkhau2025", "quá phổ biến"),
    ("Decuong@2025", "quá phổ biến"),
])
def test_add_refuses_a_weak_password_and_creates_nothing(run, db_path, password, why):
    result = run("users", "add", "--db", db_path, "vp1", "--role", "unit", "--unit", "VP",
                 "--password", password)
    assert result.exit_code == 1
    assert why in result.output and "Error:" in result.output
    db = store.open_db(db_path)
    assert store.list_accounts(db) == []
    db.close()


def test_reset_without_a_password_generates_one(run, db_path):
    run("users", "add", "--db", db_path, "vp1", "--role", "unit", "--unit", "VP",
        "--password", "Cay-tre-dau-lang")
    result = run("users", "reset-password", "--db", db_path, "VP1")
    assert result.exit_code == 0, result.output
    _, password = GENERATED.search(result.output).groups()
    db = store.open_db(db_path)
    assert store.verify_password(db, "vp1", password) is not None
    assert store.verify_password(db, "vp1", "Cay-tre-dau-lang") is None
    db.close()


def test_password_and_prompt_together_are_a_usage_error(run, db_path):
    result = run("users", "add", "--db", db_path, "vp1", "--role", "unit", "--unit", "VP",
                 "--password", "Cay-tre-dau-lang", "--prompt")
    assert result.exit_code == 2
    assert "--password hoặc --prompt" in result.output


def test_a_generated_password_must_be_changed_at_first_login(run, db_path):
    run("users", "add", "--db", db_path, "vp1", "--role", "unit", "--unit", "VP")
    run("users", "add", "--db", db_path, "vp2", "--role", "unit", "--unit", "VP",
        "--password", "Cay-tre-dau-lang")
    db = store.open_db(db_path)
    assert store.get_account(db, "vp1")["must_change"] == 1
    assert store.get_account(db, "vp2")["must_change"] == 0  # chosen, not handed over
    db.close()


def test_list_deactivate_and_activate(run, db_path):
    run("users", "add", "--db", db_path, "vp1", "--role", "unit", "--unit", "VP",
        "--password", "Cay-tre-dau-lang")
    listed = run("users", "list", "--db", db_path, "--json")
    assert [(a["username"], a["unit_code"], a["state"]) for a in json.loads(listed.output)] == [
        ("vp1", "VP", "đang hoạt động")]
    db = store.open_db(db_path)
    token = store.start_session(db, "vp1")
    stopped = run("users", "deactivate", "--db", db_path, "VP1")
    assert stopped.exit_code == 0, stopped.output
    assert "Đã ngừng tài khoản vp1; đã đăng xuất 1 phiên." in stopped.output
    assert store.session_account(db, token)[1] is None
    assert store.verify_password(db, "vp1", "Cay-tre-dau-lang") is None
    assert "đã ngừng" in run("users", "list", "--db", db_path).output
    again = run("users", "deactivate", "--db", db_path, "vp1")
    assert again.exit_code == 1 and "đã ngừng hoạt động từ trước" in again.output
    assert run("users", "activate", "--db", db_path, "vp1").exit_code == 0
    assert store.verify_password(db, "vp1", "Cay-tre-dau-lang") is not None
    db.close()


def test_create_missing_prints_each_password_once_and_writes_the_xlsx(run, db_path, tmp_path):
    db = store.open_db(db_path)
    store.add_unit(db, "KT", "Phòng Kinh tế")
    db.close()
    sheet = tmp_path / "tai-khoan.xlsx"
    result = run("users", "create-missing", "--db", db_path, "--xlsx", sheet,
                 "--login-url", "https://baocao.example.gov.vn/")
    assert result.exit_code == 0, result.output
    found = re.findall(r"^(\S+)\s+(\S+)\s+(\S+)\s{3}(.+)$", result.output, re.M)
    assert [(code, user) for code, user, _, _ in found] == [("KT", "kt"), ("VP", "vp")]
    book = openpyxl.load_workbook(sheet)
    rows = list(book.active.iter_rows(min_row=5, values_only=True))
    assert [(r[0], r[2], r[3]) for r in rows] == [(c, u, p) for c, u, p, _ in found]
    assert book.active["A1"].value == (
        "Địa chỉ đăng nhập: https://baocao.example.gov.vn/auth/login")
    db = store.open_db(db_path)
    for _, username, password, _ in found:
        assert result.output.count(password) == 1
        assert store.verify_password(db, username, password)["must_change"] == 1
    db.close()
    assert "không tạo thêm" in run("users", "create-missing", "--db", db_path).output
