"""`decuong round plan`: open a reporting year's periodic rounds (Decree 09/2019 cut-off dates).

Dates given per period override the computed ones: `--deadline quy-1=2026-03-20`,
`--start quy-1=2025-12-16`, `--end nam=2026-12-31` (YYYY-MM-DD or dd/mm/yyyy).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from forms.periods import PeriodError, PlannedRound, plan_year, round_period_wording
from store.cli_options import db_option, echo_json, json_option, opened
from store.outline_catalog import outline_for_new_round
from store.round_plan import plan_rounds
from store.rounds import VIETNAM, PeriodicRound, deadline_end_of_day


def _day(text: str, where: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise click.BadParameter(f"'{text}' không phải ngày (YYYY-MM-DD hoặc dd/mm/yyyy).",
                             param_hint=where)


def _overrides(pairs: dict[str, tuple[str, ...]]) -> dict[str, dict[str, date]]:
    """{"deadline": ("quy-1=2026-03-20",), …} → {"quy-1": {"deadline": date(2026, 3, 20)}}."""
    found: dict[str, dict[str, date]] = {}
    for what, values in pairs.items():
        for value in values:
            kind, sep, day = value.partition("=")
            if not sep or not kind.strip() or not day.strip():
                raise click.BadParameter(
                    f"'{value}' cần dạng KỲ=NGÀY, ví dụ quy-1=2026-03-20.", param_hint=f"--{what}")
            found.setdefault(kind.strip(), {})[what] = _day(day, f"--{what} {value}")
    return found


def _year(text: str) -> int:
    value = text.strip()
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise click.BadParameter(f"'{text}' không phải năm báo cáo (từ 2000 đến 2100).",
                                 param_hint="--year")
    return int(value)


def _deadline_day(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.strip().isdigit() or not 1 <= int(text) <= 31:
        raise click.BadParameter(f"'{text}' không phải ngày trong tháng (1 đến 31).",
                                 param_hint="--deadline-day")
    return int(text)


def _line(round_id: int, kind: str, start: str | None, end: str | None,
          deadline: str) -> dict[str, Any]:
    return {"round": round_id, "period": kind, "start": start, "end": end, "deadline": deadline}


def _local_iso(stored_utc: str) -> str:
    return datetime.fromisoformat(stored_utc).astimezone(VIETNAM).isoformat()


def _vn(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else "—"


@click.command("plan")
@db_option
@click.option("--outline", "outline_id", required=True,
              help="Outline ID (its newest version) or ID:VERSION, from the outline folders or "
                   "kept in the database.")
@click.option("--year", "year_text", required=True, metavar="YYYY",
              help="Reporting year, e.g. 2026.")
@click.option("--period", "periods", multiple=True, required=True,
              help="Period to plan (repeat): quy-1 quy-2 quy-3 quy-4 6-thang 9-thang nam.")
@click.option("--unit", "units", multiple=True, required=True, help="Expected unit code (repeat).")
@click.option("--deadline-day", metavar="N",
              help="Deadline: this day of each period's last month (31 = the month's last day).")
@click.option("--deadline", "deadlines", multiple=True, metavar="P=DATE",
              help="Deadline of one period, e.g. quy-1=2026-03-20 (repeat).")
@click.option("--start", "starts", multiple=True, metavar="P=DATE",
              help="Data period start of one period instead of the Decree 09 date (repeat).")
@click.option("--end", "ends", multiple=True, metavar="P=DATE",
              help="Data period end of one period instead of the Decree 09 date (repeat).")
@json_option
def round_plan(db_path: Path, outline_id: str, year_text: str, periods: tuple[str, ...],
               units: tuple[str, ...], deadline_day: str | None, deadlines: tuple[str, ...],
               starts: tuple[str, ...], ends: tuple[str, ...], as_json: bool) -> None:
    """Open a year's periodic rounds once (Decree 09/2019 cut-off dates); running it again
    opens nothing and names the rounds already there."""
    year = _year(year_text)
    overrides = _overrides({"deadline": deadlines, "start": starts, "end": ends})
    day = _deadline_day(deadline_day)
    if day is None:
        lacking = [kind for kind in periods if "deadline" not in overrides.get(kind, {})]
        if lacking:
            raise click.ClickException(
                f"Chưa có hạn nộp cho kỳ {', '.join(lacking)}: hãy thêm --deadline-day N (ngày "
                "N của tháng cuối kỳ) hoặc --deadline KỲ=NGÀY cho từng kỳ.")
    try:
        planned = plan_year(periods, year, deadline_day=day, overrides=overrides)
    except PeriodError as exc:
        raise click.ClickException(str(exc)) from None
    with opened(db_path) as db:
        outline = outline_for_new_round(db, outline_id, actor="cli")
        result = plan_rounds(db, outline_id=outline.id, outline_version=outline.version,
                             planned=planned, units=units, actor="cli")
    created = {plan.period.kind: (round_id, plan) for round_id, plan in result.created}
    existing = {row["period_kind"]: row for row in result.existing}
    lines = []
    for plan in planned:
        kind = plan.period.kind
        if kind in created:
            round_id, made = created[kind]
            lines.append(_line(round_id, kind, made.period.start.isoformat(),
                               made.period.end.isoformat(),
                               deadline_end_of_day(made.deadline).isoformat()))
        else:
            row = existing[kind]
            lines.append(_line(row["id"], kind, row["period_start"], row["period_end"],
                               _local_iso(row["deadline"])))
    _report(lines, result.existing, as_json, planned)


def _report(lines: list[dict[str, Any]], existing: list[PeriodicRound], as_json: bool,
            planned: list[PlannedRound]) -> None:
    kept = {row["id"] for row in existing}
    notes = [f"Đợt số {row['id']} ({round_period_wording(row) or row['title']}) đã có, "
             "không tạo lại." for row in existing]
    if as_json:
        for note in notes:
            click.echo(note, err=True)
        echo_json({"rounds": lines})
        return
    made = [line for line in lines if line["round"] not in kept]
    if not made:
        click.echo("Không tạo đợt nào: mọi kỳ đã có đợt báo cáo.")
    for line, plan in zip(lines, planned, strict=True):
        if line["round"] in kept:
            continue
        click.echo(f"Đã mở đợt số {line['round']}: {plan.period.title} — số liệu "
                   f"{_vn(line['start'])} – {_vn(line['end'])}, hạn nộp "
                   f"{plan.deadline.strftime('%d/%m/%Y')}.")
    for note in notes:
        click.echo(note)
