"""`decuong remind`: e-mail the units of a round that have not submitted, by hand or from a
daily scheduled job (`--due N`)."""

from __future__ import annotations

from pathlib import Path

import click

import store
from store.cli_options import db_file_option, echo_json, json_option
from store.reminders import rounds_due
from webapp.reminders.mailer import Mailer
from webapp.reminders.run import (
    DRY_RUN,
    FAILED,
    NO_EMAIL,
    SENT,
    ReminderRefused,
    RoundReminders,
    remind_round,
)
from webapp.reminders.settings import ENV, SECURITY_MODES, SettingsError, base_url, smtp_settings

_WORDS = {SENT: "đã gửi", FAILED: "KHÔNG gửi được", NO_EMAIL: "chưa có địa chỉ thư",
          DRY_RUN: "sẽ gửi"}


def _print(result: RoundReminders) -> None:
    click.echo(f"Đợt báo cáo số {result.round}: {result.title}")
    if not result.units:
        click.echo("  Mọi đơn vị đã nộp; không gửi thư nào.")
    for unit in result.units:
        where = f" <{unit.email}>" if unit.email else ""
        click.echo(f"  {unit.unit:<10} {unit.name}{where}: {_WORDS[unit.status]}")
        if unit.error:
            click.echo(f"             {unit.error}")
    tail = " (chạy thử, không gửi thư nào)" if result.dry_run else ""
    click.echo(f"  Đã gửi {result.count(SENT)}, không gửi được {result.count(FAILED)}, chưa có "
               f"địa chỉ {result.count(NO_EMAIL)}, đã nộp (không nhắc) {result.submitted}{tail}.")


@click.command("remind")
@db_file_option
@click.option("--round", "round_id", type=int, default=None, help="Round id to remind.")
@click.option("--due", "due_days", type=click.IntRange(min=0), default=None,
              help="Instead of --round: every open round whose deadline falls within N days "
                   "(for a daily cron or Task Scheduler job).")
@click.option("--dry-run", is_flag=True, help="List who would be reminded; send nothing.")
@json_option
@click.option("--smtp-host", default=None, help=f"Mail server [env {ENV['host']}].")
@click.option("--smtp-port", type=int, default=None,
              help=f"Port [env {ENV['port']}; default 587, or 465 with --smtp-security tls].")
@click.option("--smtp-security", type=click.Choice(SECURITY_MODES), default=None,
              help=f"starttls (default), tls (implicit TLS) or none [env {ENV['security']}].")
@click.option("--smtp-user", default=None, help=f"Login name, if the server wants one "
                                                f"[env {ENV['user']}].")
@click.option("--smtp-from", default=None, help=f"Sender address [env {ENV['sender']}].")
@click.option("--base-url", "base_url_option", default=None,
              help=f"Address users open the site at, for the links [env {ENV['base_url']}].")
def remind_command(db_path: Path, round_id: int | None, due_days: int | None, dry_run: bool,
                   as_json: bool, smtp_host: str | None, smtp_port: int | None,
                   smtp_security: str | None, smtp_user: str | None, smtp_from: str | None,
                   base_url_option: str | None) -> None:
    """E-mail each unit that has not submitted: the round, its deadline (or how late) and the
    link to its fill page. Submitted units get nothing; each sending is in the audit log.

    The SMTP password is read from the environment only (DECUONG_SMTP_PASSWORD), never from
    an option, so it does not appear in the process list or the shell history.
    """
    if (round_id is None) == (due_days is None):
        raise click.UsageError("Hãy chọn một trong hai: --round R hoặc --due N.")
    options = {"host": smtp_host, "port": smtp_port, "security": smtp_security,
               "user": smtp_user, "sender": smtp_from,
               "base_url": base_url_option}
    link_base = base_url(options)
    settings = None
    if not dry_run:
        try:
            settings = smtp_settings(options)
        except SettingsError as exc:
            raise click.ClickException(str(exc)) from None
        if link_base is None:
            raise click.ClickException(
                f"Chưa có địa chỉ trang web cho đường dẫn trong thư: hãy đặt {ENV['base_url']} "
                "(ví dụ https://baocao.example.gov.vn) hoặc --base-url.")
    db = store.open_db(db_path)
    results: list[RoundReminders] = []
    try:
        ids = [round_id] if round_id is not None else [
            r["id"] for r in rounds_due(db, due_days or 0)]
        mailer = Mailer(settings) if settings is not None else None
        try:
            for rid in ids:
                results.append(remind_round(db, rid, settings=settings, base_url=link_base,
                                            actor="cli", dry_run=dry_run, mailer=mailer))
        finally:
            if mailer is not None:
                mailer.close()
    except ReminderRefused as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()
    if as_json:
        data = ({"rounds": [r.as_dict() for r in results]} if due_days is not None
                else results[0].as_dict())
        echo_json(data)
    else:
        if due_days is not None and not results:
            click.echo(f"Không có đợt báo cáo nào đang mở có hạn nộp trong {due_days} ngày tới.")
        for result in results:
            _print(result)
    if any(r.count(FAILED) for r in results):
        raise SystemExit(1)


COMMANDS = [remind_command]
