"""A reporting year at a glance: an outline's periodic rounds of one year lined up as series
(quý I → 6 tháng → 9 tháng → năm) per item, in total and for a chosen unit, with a small chart
per item and the whole series as one xlsx sheet.

The numbers come from `aggregate.year_series` over each round's consolidation, the very one its
consolidated page shows, so a rate's total is the rate of the period's sums.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

import store
from aggregate import TOTAL, SeriesPeriod, YearSeries, year_series
from exports.year_xlsx import write_year
from forms.kinds import get_kind
from forms.kinds.numbers import format_number
from forms.periods import period_short
from webapp.auth import role_required
from webapp.charts import Bar, column_chart
from webapp.consolidation import cache
from webapp.db import get_db
from webapp.downloads import attachment

bp = Blueprint("yearview", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL_UNITS = "*"
#: Above this many units the page offers one unit at a time (the xlsx always has them all).
ALL_UNITS_LIMIT = 100


@bp.app_context_processor
def _series_years() -> dict[str, Any]:
    """`series_years(outline_id)` for templates listing outlines: the years whose periodic
    rounds have a series page (queried only when a template calls it)."""

    def series_years(outline_id: str) -> list[int]:
        return [row["period_year"] for row in store.planned_years(get_db())
                if row["outline_id"] == outline_id]

    return {"series_years": series_years}


def _load(outline_id: str, year: int) -> tuple[YearSeries, str]:
    """The year's series and the outline's title; 404 when the outline has no periodic round
    that year."""
    db = get_db()
    rows = store.year_rounds(db, outline_id, year)
    if not rows:
        abort(404)
    # Each round's consolidation comes from the consolidated page's cache (built once per
    # round state), so reopening the year costs only the lining up.
    series = year_series([
        (SeriesPeriod(row["period_kind"], period_short(row["period_kind"]), row["id"]),
         cache.load(row["id"], "submitted", None).result) for row in rows])
    try:
        title = store.get_outline(db, outline_id).title
    except store.NotFound:  # pragma: no cover - a round's outline is always kept
        title = outline_id
    return series, title


def _cells(values: tuple[float | None, ...], measure: str | None) -> list[str]:
    """Each period's figure, two decimals, with the kind's own measure ("95,5 %")."""
    sign = f" {measure}" if measure else ""
    return [f"{format_number(v, 2)}{sign}" if v is not None else "—" for v in values]


def _cards(series: YearSeries, rows: list[tuple[str, str]]) -> list[dict[str, Any]]:
    cards = []
    for index, item in enumerate(series.items):
        measure = get_kind(item.kind).measure
        total = series.series(item.key)
        chart = column_chart(
            f"{item.header}: tổng cộng theo kỳ",
            [Bar(period.label, value) for period, value in zip(series.periods, total,
                                                                strict=True)],
            unit=measure or "", chart_id=f"series-{index}")
        lines = [{"name": name, "code": code, "total": code == TOTAL,
                  "cells": _cells(series.series(item.key, code), measure)}
                 for code, name in rows]
        cards.append({"item": item, "chart": chart, "lines": lines, "id": f"muc-{index}"})
    return cards


@bp.get("/coordinator/years/<outline_id>/<int:year>")
@role_required("coordinator")
def page(outline_id: str, year: int) -> ResponseReturnValue:
    """Each numeric item's series: the total, and `?unit=CODE` (or every unit, `?unit=*`)."""
    series, title = _load(outline_id, year)
    chosen = request.args.get("unit", "")
    many = len(series.units) > ALL_UNITS_LIMIT
    names = dict(series.units)
    if chosen == ALL_UNITS and not many:
        shown = list(series.units)
    elif chosen in names:
        shown = [(chosen, names[chosen])]
    else:
        chosen, shown = "", []
    rows = [(TOTAL, "Tổng cộng"), *shown]
    return render_template("yearview/page.html", series=series, title=title, year=year,
                           outline_id=outline_id, cards=_cards(series, rows), chosen=chosen,
                           all_units=ALL_UNITS, offer_all=not many)


@bp.get("/coordinator/years/<outline_id>/<int:year>/chuoi-so-lieu.xlsx")
@role_required("coordinator")
def download(outline_id: str, year: int) -> ResponseReturnValue:
    """The year's series, every unit, as one xlsx sheet."""
    series, title = _load(outline_id, year)
    buffer = io.BytesIO()
    write_year(series, buffer, title=f"{title} — chuỗi số liệu năm {year}")
    return attachment(buffer.getvalue(), f"chuoi-so-lieu-{outline_id}-{year}.xlsx", XLSX)
