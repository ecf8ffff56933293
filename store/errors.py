"""Exceptions raised by the store, and the catalogue of their generic messages.

Each exception class names its `StoreCode`, whose text is what `str(exc)` says when the raising
code has nothing more specific; usually it passes a message naming the unit, round or row.
Callers (web pages, CLI) show `str(exc)` as is and branch on the class, never on the text.
The bases live here; each specific class lives with the module that owns what it is about
(UnitNotFound in store.units, RoundNotFound in store.rounds, DiskFull in store.db, …) and is
exported by `store` like the rest.
"""

from __future__ import annotations

from typing import ClassVar

from forms.catalogue import MessageCode


class StoreCode(MessageCode):
    """The generic message of each store exception (the shape of every catalogue here)."""

    STORE_ERROR = "Lỗi khi ghi hoặc đọc dữ liệu."
    NOT_FOUND = "Không tìm thấy dữ liệu yêu cầu."
    CONFLICT = "Thao tác không thực hiện được với trạng thái hiện tại của dữ liệu."
    UNIT_NOT_FOUND = "Không có đơn vị này."
    ACCOUNT_NOT_FOUND = "Không có tài khoản này."
    ROUND_NOT_FOUND = "Không có đợt báo cáo này."
    SUBMISSION_NOT_FOUND = "Đơn vị chưa có báo cáo trong đợt này."
    REVISION_NOT_FOUND = "Không có lần lưu báo cáo này."
    STORED_FILE_NOT_FOUND = "Không có tệp đã lưu với mã băm này."
    DISK_FULL = ("Ổ đĩa đầy (hoặc cơ sở dữ liệu đã chạm giới hạn dung lượng) nên chưa lưu được; "
                 "không có dữ liệu nào bị ghi dở. Hãy báo quản trị hệ thống giải phóng dung "
                 "lượng rồi thử lại.")
    BACKUP_FAILED = "Sao lưu hoặc phục hồi không thực hiện được."
    ATTACHMENT_NOT_FOUND = "Không có tài liệu kiểm chứng này."
    EVIDENCE_QUOTA = "Vượt hạn mức dung lượng tài liệu kiểm chứng của báo cáo."
    OUTLINE_NOT_FOUND = "Không có đề cương này trong cơ sở dữ liệu."
    UNIT_LIST_UNREADABLE = "Không đọc được danh sách đơn vị."
    SNAPSHOT_NOT_FOUND = "Không có bản chốt số liệu này."
    DATABASE_BUSY = "Một tiến trình khác đang giữ cơ sở dữ liệu."
    STALE_REPORT = ("Báo cáo đã được lưu ở nơi khác (thẻ khác, tài khoản khác của đơn vị hoặc bộ "
                    "phận tổng hợp) kể từ khi trang này được mở; chưa lưu gì. Hãy xem các mục "
                    "khác nhau và chọn bản giữ lại.")
    REPORT_LOCKED = "Báo cáo không còn sửa được (đã nộp, đã chấp nhận hoặc đợt đã đóng)."


class StoreError(Exception):
    """Anything the store refuses; `errors` carries several problems found at once."""

    code: ClassVar[StoreCode] = StoreCode.STORE_ERROR

    def __init__(self, message: str | None = None, *, errors: list[str] | None = None) -> None:
        self.message = message or type(self).code.text()
        # Several problems found at once (e.g. every bad row of a unit list), one line each.
        self.errors: list[str] = list(errors or [])
        super().__init__(self.message)


class NotFound(StoreError):
    """Web pages answer 404 for these."""

    code = StoreCode.NOT_FOUND


class Conflict(StoreError):
    """The data's current state forbids the action (a closed round, a locked report)."""

    code = StoreCode.CONFLICT
