"""`decuong serve` (the web application under waitress) and `decuong users add|reset-password`."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import click

import store

DB_OPTION = click.option("--db", "db_path", required=True, type=click.Path(path_type=Path),
                         help="SQLite database file.")


@click.command("serve")
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=8080, show_default=True, type=int, help="TCP port.")
@click.option("--threads", default=2, show_default=True, type=int,
              help="Worker threads. Pages are CPU-bound under one interpreter lock, so more "
                   "threads add contention, not speed; raise it only for many slow uploads "
                   "(see docs/performance.md).")
@click.option("--instance", type=click.Path(path_type=Path), default=None,
              help="Folder for the secret key and config.py [default: 'instance' next to the "
                   "database].")
@click.option("--max-upload-mb", type=float, default=None, envvar="DECUONG_MAX_UPLOAD_MB",
              help="Largest request body accepted (uploads), in MB [default: 20].")
def serve_command(db_path: Path, host: str, port: int, threads: int, instance: Path | None,
                  max_upload_mb: float | None) -> None:
    """Serve the web application with waitress (also runs on Windows)."""
    import waitress

    from webapp import create_app

    db_path = db_path.resolve()
    db = store.open_db(db_path)  # create and migrate now: a bad path fails here, not per request
    db.close()
    os.environ["DECUONG_DB"] = str(db_path)
    os.environ["DECUONG_INSTANCE"] = str((instance or db_path.parent / "instance").resolve())
    if max_upload_mb is not None:
        os.environ["DECUONG_MAX_UPLOAD_MB"] = str(max_upload_mb)
    app = create_app()
    # Everything loaded so far (modules, the app) lives as long as the process: moved out of
    # the collector's sight, a full collection no longer walks ~100 000 objects, which stalled
    # every request in flight for tens of milliseconds about once per hundred requests.
    gc.collect()
    gc.freeze()
    click.echo(f"Đang phục vụ {db_path.name} tại http://{host}:{port}/ (Ctrl+C để dừng)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="decuong")


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
