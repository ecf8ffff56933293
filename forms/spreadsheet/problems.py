"""Problems of a workbook outline, located by sheet and cell ("survey!C12").

Checker problems keep the checker's code name and message (only references to YAML lines are
rewritten to cells, since the author never sees the YAML); problems only a workbook can have
(a misspelt sheet, an unknown column, an unbalanced group) get their own codes below.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.catalogue import MessageCode
from forms.spreadsheet.layout import cell_ref


class SheetCode(MessageCode):
    """Problems only a workbook outline can have; the checker's own problems keep their
    `forms.errors.Code`."""

    MISSING_SURVEY = ("Thiếu trang tính 'survey' chứa các mục của đề cương.{hint} Các trang "
                      "tính: survey, choices, settings, rules.")
    UNKNOWN_SHEET = ("Không có trang tính '{name}'.{hint} Các trang tính: survey, choices, "
                     "settings, rules.")
    MISSING_SETTINGS = "Thiếu trang tính 'settings' (id, version, title của đề cương).{hint}"
    DUPLICATE_SHEET = "Trang tính '{name}' trùng với trang tính '{first}': hãy giữ một."
    UNKNOWN_COLUMN = ("Không có cột '{name}' trong trang tính '{sheet}'.{hint} Các cột: "
                      "{columns}.")
    DUPLICATE_COLUMN = ("Cột '{name}' xuất hiện hai lần (lần đầu ở ô {first}). Hãy xóa một "
                        "cột.")
    MISSING_COLUMN = "Trang tính '{sheet}' cần cột '{name}' ở dòng tiêu đề (dòng 1)."
    MISSING_TYPE = ("Dòng này có nội dung nhưng ô 'type' trống: hãy ghi loại mục (ví dụ "
                    "integer, long_text, begin_group).")
    UNKNOWN_TYPE = "Không có loại mục '{kind}'.{hint} Các loại: {kinds}."
    END_WITHOUT_BEGIN = "Dòng '{end}' không có dòng '{begin}' tương ứng ở trên."
    END_MISMATCH = ("Dòng '{end}' không khớp với dòng '{opened}' ở ô {where}: hãy dùng "
                    "'{expected}'.")
    UNCLOSED = ("Dòng '{begin}' này chưa được đóng: hãy thêm một dòng '{end}' sau mục con cuối "
                "cùng của nó.")
    GROUP_IN_REPEAT = ("Trong một bảng (begin_repeat … end_repeat) mỗi dòng là một cột kiểu "
                       "đơn giản: không thể mở '{begin}' ở đây.")
    MISSING_LIST_NAME = "Lựa chọn cần 'list_name' (tên danh sách mà select_one gọi đến)."
    SETTINGS_ROWS = ("Trang tính 'settings' chỉ đọc dòng 2 (dòng 1 là tiêu đề); dòng {row} bị "
                     "bỏ qua: hãy xóa hoặc chuyển lên dòng 2.")
    NOT_A_WORKBOOK = "{detail} Hãy lưu bảng tính dưới dạng Excel (.xlsx) rồi nhập lại."


@dataclass(frozen=True)
class SheetProblem:
    """One mistake in a workbook outline: where (sheet, zero-based row/col) and what.

    `code` is the checker's code name (e.g. "DUPLICATE_NAME") when the checker found it, or one
    of SheetCode's names for workbook-only problems. Row and column are None when the problem is
    about a whole sheet (e.g. a missing one).
    """

    sheet: str | None
    row: int | None
    col: int | None
    code: str
    message: str

    @property
    def cell(self) -> str | None:
        """"C12", or None for a sheet-wide problem."""
        if self.row is None or self.col is None:
            return None
        return cell_ref(self.row, self.col)

    @property
    def where(self) -> str:
        """"survey!C12", the sheet alone, or "" for the whole file."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def sheet_problem(code: str, in_sheet: str | None, row: int | None = None,
                  col: int | None = None, /, **args: object) -> SheetProblem:
    """A workbook-only problem from the catalogue above."""
    return SheetProblem(in_sheet, row, col, code, SheetCode[code].text(**args))
