"""`decuong serve` (the web application under waitress) and `decuong users add|reset-password`."""

from __future__ import annotations

from pathlib import Path

import click

import store
from webapp import serving

DB_OPTION = click.option("--db", "db_path", required=True, type=click.Path(path_type=Path),
                         help="SQLite database file.")


@click.command("serve")
@DB_OPTION
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
def serve_command(db_path: Path, host: str, port: int, threads: int, instance: Path | None,
                  max_upload_mb: float | None, connection_limit: int | None,
                  channel_timeout: int | None, cleanup_interval: int | None,
                  behind_proxy: bool) -> None:
    """Serve the web application with waitress (also runs on Windows).

    Holds a lock beside the database while it runs, so `decuong restore` refuses to replace
    the file under it. Limits are explained in docs/reliability.md; for a network, put it
    behind nginx (README, "Production setup").
    """
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


@users_group.command("add")
@DB_OPTION
@click.argument("username")
@click.option("--role", type=click.Choice(store.ROLES), required=True,
              help="coordinator (đầu mối tổng hợp) or unit (đơn vị).")
@click.option("--unit", "unit_code", default=None, help="Unit code, for a unit account.")
@click.option("--password", default=None,
              help="The password; prompted (hidden) when omitted, which keeps it out of the "
                   "shell history.")
def users_add(db_path: Path, username: str, role: str, unit_code: str | None,
              password: str | None) -> None:
    """Create an account."""
    if password is None:
        password = click.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
    db = store.open_db(db_path)
    try:
        account = store.add_account(db, username, password, role, unit_code, actor="cli")
    except store.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()
    where = f" của đơn vị {account['unit_code']}" if account["unit_code"] else ""
    click.echo(f"Đã tạo tài khoản {account['username']} ({role}){where}.")


@users_group.command("reset-password")
@DB_OPTION
@click.argument("username")
@click.option("--password", default=None, help="The new password; prompted when omitted.")
def users_reset_password(db_path: Path, username: str, password: str | None) -> None:
    """Set a new password (also unlocks an account locked after failed logins)."""
    if password is None:
        password = click.prompt("Mật khẩu mới", hide_input=True, confirmation_prompt=True)
    db = store.open_db(db_path)
    try:
        store.set_password(db, username, password, actor="cli")
    except store.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()
    click.echo(f"Đã đặt lại mật khẩu cho {username.strip().lower()}.")


COMMANDS = [serve_command, users_group]
