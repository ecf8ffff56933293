"""Official documents of a round (Nghị định 30/2020/NĐ-CP): the coordinator sets the round's
document details ("Thông tin văn bản": issuer, number, place and date, recipients, signer),
and a unit downloads its own report as a .docx ready to sign.

The unit report goes through the same access rule as every submission URL
(`webapp.submission.expected`): a unit reaches only its own, another unit's URL is a 404.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

import store
from store.round_documents import FIELDS
from webapp.auth import login_required, role_required
from webapp.db import get_db
from webapp.downloads import attachment
from webapp.submission import expected

bp = Blueprint("documents", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.post("/coordinator/rounds/<int:round_id>/van-ban")
@role_required("coordinator")
def round_document(round_id: int) -> ResponseReturnValue:
    """Save the round's document details; a rejected form is shown again with what was typed
    and every problem named by its field, and nothing is stored."""
    db = get_db()
    try:
        round_row = store.get_round(db, round_id)
    except store.NotFound:
        abort(404)
    typed = {column: request.form.get(column, "") for column in FIELDS}
    try:
        store.set_round_document(db, round_id, typed, actor=g.user["username"])
    except store.StoreError as exc:
        for message in exc.errors or [str(exc)]:
            flash(message, "error")
        return render_template("coordinator/document_form.html", round=round_row,
                               doc=typed), 422
    flash("Đã lưu thông tin văn bản của đợt báo cáo.", "success")
    return redirect(url_for("coordinator.round_page", round_id=round_id)
                    + "#thong-tin-van-ban")


@bp.get("/rounds/<int:round_id>/units/<code>/bao-cao.docx")
@login_required
def unit_report(round_id: int, code: str) -> ResponseReturnValue:
    """The unit's own report (its latest revision) as an official .docx ready to sign; 404
    when nothing is saved yet or when the URL names another unit."""
    from exports.docx import write_unit_report

    db = get_db()
    exp = expected(db, round_id, code)
    revision = store.get_revision(db, round_id, code, None)
    if revision is None:
        abort(404)
    parent = exp.unit.get("parent")
    parent_name = None
    if parent:
        try:
            parent_name = store.get_unit(db, parent)["name"]
        except store.NotFound:
            parent_name = None
    buffer = io.BytesIO()
    write_unit_report(exp.outline, exp.unit, revision, buffer, round_row=exp.round,
                      document=store.round_document(db, round_id), parent_name=parent_name,
                      generated_at=datetime.now(UTC))
    return attachment(buffer.getvalue(), f"Báo cáo - {exp.unit['name']} - "
                      f"{exp.round['title']}.docx", DOCX, fallback="bao-cao.docx")


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    def fields(round_id: int) -> dict[str, Any]:
        return store.round_document(get_db(), round_id).as_row()

    return {"round_document_fields": fields}
