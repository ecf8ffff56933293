"""`decuong export` and `decuong snapshot`: the command-line face of consolidation outputs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from aggregate.source import RoundInput, round_input
from exports import FORMATS
from exports.meta import ExportMeta, period_text
from store.cli_options import (
    db_file_option,
    echo_json,
    json_option,
    open_or_fail,
    opened,
    round_option,
    store_errors,
)
from store.round_documents import DocumentDetails


def meta_for(source: RoundInput, now: datetime | None = None) -> ExportMeta:
    """What the exports print about a round read from the store."""
    row = source.round
    snapshot = source.snapshot
    return ExportMeta(
        round_title=row["title"], period=period_text(row),
        deadline=datetime.fromisoformat(row["deadline"]),
        generated_at=now or datetime.now(UTC), round_id=row["id"], basis=source.basis,
        snapshot_label=snapshot["label"] if snapshot else None,
        snapshot_at=datetime.fromisoformat(snapshot["created_at"]) if snapshot else None,
        contacts=source.contacts, document=DocumentDetails.from_row(row),
    )


@click.command("export")
@db_file_option
@round_option
@click.option("--format", "fmt", required=True, type=click.Choice(sorted(FORMATS)),
              help="xlsx workbook, csv (a .zip of tables, or one table to a .csv path) or "
                   "docx report draft.")
@click.option("--basis", type=click.Choice(["submitted", "accepted"]), default="submitted",
              show_default=True, help="Which reports count: submitted (and accepted) or only "
                                      "accepted ones.")
@click.option("--snapshot", "snapshot_id", type=int, help="Export a frozen snapshot instead.")
@click.option("--unit", "unit_code", help="With --format docx: that unit's own report (its "
                                         "latest revision) instead of the consolidation.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Output file.")
def export_command(db_path: Path, round_id: int, fmt: str, basis: str,
                   snapshot_id: int | None, unit_code: str | None, output: Path) -> None:
    """Write the consolidated round as xlsx, csv or docx, or a unit's own report (docx)."""
    db = open_or_fail(db_path, must_exist=True)
    if unit_code is not None:
        if fmt != "docx":
            raise click.ClickException("Báo cáo của một đơn vị (--unit) chỉ xuất được dạng "
                                       "docx: hãy dùng --format docx.")
        _unit_report(db, round_id, unit_code, output)
        return
    with store_errors():
        source = round_input(db, round_id, basis="snapshot" if snapshot_id else basis,
                             snapshot_id=snapshot_id)
    consolidation = source.consolidate()
    output.parent.mkdir(parents=True, exist_ok=True)
    FORMATS[fmt](consolidation, output, meta=meta_for(source))
    done = consolidation.completeness
    click.echo(f"Đã ghi {output} ({done.submitted}/{done.expected} đơn vị đã nộp).")


def _unit_report(db, round_id: int, unit_code: str, output: Path) -> None:
    """`export --unit U --format docx`: the unit's own report, as the web page makes it."""
    import store
    from exports.docx import write_unit_report

    with store_errors():
        round_row = store.get_round(db, round_id)
        units = store.round_units(db, round_id, unit_code, round_checked=True)
        if not units:
            raise store.NotFound(f"Đợt báo cáo số {round_id} không có đơn vị mã '{unit_code}'.")
        revision = store.get_revision(db, round_id, unit_code, None)
        if revision is None:
            raise store.NotFound(f"Đơn vị '{unit_code}' chưa lưu báo cáo nào trong đợt số "
                                 f"{round_id}.")
        unit = units[0]
        parent = store.get_unit(db, unit["parent"])["name"] if unit.get("parent") else None
        outline = store.outline_for_round(db, round_id)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_unit_report(outline, unit, revision, output, round_row=round_row,
                      document=store.round_document(db, round_id), parent_name=parent,
                      generated_at=datetime.now(UTC))
    click.echo(f"Đã ghi {output} (báo cáo của {unit['name']}, lần lưu {revision['number']}).")


@click.group("snapshot")
def snapshot_group() -> None:
    """Frozen consolidation inputs of a round (chốt số liệu)."""


@snapshot_group.command("create")
@db_file_option
@round_option
@click.option("--label", help="Name of the snapshot, e.g. 'Số liệu gửi UBND tỉnh'.")
@click.option("--basis", type=click.Choice(["submitted", "accepted"]), default="submitted",
              show_default=True, help="Which reports count.")
@click.option("--actor", default="cli", show_default=True, help="Who freezes it.")
@json_option
def snapshot_create(db_path: Path, round_id: int, label: str | None, basis: str, actor: str,
                    as_json: bool) -> None:
    """Freeze the round's consolidation input as it is now."""
    from store.snapshots import create_snapshot, get_snapshot, snapshot_meta

    with opened(db_path, must_exist=True) as db:
        snapshot_id = create_snapshot(db, round_id, label=label, basis=basis, actor=actor)
        row = snapshot_meta(get_snapshot(db, snapshot_id))
    if as_json:
        echo_json(row)
    else:
        click.echo(f"Đã chốt số liệu: bản số {snapshot_id} «{row['label']}» "
                   f"({row['reported_count']}/{row['unit_count']} đơn vị có số liệu).")


@snapshot_group.command("list")
@db_file_option
@round_option
@json_option
def snapshot_list(db_path: Path, round_id: int, as_json: bool) -> None:
    """List the round's snapshots."""
    from exports.meta import show_datetime
    from store.snapshots import list_snapshots

    with opened(db_path, must_exist=True) as db:
        rows = list_snapshots(db, round_id)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(f"Đợt báo cáo số {round_id} chưa có bản chốt số liệu nào.")
    for row in rows:
        when = show_datetime(datetime.fromisoformat(row["created_at"]))
        click.echo(f"{row['id']:>4}  {row['label']}  {when}  {row['created_by']}  "
                   f"{row['reported_count']}/{row['unit_count']} đơn vị")


COMMANDS = [export_command, snapshot_group]

__all__ = ["COMMANDS", "export_command", "meta_for", "snapshot_group"]
