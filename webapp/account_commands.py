"""`decuong users list | deactivate | activate | create-missing`: the command-line side of the
coordinator's accounts page (webapp/accounts.py), through the same store functions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from sqlite_utils import Database

import store
from store.cli_options import db_file_option, echo_json, json_option, opened
from webapp.credentials import credentials_xlsx


def _state(account: store.AccountWithUnit) -> str:
    if account["disabled_at"]:
        return "đã ngừng"
    return "chờ đổi mật khẩu tạm thời" if account["must_change"] else "đang hoạt động"


@click.command("list")
@db_file_option
@json_option
def users_list(db_path: Path, as_json: bool) -> None:
    """List accounts with their unit and state (active, waiting for a first password change,
    deactivated); never a password."""
    with opened(db_path) as db:
        accounts = store.list_accounts_with_units(db)
    if as_json:
        echo_json([{**a, "must_change": bool(a["must_change"]), "state": _state(a)}
                   for a in accounts])
        return
    for a in accounts:
        who = "đầu mối tổng hợp" if a["role"] == "coordinator" else (
            f"{a['unit_name']} ({a['unit_code']})")
        click.echo(f"{a['username']:<20} {who:<50} {_state(a)}")


def _account_move(name: str, help: str, move: Callable[[Database, str], str]) -> click.Command:
    """`users NAME --db DB USERNAME`: one change to one account, made by `move`, which says
    what it did (the username as stored: trimmed, lower case)."""

    @click.command(name, help=help)
    @db_file_option
    @click.argument("username")
    def command(db_path: Path, username: str) -> None:
        with opened(db_path) as db:
            said = move(db, username.strip().lower())
        click.echo(said)

    return command


def _deactivate(db: Database, username: str) -> str:
    ended = store.deactivate_account(db, username, actor="cli")
    return f"Đã ngừng tài khoản {username}; đã đăng xuất {ended} phiên."


def _activate(db: Database, username: str) -> str:
    store.reactivate_account(db, username, actor="cli")
    return f"Tài khoản {username} hoạt động lại."


users_deactivate = _account_move(
    "deactivate", "Stop an account: its sessions end now and it cannot log in (history keeps its "
    "name).", _deactivate)
users_activate = _account_move(
    "activate", "Let a deactivated account log in again, with the password it had.", _activate)


@click.command("create-missing")
@db_file_option
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write the usernames and one-time passwords to this "
                                 "xlsx (keep it private; delete it once handed over).")
@click.option("--login-url", default="", envvar="DECUONG_BASE_URL",
              help="Address of the site printed on the sheet [env DECUONG_BASE_URL].")
@json_option
def users_create_missing(db_path: Path, xlsx_path: Path | None, login_url: str,
                         as_json: bool) -> None:
    """Create an account with a one-time password for every unit that has none; print each
    username and password once (they are stored only as hashes)."""
    with opened(db_path) as db:
        made = store.create_missing_accounts(db, actor="cli")
    if xlsx_path is not None and made:
        url = login_url.rstrip("/") + "/auth/login" if login_url else "(địa chỉ trang web)"
        xlsx_path.write_bytes(credentials_xlsx(made, url))
    if as_json:
        echo_json([{"unit": c.unit_code, "name": c.unit_name, "username": c.username,
                    "password": c.password} for c in made])
        return
    if not made:
        click.echo("Mọi đơn vị đều đã có tài khoản; không tạo thêm tài khoản nào.")
        return
    for c in made:
        click.echo(f"{c.unit_code:<10} {c.username:<20} {c.password}   {c.unit_name}")
    click.echo(f"Đã tạo {len(made)} tài khoản. Mật khẩu tạm thời chỉ hiện một lần"
               + (f" (và trong tệp {xlsx_path.name})" if xlsx_path is not None else "")
               + "; lần đăng nhập đầu tiên hệ thống yêu cầu đặt mật khẩu mới.")


ACCOUNT_COMMANDS = [users_list, users_deactivate, users_activate, users_create_missing]
