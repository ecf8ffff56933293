""""Lập kế hoạch báo cáo năm": the coordinator opens a year's periodic rounds in the browser,
as `decuong round plan` does on the command line.

Two steps, no JavaScript: the first POST (Xem trước) shows every period with its Decree 09
cut-off dates and deadline in editable fields, and the rounds already there; the second (Mở
các đợt) opens the missing ones with the dates as shown or corrected. A mistake re-shows the
form with everything typed, and opens nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

import store
from forms.periods import (
    PERIOD_KINDS,
    PeriodError,
    PlannedRound,
    period_label,
    period_short,
    plan_year,
)
from store.outline_catalog import Version, outline_for_new_round
from webapp.auth import role_required
from webapp.coordinator import outline_choices, read_date
from webapp.db import get_db

bp = Blueprint("yearplan", __name__)

DATE_FIELDS = (("start", "từ ngày"), ("end", "đến ngày"), ("deadline", "hạn nộp"))


def _this_year() -> int:
    return datetime.now(store.VIETNAM).year


def _int(text: str | None, what: str, errors: list[str], low: int, high: int) -> int | None:
    value = (text or "").strip()
    if not value:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        errors.append(f"{what}: '{value}' không hợp lệ; hãy nhập số từ {low} đến {high}.")
        return None
    return int(value)


def _overrides(form: Any, kinds: list[str], year: int, errors: list[str]
               ) -> dict[str, dict[str, date]]:
    """Dates typed in the preview's fields (start_quy-1, end_quy-1, deadline_quy-1 …)."""
    found: dict[str, dict[str, date]] = {}
    for kind in kinds:
        for field, words in DATE_FIELDS:
            text = form.get(f"{field}_{kind}", "")
            if not text.strip():
                continue
            label = period_label(kind, year)
            day = read_date(text, f"{label[:1].upper()}{label[1:]}, {words}", errors)
            if day is not None:
                found.setdefault(kind, {})[field] = day
    return found


def _rows(planned: list[PlannedRound], db: Any, outline_id: str | None) -> list[dict[str, Any]]:
    """One row per planned period: its dates, and the round already there if any."""
    rows = []
    for plan in planned:
        period = plan.period
        existing = (store.period_round(db, outline_id, period.year, period.kind)
                    if outline_id else None)
        rows.append({"kind": period.kind, "title": period.title, "start": period.start,
                     "end": period.end, "deadline": plan.deadline, "existing": existing})
    return rows


@bp.route("/coordinator/plan", methods=("GET", "POST"))
@role_required("coordinator")
def plan() -> ResponseReturnValue:
    """The year-plan form: choose outline, year, periods, deadline day and units; preview the
    rounds; open them."""
    db = get_db()
    outlines = outline_choices()
    units = store.list_units(db)
    page = {"outlines": outlines, "units": units,
            "kinds": [(kind, period_short(kind)) for kind in PERIOD_KINDS]}
    if request.method == "GET":
        form = {"outline": request.args.get("outline", ""), "year": str(_this_year())}
        return render_template("yearplan/plan.html", **page, form=form, rows=None,
                               chosen_units={u["code"] for u in units}, chosen_kinds=set())
    form = request.form
    errors: list[str] = []
    choice = next((o for o in outlines if o.value == form.get("outline")), None)
    if choice is None:
        errors.append("Đề cương: hãy chọn một đề cương.")
    year = _int(form.get("year"), "Năm báo cáo", errors, 2000, 2100)
    if year is None and not errors:
        errors.append("Năm báo cáo: chưa nhập.")
    kinds = [kind for kind in form.getlist("periods") if kind in PERIOD_KINDS]
    if not kinds:
        errors.append("Kỳ báo cáo: hãy chọn ít nhất một kỳ (quý, 6 tháng, 9 tháng, năm).")
    day = _int(form.get("deadline_day"), "Ngày hạn nộp trong tháng cuối kỳ", errors, 1, 31)
    codes = form.getlist("units")
    if not codes:
        errors.append("Đơn vị phải báo cáo: hãy chọn ít nhất một đơn vị.")
    # The preview's date fields belong to the year they were computed for; after the year is
    # changed they are ignored and the new year is shown again before anything opens.
    previewed = year is not None and form.get("planned_year") == str(year)
    overrides = _overrides(form, kinds, year, errors) if previewed and year else {}
    planned: list[PlannedRound] = []
    if not errors and year is not None:
        try:
            planned = plan_year(kinds, year, deadline_day=day, overrides=overrides)
        except PeriodError as exc:
            errors.append(str(exc))
    outline_id = choice.id if choice else None
    if form.get("action") == "create" and not previewed and not errors:
        flash("Năm báo cáo đã đổi: hãy xem lại các đợt dưới đây rồi bấm Mở các đợt.", "info")
    elif not errors and form.get("action") == "create" and choice is not None:
        opened = _open(db, choice, planned, codes, errors)
        if opened is not None:
            return opened
    for error in errors:
        flash(error, "error")
    return render_template(
        "yearplan/plan.html", **page, form=form, rows=_rows(planned, db, outline_id) or None,
        chosen_units=set(codes), chosen_kinds=set(kinds)), 422 if errors else 200


def _open(db: Any, choice: Version, planned: list[PlannedRound], codes: list[str],
          errors: list[str]) -> ResponseReturnValue | None:
    actor = g.user["username"]
    try:
        outline = outline_for_new_round(db, choice.value, actor=actor)
        result = store.plan_rounds(db, outline_id=outline.id, outline_version=outline.version,
                                   planned=planned, units=codes, actor=actor)
    except store.StoreError as exc:
        errors.append(str(exc))
        return None
    for round_id, made in result.created:
        flash(f"Đã mở đợt số {round_id}: {made.period.title}.", "success")
    for row in result.existing:
        flash(f"Đợt số {row['id']} ({row['period_label'] or row['title']}) đã có, không tạo lại.",
              "info")
    if not result.created:
        flash("Không mở đợt nào: mọi kỳ đã chọn đều đã có đợt báo cáo.", "info")
    year = planned[0].period.year
    return redirect(url_for("yearview.page", outline_id=outline.id, year=year))
