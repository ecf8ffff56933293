"""SMTP settings for reminders: from command-line options or the environment, never from a
file in the repository (the password especially). The web app reads the same environment
variables, so `decuong serve` started with them can send from the round board.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from store.emails import email_problem

SECURITY_MODES = ("starttls", "tls", "none")
#: Each setting's environment variable: DECUONG_SMTP_<SETTING> (the sender's is named after the
#: From: header), and the site's own address, which is not the mail server's, DECUONG_BASE_URL.
ENV = {**{name: f"DECUONG_SMTP_{name.upper()}"
          for name in ("host", "port", "security", "user", "password")},
       "sender": "DECUONG_SMTP_FROM", "base_url": "DECUONG_BASE_URL"}
DEFAULT_TIMEOUT = 30.0


class SettingsError(ValueError):
    """The settings cannot send mail; the message says which variable or option to set."""


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how to send. `security`: "starttls" (upgrade a plain connection, port 587),
    "tls" (TLS from the first byte, port 465) or "none" (a relay on the same machine or
    network that takes plain SMTP). The password is never printed (repr hides it)."""

    host: str
    port: int
    security: str
    user: str | None
    password: str | None
    sender: str
    base_url: str | None
    timeout: float = DEFAULT_TIMEOUT

    def __repr__(self) -> str:
        return (f"SmtpSettings(host={self.host!r}, port={self.port}, security="
                f"{self.security!r}, user={self.user!r}, sender={self.sender!r}, "
                f"base_url={self.base_url!r})")


def _given(options: Mapping[str, object], env: Mapping[str, str], key: str) -> str | None:
    value = options.get(key)
    if value is None or value == "":
        value = env.get(ENV[key]) or None
    return None if value is None else str(value).strip() or None


def base_url(options: Mapping[str, object] | None = None,
             env: Mapping[str, str] | None = None) -> str | None:
    """The address users open the site at (https://baocao.example.gov.vn), without a final
    slash; links in reminders start with it."""
    found = _given(options or {}, os.environ if env is None else env, "base_url")
    return found.rstrip("/") if found else None


def smtp_settings(options: Mapping[str, object] | None = None,
                  env: Mapping[str, str] | None = None) -> SmtpSettings:
    """Settings from `options` (command-line values; None or empty means not given) over
    the environment. Raises SettingsError naming every missing or wrong setting."""
    options = options or {}
    env = os.environ if env is None else env
    problems: list[str] = []
    host = _given(options, env, "host")
    if host is None:
        problems.append(f"chưa có máy chủ thư ({ENV['host']} hoặc --smtp-host)")
    security = (_given(options, env, "security") or "").lower()
    port_text = _given(options, env, "port")
    if security and security not in SECURITY_MODES:
        problems.append(f"kiểu kết nối «{security}» không hợp lệ ({ENV['security']} phải là "
                        "starttls, tls hoặc none)")
    if not security:
        security = "tls" if port_text == "465" else "starttls"
    port = 465 if security == "tls" else 587
    if port_text is not None:
        try:
            port = int(port_text)
            if not 0 < port < 65536:
                raise ValueError
        except ValueError:
            problems.append(f"cổng «{port_text}» không hợp lệ ({ENV['port']} là số từ 1 đến "
                            "65535)")
    sender = _given(options, env, "sender")
    if sender is None:
        problems.append(f"chưa có địa chỉ gửi ({ENV['sender']} hoặc --smtp-from)")
    elif (problem := email_problem(sender)) is not None:
        problems.append(f"địa chỉ gửi ({ENV['sender']}): {problem}")
    user = _given(options, env, "user")
    password = options.get("password") or env.get(ENV["password"]) or None
    if user is not None and password is None:
        problems.append(f"có tên đăng nhập máy chủ thư nhưng chưa có mật khẩu "
                        f"({ENV['password']})")
    if problems:
        raise SettingsError("Chưa gửi được thư nhắc vì cấu hình máy chủ thư chưa đủ: "
                            + "; ".join(problems) + ".")
    assert host is not None and sender is not None
    return SmtpSettings(host=host, port=port, security=security, user=user,
                        password=None if password is None else str(password), sender=sender,
                        base_url=base_url(options, env))
