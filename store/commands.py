"""`decuong demo`, `units` and `round`: the command-line face of the store (`import` is in
store/import_commands.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click

from store.cli_options import db_option, echo_json, json_option, open_or_fail, opened, round_option
from store.document_options import document_options, document_values
from store.errors import StoreError
from store.outline_catalog import outline_for_new_round
from store.round_documents import clean_details, set_round_document
from store.round_summary import RoundStatus, round_status, round_summary
from store.rounds import VIETNAM, create_round, deadline_end_of_day, list_rounds
from store.submissions import STATUS_LABELS
from store.unit_lists import read_unit_list
from store.units import upsert_units


def _local(iso: str | None) -> str:
    if not iso:
        return "—"
    return datetime.fromisoformat(iso).astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def print_status(status: RoundStatus) -> None:
    click.echo(f"Đợt báo cáo số {status['round']} — hạn nộp {_local(status['deadline'])}")
    for unit in status["units"]:
        late = " (nộp muộn)" if unit["late"] else ""
        label = STATUS_LABELS.get(unit["status"], unit["status"])
        when = f" lúc {_local(unit['submitted_at'])}" if unit["submitted_at"] else ""
        click.echo(f"  {unit['unit_code']:<10} {unit['name'] or '':<40} {label}{when}{late}")


# -- demo -------------------------------------------------------------------------------------
@click.command("demo")
@db_option
@json_option
def demo_command(db_path: Path, as_json: bool) -> None:
    """Create the Cẩm Giang demo: four units, their accounts and an open round.

    Safe to run again on a demo database: existing data is kept. Refuses a database in real
    use (units, accounts or rounds the demo did not create): the demo's passwords are public.
    """
    from store.demo import create_demo

    with opened(db_path) as db:
        demo = create_demo(db)
        if as_json:
            echo_json({k: demo[k] for k in ("round", "units", "accounts")})
            return
        status = round_status(db, demo["round"])
    click.echo("Đã tạo dữ liệu mẫu." if demo["created"] else "Dữ liệu mẫu đã có sẵn.")
    click.echo("Tài khoản (tên đăng nhập / mật khẩu / vai trò):")
    for account in demo["accounts"]:
        role = "đầu mối tổng hợp" if account["role"] == "coordinator" else (
            f"đơn vị {account['unit']}")
        click.echo(f"  {account['username']:<10} {account['password']:<16} {role}")
    print_status(status)


# -- units ------------------------------------------------------------------------------------
@click.group("units")
def units_group() -> None:
    """Units (đơn vị) that report."""


@units_group.command("import")
@db_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def units_import(db_path: Path, file: Path) -> None:
    """Add or update units from FILE.csv or FILE.xlsx (code, name, kind, parent, contact)."""
    db = open_or_fail(db_path)
    try:
        rows = read_unit_list(file.read_bytes(), file.name)
        count = upsert_units(db, rows, first_row=2, actor="cli")
    except StoreError as exc:
        raise click.ClickException(f"{file.name}: {exc}") from None
    click.echo(f"Đã ghi {count} đơn vị.")


# -- rounds -----------------------------------------------------------------------------------
@click.group("round")
def round_group() -> None:
    """Reporting rounds (đợt báo cáo)."""


@round_group.command("create")
@db_option
@click.option("--outline", "outline_id", required=True,
              help="Outline ID (its newest version) or ID:VERSION, from the outline folders or "
                   "kept in the database (decuong outlines list --db PATH).")
@click.option("--title", required=True, help="Round title.")
@click.option("--deadline", required=True, type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]),
              help="Deadline day (YYYY-MM-DD or dd/mm/yyyy), end of day in Vietnam.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]), help="Period start.")
@click.option("--end", type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]), help="Period end.")
@click.option("--unit", "units", multiple=True, required=True, help="Expected unit code.")
@document_options
@json_option
def round_create(db_path: Path, outline_id: str, title: str, deadline: datetime,
                 start: datetime | None, end: datetime | None, units: tuple[str, ...],
                 as_json: bool, **doc: Any) -> None:
    """Open a round of an outline for the given units (with its document details)."""
    details = document_values(doc)
    try:
        clean_details(details)  # a bad detail opens no round
    except StoreError as exc:
        raise click.ClickException("; ".join(exc.errors or [str(exc)])) from None
    with opened(db_path) as db:
        outline = outline_for_new_round(db, outline_id, actor="cli")
        round_id = create_round(
            db, outline_id=outline.id, outline_version=outline.version, title=title,
            period_start=(start.date() if start else outline.period.start),
            period_end=(end.date() if end else outline.period.end),
            period_label=outline.period.label if not (start or end) else None,
            deadline=deadline_end_of_day(deadline.date()), units=list(units), created_by="cli")
        if details:
            set_round_document(db, round_id, details, actor="cli")
    if as_json:
        echo_json({"round": round_id})
    else:
        click.echo(f"Đã mở đợt báo cáo số {round_id}.")


@round_group.command("update")
@db_option
@round_option
@document_options
@json_option
def round_update(db_path: Path, round_id: int, as_json: bool, **doc: Any) -> None:
    """Change a round's document details (only the options given; '' clears one)."""
    details = document_values(doc)
    if not details:
        raise click.ClickException("Không có gì để sửa: hãy cho ít nhất một tùy chọn --doc-….")
    db = open_or_fail(db_path)
    try:
        stored = set_round_document(db, round_id, details, actor="cli")
    except StoreError as exc:
        raise click.ClickException("; ".join(exc.errors or [str(exc)])) from None
    if as_json:
        echo_json({"round": round_id, **stored.as_row()})
    else:
        click.echo(f"Đã lưu thông tin văn bản của đợt báo cáo số {round_id}.")


@round_group.command("list")
@db_option
@json_option
def round_list(db_path: Path, as_json: bool) -> None:
    """List rounds with their deadline and how many units reported."""
    db = open_or_fail(db_path)
    rows: list[dict[str, Any]] = []
    for row in list_rounds(db):
        summary = round_summary(db, row["id"])
        rows.append({"round": row["id"], "title": row["title"], "outline": row["outline_id"],
                     "version": row["outline_version"], "deadline": row["deadline"],
                     "period": row["period_kind"], "year": row["period_year"],
                     "expected": summary["expected"], "submitted": summary["submitted"]})
    if as_json:
        echo_json(rows)
        return
    for line in rows:
        click.echo(f"{line['round']:>4}  {line['title']}  hạn {_local(line['deadline'])}  "
                   f"đã nộp {line['submitted']}/{line['expected']}")


@round_group.command("status")
@db_option
@round_option
@json_option
def round_status_command(db_path: Path, round_id: int, as_json: bool) -> None:
    """Who has reported in a round: status, time, late flag and revision per unit."""
    with opened(db_path) as db:
        status = round_status(db, round_id)
    if as_json:
        # The command line's JSON names a unit "unit", as import, ingest and remind do.
        echo_json({**status, "units": [
            {"unit": u["unit_code"], **{k: v for k, v in u.items() if k != "unit_code"}}
            for u in status["units"]]})
    else:
        print_status(status)


COMMANDS = [demo_command, units_group, round_group]

__all__ = ["COMMANDS", "print_status"]
