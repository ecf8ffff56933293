"""Entry on behalf of a unit (nhập hộ, issue 13.7): the coordinator types a report a unit sent
on paper into the same fill form, or uploads an Excel template filled for it.

The same validation engine and the same store path as the unit's own channels
(`store.submit_values`, `store.uploads.ingest_upload`); the revision is marked `on_behalf`
with the coordinator as actor, so history and the round board say «nhập hộ». Only a report
the unit could still change itself is entered (nothing saved, a draft, or returned), and a
save made on a version the coordinator was not shown is refused, never applied blindly. The
unit's own working draft is left alone: its fill page shows it against the new revision.

So there is no server-side draft of what the coordinator types: the page keeps it in the
browser instead (static/fill-buffer.js and on-behalf.js, under a key of its own: coordinator,
round and unit), restores it when the page is opened again — after a closed tab, a dropped
connection, or a POST that met an ended session and went to the login page — and drops it
once a revision of the coordinator's newer than the buffer is stored (`stored_by`, rendered on
this page and on the report page a successful save lands on).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

import store
from forms import to_json
from store.uploads import ACCEPTED, DUPLICATE, ingest_upload
from webapp.auth import role_required
from webapp.autosave import token_of
from webapp.db import get_db
from webapp.excel import upload_name
from webapp.formbuilder import build_form, formulas_json, post_problems, raw_values
from webapp.submission import Document, Expected, expected, group_issues

bp = Blueprint("on_behalf", __name__)

EDITABLE = (None, "draft", "returned")
MODES = ("draft", "submit")


@dataclass
class Shown:
    """What `unit/_autosave.html`'s token macro reads: the version the page was made from."""

    token: tuple[int, int]
    conflicts: tuple[()] = ()


def _open_report(round_id: int, code: str
                 ) -> tuple[Any, Expected, store.SubmissionRow | None]:
    db = get_db()
    exp = expected(db, round_id, code)
    sub = store.get_submission(db, round_id, code)
    return db, exp, sub


def _refused(exp: Expected, sub: store.SubmissionRow | None) -> str | None:
    if exp.round["status"] != "open":
        return "Đợt báo cáo đã đóng nên không nhập hộ được."
    if (sub["status"] if sub else None) not in EDITABLE:
        return ("Không nhập hộ được: đơn vị đã nộp báo cáo (hoặc báo cáo đã được chấp nhận). "
                "Hãy trả lại báo cáo nếu cần sửa.")
    return None


def stored_by(db: Any, round_id: int, code: str, username: str) -> int:
    """The number of the latest revision `username` stored for this report (0: none): a
    browser buffer posted from a page older than it has been stored and is done with."""
    return max((revision["number"] for revision in store.list_revisions(db, round_id, code)
                if revision["actor"] == username), default=0)


def _render(exp: Expected, fill: Any, doc: Document, token: tuple[int, int],
            sub: store.SubmissionRow | None, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "coordinator/on_behalf.html", exp=exp, outline=exp.outline, fill=fill, doc=doc,
        shown=Shown(token), sub=sub, formulas=formulas_json(exp.outline),
        stored=stored_by(get_db(), exp.round["id"], exp.unit["unit_code"], g.user["username"]),
        evidence_on=False,  # evidence is the unit's to attach
    ), status


@bp.route("/coordinator/rounds/<int:round_id>/units/<code>/nhap-ho", methods=("GET", "POST"))
@role_required("coordinator")
def enter(round_id: int, code: str) -> ResponseReturnValue:
    """The fill form, for the coordinator, saving as «nhập hộ»."""
    db, exp, sub = _open_report(round_id, code)
    view = url_for("submission.view", round_id=round_id, code=code)
    refusal = _refused(exp, sub)
    if refusal:
        flash(refusal, "error")
        return redirect(view)
    revision = store.get_revision(db, round_id, code)
    stored = revision["values"] if revision else {}
    if request.method == "GET":
        token = store.report_state(db, round_id, code).token
        return _render(exp, build_form(exp.outline, stored=stored), Document(values=stored),
                       token, sub)
    token = token_of(request.form) or store.report_state(db, round_id, code).token
    action = request.form.get("action", "draft")
    if action.startswith("addrows:"):
        fill = build_form(exp.outline, stored=stored, posted=request.form,
                          add_rows=action.removeprefix("addrows:"))
        return _render(exp, fill, Document(values=stored), token, sub)
    if action not in MODES:
        abort(400)
    refused = post_problems(exp.outline, request.form, request.files.keys())
    if refused:
        for problem in refused:
            flash(problem, "error")
        return _render(exp, build_form(exp.outline, stored=stored, posted=request.form),
                       Document(values=stored), token, sub, 422)
    raw = raw_values(exp.outline, request.form)
    try:
        intake = store.submit_values(
            db, round_id=round_id, unit_code=code, raw=raw, channel="web",
            actor=g.user["username"], mode=action, outline=exp.outline, token=token,
            on_behalf=True)
    except store.StaleReport:
        flash("Chưa lưu: báo cáo của đơn vị vừa được lưu ở nơi khác (đơn vị hoặc người khác) "
              "sau khi trang này được mở. Những gì bạn nhập vẫn còn bên dưới; hãy mở «Xem» "
              "báo cáo để đối chiếu, rồi tải lại trang này và nhập lại nếu vẫn cần.", "error")
        return _render(exp, build_form(exp.outline, stored=stored, posted=request.form),
                       Document(values=stored), token, sub, 409)
    except store.StoreError as exc:
        flash(str(exc), "error")
        return redirect(view)
    if intake.revision is None:
        flash("Chưa lưu: còn lỗi cần sửa (xem danh sách bên dưới)." if action == "submit" else
              "Chưa lưu được bản nháp: có giá trị không đọc được (xem danh sách bên dưới).",
              "error")
        fill = build_form(exp.outline, stored=to_json(exp.outline, intake.result.values),
                          posted=request.form)
        doc = Document(values=stored, issues=group_issues(list(intake.result.issues),
                                                          exp.outline))
        return _render(exp, fill, doc, token, sub, 422)
    number = intake.revision["number"]
    what = "nộp báo cáo" if action == "submit" else "lưu nháp"
    flash(f"Đã nhập hộ và {what} cho {exp.unit['name']} (lần lưu thứ {number}).", "success")
    return redirect(view)


@bp.post("/coordinator/rounds/<int:round_id>/units/<code>/nhap-ho/excel")
@role_required("coordinator")
def upload(round_id: int, code: str) -> ResponseReturnValue:
    """A template filled for the unit, uploaded by the coordinator: checked as the unit's own
    upload would be (its identity must name this round and unit)."""
    db, exp, sub = _open_report(round_id, code)
    back = url_for("on_behalf.enter", round_id=round_id, code=code)
    refusal = _refused(exp, sub)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("submission.view", round_id=round_id, code=code))
    file = request.files.get("file")
    mode = request.form.get("mode", "submit")
    if mode not in MODES:
        abort(400)
    if file is None or not file.filename:
        flash("Hãy chọn tệp Excel (.xlsx) đã điền cho đơn vị trước khi bấm «Tải lên».", "error")
        return redirect(back)
    name = upload_name(file)
    outcome = ingest_upload(db, file.read(), name, actor=g.user["username"],
                            round_id=round_id, unit_code=code, mode=mode, on_behalf=True)
    if outcome.status == ACCEPTED and outcome.revision is not None:
        flash(f"Đã nhập hộ từ tệp «{name}» cho {exp.unit['name']} (lần lưu thứ "
              f"{outcome.revision['number']}).", "success")
        return redirect(url_for("submission.view", round_id=round_id, code=code))
    if outcome.status == DUPLICATE:
        flash(f"Tệp «{name}» đã được nhận trước đó; không lưu thêm lần nào.", "info")
        return redirect(url_for("submission.view", round_id=round_id, code=code))
    flash(f"Tệp «{name}» chưa được nhận; chưa có gì được lưu:", "error")
    for error in outcome.errors:
        flash(error, "error")
    return redirect(back)
