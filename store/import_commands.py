"""`decuong import`: values from a file, validated like the web form — one unit's (FILE.json,
or a CSV of `key,value` with `--unit`) or many units' at once (FILE.jsonl, or a long CSV
`unit,item,value` without `--unit`; see forms/value_files.py for both shapes)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click

from store.cli_options import db_option, echo_json, json_option, opened, round_option

STATUS_WORDS = {"stored": "đã lưu", "valid": "hợp lệ", "rejected": "bị từ chối"}


def read_values_file(path: Path) -> dict[str, Any]:
    """Values keyed by item key from JSON ({key: value}) or CSV (key,value rows; a table cell
    as key.row.column)."""
    text = path.read_bytes().decode("utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise click.ClickException(
                f"{path.name}:{exc.lineno}:{exc.colno}: JSON không hợp lệ ({exc.msg}).") from None
        if not isinstance(data, dict):
            raise click.ClickException(f"{path.name}: cần một đối tượng JSON {{mã mục: giá trị}}.")
        return data
    values: dict[str, Any] = {}
    tables: dict[str, dict[int, dict[str, Any]]] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or (number == 1 and [c.strip().lower() for c in row[:2]] == ["key", "value"]):
            continue
        if len(row) < 2:
            raise click.ClickException(f"{path.name}, dòng {number}: cần hai cột: mã mục, giá trị.")
        key, value = row[0].strip(), row[1]
        parts = key.split(".")
        if len(parts) == 3 and parts[1].isdigit():
            tables.setdefault(parts[0], {}).setdefault(int(parts[1]), {})[parts[2]] = value
        else:
            values[key] = value
    for key, rows in tables.items():
        values[key] = [rows[i] for i in sorted(rows)]
    return values


@click.command("import")
@db_option
@round_option
@click.option("--unit", "unit_code",
              help="Unit code, for one unit's FILE.json or key,value FILE.csv. Leave it out for "
                   "FILE.jsonl or a long unit,item,value FILE.csv of many units.")
@click.option("--draft", is_flag=True, help="Store a draft (no required checks, no rules).")
@click.option("--dry-run", is_flag=True,
              help="Validate (store checks included) and report what would be stored; store "
                   "nothing.")
@json_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(db_path: Path, round_id: int, unit_code: str | None, draft: bool,
                   dry_run: bool, as_json: bool, file: Path) -> None:
    """Import values: one unit's from FILE.json or FILE.csv, or many units' from FILE.jsonl or
    a long FILE.csv, validated like the web form.

    Many units: one report per unit (--json: a list of {unit, line, status, revision,
    messages: [{line, item, severity, message}]}); a bad line or a refused unit never stops
    the others, and a refused unit stores nothing. Exits with status 1 if any unit was refused.
    """
    suffix = file.suffix.lower()
    if suffix == ".jsonl" or (suffix == ".csv" and unit_code is None):
        if unit_code is not None:
            raise click.UsageError("--unit không dùng với tệp .jsonl: mỗi dòng đã ghi mã đơn vị.")
        _import_many(db_path, round_id, file, "draft" if draft else "submit", dry_run, as_json)
        return
    if suffix not in (".json", ".csv"):
        raise click.UsageError(f"{file.name}: cần tệp .json, .csv hoặc .jsonl.")
    if unit_code is None:
        raise click.UsageError("Tệp .json là giá trị của một đơn vị: hãy thêm --unit MÃ.")
    _import_one(db_path, round_id, unit_code, file, draft, dry_run, as_json)


def _import_many(db_path: Path, round_id: int, file: Path, mode: str, dry_run: bool,
                 as_json: bool) -> None:
    from forms.value_files import read_jsonl, read_long_csv
    from store.bulk_values import import_units, orphan_reports

    data = file.read_bytes()
    read = read_jsonl(data) if file.suffix.lower() == ".jsonl" else read_long_csv(data)
    with opened(db_path) as db:
        reports = orphan_reports(read.orphans) + list(import_units(
            db, round_id, read.units, actor="cli", mode=mode, dry_run=dry_run))
    reports.sort(key=lambda r: r.line)  # file order, lines that name no unit among them
    rejected = sum(1 for r in reports if r.status == "rejected")
    if as_json:
        echo_json([r.as_dict() for r in reports])
    else:
        for report in reports:
            _print_report(file.name, report)
        kept = sum(1 for r in reports if r.status != "rejected")
        if dry_run:
            click.echo(f"Kiểm tra thử: {kept} đơn vị hợp lệ, {rejected} bị từ chối; không ghi gì "
                       "(--dry-run).")
        else:
            click.echo(f"Đã lưu {kept} đơn vị; {rejected} bị từ chối, không lưu gì cho các đơn "
                       "vị bị từ chối.")
    if rejected:
        raise SystemExit(1)


def _print_report(name: str, report: Any) -> None:
    who = report.unit or "(không rõ đơn vị)"
    state = STATUS_WORDS[report.status]
    if report.revision is not None and report.status == "stored":
        state += f" lần sửa {report.revision}"
    click.echo(f"{name}:{report.line}: {who}: {state}")
    for message in report.messages:
        tag = "Lỗi" if message.severity == "error" else "Cảnh báo"
        item = f"mục {message.item}: " if message.item else ""
        click.echo(f"  {name}:{message.line}: {item}{tag}: {message.message}")


def _import_one(db_path: Path, round_id: int, unit_code: str, file: Path, draft: bool,
                dry_run: bool, as_json: bool) -> None:
    from forms import to_json, validate
    from store.intake import submit_values
    from store.outlines import outline_for_round

    raw = read_values_file(file)
    mode = "draft" if draft else "submit"
    with opened(db_path) as db:
        if dry_run:
            outline = outline_for_round(db, round_id)
            result = validate(outline, raw, mode=mode)
            stored = None
        else:
            intake = submit_values(db, round_id=round_id, unit_code=unit_code, raw=raw,
                                   channel="import", actor="cli", mode=mode)
            result, stored = intake.result, intake.revision
            outline = outline_for_round(db, round_id)
    values = to_json(outline, result.values)
    report = {
        "ok": result.ok, "stored": stored is not None, "dry_run": dry_run,
        "revision": stored["number"] if stored else None,
        "status": "draft" if draft else "submitted",
        "issues": [i.as_dict() for i in result.issues],
        "values": values,
    }
    if as_json:
        echo_json(report)
    else:
        for issue in result.issues:
            tag = "Lỗi" if issue.severity == "error" else "Cảnh báo"
            click.echo(f"{file.name}: {tag}: {issue.message}")
        if dry_run:
            verdict = "hợp lệ" if result.ok else "có lỗi"
            click.echo(f"Kiểm tra thử: {verdict}; không ghi gì (--dry-run).")
            for key, value in values.items():
                if value not in (None, []):
                    click.echo(f"  {key} = {value}")
        elif stored:
            click.echo(f"Đã lưu lần sửa {stored['number']} ({report['status']}).")
    if not result.ok:
        raise SystemExit(1)


COMMANDS = [import_command]
