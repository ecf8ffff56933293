"""The round board's «Gửi nhắc nhở»: a confirmation page listing who will get a message (and
who has no address), then a CSRF-protected POST that sends and shows each unit's outcome."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request
from flask.typing import ResponseReturnValue

import store
from webapp.auth import role_required
from webapp.db import get_db
from webapp.reminders.run import (
    FAILED,
    NO_EMAIL,
    SENT,
    ReminderRefused,
    pending_units,
    remind_round,
)
from webapp.reminders.settings import SettingsError, base_url, smtp_settings

bp = Blueprint("reminders", __name__)


@bp.route("/coordinator/rounds/<int:round_id>/nhac-nho", methods=("GET", "POST"))
@role_required("coordinator")
def remind(round_id: int) -> ResponseReturnValue:
    db = get_db()
    try:
        store.get_round(db, round_id)
    except store.NotFound:
        abort(404)
    try:
        round_row, pending, submitted = pending_units(db, round_id)
    except ReminderRefused as exc:  # a closed round
        return render_template("coordinator/remind.html", round=None, refused=str(exc),
                               round_id=round_id), 409
    link_base = base_url() or request.url_root.rstrip("/")
    try:
        settings = smtp_settings()
        settings_problem = None
    except SettingsError as exc:
        settings, settings_problem = None, str(exc)
    result = None
    status = 200
    if request.method == "POST":
        if settings is None:
            status = 422  # nothing sent: the page says which settings are missing
        else:
            result = remind_round(db, round_id, settings=settings, base_url=link_base,
                                  actor=g.user["username"])
    return render_template(
        "coordinator/remind.html", round=round_row, pending=pending, submitted=submitted,
        settings=settings, settings_problem=settings_problem, result=result, refused=None,
        counts=({k: result.count(k) for k in (SENT, FAILED, NO_EMAIL)} if result else None),
    ), status
