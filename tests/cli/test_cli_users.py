"""`decuong users add|reset-password`: the password policy, and a generated password printed
once when none is given."""

from __future__ import annotations

import re

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
