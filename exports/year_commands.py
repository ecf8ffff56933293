"""`decuong year`: an outline's reporting year as series (quý I → 6 tháng → 9 tháng → năm), the
command-line face of the web's «Chuỗi số liệu năm» page and its xlsx."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aggregate import TOTAL, YearSeries
from aggregate.source import load_year
from exports.commands import _open
from exports.year_xlsx import write_year
from forms.kinds.numbers import format_number
from store.errors import StoreError
from store.outlines import get_outline
from store.rounds import year_rounds


def series_json(series: YearSeries, outline_id: str, year: int) -> dict:
    """The series as plain data: periods with their rounds, then each item's total and unit
    series (null: no data)."""
    return {
        "outline": outline_id, "year": year,
        "periods": [{"period": p.kind, "label": p.label, "round": p.round_id}
                    for p in series.periods],
        "items": [{"key": item.key, "label": item.header, "total": series.series(item.key),
                   "units": {code: series.series(item.key, code) for code, _ in series.units
                             if series.reported(item.key, code)}}
                  for item in series.items],
    }


@click.command("year")
@click.option("--db", "db_path", required=True, type=click.Path(path_type=Path),
              help="SQLite database file.")
@click.option("--outline", "outline_id", required=True, help="Outline id of the rounds.")
@click.option("--year", type=int, required=True, help="Reporting year (rounds of round plan).")
@click.option("--basis", type=click.Choice(["submitted", "accepted"]), default="submitted",
              show_default=True, help="Which reports count in each round.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write the series, every unit, as one xlsx sheet.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def year_command(db_path: Path, outline_id: str, year: int, basis: str, output: Path | None,
                 as_json: bool) -> None:
    """An outline's periodic rounds of a year as series per item, rates from summed parts."""
    db = _open(db_path)
    if not year_rounds(db, outline_id, year):
        raise click.ClickException(
            f"Đề cương '{outline_id}' chưa có đợt báo cáo định kỳ nào của năm {year}; mở các "
            "đợt bằng: decuong round plan --outline … --year ….")
    try:
        series = load_year(db, outline_id, year, basis=basis)
        title = get_outline(db, outline_id).title
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    if output is not None:
        write_year(series, output, title=f"{title} — chuỗi số liệu năm {year}")
    if as_json:
        click.echo(json.dumps(series_json(series, outline_id, year), ensure_ascii=False,
                              indent=2))
        return
    if output is not None:
        click.echo(f"Đã ghi {output}.")
        return
    click.echo(" → ".join(f"{p.label} (đợt số {p.round_id})" for p in series.periods))
    for item in series.items:
        sign = " %" if item.kind == "percent" else ""
        cells = [f"{format_number(v, 2)}{sign}" if v is not None else "—"
                 for v in series.series(item.key, TOTAL)]
        click.echo(f"{item.header}: {' → '.join(cells)}")
