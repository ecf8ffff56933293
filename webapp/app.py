"""The application factory (flaskr style): configuration, security settings and blueprints."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from webapp import (
    auth,
    autosave,
    checks,
    coordinator,
    db,
    display,
    evidence,
    hooks,
    proxy,
    review,
    security,
    submission,
    unit,
    yearplan,
    yearview,
)

csrf = CSRFProtect()

DEFAULT_MAX_UPLOAD_MB = 20


def _secret_key(instance: Path) -> str:
    """The session-signing key: made on first run and kept in the instance folder, so it never
    enters the repository and survives restarts (sessions stay valid)."""
    path = instance / "secret_key"
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
    key = secrets.token_hex(32)
    instance.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def _env_config() -> dict[str, Any]:
    """Settings from the environment, where a deployment (or `decuong serve`) puts them."""
    config: dict[str, Any] = {}
    if os.environ.get("DECUONG_DB"):
        config["DATABASE"] = os.environ["DECUONG_DB"]
    mb = os.environ.get("DECUONG_MAX_UPLOAD_MB")
    if mb:
        config["MAX_UPLOAD_MB"] = float(mb)
    idle = os.environ.get("DECUONG_SESSION_IDLE_MINUTES")
    if idle:
        config["SESSION_IDLE_MINUTES"] = float(idle)
    if os.environ.get("DECUONG_SECURE_COOKIES") == "1":
        config["SESSION_COOKIE_SECURE"] = True
    if os.environ.get("DECUONG_CACHE_MB"):  # bytes the consolidated pages may keep
        config["CONSOLIDATION_CACHE_MB"] = float(os.environ["DECUONG_CACHE_MB"])
    if os.environ.get("DECUONG_PROXY_COUNT"):  # `decuong serve --behind-proxy` (webapp.proxy)
        config["PROXY_COUNT"] = int(os.environ["DECUONG_PROXY_COUNT"])
    return config


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application. `test_config` overrides everything (tests pass DATABASE and
    WTF_CSRF_ENABLED); otherwise the environment and `instance/config.py` configure it."""
    instance = os.environ.get("DECUONG_INSTANCE")
    app = Flask(__name__, instance_path=instance or None, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE=str(Path(app.instance_path) / "decuong.db"),
        MAX_UPLOAD_MB=DEFAULT_MAX_UPLOAD_MB,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # a long report takes longer to fill than the default hour
        KEEP_DB_CONNECTIONS=True,  # one connection per waitress worker thread (webapp.db)
        # Werkzeug's default of 1 000 form parts refuses a legitimate fill form whose tables
        # are full (200 rows × 5 columns); the request size cap above still bounds the work.
        MAX_FORM_PARTS=50_000,
        SESSION_IDLE_MINUTES=auth.DEFAULT_IDLE_MINUTES,  # a working day without a request
        LOGIN_THROTTLE=True,  # store.login_throttle; only tests that are not about it turn it off
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(_env_config())
    else:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))
    app.config["MAX_CONTENT_LENGTH"] = int(float(app.config["MAX_UPLOAD_MB"]) * 1024 * 1024)

    csrf.init_app(app)
    security.init_app(app)  # before the blueprints: their <int:…> rules use its converter
    db.init_app(app)
    proxy.init_app(app)
    display.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(unit.bp)
    app.register_blueprint(autosave.bp)
    app.register_blueprint(checks.bp)
    app.register_blueprint(coordinator.bp)
    app.register_blueprint(submission.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(yearplan.bp)
    app.register_blueprint(yearview.bp)
    for blueprint in hooks.optional_blueprints():  # Excel channel, consolidation (later)
        app.register_blueprint(blueprint)
    _error_pages(app)
    app.context_processor(lambda: {"evidence_on": evidence.supported()})

    @app.get("/")
    def index() -> ResponseReturnValue:
        return redirect(url_for(auth.home_endpoint()))

    @app.get("/healthz")
    def healthz() -> ResponseReturnValue:
        """A trivial route: the benchmark's baseline and a load balancer's probe."""
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

    return app


def _error_pages(app: Flask) -> None:
    def page(code: int, title: str, text: str) -> ResponseReturnValue:
        return render_template("errors/error.html", code=code, title=title, text=text), code

    @app.errorhandler(404)
    def not_found(error: HTTPException) -> ResponseReturnValue:
        return page(404, "Không tìm thấy trang",
                    "Trang này không tồn tại hoặc bạn không có quyền xem.")

    @app.errorhandler(413)
    def too_large(error: HTTPException) -> ResponseReturnValue:
        limit = display.number(app.config["MAX_UPLOAD_MB"])
        length = request.content_length
        if length is not None and length <= app.config["MAX_CONTENT_LENGTH"]:
            # Under the size cap: one text field over MAX_FORM_MEMORY_SIZE (or too many parts).
            field_kb = display.number(round(app.config["MAX_FORM_MEMORY_SIZE"] / 1024))
            return page(413, "Nội dung quá dài",
                        f"Một ô nhập có nội dung dài hơn {field_kb} KB (hoặc biểu mẫu có quá "
                        "nhiều ô), vượt quá mức hệ thống nhận; chưa có gì được lưu. Hãy rút gọn "
                        "nội dung rồi gửi lại.")
        return page(413, "Tệp quá lớn",
                    f"Dữ liệu gửi lên vượt quá giới hạn {limit} MB. Hãy giảm dung lượng tệp "
                    "(ví dụ quét tài liệu ở độ phân giải thấp hơn) rồi gửi lại.")

    @app.errorhandler(400)
    def bad_request(error: HTTPException) -> ResponseReturnValue:
        return page(400, "Yêu cầu không hợp lệ",
                    "Dữ liệu gửi lên không đúng với biểu mẫu nên không được xử lý; chưa có gì "
                    "được lưu. Hãy tải lại trang và thử lại.")

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        if auth.wants_json():  # a page's script, e.g. autosave after logging in again elsewhere
            message = ("Trang này được mở từ phiên đăng nhập trước nên chưa lưu được. Hãy tải "
                       "lại trang; những gì bạn gõ vẫn được giữ trong trình duyệt.")
            return jsonify({"error": message, "message": message}), 400
        return page(400, "Phiên làm việc đã hết hạn",
                    "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và thử lại.")

    @app.errorhandler(405)
    def not_allowed(error: HTTPException) -> ResponseReturnValue:
        return page(405, "Thao tác không được phép", "Hãy quay lại trang trước.")
