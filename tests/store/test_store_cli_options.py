"""The pieces every package's commands share (store/cli_options.py): a refusal from the store
ends a command with its Vietnamese message and status 1, never a traceback; a command that
only reads a database does not create an empty one; the database is closed after the block."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from store.cli_options import db_file_option, json_option, open_or_fail, opened, store_errors
from store.errors import NotFound


def test_a_store_refusal_becomes_the_commands_error_message():
    with pytest.raises(click.ClickException) as caught, store_errors():
        raise NotFound("Không có đợt báo cáo số 7.")
    assert caught.value.message == "Không có đợt báo cáo số 7."


def test_other_errors_are_not_turned_into_messages():
    with pytest.raises(KeyError), store_errors():
        raise KeyError("a bug stays a bug")


def test_a_reading_command_refuses_a_missing_file_and_creates_none(tmp_path: Path):
    missing = tmp_path / "khong-co.db"
    with pytest.raises(click.ClickException) as caught:
        open_or_fail(missing, must_exist=True)
    assert caught.value.message == f"Không có tệp cơ sở dữ liệu '{missing}'."
    assert not missing.exists()


def test_opened_closes_the_database_even_when_the_store_refuses(tmp_path: Path):
    path = tmp_path / "d.db"
    with pytest.raises(click.ClickException) as caught, opened(path) as db:
        kept = db
        raise NotFound("Không có tài khoản 'x'.")
    assert caught.value.message == "Không có tài khoản 'x'."
    with pytest.raises(sqlite3.ProgrammingError):  # closed: no statement runs any more
        kept.conn.execute("SELECT 1")


def test_a_command_built_from_the_shared_options_exits_1_with_the_message(tmp_path: Path):
    @click.command()
    @db_file_option
    @json_option
    def probe(db_path: Path, as_json: bool) -> None:
        with opened(db_path, must_exist=True):
            pass

    result = CliRunner().invoke(probe, ["--db", str(tmp_path / "none.db"), "--json"])
    assert result.exit_code == 1
    assert "Không có tệp cơ sở dữ liệu" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
