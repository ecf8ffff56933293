"""The reminder a unit receives: Vietnamese subject and body, UTF-8, built with the standard
library's `email` package (RFC 2047 encoded headers, quoted-printable text that any mail server
carries), with the round, the deadline or how late it is, and the link to the unit's fill page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.utils import formataddr, formatdate, make_msgid
from typing import Any
from urllib.parse import quote

from store.emails import smtp_address
from store.rounds import RoundRow
from webapp import display

SENDER_NAME = "Hệ thống Đề cương báo cáo"
_URL_SAFE = "!$&'()*+,/:;=@"  # what Werkzeug's URL building leaves unquoted


def fill_path(round_id: int, unit_code: str) -> str:
    """The path of the unit's fill page (webapp.unit.fill), for links made outside a request
    (the command line); the tests check it against url_for."""
    return f"/rounds/{int(round_id)}/units/{quote(unit_code, safe=_URL_SAFE)}/edit"


def fill_link(base_url: str | None, round_id: int, unit_code: str) -> str:
    return (base_url or "") + fill_path(round_id, unit_code)


def deadline_words(deadline: str, now: datetime | None = None) -> str:
    """«hạn nộp 23:59 ngày 15/11/2026 (còn 3 ngày)» or «… (quá hạn 2 ngày)»."""
    moment = display.vn_datetime(deadline)  # dd/mm/yyyy HH:MM
    day, _, clock = moment.partition(" ")
    return f"{clock} ngày {day} ({display.days_left_text(deadline, now)})"


def subject_for(round_row: RoundRow, now: datetime | None = None) -> str:
    left = display.days_left(round_row["deadline"], now)
    if left is not None and left < 0:
        when = f"đã quá hạn {-left} ngày"
    else:
        when = f"hạn {display.vn_date(round_row['deadline'])}"
    return f"Nhắc nộp báo cáo: {round_row['title']} ({when})"


def body_for(round_row: RoundRow, unit: Mapping[str, Any], link: str,
             now: datetime | None = None) -> str:
    status = unit.get("status") or "missing"
    state = {
        "missing": "đơn vị chưa nộp báo cáo",
        "draft": "báo cáo của đơn vị mới lưu nháp, chưa nộp",
        "returned": "báo cáo của đơn vị đã được trả lại để chỉnh sửa và chưa nộp lại",
    }.get(status, "đơn vị chưa nộp báo cáo")
    lines = [
        f"Kính gửi: {unit['name']} ({unit['unit_code']}),",
        "",
        f"Theo hệ thống, {state} «{round_row['title']}».",
        f"Hạn nộp: {deadline_words(round_row['deadline'], now)}.",
        "",
        "Đơn vị mở đường dẫn sau, đăng nhập bằng tài khoản của đơn vị, để nhập báo cáo trên "
        "web hoặc tải mẫu Excel về điền rồi tải lên:",
        link,
        "",
    ]
    if status == "returned":
        lines += ["Ý kiến của bộ phận tổng hợp có ở trang báo cáo, trong phần lịch sử.", ""]
    lines += [
        "Nếu đơn vị đã gửi báo cáo bằng cách khác, xin liên hệ bộ phận tổng hợp.",
        "",
        "Thư này được gửi tự động từ hệ thống Đề cương báo cáo; xin đừng trả lời thư này.",
    ]
    return "\n".join(lines) + "\n"


def build_message(*, sender: str, round_row: RoundRow, unit: Mapping[str, Any],
                  link: str, now: datetime | None = None) -> Message:
    """The complete message to `unit["email"]`.

    Built with the `email` package's classic API (MIMEText, Header) rather than EmailMessage:
    EmailMessage's header folder (CPython 3.11) drops the space before a word it folds onto
    a new encoded-word, so «… quý III (đã quá hạn 5 ngày)» arrived as «… quý III(đã …»
    (tests/webapp/test_web_reminders.py caught it). Header encodes the whole subject, spaces
    included, so every mail reader decodes it as written."""
    text = Charset("utf-8")
    text.body_encoding = QP  # readable in the raw message, 7-bit for any server
    message = Message()
    message.set_payload(body_for(round_row, unit, link, now), text)  # text/plain, MIME 1.0
    message["From"] = formataddr((SENDER_NAME, smtp_address(sender)), charset="utf-8")
    message["To"] = formataddr((unit["name"], smtp_address(unit["email"])), charset="utf-8")
    # The stub types header values as str; the compat32 Message documents Header objects.
    message["Subject"] = Header(subject_for(round_row, now), "utf-8")  # type: ignore[assignment]  # stub: str only
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=smtp_address(sender).rpartition("@")[2])
    return message
