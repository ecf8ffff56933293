"""The unit portal: "Việc cần làm" (the unit's rounds), the fill page, and recall (thu hồi).

The fill page posts every input; `formbuilder.raw_values` turns the POST into the raw dict and
`store.submit_values` validates and stores it: draft without required checks, submit with all
of them. A refused submission is shown again with every error at its item and a summary.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlite_utils import Database

import store
from webapp import autosave, evidence, presubmit
from webapp.auth import role_required
from webapp.db import get_db
from webapp.formbuilder import build_form, formulas_json, post_problems, raw_values
from webapp.submission import (
    Document,
    Expected,
    can_recall,
    current_comments,
    expected,
    group_comments,
    group_issues,
)

bp = Blueprint("unit", __name__)

EDITABLE = (None, "draft", "returned")


@bp.get("/unit/")
@role_required("unit")
def home() -> ResponseReturnValue:
    """Việc cần làm: the unit's rounds, newest first, with deadline, days left and status."""
    rounds = store.unit_rounds(get_db(), g.user["unit_code"])
    unit = store.get_unit(get_db(), g.user["unit_code"])
    return render_template("unit/home.html", rounds=rounds, unit=unit)


def _editable(exp: Expected, sub: store.SubmissionRow | None) -> bool:
    return exp.round["status"] == "open" and (sub["status"] if sub else None) in EDITABLE


def _render_fill(db: Database, exp: Expected, fill: Any, doc: Document, status: int = 200,
                 sub: store.SubmissionRow | None = None, sub_known: bool = False,
                 shown: autosave.Shown | None = None):
    """`sub_known`: the caller read the submission in this request and wrote nothing since.
    `shown` carries the version token and what the page holds; without it (a re-shown POST)
    the page keeps the token it was posted with, as nothing was saved."""
    code = exp.unit["unit_code"]
    if shown is None:
        token = autosave.token_of(request.form)
        shown = autosave.Shown(
            token=token or store.report_state(db, exp.round["id"], code).token, stored={})
    return render_template(
        "unit/fill.html", exp=exp, outline=exp.outline, fill=fill, doc=doc, shown=shown,
        sub=sub if sub_known else store.get_submission(db, exp.round["id"], code),
        formulas=formulas_json(exp.outline),
    ), status


def _store_evidence(db: Database, exp: Expected) -> list[str]:
    """Keep the files chosen in the evidence inputs; return the problems (a bad file is
    refused on its own, the values are still saved)."""
    return evidence.store_uploads(db, exp.outline, request.files.items(multi=True),
                                  round_id=exp.round["id"], unit_code=exp.unit["unit_code"],
                                  actor=g.user["username"])


@bp.route("/rounds/<int:round_id>/units/<code>/edit", methods=("GET", "POST"))
@role_required("unit")
def fill(round_id: int, code: str) -> ResponseReturnValue:
    db = get_db()
    exp = expected(db, round_id, code)
    sub = store.get_submission(db, round_id, code)
    if not _editable(exp, sub):
        return redirect(url_for("submission.view", round_id=round_id, code=code))
    comments = current_comments(db, round_id, code)
    files = evidence.attachments_by_item(db, round_id, code)

    if request.method == "GET":
        shown = autosave.page_content(db, exp)
        doc = Document(values=shown.stored, comments=group_comments(comments), files=files,
                       issues=group_issues(list(shown.issues), exp.outline))
        return _render_fill(db, exp, shown.form(exp.outline), doc, sub=sub, sub_known=True,
                            shown=shown)

    action = request.form.get("action", "draft")
    latest = store.get_revision(db, round_id, code)
    stored = latest["values"] if latest else {}
    if action.startswith(evidence.REMOVE_ACTION):  # the page comes back with what was typed
        flash(*reversed(evidence.remove(db, round_id=round_id, unit_code=code, action=action,
                                        actor=g.user["username"])))
        files = evidence.attachments_by_item(db, round_id, code)
    if action.startswith(("addrows:", evidence.REMOVE_ACTION)) or action == presubmit.BACK:
        table = action.removeprefix("addrows:") if action.startswith("addrows:") else None
        fill_form = build_form(exp.outline, stored=stored, posted=request.form, add_rows=table)
        doc = Document(values=stored, comments=group_comments(comments), files=files)
        return _render_fill(db, exp, fill_form, doc, sub=sub, sub_known=True)
    if action not in ("draft", "submit"):
        abort(400)
    refused = post_problems(exp.outline, request.form, request.files.keys())
    if refused:
        for problem in refused:
            flash(problem, "error")
        flash("Chưa lưu: dữ liệu gửi lên có chỗ không đúng với biểu mẫu (xem thông báo).", "error")
        fill_form = build_form(exp.outline, stored=stored, posted=request.form)
        doc = Document(values=stored, comments=group_comments(comments), files=files)
        return _render_fill(db, exp, fill_form, doc, 422)

    problems = _store_evidence(db, exp)
    for problem in problems:
        flash(problem, "error")
    raw = raw_values(exp.outline, request.form)
    if action == "submit" and (page := presubmit.confirmation(exp, raw, request.form)):
        return page  # empty items: the unit confirms first (files above are already kept)
    try:
        intake = autosave.save_posted(db, exp, raw, request.form, mode=action,
                                      actor=g.user["username"])
    except store.StaleReport as exc:  # changed elsewhere since the page was opened
        shown = autosave.conflict(db, exp, raw, exc.state)
        doc = Document(values=stored, comments=group_comments(comments), files=files)
        flash(f"Chưa lưu: {exc}", "error")
        return _render_fill(db, exp, build_form(exp.outline, stored=stored, posted=request.form),
                            doc, 409, shown=shown)
    except store.StoreError as exc:
        flash(str(exc), "error")
        return redirect(url_for("unit.fill", round_id=round_id, code=code))
    result = intake.result
    if intake.revision is None:
        fill_form = build_form(exp.outline, stored=result_values(exp, result.values),
                               posted=request.form)
        doc = Document(values=stored, issues=group_issues(list(result.issues), exp.outline),
                       comments=group_comments(comments),
                       files=evidence.attachments_by_item(db, round_id, code))
        flash("Báo cáo chưa được nộp: còn lỗi cần sửa (xem danh sách bên dưới)."
              if action == "submit" else
              "Chưa lưu được bản nháp: có giá trị không đọc được (xem danh sách bên dưới).",
              "error")
        return _render_fill(db, exp, fill_form, doc, 422)
    number = intake.revision["number"]
    if intake.kept_as_typed:
        flash(f"Đã lưu nháp (lần lưu thứ {number}), nhưng {len(intake.kept_as_typed)} mục có "
              "giá trị chưa đọc được: giữ nguyên như bạn đã gõ và đánh dấu bên dưới. Hãy sửa "
              "trước khi nộp.", "error")
        return redirect(url_for("unit.fill", round_id=round_id, code=code))
    if action == "submit":
        warnings = len(result.warnings)
        note = f" Có {warnings} cảnh báo, bộ phận tổng hợp sẽ xem xét." if warnings else ""
        flash(f"Đã nộp báo cáo (lần lưu thứ {number}).{note}", "success")
        return redirect(url_for("submission.view", round_id=round_id, code=code))
    flash(f"Đã lưu nháp (lần lưu thứ {number}). Báo cáo chưa được nộp.", "success")
    return redirect(url_for("unit.fill", round_id=round_id, code=code))


def result_values(exp: Expected, values: dict[str, Any]) -> dict[str, Any]:
    """Computed values of a refused POST, as JSON, so read-only cells show the server's
    figures next to the re-shown input."""
    from forms import to_json

    return to_json(exp.outline, values)


@bp.post("/rounds/<int:round_id>/units/<code>/recall")
@role_required("unit")
def recall(round_id: int, code: str) -> ResponseReturnValue:
    db = get_db()
    exp = expected(db, round_id, code)
    sub = store.get_submission(db, round_id, code)
    if not can_recall(exp.round, sub):
        flash("Không thể thu hồi: chỉ thu hồi được báo cáo đã nộp, trước hạn nộp và khi bộ phận "
              "tổng hợp chưa trả lại hay chấp nhận.", "error")
        return redirect(url_for("submission.view", round_id=round_id, code=code))
    try:
        store.set_status(db, round_id, code, "draft", g.user["username"])
    except store.StoreError as exc:
        flash(str(exc), "error")
        return redirect(url_for("submission.view", round_id=round_id, code=code))
    flash("Đã thu hồi báo cáo. Báo cáo trở về bản nháp; hãy sửa và nộp lại trước hạn.",
          "success")
    return redirect(url_for("unit.fill", round_id=round_id, code=code))
