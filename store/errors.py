"""Exceptions raised by the store.

Each class's docstring is its generic Vietnamese message, so `str(exc)` is always something a
user can read; the raising code usually passes a more specific message naming the unit, round or
row. Callers (web pages, CLI) show `str(exc)` as is and branch on the class, never on the text.
"""

from __future__ import annotations


class StoreError(Exception):
    """Lỗi khi ghi hoặc đọc dữ liệu."""

    def __init__(self, message: str | None = None, *, errors: list[str] | None = None) -> None:
        self.message = message or (type(self).__doc__ or "").strip()
        # Several problems found at once (e.g. every bad row of a unit list), one line each.
        self.errors: list[str] = list(errors or [])
        super().__init__(self.message)


class NotFound(StoreError):
    """Không tìm thấy dữ liệu yêu cầu."""


class Conflict(StoreError):
    """Thao tác không thực hiện được với trạng thái hiện tại của dữ liệu."""


class UnitNotFound(NotFound):
    """Không có đơn vị này."""


class AccountNotFound(NotFound):
    """Không có tài khoản này."""


class RoundNotFound(NotFound):
    """Không có đợt báo cáo này."""


class SubmissionNotFound(NotFound):
    """Đơn vị chưa có báo cáo trong đợt này."""


class RevisionNotFound(NotFound):
    """Không có lần lưu báo cáo này."""


class StoredFileNotFound(NotFound):
    """Không có tệp đã lưu với mã băm này."""


class DiskFull(StoreError):
    """Ổ đĩa đầy nên chưa lưu được."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (
            "Ổ đĩa đầy (hoặc cơ sở dữ liệu đã chạm giới hạn dung lượng) nên chưa lưu được; "
            "không có dữ liệu nào bị ghi dở. Hãy báo quản trị hệ thống giải phóng dung lượng "
            "rồi thử lại."))
