"""The sheet of usernames and one-time passwords handed to units: an xlsx (for a mail merge
or a printed list) built in memory, never written to disk. Shared by the coordinator's page
and `decuong users create-missing`."""

from __future__ import annotations

import io
from collections.abc import Sequence

import xlsxwriter

from store.account_admin import Credential

HEADERS = ("Mã đơn vị", "Tên đơn vị", "Tên đăng nhập", "Mật khẩu tạm thời")
NOTE = ("Mật khẩu tạm thời chỉ dùng cho lần đăng nhập đầu tiên; hệ thống yêu cầu đặt mật khẩu "
        "mới ngay sau đó. Không lưu tệp này ở nơi người khác đọc được; xóa tệp sau khi đã "
        "chuyển cho các đơn vị.")


def credentials_xlsx(credentials: Sequence[Credential], login_url: str) -> bytes:
    """One row per account; every cell written as text (a password is never a formula)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Tài khoản")
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    cell = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
    code = book.add_format({"border": 1, "valign": "top", "font_name": "Consolas"})
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 3, 24)
    sheet.write_string(0, 0, f"Địa chỉ đăng nhập: {login_url}")
    sheet.write_string(1, 0, NOTE)
    for column, title in enumerate(HEADERS):
        sheet.write_string(3, column, title, bold)
    for row, credential in enumerate(credentials, start=4):
        sheet.write_string(row, 0, credential.unit_code or "", cell)
        sheet.write_string(row, 1, credential.unit_name or "", cell)
        sheet.write_string(row, 2, credential.username, code)
        sheet.write_string(row, 3, credential.password, code)
    sheet.repeat_rows(3)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    book.close()
    return buffer.getvalue()
