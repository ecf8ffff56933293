"""`decuong template` and `decuong ingest`: the Excel channel from the command line."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from forms.excel import Identity, write_template
from forms.excel.archive import archive_members
from forms.excel.reader import MAX_BYTES
from forms.kinds.numbers import format_number
from forms.periods import round_period_wording
from store.bulk_ingest import MAX_WORKERS, ingest_many
from store.cli_options import db_option, json_option, open_or_fail, opened, round_option
from store.installation import template_key
from store.names import clean_file_name
from store.outlines import outline_for_round
from store.rounds import VIETNAM, get_round
from store.submissions import get_revision
from store.units import get_unit
from store.uploads import ACCEPTED, DUPLICATE, REJECTED, SKIPPED, UploadOutcome

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
                   period_label=round_period_wording(round_row),
                   deadline=round_deadline_day(round_row))
    return buffer.getvalue()


def round_deadline_day(round_row: Mapping[str, Any]) -> date | None:
    """The day a round is due, in Vietnam: what its template prints as "Hạn gửi báo cáo".
    The outline's `deadline` is only the default of a new round; once the round exists, its
    own deadline (stored in UTC) is the one units must meet."""
    stored = round_row.get("deadline")
    if not stored:
        return None
    return datetime.fromisoformat(stored).astimezone(VIETNAM).date()


@click.command("template")
@db_option
@round_option
@click.option("--unit", "unit_code", help="Unit code: the template carries its identity.")
@click.option("--blank", is_flag=True, help="Do not pre-fill with the unit's latest revision.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .xlsx file to write.")
def template_command(db_path: Path, round_id: int, unit_code: str | None, blank: bool,
                     output: Path) -> None:
    """Write the Excel template of a round, for one unit or any unit."""
    with opened(db_path) as db:
        data = template_bytes(db, round_id, unit_code, prefill=not blank)
    output.write_bytes(data)
    click.echo(f"Đã ghi mẫu {output} ({format_number(len(data))} byte).")


#: What a folder or archive is searched for: workbooks, and the spreadsheet formats a unit may
#: have saved by mistake (the reader refuses those with advice: save as .xlsx).
READ_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")


@dataclass(frozen=True)
class Skipped:
    """A file in a folder or archive that is not read, and why (it is listed, never dropped)."""

    reason: str


def skip_reason(name: str) -> str | None:
    """Why a file found in a folder or archive is not read; None when it is read."""
    if name.startswith("~$"):
        return "Tệp khóa tạm do Excel tạo khi đang mở một tệp, không phải báo cáo; bỏ qua."
    if name.startswith("."):
        return "Tệp ẩn của hệ thống, không phải báo cáo; bỏ qua."
    if name.lower().endswith(".zip"):
        return "Tệp nén nằm trong một tệp nén khác không được mở; hãy giải nén rồi nhận lại."
    if name.lower().endswith(READ_SUFFIXES):
        return None
    return ("Không phải tệp Excel (.xlsx) nên không được đọc. Nếu đây là báo cáo, hãy mở bằng "
            "Excel hoặc LibreOffice, lưu thành «Sổ làm việc Excel (*.xlsx)» rồi nhận lại.")


def _too_large(size: int) -> str:
    return f"Tệp quá lớn ({format_number(size)} byte); giới hạn {format_number(MAX_BYTES)} byte."


Entry = tuple[str, "bytes | str | Skipped"]


def _expand(paths: tuple[Path, ...]) -> Iterator[Entry]:
    """(name, bytes) for every workbook in files, folders and .zip archives; (name, error) for
    what cannot be read, so one bad entry never stops the batch; (name, Skipped) for a file of
    a folder or archive that is not a spreadsheet, so nothing is left out without a word. Names
    are cleaned (`store.names.clean_file_name`): a zip may hold `..\\..\\x.xlsx`, a file name
    a terminal escape sequence. A file named on the command line is always read."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file():
                    continue
                reason = None if child.suffix.lower() == ".zip" else skip_reason(child.name)
                if reason is not None:
                    yield clean_file_name(child.name), Skipped(reason)
                else:
                    yield from _expand((child,))
        elif path.suffix.lower() == ".zip":
            yield from _members(path)
        else:
            name = clean_file_name(path.name)
            try:
                size = path.stat().st_size
                if size > MAX_BYTES:
                    yield name, _too_large(size)
                    continue
                yield name, path.read_bytes()
            except OSError as exc:
                yield name, f"Không đọc được tệp: {exc.strerror}."


def _members(path: Path) -> Iterator[Entry]:
    """The files of a .zip archive, as `_expand` gives them: inflated one at a time, within the
    limits of `forms.excel.archive` (size, member count, total inflated size)."""
    label = clean_file_name(path.name)
    def wanted(raw: str) -> bool:
        return skip_reason(clean_file_name(raw)) is None

    for raw, data in archive_members(path, label, read=wanted):
        name = label if raw == label else clean_file_name(raw)
        if data is None:
            reason = skip_reason(clean_file_name(raw))
            yield name, Skipped(reason or "")
        else:
            yield name, data


LABELS = {ACCEPTED: "nhận", DUPLICATE: "đã có", "valid": "hợp lệ", REJECTED: "từ chối",
          SKIPPED: "bỏ qua"}


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
    file → unit → accepted/rejected/skipped with the first error or the reason; files of a
    folder or archive that are not spreadsheets are listed as skipped. Exits 1 if any file
    was rejected.
    """
    db = open_or_fail(db_path)
    entries = list(_expand(paths))
    files = [(name, data) for name, data in entries if not isinstance(data, Skipped)]
    if len(files) > MAX_FILES_PER_BATCH:
        raise click.ClickException(
            f"Có {len(files)} tệp, vượt quá giới hạn {MAX_FILES_PER_BATCH} tệp mỗi lần; "
            "hãy chia nhỏ thư mục.")
    read = ingest_many(db, files, actor="cli", dry_run=dry_run, workers=workers)
    outcomes: list[UploadOutcome] = []
    with click.progressbar(length=len(entries), label="Đang nhận tệp", file=sys.stderr,
                           show_pos=True, item_show_func=lambda name: name) as bar:
        for name, data in entries:
            outcomes.append(UploadOutcome(name, SKIPPED, errors=(data.reason,))
                            if isinstance(data, Skipped) else next(read))
            bar.update(1, name)
    read.close()
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
                   f"từ chối {counts[REJECTED]}, bỏ qua {counts[SKIPPED]}.")
    if any(o.status == REJECTED for o in outcomes):
        raise SystemExit(1)


COMMANDS = [template_command, ingest_command]
