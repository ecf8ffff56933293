"""`decuong year`: an outline's reporting year as series (quý I → 6 tháng → 9 tháng → năm), the
command-line face of the web's «Chuỗi số liệu năm» page and its xlsx."""

from __future__ import annotations

from pathlib import Path

import click

from aggregate import TOTAL, YearSeries
from aggregate.source import load_year
from exports.year_xlsx import write_year
from forms.kinds import get_kind
from forms.kinds.numbers import format_number
from store.cli_options import db_file_option, echo_json, json_option, open_or_fail, store_errors
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
@db_file_option
@click.option("--outline", "outline_id", required=True, help="Outline id of the rounds.")
@click.option("--year", type=int, required=True, help="Reporting year (rounds of round plan).")
@click.option("--basis", type=click.Choice(["submitted", "accepted"]), default="submitted",
              show_default=True, help="Which reports count in each round.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write the series, every unit, as one xlsx sheet.")
@json_option
def year_command(db_path: Path, outline_id: str, year: int, basis: str, output: Path | None,
                 as_json: bool) -> None:
    """An outline's periodic rounds of a year as series per item, rates from summed parts."""
    db = open_or_fail(db_path, must_exist=True)
    if not year_rounds(db, outline_id, year):
        raise click.ClickException(
            f"Đề cương '{outline_id}' chưa có đợt báo cáo định kỳ nào của năm {year}; mở các "
            "đợt bằng: decuong round plan --outline … --year ….")
    with store_errors():
        series = load_year(db, outline_id, year, basis=basis)
        title = get_outline(db, outline_id).title
    if output is not None:
        write_year(series, output, title=f"{title} — chuỗi số liệu năm {year}")
    if as_json:
        echo_json(series_json(series, outline_id, year))
        return
    if output is not None:
        click.echo(f"Đã ghi {output}.")
        return
    click.echo(" → ".join(f"{p.label} (đợt số {p.round_id})" for p in series.periods))
    for item in series.items:
        measure = get_kind(item.kind).measure
        sign = f" {measure}" if measure else ""
        cells = [f"{format_number(v, 2)}{sign}" if v is not None else "—"
                 for v in series.series(item.key, TOTAL)]
        click.echo(f"{item.header}: {' → '.join(cells)}")
