"""The coordinator's review of one report: return it with comments, accept it (after an
explicit confirmation) and reopen an accepted one ("Mở lại") with a reason.

Accepting is the one move a coordinator may regret, so the server itself requires the
confirmation box of the form (`confirm=1`): a stray click or a form posted without it changes
nothing. With JavaScript the box is replaced by a confirm dialog (static/review.js), which ticks
it. Reopening undoes an acceptance: the report goes back to the unit as returned, the reason
shown like a return comment (rules in store/review.py).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from sqlite_utils import Database

import store
from webapp.auth import role_required
from webapp.db import get_db
from webapp.submission import Expected, expected

bp = Blueprint("review", __name__, url_prefix="/rounds/<int:round_id>/units/<code>")

#: What the coordinator is told when the confirmation box was not ticked.
CONFIRM_MISSING = ("Chưa chấp nhận: hãy đánh dấu ô «Tôi đã xem kỹ và chấp nhận báo cáo này» "
                   "rồi bấm «Chấp nhận báo cáo».")


def _back(round_id: int, code: str) -> ResponseReturnValue:
    return redirect(url_for("submission.view", round_id=round_id, code=code))


def _review(round_id: int, code: str, move: Callable[[Database, Expected], object], done: str,
            *, to_board: bool, refusal: str | None = None) -> ResponseReturnValue:
    """Make one review move on the report of this URL, after the same access check as every
    report page. Refused (`refusal`, or the store's own words when it refuses the move), nothing
    changes and the coordinator is back on the report; done, `done` is flashed with the unit's
    name, then the round's board (`to_board`) or the report."""
    db = get_db()
    exp = expected(db, round_id, code)
    if refusal is None:
        try:
            move(db, exp)
        except store.StoreError as exc:
            refusal = str(exc)
    if refusal is not None:
        flash(refusal, "error")
        return _back(round_id, code)
    flash(done.format(unit=exp.unit["name"]), "success")
    if to_board:
        return redirect(url_for("coordinator.round_page", round_id=round_id))
    return _back(round_id, code)


@bp.post("/return")
@role_required("coordinator")
def return_report(round_id: int, code: str) -> ResponseReturnValue:
    """Trả lại: a comment on the report and/or on items (fields `comment-<item key>`)."""
    def move(db: Database, exp: Expected) -> None:
        item_comments = {
            key: request.form.get(f"comment-{key}", "")
            for key in exp.outline.keys
            if request.form.get(f"comment-{key}", "").strip()
        }
        store.set_status(db, round_id, code, "returned", g.user["username"],
                         comment=request.form.get("comment"), item_comments=item_comments)

    return _review(round_id, code, move, "Đã trả lại báo cáo của {unit} để sửa.", to_board=True)


@bp.post("/accept")
@role_required("coordinator")
def accept(round_id: int, code: str) -> ResponseReturnValue:
    """Chấp nhận, only with the confirmation box ticked (see the module docstring)."""
    return _review(
        round_id, code,
        lambda db, exp: store.set_status(db, round_id, code, "accepted", g.user["username"]),
        "Đã chấp nhận báo cáo của {unit}. Nếu cần sửa, dùng «Mở lại».", to_board=True,
        refusal=CONFIRM_MISSING if request.form.get("confirm") != "1" else None)


@bp.post("/reopen")
@role_required("coordinator")
def reopen(round_id: int, code: str) -> ResponseReturnValue:
    """Mở lại: an accepted report goes back to the unit as returned, with the reason."""
    return _review(
        round_id, code,
        lambda db, exp: store.reopen(db, round_id, code, g.user["username"],
                                     request.form.get("reason")),
        "Đã mở lại báo cáo của {unit}: đơn vị sửa và nộp lại.", to_board=False)
