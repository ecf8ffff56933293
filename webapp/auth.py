"""Login, logout and change of password; who is logged in and what each role may open.

A login is a row in the store's sessions table (store.sessions); the signed cookie carries only
its random token. Logout deletes the row, a password change deletes the account's other rows,
and a session idle longer than SESSION_IDLE_MINUTES (default: a working day) expires. Wrong
guesses slow the guessing client (store.login_throttle), never the account's owner elsewhere.

A request that asks for JSON (the fill page's autosave and checks) is never redirected to the
login page when its session is gone: it gets 401 and a JSON body saying so, so the page can keep
what the user typed and tell them to log in again in another tab.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

import store
from webapp import display
from webapp.db import get_db
from webapp.security import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")

SESSION_KEY = "sid"
DEFAULT_IDLE_MINUTES = 8 * 60
BAD_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
NEED_LOGIN = "Bạn cần đăng nhập để tiếp tục."


def idle_timeout() -> timedelta:
    return timedelta(minutes=float(current_app.config["SESSION_IDLE_MINUTES"]))


def _idle_text() -> str:
    minutes = float(current_app.config["SESSION_IDLE_MINUTES"])
    if minutes >= 60:
        return f"{display.number(round(minutes / 60, 1))} giờ"
    if minutes >= 1:
        return f"{display.number(round(minutes))} phút"
    return f"{display.number(round(minutes * 60))} giây"


def expired_message() -> str:
    return (f"Phiên làm việc đã hết hạn sau {_idle_text()} không thao tác. Hãy đăng nhập lại "
            "để tiếp tục; những gì đã lưu vẫn còn nguyên.")


@bp.before_app_request
def load_logged_in_user() -> None:
    """`g.user` is the session's account (without its hash) or None. A session that was
    logged out, ended by a password change, idle too long or whose account is gone gives
    None; `g.session_expired` tells the idle case apart for the message."""
    g.user = None
    g.session_expired = False
    token = session.get(SESSION_KEY)
    if token is None or request.endpoint == "static":
        return
    state, account = store.session_account(get_db(), token, idle=idle_timeout())
    if account is None:
        session.pop(SESSION_KEY, None)
        g.session_expired = state == store.sessions.EXPIRED
        return
    g.user = account


#: What an account with a one-time password may reach: changing it, and leaving.
ONE_TIME_ALLOWED = frozenset({"auth.change_password", "auth.logout", "auth.login", "static"})
MUST_CHANGE = ("Bạn đang dùng mật khẩu tạm thời do bộ phận tổng hợp cấp. Hãy đặt mật khẩu của "
               "riêng bạn để tiếp tục: nhập mật khẩu tạm thời vào ô «Mật khẩu hiện tại».")


@bp.before_app_request
def require_own_password() -> ResponseReturnValue | None:
    """An account logged in with a one-time password reaches only the password change (and
    logout): whoever handed the password over must not be able to use the account later."""
    user = g.get("user")
    if user is None or not user.get("must_change") or request.endpoint in ONE_TIME_ALLOWED:
        return None
    if wants_json():
        response = jsonify({"error": MUST_CHANGE, "password": url_for("auth.change_password")})
        response.status_code = 403
        return response
    flash(MUST_CHANGE, "info")
    return redirect(url_for("auth.change_password"))


def home_endpoint() -> str:
    """Where a user lands after logging in: the coordinator's rounds or the unit's to-do list."""
    user = g.get("user")
    if user is None:
        return "auth.login"
    return "coordinator.rounds" if user["role"] == "coordinator" else "unit.home"


def wants_json() -> bool:
    """Whether the request was made by a script expecting JSON, not by a page navigation."""
    best = request.accept_mimetypes.best_match(("text/html", "application/json"))
    return request.is_json or best == "application/json"


def _return_to() -> str | None:
    """The page to come back to after login: this one for a page view, the page that sent
    the request (same site only) for a form post or a script's request."""
    if request.method == "GET" and not wants_json():
        return safe_next(request.full_path.rstrip("?"))
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return safe_next(path)


def login_needed() -> ResponseReturnValue:
    """The answer to a request without a live session: a redirect to the login page (with the
    way back), or 401 JSON for a script, so nothing the user typed is thrown away."""
    message = expired_message() if g.get("session_expired") else NEED_LOGIN
    target = _return_to()
    login_url = url_for("auth.login", next=target) if target else url_for("auth.login")
    if wants_json():
        response = jsonify({"error": message, "login": login_url})
        response.status_code = 401
        return response
    flash(message, "info" if g.get("session_expired") else "error")
    return redirect(login_url)


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        if g.user is None:
            return login_needed()
        return view(**kwargs)

    return wrapped


def role_required(role: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Views of one role. The other role gets 404, not 403: a unit learns nothing about what
    the coordinator's pages hold, and vice versa."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(**kwargs: Any) -> Any:
            if g.user is None:
                return login_needed()
            if g.user["role"] != role:
                abort(404)
            return view(**kwargs)

        return wrapped

    return decorator


def _throttled_message(seconds: float) -> str:
    wait = max(1, round(seconds))
    when = f"{wait} giây" if wait < 120 else f"{round(wait / 60)} phút"
    return (f"Máy này đã nhập sai mật khẩu nhiều lần liên tiếp. Hãy chờ {when} rồi thử lại; "
            "nếu quên mật khẩu, hãy liên hệ bộ phận tổng hợp để được cấp lại.")


def _client() -> str:
    return request.remote_addr or "unknown"


def _check_login(db: Any, username: str, password: str) -> store.LoginResult:
    """The password check of the login and of the password change, throttled per client."""
    if current_app.config["LOGIN_THROTTLE"]:
        return store.attempt_login(db, username, password, _client())
    return store.LoginResult(store.verify_password(db, username, password))


@bp.route("/login", methods=("GET", "POST"))
def login() -> ResponseReturnValue:
    if request.method == "POST":
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        db = get_db()
        result = _check_login(db, username, password)
        if result.retry_after > 0:
            flash(_throttled_message(result.retry_after), "error")
            response = current_app.make_response(
                (render_template("auth/login.html", username=username), 429))
            response.headers["Retry-After"] = str(max(1, round(result.retry_after)))
            return response
        account = result.account
        if account is None:
            flash(BAD_LOGIN, "error")
            return render_template("auth/login.html", username=username), 401
        store.end_session(db, session.get(SESSION_KEY))
        session.clear()  # a fresh session on login: no fixation
        session[SESSION_KEY] = store.start_session(db, account["username"], idle=idle_timeout())
        g.user = account
        if account.get("must_change"):
            flash(MUST_CHANGE, "info")
            return redirect(url_for("auth.change_password"))
        return redirect(safe_next(request.args.get("next")) or url_for(home_endpoint()))
    if g.user is not None:
        return redirect(url_for(home_endpoint()))
    return render_template("auth/login.html", username="")


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    store.end_session(get_db(), session.get(SESSION_KEY))
    session.clear()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=("GET", "POST"))
@login_required
def change_password() -> ResponseReturnValue:
    if request.method == "POST":
        current = request.form.get("current", "")
        new = request.form.get("new", "")
        confirm = request.form.get("confirm", "")
        db = get_db()
        error = None
        # Throttled like the login: a borrowed or stolen session must not become a way to
        # guess the password itself at full speed.
        checked = _check_login(db, g.user["username"], current)
        if checked.retry_after > 0:
            error = _throttled_message(checked.retry_after)
        elif checked.account is None:
            error = "Mật khẩu hiện tại không đúng."
        elif new != confirm:
            error = "Hai lần nhập mật khẩu mới không khớp nhau."
        elif new == current:
            error = "Mật khẩu mới phải khác mật khẩu hiện tại."
        else:
            error = store.password_problem(new, g.user["username"])
        if error is None:
            ended = store.set_password(db, g.user["username"], new, actor=g.user["username"],
                                       keep_session=session.get(SESSION_KEY))
            others = f" Đã đăng xuất {ended} phiên khác của tài khoản này." if ended else ""
            flash(f"Đã đổi mật khẩu.{others}", "success")
            return redirect(url_for(home_endpoint()))
        flash(error, "error")
    return render_template("auth/password.html", min_length=store.password_policy.MIN_LENGTH,
                           one_time=bool(g.user.get("must_change")))
