"""The Excel channel in the browser: template downloads, uploads by a unit (its own report) and by
a coordinator (many files at once), and the rejected workbook handed back with its bad cells
marked.

Everything about parsing, refusing and storing is `store.uploads.ingest_upload`'s job for one
file and `store.bulk_ingest.ingest_many`'s for many (shared with `decuong ingest`); this module
only moves bytes in and out and says what happened, in the Vietnamese messages the engine
already wrote.

A rejected upload must change nothing in the database, yet the unit needs its own workbook back
with comments on the bad cells: webapp/annotated.py keeps those bytes for a day, for the same
user in the same session; the uploaded file's name is shown and used in the download name,
never as a path.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import FileStorage

import store
from forms.excel.archive import archive_members
from store.bulk_ingest import ingest_many
from store.excel_commands import skip_reason, template_bytes
from store.names import clean_file_name
from store.uploads import ACCEPTED, DUPLICATE, UploadOutcome, ingest_upload
from webapp.annotated import keep_annotated, read_annotated
from webapp.auth import login_required, role_required
from webapp.db import get_db
from webapp.downloads import attachment
from webapp.submission import expected

bp = Blueprint("excel", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Files one coordinator request may carry: a commune's whole batch, not a denial of service.
#: The files inside a .zip count one by one.
MAX_FILES_PER_REQUEST = 200
#: All the files of one .zip sent to the round page, inflated: they are held until stored.
MAX_ZIP_INFLATED = 50 * 1024 * 1024
WHERE = re.compile(r"^(?P<where>[^:\n]{1,80}![A-Z]{1,3}[0-9]{1,7}): (?P<text>.+)$", re.S)
MODES = ("submit", "draft")


# --- names -------------------------------------------------------------------------

def template_name(round_row: store.RoundRow, unit_code: str | None, *, blank: bool = False
                  ) -> str:
    """`mau-<outline>-dot<R>[-<UNIT>][-trong].xlsx`: says which round and unit a file is for
    when it sits among dozens in a Downloads folder or a Zalo chat."""
    parts = ["mau", str(round_row["outline_id"]), f"dot{round_row['id']}"]
    if unit_code:
        parts.append(unit_code)
        if blank:
            parts.append("trong")
    return "-".join(parts) + ".xlsx"


def upload_name(upload: FileStorage) -> str:
    """The name the user gave the file, for messages and the stored revision only (old
    browsers send `C:\\…\\file.xlsx`): see `store.names.clean_file_name`."""
    return clean_file_name(upload.filename, "tep-tai-len.xlsx")


def split_where(message: str) -> tuple[str | None, str]:
    """`Báo cáo!D17: Mục «…»: …` → ("Báo cáo!D17", "Mục «…»: …") so pages can set the cell
    apart; messages naming no cell come back whole."""
    match = WHERE.match(message)
    return (match["where"], match["text"]) if match else (None, message)


# --- annotated workbooks -----------------------------------------------------------------------

@bp.get("/excel/tra-lai/<token>")
@login_required
def annotated(token: str) -> ResponseReturnValue:
    """The user's own rejected workbook, bad cells highlighted with a comment on each. Anyone
    else (another user, another session, an expired or made-up token) gets 404."""
    kept = read_annotated(token)
    if kept is None:
        abort(404)
    data, name = kept
    return attachment(data, name, XLSX)


# --- downloads ---------------------------------------------------------------------------------

@bp.get("/rounds/<int:round_id>/units/<code>/excel/mau.xlsx")
@login_required
def unit_template(round_id: int, code: str) -> ResponseReturnValue:
    """One unit's template, pre-filled with its latest revision (`?blank=1`: empty). The same
    access rule as the report itself: a unit opening another unit's URL gets 404."""
    db = get_db()
    exp = expected(db, round_id, code)
    blank = request.args.get("blank") == "1"
    data = template_bytes(db, round_id, code, prefill=not blank)
    return attachment(data, template_name(exp.round, code, blank=blank), XLSX)


@bp.get("/coordinator/rounds/<int:round_id>/excel/mau.xlsx")
@role_required("coordinator")
def round_template(round_id: int) -> ResponseReturnValue:
    """The round's blank template (no unit: an upload is matched from the page it is sent
    from), or with `?unit=CODE` that unit's, pre-filled (the round page's picker)."""
    db = get_db()
    code = request.args.get("unit", "").strip()
    if code:
        blank: dict[str, Any] = {"blank": "1"} if request.args.get("blank") == "1" else {}
        return redirect(url_for("excel.unit_template", round_id=round_id, code=code, **blank))
    try:
        round_row = store.get_round(db, round_id)
    except store.NotFound:
        abort(404)
    return attachment(template_bytes(db, round_id, None), template_name(round_row, None), XLSX)


# --- uploads -----------------------------------------------------------------------------------

def _flash_warnings(warnings: tuple[str, ...], shown: int = 8) -> None:
    for warning in warnings[:shown]:
        flash(f"Cảnh báo: {warning}", "info")
    if len(warnings) > shown:
        flash(f"… và {len(warnings) - shown} cảnh báo khác.", "info")


@bp.post("/rounds/<int:round_id>/units/<code>/excel/upload")
@role_required("unit")
def unit_upload(round_id: int, code: str) -> ResponseReturnValue:
    """A unit sends its filled template for its own report (submit, or «lưu nháp»)."""
    db = get_db()
    exp = expected(db, round_id, code)
    back = url_for("unit.fill", round_id=round_id, code=code)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("Hãy chọn tệp Excel đã điền (.xlsx) trước khi bấm «Tải lên».", "error")
        return redirect(back)
    mode = request.form.get("mode", "submit")
    if mode not in MODES:
        abort(400)
    name = upload_name(upload)
    outcome = ingest_upload(db, upload.read(), name, actor=g.user["username"],
                            round_id=round_id, unit_code=code, mode=mode, mark_errors=True)
    view = url_for("submission.view", round_id=round_id, code=code)
    if outcome.status == DUPLICATE:
        flash(f"Tệp «{name}» đã được nhận trước đó; không lưu thêm lần nào.", "info")
        return redirect(view)
    if outcome.status == ACCEPTED:
        number = outcome.revision["number"] if outcome.revision else "?"
        if mode == "submit":
            flash(f"Đã nhận tệp «{name}» và nộp báo cáo (lần lưu thứ {number}).", "success")
        else:
            flash(f"Đã lưu nháp từ tệp «{name}» (lần lưu thứ {number}). Báo cáo chưa được nộp.",
                  "success")
        _flash_warnings(outcome.warnings)
        return redirect(view)
    token = keep_annotated(outcome.annotated, name) if outcome.annotated else None
    return render_template(
        "excel/rejected.html", exp=exp, outcome=outcome, name=name, token=token, mode=mode,
        errors=[split_where(e) for e in outcome.errors],
        warnings=[split_where(w) for w in outcome.warnings],
    ), 422


def _row(outcome: UploadOutcome, names: dict[str, str]) -> dict[str, Any]:
    token = (keep_annotated(outcome.annotated, outcome.file_name)
             if outcome.annotated else None)
    return {"file": outcome.file_name, "unit": outcome.unit_code,
            "unit_name": names.get(outcome.unit_code or ""), "status": outcome.status,
            "revision": outcome.revision["number"] if outcome.revision else None,
            "first_error": split_where(outcome.first_error) if outcome.first_error else None,
            "more_errors": max(len(outcome.errors) - 1, 0),
            "warnings": len(outcome.warnings), "token": token}


@bp.post("/coordinator/rounds/<int:round_id>/excel/upload")
@role_required("coordinator")
def round_upload(round_id: int) -> ResponseReturnValue:
    """A coordinator sends the files units e-mailed or passed on Zalo: each goes to the unit
    written in its template, for this round only; one bad file never stops the others."""
    db = get_db()
    try:
        round_row = store.get_round(db, round_id)
    except store.NotFound:
        abort(404)
    back = url_for("coordinator.round_page", round_id=round_id)
    uploads = [u for u in request.files.getlist("files") if u and u.filename]
    if not uploads:
        flash("Hãy chọn ít nhất một tệp Excel (.xlsx) để tải lên.", "error")
        return redirect(back)
    if len(uploads) > MAX_FILES_PER_REQUEST:
        flash(f"Đã chọn {len(uploads)} tệp, vượt quá giới hạn {MAX_FILES_PER_REQUEST} tệp mỗi "
              "lần tải lên. Hãy chia thành nhiều lần.", "error")
        return redirect(back)
    names = {u["unit_code"]: u["name"] for u in store.round_units(db, round_id)}
    files = _batch_files(uploads)
    if len(files) > MAX_FILES_PER_REQUEST:
        flash(f"Các tệp đã chọn (kể cả các tệp trong tệp nén) gồm {len(files)} tệp, vượt quá "
              f"giới hạn {MAX_FILES_PER_REQUEST} tệp mỗi lần tải lên. Hãy chia thành nhiều lần.",
              "error")
        return redirect(back)
    # Read here (workers=1): a web upload is at most a few hundred files, a few milliseconds
    # each, and a request thread should not start processes in a server others are using.
    rows = [_row(outcome, names) for outcome in ingest_many(
        db, files, actor=g.user["username"], round_id=round_id, workers=1, mark_errors=True)]
    counts = {status: sum(1 for r in rows if r["status"] == status)
              for status in (ACCEPTED, DUPLICATE, "rejected")}
    return render_template("excel/batch.html", round=round_row, rows=rows, counts=counts)


def _batch_files(uploads: list[FileStorage]) -> list[tuple[str, bytes | str]]:
    """(name, bytes) of every file sent, the members of a .zip one by one (inflated one at a
    time, within `forms.excel.archive`'s limits and MAX_ZIP_INFLATED); (name, reason) for one
    that cannot be read or is not a spreadsheet, so it is listed rather than dropped."""
    files: list[tuple[str, bytes | str]] = []
    for upload in uploads:
        name = upload_name(upload)
        data = upload.read()
        if not name.lower().endswith(".zip"):
            files.append((name, data))
            continue
        for raw, body in archive_members(
                data, name, max_inflated=MAX_ZIP_INFLATED,
                read=lambda member: skip_reason(clean_file_name(member)) is None):
            member = name if raw == name else clean_file_name(raw)
            files.append((member, body if body is not None
                          else skip_reason(member) or "Không đọc được tệp này."))
    return files


@bp.app_template_global()
def excel_round_units(round_id: int) -> list[store.RoundUnit]:
    """The units of a round, for the round page's «template of one unit» picker."""
    return store.round_units(get_db(), round_id)


@bp.app_context_processor
def _limits() -> dict[str, Any]:
    """The per-request file cap, read at render time so pages state the limit in force."""
    return {"excel_max_files": MAX_FILES_PER_REQUEST}
