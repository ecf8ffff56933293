"""The coordinator (đầu mối tổng hợp): rounds overview, a round's units and who is late, the
reminder list, creating rounds and managing units. Reviewing one report is webapp/review.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

import store
from forms.kinds import get_kind
from store.names import clean_file_name
from store.outline_catalog import Version, catalog, outline_for_new_round
from store.reminders import reminder_history
from store.submissions import on_behalf_units
from store.unit_lists import UnitListError, read_unit_list
from webapp.auth import role_required
from webapp.csvfiles import write_csv
from webapp.db import get_db
from webapp.downloads import attachment
from webapp.round_board import board, round_rows

bp = Blueprint("coordinator", __name__)

NOT_SUBMITTED = ("missing", "draft", "returned")


@bp.get("/coordinator/")
@role_required("coordinator")
def rounds() -> ResponseReturnValue:
    """Every round with expected / submitted / on time / late / missing / returned."""
    db = get_db()
    rows = [{**r, "summary": store.round_summary(db, r["id"])} for r in store.list_rounds(db)]
    return render_template("coordinator/rounds.html", rounds=rows)


def _round_or_404(round_id: int) -> store.RoundRow:
    try:
        return store.get_round(get_db(), round_id)
    except store.NotFound:
        abort(404)


def _round_rows(round_id: int, status: store.RoundStatus | None = None
                ) -> list[dict[str, Any]]:
    """round_status rows joined with each unit's contact (for the reminder list)."""
    db = get_db()
    contacts = {u["unit_code"]: u["contact"]
                for u in store.round_units(db, round_id, round_checked=True)}
    status = status if status is not None else store.round_status(db, round_id)
    return [{**row, "contact": contacts.get(row["unit_code"])}
            for row in status["units"]]


@bp.get("/coordinator/rounds/<int:round_id>")
@role_required("coordinator")
def round_page(round_id: int) -> ResponseReturnValue:
    """The round board: count boxes that filter the units table (`?status=late`…), a search
    by code or name (`?q=`), the table a page at a time (`?page=`), the reminder list, then
    the Excel and consolidation cards."""
    db = get_db()
    round_row = _round_or_404(round_id)
    rows = round_rows(round_id)
    summary = store.round_summary(db, round_id, status=rows.status)
    units, contacts = rows.status["units"], rows.contacts
    view = board(round_id, rows, summary)
    missing = [u for u in units if u["status"] in NOT_SUBMITTED]
    reminder = "\n".join(
        f"{u['name']} ({u['unit_code']})"
        + "".join(f" — {v}" for v in contacts.get(u["unit_code"], (None, None)) if v)
        for u in missing)
    return render_template("coordinator/round.html", round=round_row, board=view, units=units,
                           summary=summary, missing=missing, reminder=reminder,
                           reminded=reminder_history(db, round_id),
                           on_behalf=on_behalf_units(db, round_id))


@bp.get("/coordinator/rounds/<int:round_id>/chua-nop.csv")
@role_required("coordinator")
def missing_csv(round_id: int) -> ResponseReturnValue:
    """The reminder list as CSV (UTF-8 with BOM, formula-looking cells neutralised)."""
    _round_or_404(round_id)
    rows = [(u["unit_code"], u["name"], u["contact"] or "", _status(u["status"]))
            for u in _round_rows(round_id) if u["status"] in NOT_SUBMITTED]
    body = write_csv(("Mã đơn vị", "Tên đơn vị", "Liên hệ", "Tình trạng"), rows)
    return attachment(body, f"dot-{round_id}-chua-nop.csv", "text/csv; charset=utf-8")


def _status(status: str) -> str:
    return store.STATUS_LABELS.get(status, status)


# --- rounds --------------------------------------------------------------------------------


def outline_choices() -> list[Version]:
    """Outlines a round can use: every version kept in the database and every file of the
    outline folders (kept on first use), as `store.outline_catalog` lists them."""
    return sorted((v for versions in catalog(get_db()).values() for v in versions.values()),
                  key=lambda v: v.value)


def read_date(text: str, what: str, errors: list[str], required: bool = False
              ) -> date | None:
    """A date field of a coordinator's form (dd/mm/yyyy, as the date kind reads it); a problem
    is appended to `errors` under the field's name `what`."""
    parsed = get_kind("date").parse(text)
    if parsed.problems:
        errors.append(f"{what}: {parsed.problems[0]}")
        return None
    if parsed.value is None and required:
        errors.append(f"{what}: chưa nhập.")
    return parsed.value


@bp.route("/coordinator/rounds/new", methods=("GET", "POST"))
@role_required("coordinator")
def new_round() -> ResponseReturnValue:
    db = get_db()
    outlines = outline_choices()
    units = store.list_units(db)
    form = request.form
    if request.method == "POST":
        errors: list[str] = []
        choice = next((o for o in outlines if o.value == form.get("outline")), None)
        if choice is None:
            errors.append("Hãy chọn đề cương.")
        start = read_date(form.get("period_start", ""), "Ngày bắt đầu kỳ báo cáo", errors)
        end = read_date(form.get("period_end", ""), "Ngày kết thúc kỳ báo cáo", errors)
        deadline = read_date(form.get("deadline", ""), "Hạn nộp", errors, required=True)
        codes = form.getlist("units")
        if not codes:
            errors.append("Hãy chọn ít nhất một đơn vị phải báo cáo.")
        details = {column: form.get(column, "") for column in store.round_documents.FIELDS}
        try:
            store.round_documents.clean_details(details)
        except store.StoreError as exc:
            errors.extend(exc.errors or [str(exc)])
        if not errors and choice is not None and deadline is not None:
            try:
                outline = outline_for_new_round(db, choice.value, actor=g.user["username"])
                round_id = store.create_round(
                    db, outline_id=outline.id, outline_version=outline.version,
                    title=form.get("title", ""), period_start=start, period_end=end,
                    period_label=form.get("period_label"),
                    deadline=store.deadline_end_of_day(deadline), units=codes,
                    created_by=g.user["username"])
                store.set_round_document(db, round_id, details, actor=g.user["username"])
            except store.StoreError as exc:
                errors.append(str(exc))
            else:
                flash("Đã mở đợt báo cáo mới.", "success")
                return redirect(url_for("coordinator.round_page", round_id=round_id))
        for error in errors:
            flash(error, "error")
        return render_template("coordinator/new_round.html", outlines=outlines, units=units,
                               form=form, chosen=set(codes)), 422
    # ?outline=id:version preselects an outline (the outlines page's "open a round with it").
    return render_template("coordinator/new_round.html", outlines=outlines, units=units,
                           form={"outline": request.args.get("outline", "")},
                           chosen={u["code"] for u in units})


# --- units ---------------------------------------------------------------------------------


@bp.get("/coordinator/units/")
@role_required("coordinator")
def units() -> ResponseReturnValue:
    db = get_db()
    accounts: dict[str, list[str]] = {}
    for account in store.list_accounts(db, role="unit"):
        if account["unit_code"] is not None:  # always, for a unit account
            accounts.setdefault(account["unit_code"], []).append(account["username"])
    return render_template("coordinator/units.html", units=store.list_units(db),
                           accounts=accounts, errors=[])


def _unit_row(form: Any) -> dict[str, Any]:
    return {key: form.get(key) for key in ("code", "name", "kind", "parent", "contact", "email")}


@bp.route("/coordinator/units/new", methods=("GET", "POST"))
@role_required("coordinator")
def new_unit() -> ResponseReturnValue:
    db = get_db()
    if request.method == "POST":
        row = _unit_row(request.form)
        try:
            store.add_unit(db, row["code"] or "", row["name"] or "", kind=row["kind"],
                           parent=row["parent"] or None, contact=row["contact"],
                           email=row["email"], actor=g.user["username"])
        except store.StoreError as exc:
            flash(str(exc), "error")
            return render_template("coordinator/unit_form.html", unit=row, new=True,
                                   units=store.list_units(db)), 422
        flash(f"Đã thêm đơn vị {row['name']}.", "success")
        return redirect(url_for("coordinator.units"))
    return render_template("coordinator/unit_form.html", unit={}, new=True,
                           units=store.list_units(db))


@bp.route("/coordinator/units/<code>/edit", methods=("GET", "POST"))
@role_required("coordinator")
def edit_unit(code: str) -> ResponseReturnValue:
    db = get_db()
    try:
        unit = store.get_unit(db, code)
    except store.NotFound:
        abort(404)
    if request.method == "POST":
        row = {**_unit_row(request.form), "code": unit["code"]}
        try:
            store.upsert_units(db, [row], actor=g.user["username"])
        except store.StoreError as exc:
            for message in exc.errors or [str(exc)]:
                flash(message.removeprefix("Dòng 1: "), "error")
            return render_template("coordinator/unit_form.html", unit=row, new=False,
                                   units=store.list_units(db)), 422
        flash(f"Đã lưu đơn vị {row['name']}.", "success")
        return redirect(url_for("coordinator.units"))
    return render_template("coordinator/unit_form.html", unit=unit, new=False,
                           units=store.list_units(db))


@bp.post("/coordinator/units/import")
@role_required("coordinator")
def import_units() -> ResponseReturnValue:
    db = get_db()
    upload = request.files.get("file")
    errors: list[str] = []
    if upload is None or not upload.filename:
        errors = ["Hãy chọn tệp danh sách đơn vị (CSV hoặc Excel .xlsx)."]
    else:
        name = clean_file_name(upload.filename, "danh-sach-don-vi")
        try:
            rows = read_unit_list(upload.read(), name)
            count = store.upsert_units(db, rows, first_row=2, actor=g.user["username"])
        except UnitListError as exc:
            errors = [f"{name}: {exc}"]
        except store.StoreError as exc:
            errors = exc.errors or [str(exc)]
        else:
            flash(f"Đã nhập {count} đơn vị từ {name}.", "success")
            return redirect(url_for("coordinator.units"))
    accounts: dict[str, list[str]] = {}
    return render_template("coordinator/units.html", units=store.list_units(db),
                           accounts=accounts, errors=errors), 422

