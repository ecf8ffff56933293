"""`decuong users list | deactivate | activate | create-missing`: the command-line side of the
coordinator's accounts page (webapp/accounts.py), through the same store functions."""

from __future__ import annotations

import json
from pathlib import Path

import click

import store
from webapp.credentials import credentials_xlsx

DB_OPTION = click.option("--db", "db_path", required=True, type=click.Path(path_type=Path),
                         help="SQLite database file.")


def _state(account: store.AccountWithUnit) -> str:
    if account["disabled_at"]:
        return "đã ngừng"
    return "chờ đổi mật khẩu tạm thời" if account["must_change"] else "đang hoạt động"


@click.command("list")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def users_list(db_path: Path, as_json: bool) -> None:
    """List accounts with their unit and state (active, waiting for a first password change,
    deactivated); never a password."""
    db = store.open_db(db_path)
    try:
        accounts = store.list_accounts_with_units(db)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps([{**a, "must_change": bool(a["must_change"]),
                                "state": _state(a)} for a in accounts],
                              ensure_ascii=False, indent=2))
        return
    for a in accounts:
        who = "đầu mối tổng hợp" if a["role"] == "coordinator" else (
            f"{a['unit_name']} ({a['unit_code']})")
        click.echo(f"{a['username']:<20} {who:<50} {_state(a)}")


@click.command("deactivate")
@DB_OPTION
@click.argument("username")
def users_deactivate(db_path: Path, username: str) -> None:
    """Stop an account: its sessions end now and it cannot log in (history keeps its name)."""
    db = store.open_db(db_path)
    try:
        ended = store.deactivate_account(db, username, actor="cli")
    except store.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()
    click.echo(f"Đã ngừng tài khoản {username.strip().lower()}; đã đăng xuất {ended} phiên.")


@click.command("activate")
@DB_OPTION
@click.argument("username")
def users_activate(db_path: Path, username: str) -> None:
    """Let a deactivated account log in again, with the password it had."""
    db = store.open_db(db_path)
    try:
        store.reactivate_account(db, username, actor="cli")
    except store.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()
    click.echo(f"Tài khoản {username.strip().lower()} hoạt động lại.")


@click.command("create-missing")
@DB_OPTION
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write the usernames and one-time passwords to this "
                                 "xlsx (keep it private; delete it once handed over).")
@click.option("--login-url", default="", envvar="DECUONG_BASE_URL",
              help="Address of the site printed on the sheet [env DECUONG_BASE_URL].")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def users_create_missing(db_path: Path, xlsx_path: Path | None, login_url: str,
                         as_json: bool) -> None:
    """Create an account with a one-time password for every unit that has none; print each
    username and password once (they are stored only as hashes)."""
    db = store.open_db(db_path)
    try:
        made = store.create_missing_accounts(db, actor="cli")
    except store.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()
    if xlsx_path is not None and made:
        url = login_url.rstrip("/") + "/auth/login" if login_url else "(địa chỉ trang web)"
        xlsx_path.write_bytes(credentials_xlsx(made, url))
    if as_json:
        click.echo(json.dumps([{"unit": c.unit_code, "name": c.unit_name,
                                "username": c.username, "password": c.password}
                               for c in made], ensure_ascii=False, indent=2))
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
