"""`decuong template` and `decuong ingest`: the Excel channel from the command line."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import click

from forms.excel import Identity, write_template
from forms.excel.reader import MAX_BYTES
from store.bulk_ingest import MAX_WORKERS, ingest_many
from store.commands import _open, db_option, json_option
from store.errors import StoreError
from store.installation import template_key
from store.outlines import outline_for_round
from store.rounds import get_round
from store.submissions import get_revision
from store.units import get_unit
from store.uploads import ACCEPTED, DUPLICATE, UploadOutcome

MAX_FILES_PER_BATCH = 5_000


def template_bytes(db, round_id: int, unit_code: str | None, *, prefill: bool = True) -> bytes:
    """The template of a round (for one unit, pre-filled with its latest revision if any)."""
    round_row = get_round(db, round_id)
    outline = outline_for_round(db, round_id)
    unit = get_unit(db, unit_code) if unit_code else None
    values = None
    if unit and prefill:
        revision = get_revision(db, round_id, unit["code"])
        values = revision["values"] if revision else None
    identity = Identity(outline.id, outline.version, round_id=round_id,
                        round_title=round_row["title"],
                        unit_code=unit["code"] if unit else None,
                        unit_name=unit["name"] if unit else None)
    buffer = io.BytesIO()
    write_template(outline, buffer, identity=identity, key=template_key(db), values=values,
                   period_label=round_row.get("period_label"))
    return buffer.getvalue()


@click.command("template")
@db_option
@click.option("--round", "round_id", required=True, type=int, help="Round id.")
@click.option("--unit", "unit_code", help="Unit code: the template carries its identity.")
@click.option("--blank", is_flag=True, help="Do not pre-fill with the unit's latest revision.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .xlsx file to write.")
def template_command(db_path: Path, round_id: int, unit_code: str | None, blank: bool,
                     output: Path) -> None:
    """Write the Excel template of a round, for one unit or any unit."""
    db = _open(db_path)
    try:
        data = template_bytes(db, round_id, unit_code, prefill=not blank)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    output.write_bytes(data)
    click.echo(f"Đã ghi mẫu {output} ({len(data):,} byte).".replace(",", "."))


def _expand(paths: tuple[Path, ...]) -> Iterator[tuple[str, bytes | str]]:
    """(name, bytes) for every workbook in files, folders and .zip archives; (name, error) for
    what cannot be read, so one bad entry never stops the batch."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".zip"):
                    yield from _expand((child,))
        elif path.suffix.lower() == ".zip":
            try:
                archive = zipfile.ZipFile(path)
                members = [m for m in archive.infolist() if not m.is_dir()]
            except (OSError, zipfile.BadZipFile) as exc:
                yield str(path), f"Không mở được tệp nén: {exc}."
                continue
            for member in members:
                name = f"{path.name}/{member.filename}"
                if member.file_size > MAX_BYTES:
                    yield name, (f"Tệp quá lớn ({member.file_size:,} byte); giới hạn "
                                 f"{MAX_BYTES:,} byte.").replace(",", ".")
                    continue
                with archive.open(member) as handle:
                    yield name, handle.read(MAX_BYTES + 1)
        else:
            try:
                size = path.stat().st_size
                if size > MAX_BYTES:
                    yield str(path), (f"Tệp quá lớn ({size:,} byte); giới hạn {MAX_BYTES:,} "
                                      "byte.").replace(",", ".")
                    continue
                yield str(path), path.read_bytes()
            except OSError as exc:
                yield str(path), f"Không đọc được tệp: {exc.strerror}."


LABELS = {ACCEPTED: "nhận", DUPLICATE: "đã có", "valid": "hợp lệ", "rejected": "từ chối"}


@click.command("ingest")
@db_option
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True,
              help="Say what a real run would do with every file (open round, expected unit, "
                   "duplicates included); store nothing.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes reading the files (1: read them in this process) "
                   f"[default: one per core, at most {MAX_WORKERS}].")
@json_option
def ingest_command(db_path: Path, paths: tuple[Path, ...], dry_run: bool, workers: int | None,
                   as_json: bool) -> None:
    """Ingest filled Excel templates from files, folders and .zip archives.

    Each file goes to the round and unit written in its template. Ends with a table
    file → unit → accepted/rejected with the first error; exits 1 if any file was rejected.
    """
    db = _open(db_path)
    entries = list(_expand(paths))
    if len(entries) > MAX_FILES_PER_BATCH:
        raise click.ClickException(
            f"Có {len(entries)} tệp, vượt quá giới hạn {MAX_FILES_PER_BATCH} tệp mỗi lần; "
            "hãy chia nhỏ thư mục.")
    # A file is known by its own name; one that could not be read, by its whole path.
    files = [(Path(name).name if isinstance(data, bytes) else name, data)
             for name, data in entries]
    outcomes: list[UploadOutcome] = []
    with click.progressbar(length=len(entries), label="Đang nhận tệp", file=sys.stderr,
                           show_pos=True, item_show_func=lambda name: name) as bar:
        for (name, _data), outcome in zip(entries, ingest_many(
                db, files, actor="cli", dry_run=dry_run, workers=workers), strict=True):
            outcomes.append(outcome)
            bar.update(1, name)
    if as_json:
        click.echo(json.dumps([o.as_dict() for o in outcomes], ensure_ascii=False, indent=2))
    else:
        width = max((len(o.file_name) for o in outcomes), default=4)
        for o in outcomes:
            note = o.first_error or (o.warnings[0] if o.warnings else "")
            click.echo(f"{o.file_name:<{width}}  {o.unit_code or '—':<10} "
                       f"{LABELS.get(o.status, o.status):<8} {note}")
        counts = {s: sum(o.status == s for o in outcomes) for s in LABELS}
        click.echo(f"Tổng: {len(outcomes)} tệp; nhận {counts[ACCEPTED]}, đã có "
                   f"{counts[DUPLICATE]}, hợp lệ (thử) {counts['valid']}, "
                   f"từ chối {counts['rejected']}.")
    if any(o.status == "rejected" for o in outcomes):
        raise SystemExit(1)


COMMANDS = [template_command, ingest_command]
