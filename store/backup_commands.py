"""`decuong backup` and `decuong restore`: the database (uploaded files included) to a folder
and back, verified both ways."""

from __future__ import annotations

from pathlib import Path

import click

from forms.kinds.numbers import format_number
from store.backup import backup, restore
from store.cli_options import db_option, echo_json, json_option, store_errors


def _summary(manifest: dict) -> str:
    counts = manifest["counts"]
    return (f"{format_number(counts.get('submissions', 0))} báo cáo, "
            f"{format_number(counts.get('revisions', 0))} "
            f"lần lưu, {format_number(manifest.get('stored_files', 0))} tệp đã nộp; "
            f"{format_number(manifest['size'])} byte, SHA-256 {manifest['sha256'][:16]}…")


@click.command("backup")
@db_option
@click.option("-o", "--output", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write decuong.db and manifest.json into (must not hold a backup).")
@json_option
def backup_command(db_path: Path, out_dir: Path, as_json: bool) -> None:
    """Back up the database while the server keeps running (SQLite online backup).

    Uploaded workbooks are stored in the database, so they are in the backup too.
    """
    with store_errors():
        manifest = backup(db_path, out_dir)
    if as_json:
        echo_json(manifest)
        return
    click.echo(f"Đã sao lưu vào {out_dir}: {_summary(manifest)}")


@click.command("restore")
@click.argument("backup_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@click.option("--force", is_flag=True, help="Overwrite a database that already holds data.")
@json_option
def restore_command(backup_dir: Path, db_path: Path, force: bool, as_json: bool) -> None:
    """Restore a backup folder into --db after checking its hash and integrity.

    Stop the server first. Refuses to overwrite a database holding data unless --force.
    """
    with store_errors():
        manifest = restore(backup_dir, db_path, force=force)
    if as_json:
        echo_json(manifest)
        return
    click.echo(f"Đã phục hồi {db_path} từ bản sao lưu lúc {manifest['created_at']}: "
               f"{_summary(manifest)}")


COMMANDS = [backup_command, restore_command]
