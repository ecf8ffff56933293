"""E-mail addresses of units: one check for the unit form, the unit list import and the
reminders, so an address accepted anywhere is one an SMTP server can be given.

Deliberately narrow: a plain `local@domain.tld` with an ASCII local part (what Vietnamese
government mail systems issue) and a domain whose labels are letters, digits and hyphens
(an internationalised domain is accepted in its Unicode form and sent as IDNA). No display
names, no several addresses in one cell: a reminder goes to exactly one mailbox per unit.
"""

from __future__ import annotations

import re

MAX_LENGTH = 254  # RFC 5321: the longest path a server must accept
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def _ascii_domain(domain: str) -> str | None:
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def email_problem(address: str | None) -> str | None:
    """Why `address` cannot receive a reminder (a Vietnamese sentence saying what to type),
    or None when it is fine or empty (a unit may have no address yet)."""
    if address is None or address == "":
        return None
    example = "Hãy nhập một địa chỉ dạng ten@coquan.gov.vn."
    if len(address) > MAX_LENGTH:
        return f"địa chỉ thư dài {len(address)} ký tự, quá {MAX_LENGTH} ký tự. {example}"
    if any(sep in address for sep in (",", ";", " ")):
        return (f"«{address}» có nhiều địa chỉ hoặc có khoảng trắng; mỗi đơn vị chỉ nhận nhắc "
                f"nhở ở một địa chỉ. {example}")
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return f"«{address}» thiếu phần tên trước dấu @. {example}"
    ascii_domain = _ascii_domain(domain) if domain else None
    labels = ascii_domain.split(".") if ascii_domain else []
    if not _LOCAL.fullmatch(local):
        return (f"«{address}»: phần trước dấu @ chỉ được có chữ không dấu, chữ số và các dấu "
                f". _ - +. {example}")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return f"«{address}»: tên miền sau dấu @ không hợp lệ. {example}"
    return None


def smtp_address(address: str) -> str:
    """The address as given to the SMTP server: the domain in IDNA (ASCII) form."""
    local, _, domain = address.rpartition("@")
    return f"{local}@{_ascii_domain(domain) or domain}"
