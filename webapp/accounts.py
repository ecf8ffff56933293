"""Accounts in the browser (issue 13.4): the coordinator creates unit accounts (one or several
per unit) with a one-time password shown once, resets a password to a new one-time one,
deactivates and reactivates accounts, and makes an account for every unit without one, on a
printable sheet with its xlsx.

One-time passwords exist only in the response that shows them (the page is `no-store`, as
every page here): the database keeps their hashes, nothing else. The xlsx of the sheet is
therefore embedded in that same page as a data: link rather than kept for a later download.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

import store
from webapp.auth import role_required
from webapp.credentials import credentials_xlsx
from webapp.db import get_db
from webapp.reminders.settings import base_url

bp = Blueprint("accounts", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _index(errors: Sequence[str] = (), status: int = 200,
           form: dict[str, str] | None = None) -> ResponseReturnValue:
    db = get_db()
    return render_template(
        "accounts/index.html", accounts=store.list_accounts_with_units(db),
        units=store.list_units(db), missing=store.account_admin.units_without_account(db),
        errors=list(errors), form=form or {}), status


def _sheet(credentials: list[store.Credential], title: str) -> ResponseReturnValue:
    """The page that shows one-time passwords, once."""
    base = base_url()  # DECUONG_BASE_URL, as in reminders: the address users really open
    login_url = (base + url_for("auth.login")) if base else url_for("auth.login", _external=True)
    data = credentials_xlsx(credentials, login_url)
    href = f"data:{XLSX};base64,{base64.b64encode(data).decode('ascii')}"
    return render_template("accounts/sheet.html", credentials=credentials, title=title,
                           login_url=login_url, xlsx_href=href)


def _account_or_404(username: str) -> store.AccountRow:
    try:
        return store.get_account(get_db(), username)
    except (store.AccountNotFound, store.StoreError):
        abort(404)


@bp.get("/coordinator/accounts/")
@role_required("coordinator")
def index() -> ResponseReturnValue:
    return _index()


@bp.post("/coordinator/accounts/new")
@role_required("coordinator")
def create() -> ResponseReturnValue:
    form = {"unit": request.form.get("unit", ""), "username": request.form.get("username", "")}
    if not form["unit"]:
        return _index(["Hãy chọn đơn vị của tài khoản mới."], 422, form)
    try:
        credential = store.create_unit_account(get_db(), form["unit"], form["username"] or None,
                                               actor=g.user["username"])
    except store.StoreError as exc:
        return _index([f"Chưa tạo được tài khoản: {exc}"], 422, form)
    return _sheet([credential], f"Tài khoản mới của {credential.unit_name}")


@bp.post("/coordinator/accounts/missing")
@role_required("coordinator")
def create_missing() -> ResponseReturnValue:
    made = store.create_missing_accounts(get_db(), actor=g.user["username"])
    if not made:
        flash("Mọi đơn vị đều đã có tài khoản; không tạo thêm tài khoản nào.", "info")
        return redirect(url_for("accounts.index"))
    return _sheet(made, f"Tài khoản mới cho {len(made)} đơn vị")


@bp.post("/coordinator/accounts/<username>/reset")
@role_required("coordinator")
def reset(username: str) -> ResponseReturnValue:
    account = _account_or_404(username)
    if account["username"] == g.user["username"]:
        flash("Mật khẩu của chính bạn đổi ở trang «Đổi mật khẩu».", "error")
        return redirect(url_for("accounts.index"))
    credential = store.reset_to_one_time(get_db(), str(account["username"]),
                                         actor=g.user["username"])
    return _sheet([credential], f"Mật khẩu tạm thời mới của {credential.username}")


@bp.post("/coordinator/accounts/<username>/deactivate")
@role_required("coordinator")
def deactivate(username: str) -> ResponseReturnValue:
    account = _account_or_404(username)
    name = str(account["username"])
    if name == g.user["username"]:
        flash("Không thể tự ngừng tài khoản bạn đang dùng.", "error")
        return redirect(url_for("accounts.index"))
    try:
        ended = store.deactivate_account(get_db(), name, actor=g.user["username"])
    except store.StoreError as exc:
        flash(str(exc), "error")
    else:
        sessions = f"; đã đăng xuất {ended} phiên đang mở" if ended else ""
        flash(f"Đã ngừng tài khoản {name}{sessions}. Tài khoản này không đăng nhập được nữa.",
              "success")
    return redirect(url_for("accounts.index"))


@bp.post("/coordinator/accounts/<username>/activate")
@role_required("coordinator")
def activate(username: str) -> ResponseReturnValue:
    account = _account_or_404(username)
    name = str(account["username"])
    try:
        store.reactivate_account(get_db(), name, actor=g.user["username"])
    except store.StoreError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Đã cho tài khoản {name} hoạt động lại (với mật khẩu cũ của tài khoản).",
              "success")
    return redirect(url_for("accounts.index"))
