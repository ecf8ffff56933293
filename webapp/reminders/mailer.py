"""One SMTP conversation for a batch of reminders, with every failure turned into a Vietnamese
sentence for the unit it concerns.

A recipient the server refuses fails that unit only (the connection stays usable); a server
that cannot be reached, refuses the login or the TLS handshake fails every unit still to send
with the same reason, without trying again per unit (a host that times out would otherwise
cost the timeout once per unit). A connection the server drops midway is reopened once.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import Message
from email.utils import getaddresses

from webapp.reminders.settings import ENV, SmtpSettings


class SendFailed(Exception):
    """A message was not accepted by the mail server; str() is the Vietnamese reason."""


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {words}".strip()


class Mailer:
    """Send messages over one connection (opened on first use). Use as a context manager."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._broken: str | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        try:
            smtp: smtplib.SMTP
            if s.security == "tls":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.security == "starttls":
                smtp.starttls(context=context)
            if s.user:
                smtp.login(s.user, s.password or "")
        except smtplib.SMTPNotSupportedError:
            raise SendFailed(
                f"Máy chủ thư {self._where()} không hỗ trợ STARTTLS. Hãy đặt "
                f"{ENV['security']}=tls (cổng 465) hoặc hỏi quản trị máy chủ thư.") from None
        except smtplib.SMTPAuthenticationError as exc:
            reply = _reply(exc.smtp_code, exc.smtp_error)
            raise SendFailed(
                f"Máy chủ thư {self._where()} từ chối đăng nhập ({reply}). Hãy kiểm tra "
                f"{ENV['user']} và {ENV['password']}.") from None
        except ssl.SSLError as exc:
            raise SendFailed(
                f"Không thiết lập được kết nối mã hóa với máy chủ thư {self._where()} "
                f"({exc.reason or exc}). Hãy kiểm tra {ENV['security']} và chứng chỉ của "
                "máy chủ.") from None
        except (smtplib.SMTPException, OSError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise SendFailed(
                f"Không kết nối được máy chủ thư {self._where()} ({reason}); thư chưa được "
                f"gửi. Hãy kiểm tra {ENV['host']}, {ENV['port']} hoặc thử lại sau.") from None
        return smtp

    def _connection(self) -> smtplib.SMTP:
        if self._broken is not None:
            raise SendFailed(self._broken)
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except SendFailed as exc:
                self._broken = str(exc)
                raise
        return self._smtp

    def send(self, message: Message) -> None:
        """Hand one message to the server; raises SendFailed with the reason."""
        for attempt in (1, 2):
            smtp = self._connection()
            try:
                smtp.send_message(message)
                return
            except smtplib.SMTPRecipientsRefused as exc:
                replies = "; ".join(_reply(code, text)
                                    for code, text in exc.recipients.values())
                address = getaddresses([str(message["To"])])[0][1]
                raise SendFailed(
                    f"Máy chủ thư không nhận địa chỉ «{address}» "
                    f"({replies}). Hãy kiểm tra địa chỉ thư của đơn vị trên trang Đơn vị."
                ) from None
            except smtplib.SMTPSenderRefused as exc:
                raise SendFailed(
                    f"Máy chủ thư không nhận địa chỉ gửi «{self.settings.sender}» "
                    f"({_reply(exc.smtp_code, exc.smtp_error)}). Hãy kiểm tra "
                    f"{ENV['sender']}.") from None
            except smtplib.SMTPDataError as exc:
                raise SendFailed(f"Máy chủ thư từ chối nội dung thư "
                                 f"({_reply(exc.smtp_code, exc.smtp_error)}).") from None
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                self._smtp = None
                if attempt == 2:
                    raise SendFailed(f"Máy chủ thư {self._where()} ngắt kết nối khi đang gửi "
                                     f"({exc}); thư chưa được gửi.") from None
