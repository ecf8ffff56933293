"""The coordinator's review of one report: return it with comments, accept it (after an
explicit confirmation) and reopen an accepted one ("Mở lại") with a reason.

Accepting is the one move a coordinator may regret, so the server itself requires the
confirmation box of the form (`confirm=1`): a stray click or a form posted without it changes
nothing. With JavaScript the box is replaced by a confirm dialog (static/review.js), which ticks
it. Reopening undoes an acceptance: the report goes back to the unit as returned, the reason
shown like a return comment (rules in store/review.py).
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

import store
from webapp.auth import role_required
from webapp.db import get_db
from webapp.submission import expected

bp = Blueprint("review", __name__, url_prefix="/rounds/<int:round_id>/units/<code>")

#: What the coordinator is told when the confirmation box was not ticked.
CONFIRM_MISSING = ("Chưa chấp nhận: hãy đánh dấu ô «Tôi đã xem kỹ và chấp nhận báo cáo này» "
                   "rồi bấm «Chấp nhận báo cáo».")


def _back(round_id: int, code: str) -> ResponseReturnValue:
    return redirect(url_for("submission.view", round_id=round_id, code=code))


@bp.post("/return")
@role_required("coordinator")
def return_report(round_id: int, code: str) -> ResponseReturnValue:
    """Trả lại: a comment on the report and/or on items (fields `comment-<item key>`)."""
    db = get_db()
    exp = expected(db, round_id, code)
    item_comments = {
        key: request.form.get(f"comment-{key}", "")
        for key in exp.outline.keys
        if request.form.get(f"comment-{key}", "").strip()
    }
    try:
        store.set_status(db, round_id, code, "returned", g.user["username"],
                         comment=request.form.get("comment"), item_comments=item_comments)
    except store.StoreError as exc:
        flash(str(exc), "error")
        return _back(round_id, code)
    flash(f"Đã trả lại báo cáo của {exp.unit['name']} để sửa.", "success")
    return redirect(url_for("coordinator.round_page", round_id=round_id))


@bp.post("/accept")
@role_required("coordinator")
def accept(round_id: int, code: str) -> ResponseReturnValue:
    """Chấp nhận, only with the confirmation box ticked (see the module docstring)."""
    db = get_db()
    exp = expected(db, round_id, code)
    if request.form.get("confirm") != "1":
        flash(CONFIRM_MISSING, "error")
        return _back(round_id, code)
    try:
        store.set_status(db, round_id, code, "accepted", g.user["username"])
    except store.StoreError as exc:
        flash(str(exc), "error")
        return _back(round_id, code)
    flash(f"Đã chấp nhận báo cáo của {exp.unit['name']}. Nếu cần sửa, dùng «Mở lại».",
          "success")
    return redirect(url_for("coordinator.round_page", round_id=round_id))


@bp.post("/reopen")
@role_required("coordinator")
def reopen(round_id: int, code: str) -> ResponseReturnValue:
    """Mở lại: an accepted report goes back to the unit as returned, with the reason."""
    db = get_db()
    exp = expected(db, round_id, code)
    try:
        store.reopen(db, round_id, code, g.user["username"], request.form.get("reason"))
    except store.StoreError as exc:
        flash(str(exc), "error")
        return _back(round_id, code)
    flash(f"Đã mở lại báo cáo của {exp.unit['name']}: đơn vị sửa và nộp lại.", "success")
    return _back(round_id, code)
