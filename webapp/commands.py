"""`decuong serve` (the web application under waitress) and `decuong users add|reset-password`."""

from __future__ import annotations

import os
from pathlib import Path

import click

import store
from store.cli_options import db_file_option, opened
from webapp import serving
from webapp.account_commands import ACCOUNT_COMMANDS


@click.command("serve")
@db_file_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface; behind a reverse "
                   "proxy keep 127.0.0.1).")
@click.option("--port", default=8080, show_default=True, type=int, help="TCP port.")
@click.option("--threads", default=2, show_default=True, type=int,
              help="Worker threads. Pages are CPU-bound under one interpreter lock, so more "
                   "threads add contention, not speed; raise it only for many slow uploads "
                   "(see docs/performance.md).")
@click.option("--instance", type=click.Path(path_type=Path), default=None,
              help="Folder for the secret key and config.py [default: 'instance' next to the "
                   "database].")
@click.option("--max-upload-mb", type=float, default=None, envvar="DECUONG_MAX_UPLOAD_MB",
              help="Largest request body accepted (uploads), in MB [default: 20]. Waitress "
                   "itself refuses, before reading it, a body over this plus 1 MB.")
@click.option("--connection-limit", type=click.IntRange(min=1), default=None,
              envvar="DECUONG_CONNECTION_LIMIT",
              help=f"Open connections accepted at once; more wait in the queue [default: "
                   f"{serving.DEFAULT_CONNECTION_LIMIT}, never above 500 on Windows; config "
                   "SERVER_CONNECTION_LIMIT].")
@click.option("--channel-timeout", type=click.IntRange(min=1), default=None,
              envvar="DECUONG_CHANNEL_TIMEOUT",
              help=f"Seconds a connection may stay silent (a half-sent request, an idle "
                   f"keep-alive) before it is closed [default: {serving.DEFAULT_CHANNEL_TIMEOUT}"
                   "; config SERVER_CHANNEL_TIMEOUT]. A request being answered is never "
                   "silent.")
@click.option("--cleanup-interval", type=click.IntRange(min=1), default=None,
              envvar="DECUONG_CLEANUP_INTERVAL",
              help=f"Seconds between two sweeps for silent connections [default: "
                   f"{serving.DEFAULT_CLEANUP_INTERVAL}; config SERVER_CLEANUP_INTERVAL].")
@click.option("--behind-proxy", is_flag=True, default=False, envvar="DECUONG_BEHIND_PROXY",
              help="A reverse proxy on this machine (deploy/nginx/decuong.conf) forwards the "
                   "requests: trust its X-Forwarded-For/-Proto/-Host (from 127.0.0.1 only), "
                   "and mark the session cookie Secure when it says https [config "
                   "PROXY_COUNT]. Without it those headers are removed.")
@click.option("--session-idle-minutes", type=click.FloatRange(min=0, min_open=True),
              default=None, envvar="DECUONG_SESSION_IDLE_MINUTES",
              help="Log a user out after this many minutes without a request [default: 480, "
                   "a working day; config SESSION_IDLE_MINUTES].")
def serve_command(db_path: Path, host: str, port: int, threads: int, instance: Path | None,
                  max_upload_mb: float | None, connection_limit: int | None,
                  channel_timeout: int | None, cleanup_interval: int | None,
                  behind_proxy: bool, session_idle_minutes: float | None) -> None:
    """Serve the web application with waitress (also runs on Windows).

    Holds a lock beside the database while it runs, so `decuong restore` refuses to replace
    the file under it. Limits are explained in docs/reliability.md; for a network, put it
    behind nginx (README, "Production setup").
    """
    if session_idle_minutes is not None:
        os.environ["DECUONG_SESSION_IDLE_MINUTES"] = str(session_idle_minutes)
    try:
        serving.serve(db_path, host=host, port=port, instance=instance,
                      max_upload_mb=max_upload_mb, behind_proxy=behind_proxy, threads=threads,
                      connection_limit=connection_limit, channel_timeout=channel_timeout,
                      cleanup_interval=cleanup_interval)
    except (store.StoreError, ValueError) as exc:  # ValueError: a limit in config.py below 1
        raise click.ClickException(str(exc)) from None


@click.group("users")
def users_group() -> None:
    """Coordinator and unit accounts."""


def _new_password(password: str | None, prompt: bool, label: str) -> tuple[str, bool]:
    """The password to set and whether it was generated (then printed once)."""
    if password is not None and prompt:
        raise click.UsageError("Chỉ dùng một trong hai: --password hoặc --prompt.")
    if password is not None:
        return password, False
    if prompt:
        return click.prompt(label, hide_input=True, confirmation_prompt=True), False
    return store.generate_password(), True


def _show_generated(username: str, password: str) -> None:
    click.echo(f"Mật khẩu của {username}: {password}")
    click.echo("Mật khẩu tạm thời này chỉ hiện một lần: hãy chuyển cho người dùng qua kênh riêng; "
               "lần đăng nhập đầu tiên hệ thống yêu cầu họ đặt mật khẩu mới.")


PASSWORD_HELP = ("The password (must pass the password policy: at least "
                 f"{store.password_policy.MIN_LENGTH} characters, not a common one). When "
                 "omitted, a strong one-time password is generated and printed once; it must "
                 "be changed at the first login.")
PROMPT_HELP = "Ask for the password (hidden, typed twice) instead of generating one."


@users_group.command("add")
@db_file_option
@click.argument("username")
@click.option("--role", type=click.Choice(store.ROLES), required=True,
              help="coordinator (đầu mối tổng hợp) or unit (đơn vị).")
@click.option("--unit", "unit_code", default=None, help="Unit code, for a unit account.")
@click.option("--password", default=None, help=PASSWORD_HELP)
@click.option("--prompt", is_flag=True, help=PROMPT_HELP)
def users_add(db_path: Path, username: str, role: str, unit_code: str | None,
              password: str | None, prompt: bool) -> None:
    """Create an account (with a generated password unless one is given)."""
    password, generated = _new_password(password, prompt, "Mật khẩu")
    with opened(db_path) as db:
        account = store.add_account(db, username, password, role, unit_code, actor="cli",
                                    one_time=generated)
    where = f" của đơn vị {account['unit_code']}" if account["unit_code"] else ""
    click.echo(f"Đã tạo tài khoản {account['username']} ({role}){where}.")
    if generated:
        _show_generated(account["username"], password)


@users_group.command("reset-password")
@db_file_option
@click.argument("username")
@click.option("--password", default=None, help=PASSWORD_HELP)
@click.option("--prompt", is_flag=True, help=PROMPT_HELP)
def users_reset_password(db_path: Path, username: str, password: str | None,
                         prompt: bool) -> None:
    """Set a new password and log the account out everywhere (a generated one unless given)."""
    password, generated = _new_password(password, prompt, "Mật khẩu mới")
    with opened(db_path) as db:
        ended = store.set_password(db, username, password, actor="cli", one_time=generated)
    name = username.strip().lower()
    click.echo(f"Đã đặt lại mật khẩu cho {name}; đã đăng xuất {ended} phiên đang mở.")
    if generated:
        _show_generated(name, password)


for _command in ACCOUNT_COMMANDS:
    users_group.add_command(_command)

COMMANDS = [serve_command, users_group]
