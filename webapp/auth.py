"""Login, logout and change of password; who is logged in and what each role may open.

Failed-login throttling lives in the store (5 wrong passwords lock an account for 15 minutes);
this page only says so in one message that does not reveal whether the username exists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

import store
from webapp.db import get_db

bp = Blueprint("auth", __name__, url_prefix="/auth")

MIN_PASSWORD_LENGTH = 8
BAD_LOGIN = ("Tên đăng nhập hoặc mật khẩu không đúng. Sau 5 lần nhập sai liên tiếp, tài khoản "
             "bị tạm khóa 15 phút.")


@bp.before_app_request
def load_logged_in_user() -> None:
    """`g.user` is the account (without its hash) or None; a deleted account logs out."""
    g.user = None
    username = session.get("username")
    if username is None:
        return
    try:
        g.user = store.get_account(get_db(), username)
    except store.NotFound:
        session.clear()


def home_endpoint() -> str:
    """Where a user lands after logging in: the coordinator's rounds or the unit's to-do list."""
    user = g.get("user")
    if user is None:
        return "auth.login"
    return "coordinator.rounds" if user["role"] == "coordinator" else "unit.home"


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped


def role_required(role: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Views of one role. The other role gets 404, not 403: a unit learns nothing about what
    the coordinator's pages hold, and vice versa."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(**kwargs: Any) -> Any:
            if g.user is None:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if g.user["role"] != role:
                abort(404)
            return view(**kwargs)

        return wrapped

    return decorator


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: `?next=https://elsewhere` must not turn login into a redirector."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/login", methods=("GET", "POST"))
def login():  # type: ignore[no-untyped-def]
    if request.method == "POST":
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        account = store.verify_password(get_db(), username, password)
        if account is None:
            flash(BAD_LOGIN, "error")
            return render_template("auth/login.html", username=username), 401
        session.clear()  # a fresh session on login: no fixation
        session["username"] = account["username"]
        g.user = account
        return redirect(_safe_next(request.args.get("next")) or url_for(home_endpoint()))
    if g.user is not None:
        return redirect(url_for(home_endpoint()))
    return render_template("auth/login.html", username="")


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    session.clear()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=("GET", "POST"))
@login_required
def change_password():  # type: ignore[no-untyped-def]
    if request.method == "POST":
        current = request.form.get("current", "")
        new = request.form.get("new", "")
        confirm = request.form.get("confirm", "")
        db = get_db()
        error = None
        if store.verify_password(db, g.user["username"], current) is None:
            error = "Mật khẩu hiện tại không đúng."
        elif len(new) < MIN_PASSWORD_LENGTH:
            error = f"Mật khẩu mới phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự."
        elif new != confirm:
            error = "Hai lần nhập mật khẩu mới không khớp nhau."
        elif new == current:
            error = "Mật khẩu mới phải khác mật khẩu hiện tại."
        if error is None:
            store.set_password(db, g.user["username"], new, actor=g.user["username"])
            flash("Đã đổi mật khẩu.", "success")
            return redirect(url_for(home_endpoint()))
        flash(error, "error")
    return render_template("auth/password.html")
