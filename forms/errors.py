"""One catalogue of the mistakes an outline file can contain.

Every problem names the place (file, line, column) and says what to do, in Vietnamese, since
outline authors are coordinators, not developers. Outline mistakes raise; a user's values never
do (see `forms.validate`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from forms.catalogue import MessageCode


class Code(MessageCode):
    """Mistakes an outline file can contain."""

    YAML_SYNTAX = "Lỗi cú pháp YAML: {detail}. Hãy kiểm tra thụt lề, dấu hai chấm và dấu ngoặc kép."
    NOT_A_MAPPING = "{what} phải là một bảng khóa: giá trị (mapping)."
    NOT_A_LIST = "{what} phải là một danh sách (mỗi phần tử bắt đầu bằng '- ')."
    YAML_ALIAS = ("Tệp đề cương dùng {what} YAML ('{name}'), mà định dạng đề cương không dùng "
                  "tới: hãy viết đầy đủ nội dung tại chỗ thay cho '&{name}' và '*{name}'.")
    DUPLICATE_YAML_KEY = "Khóa '{key}' xuất hiện hai lần (lần đầu ở dòng {first}). Hãy xóa một lần."
    UNKNOWN_KEY = "Không có khóa '{key}' trong {where}.{hint}"
    MISSING_KEY = "Thiếu khóa bắt buộc '{key}' trong {where}."
    BAD_ID = "Mã đề cương '{value}' không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và '-'."
    BAD_VERSION = "Phiên bản '{value}' không hợp lệ: hãy ghi một số nguyên ≥ 1."
    BAD_DATE = ("'{value}' không phải ngày hợp lệ cho '{key}': hãy ghi dạng YYYY-MM-DD, "
                "ví dụ 2025-11-12.")
    BAD_TEXT = "'{key}' phải là một đoạn chữ."
    BAD_BOOL = "'{key}' phải là true hoặc false, không phải '{value}'."
    BAD_NUMBER = "'{key}' phải là một số, không phải '{value}'."
    BAD_BOUNDS = "Giới hạn không hợp lệ: min ({min}) lớn hơn max ({max})."
    BOUNDS_NOT_ALLOWED = "Loại '{kind}' không có giới hạn min/max."
    BAD_DECIMALS = ("Số chữ số thập phân '{value}' không hợp lệ: hãy ghi một số nguyên từ 0 "
                    "đến 6, ví dụ decimals: 1.")
    DECIMALS_NOT_ALLOWED = ("Loại '{kind}' không có 'decimals': chỉ mục kiểu số mới làm tròn "
                            "số chữ số thập phân.")
    UNKNOWN_KIND = "Không có loại mục '{kind}'.{hint} Các loại: {kinds}."
    BAD_NAME = ("Tên mục '{name}' không hợp lệ: hãy dùng chữ thường không dấu, chữ số và '_', "
                "bắt đầu bằng một chữ cái (ví dụ nv_tong), và không trùng các từ and, or, not, "
                "true, false.")
    MISSING_NAME = "Mục '{label}' cần có 'name' (khóa của mục) vì nó nhận giá trị."
    DUPLICATE_NAME = "Tên mục '{name}' đã dùng ở dòng {first}. Mỗi mục cần một tên riêng."
    DUPLICATE_NUMBER = "Số thứ tự '{number}' đã dùng cho mục cùng cấp ở dòng {first}."
    EMPTY_LABEL = "Mục cần có 'label' (nội dung đúng như văn bản gốc)."
    NO_ITEMS = "Đề cương chưa có mục nào: hãy khai báo 'items'."
    EXPR_SYNTAX = "Biểu thức '{source}' sai cú pháp: {detail}."
    EXPR_PROBLEM = "Biểu thức '{source}': {detail}."
    CALC_NOT_NUMERIC = "Chỉ mục kiểu số mới có 'calculation'; '{name}' là loại '{kind}'."
    CALC_CYCLE = "Công thức vòng tròn: {cycle}. Một mục không thể tính từ chính nó."
    BAD_TARGET = ("Chỉ tiêu '{source}' không hợp lệ: hãy ghi một phép so sánh rồi một giá trị, "
                  "ví dụ \">= 95\" hoặc \"= 100\".")
    TARGET_NOT_ALLOWED = "Loại '{kind}' không có chỉ tiêu; chỉ tiêu dành cho mục số hoặc có/không."
    BAD_AGGREGATE = "Cách tổng hợp '{value}' không dùng được cho loại '{kind}'. Dùng: {allowed}."
    FORMULA_AGGREGATE = "Cách tổng hợp 'formula' cần mục có 'calculation'."
    TABLE_FORMULA_AGGREGATE = ("Cách tổng hợp 'formula' không dùng được cho công thức trên bảng "
                               "(sum(bang.cot), count(bang)…): khi tổng hợp không còn các dòng "
                               "của từng đơn vị. Hãy ghi 'sum' (mặc định), 'mean', 'min', 'max' "
                               "hoặc 'none'.")
    MISSING_CHOICES = "Mục chọn một '{name}' cần 'choices': một danh sách hoặc tên danh sách."
    UNKNOWN_CHOICES = "Không có danh sách lựa chọn '{value}'.{hint}"
    BAD_CHOICE = "Mỗi lựa chọn cần 'name' và 'label'."
    DUPLICATE_CHOICE = "Lựa chọn '{name}' bị lặp."
    CHOICES_NOT_ALLOWED = "Chỉ mục {kinds} mới có 'choices'."
    MISSING_COLUMNS = "Bảng '{name}' cần 'columns': danh sách các cột."
    BAD_COLUMN_KIND = "Cột '{name}' không thể có loại '{kind}': cột chỉ nhận loại đơn giản."
    COLUMNS_NOT_ALLOWED = "Chỉ mục 'table' mới có 'columns'."
    ROW_RULES_NOT_ALLOWED = ("Chỉ mục 'table' mới có 'row_rules' (quy tắc trong từng dòng); "
                             "quy tắc giữa các mục ghi ở 'rules' của đề cương.")
    EVIDENCE_ON_COMPUTED = ("Mục tự tính '{name}' không nhận tài liệu kiểm chứng: hãy bỏ "
                            "'evidence', hoặc đặt nó ở mục nhập tay mà số liệu được tính từ.")
    BAD_SEVERITY = ("Mức độ '{value}' không hợp lệ: dùng 'error' (chặn nộp) hoặc 'warning' "
                    "(cảnh báo).")
    DUPLICATE_RULE = "Quy tắc '{name}' đã khai báo ở dòng {first}."
    RULE_UNKNOWN_ITEM = "Quy tắc gắn với mục '{name}' không có trong đề cương.{hint}"


@dataclass(frozen=True)
class OutlineProblem:
    """One located mistake in an outline file."""

    file: str
    line: int
    column: int
    code: Code
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class OutlineError(Exception):
    """An outline that cannot load; carries every problem found, not just the first."""

    def __init__(self, problems: list[OutlineProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ' Có phải ý bạn là …?' suffix when a close candidate exists, else ''."""
    close = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return f" Có phải ý bạn là '{close[0]}'?" if close else ""
