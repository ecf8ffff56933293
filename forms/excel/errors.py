"""Why an uploaded workbook was refused, in words a civil servant can act on.

Every refusal of the Excel channel is an `ExcelProblem` built from the catalogue below, so the
wording is reviewed in one place and tests can assert it. Each message says what is wrong and
what to do next; the place (sheet and cell) is kept apart so the web page can show it as a link
and `str(problem)` can prefix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forms.catalogue import MessageCode


@dataclass(frozen=True)
class ExcelProblem:
    """One reason an upload cannot be used as it is. `code` is stable; `message` is Vietnamese."""

    code: str
    message: str
    sheet: str | None = None
    cell: str | None = None

    @property
    def where(self) -> str | None:
        """"Báo cáo!D12", or the sheet alone, or None for the whole file."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class ExcelError(Exception):
    """A refused upload: nothing from it may be stored. Carries one or more problems."""

    def __init__(self, problems: ExcelProblem | list[ExcelProblem] | tuple[ExcelProblem, ...]):
        if isinstance(problems, ExcelProblem):
            problems = [problems]
        self.problems: tuple[ExcelProblem, ...] = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


#: The advice ending refusals of a file that is not our template (other readers strip it).
FRESH_TEMPLATE_ADVICE = "Hãy tải mẫu từ hệ thống và điền lại."

class ExcelCode(MessageCode):
    """Why an uploaded workbook was refused; the lower-case names are the codes that JSON
    output and the marked workbook carry."""

    # The file itself.
    empty = "Tệp tải lên trống (0 byte). Hãy chọn đúng tệp Excel đã điền rồi tải lên lại."
    too_large = ("Tệp quá lớn ({size}); hệ thống nhận tệp tối đa {limit}. Mẫu báo cáo đã điền "
                 "thường chỉ vài chục KB: hãy xóa ảnh hoặc trang tính thừa rồi tải lên lại, "
                 "hoặc tải mẫu mới và điền lại.")
    not_xlsx = ("Tệp không phải là tệp Excel .xlsx (có vẻ là {what}). Hãy tải mẫu từ hệ thống "
                "và điền lại.")
    old_xls = ("Tệp ở định dạng Excel 97–2003 (.xls) cũ nên hệ thống không đọc được. Hãy mở "
               "tệp bằng Excel, chọn Tệp > Lưu thành, chọn kiểu «Sổ làm việc Excel (*.xlsx)» "
               "rồi tải lên tệp .xlsx; hoặc tải mẫu mới từ hệ thống.")
    xlsb = ("Tệp ở định dạng Sổ làm việc nhị phân Excel (.xlsb). Hãy chọn Tệp > Lưu thành, "
            "chọn kiểu «Sổ làm việc Excel (*.xlsx)» rồi tải lên tệp .xlsx.")
    ods = ("Tệp ở định dạng OpenDocument (.ods) của LibreOffice. Hãy chọn Tệp > Lưu thành, "
           "chọn kiểu «Excel 2007-365 (.xlsx)» rồi tải lên tệp .xlsx.")
    encrypted = ("Tệp được đặt mật khẩu nên hệ thống không đọc được. Hãy mở tệp, gỡ mật khẩu "
                 "(Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu, xóa mật khẩu "
                 "rồi bấm OK), lưu lại và tải lên.")
    corrupt = ("Tệp Excel bị hỏng hoặc không đầy đủ (có thể do tải về hoặc gửi qua mạng chưa "
               "xong). Hãy mở thử bằng Excel và lưu lại rồi tải lên; nếu không mở được, Hãy "
               "tải mẫu từ hệ thống và điền lại.")
    too_many_parts = ("Tệp có quá nhiều thành phần ({count}, tối đa {limit}) nên bị từ chối để "
                      "bảo đảm an toàn. Hãy tải mẫu từ hệ thống và điền lại.")
    zip_bomb = ("Tệp có nội dung nén bất thường (khi giải nén lớn hơn nhiều lần so với tệp) "
                "nên bị từ chối để bảo đảm an toàn. Hãy tải mẫu từ hệ thống và điền lại.")
    macros = ("Tệp có chứa macro (VBA). Để bảo đảm an toàn, hệ thống không nhận tệp có macro. "
              "Hãy lưu lại dưới dạng «Sổ làm việc Excel (*.xlsx)» (không có macro) rồi tải "
              "lên.")
    external_links = ("Tệp có liên kết tới tệp Excel khác nên số liệu có thể không đầy đủ. Hãy "
                      "ngắt liên kết (Dữ liệu > Sửa liên kết > Ngắt liên kết), lưu lại rồi tải "
                      "lên.")
    xml_entities = ("Tệp có khai báo XML không được phép (DOCTYPE/ENTITY) nên bị từ chối để "
                    "bảo đảm an toàn. Hãy tải mẫu từ hệ thống và điền lại.")
    sheet_too_big = ("Trang tính «{sheet}» có dữ liệu ở dòng {rows}, vượt quá giới hạn {limit} "
                     "dòng. Hãy xóa các dòng thừa ở cuối trang tính rồi lưu lại, hoặc tải mẫu "
                     "mới và điền lại.")
    sheet_too_wide = ("Trang tính «{sheet}» có dữ liệu ở cột thứ {columns}, vượt quá giới hạn "
                      "{limit} cột. Hãy xóa các cột thừa rồi lưu lại, hoặc tải mẫu mới và điền "
                      "lại.")
    sheet_too_spread = ("Trang tính «{sheet}» có dữ liệu trải tới ô {far} ({rows} dòng × "
                        "{columns} cột = {area} ô), vượt quá giới hạn {limit} ô. Hãy tìm ô xa "
                        "nhất (trong Excel: Ctrl+End), xóa các ô thừa ở xa vùng báo cáo rồi "
                        "lưu lại và tải lên lại.")
    sheet_too_many_cells = ("Trang tính «{sheet}» có {count} ô, vượt quá giới hạn {limit} ô. "
                            "Hãy xóa các dòng, cột thừa rồi lưu lại, hoặc tải mẫu mới và điền "
                            "lại.")
    sheet_unusual_xml = ("Trang tính «{sheet}» được ghi theo cách khác thường (thuộc tính của "
                         "dòng hoặc ô đặt trong dấu nháy đơn, hoặc có khoảng trắng quanh dấu "
                         "=), điều Excel và LibreOffice không bao giờ làm. Hãy mở tệp bằng "
                         "Excel hoặc LibreOffice, lưu lại rồi tải lên.")
    sheet_too_much_text = ("Các ô của trang tính «{sheet}» chứa tổng cộng {size} chữ (một nội "
                           "dung lặp lại ở nhiều ô được tính mỗi lần), vượt quá giới hạn "
                           "{limit} của cả tệp. Hãy xóa các ô chép lặp nội dung dài rồi lưu "
                           "lại, hoặc tải mẫu mới và điền lại.")
    too_many_merges = ("Trang tính «{sheet}» có {count} vùng ô gộp (merge), vượt quá giới hạn "
                       "{limit}. Hãy bỏ gộp các ô thừa (Trang chủ > Gộp và căn giữa > Bỏ gộp "
                       "ô) rồi lưu lại, hoặc tải mẫu mới và điền lại.")
    # An archive of templates (`decuong ingest`, the round page's upload).
    archive_too_large = ("Tệp nén «{archive}» quá lớn ({size}); hệ thống nhận tệp nén tối đa "
                         "{limit}. Hãy chia các báo cáo thành nhiều tệp nén nhỏ hơn.")
    archive_too_many = ("Tệp nén «{archive}» chứa {count} tệp, vượt quá giới hạn {limit} tệp "
                        "mỗi tệp nén. Hãy chia thành nhiều tệp nén.")
    archive_inflated = ("Tệp nén «{archive}» khi giải nén lớn tới {size}, vượt quá giới hạn "
                        "{limit} mỗi tệp nén; chưa tệp nào trong đó được đọc. Hãy chia thành "
                        "nhiều tệp nén nhỏ hơn.")
    archive_unreadable = ("Không mở được tệp nén «{archive}» ({detail}). Hãy nén lại các báo "
                          "cáo thành tệp .zip hoặc gửi từng tệp .xlsx.")
    archive_member_too_large = ("Tệp «{member}» trong tệp nén «{archive}» quá lớn ({size}); hệ "
                                "thống nhận tệp tối đa {limit}.")
    archive_member_unreadable = ("Không đọc được tệp «{member}» trong tệp nén «{archive}» "
                                 "({detail}). Hãy giải nén rồi gửi riêng tệp này.")
    # The template's identity.
    identity_missing = ("Tệp không phải là mẫu báo cáo do hệ thống tạo ra (không tìm thấy "
                        "thông tin nhận dạng của mẫu). Hãy tải mẫu từ hệ thống, chép số liệu "
                        "vào mẫu đó rồi tải lên.")
    identity_unreadable = ("Thông tin nhận dạng của mẫu bị thiếu hoặc bị sửa ({detail}). Hãy "
                           "tải mẫu từ hệ thống và điền lại.")
    main_sheet_missing = ("Không tìm thấy trang tính «{sheet}» của mẫu báo cáo (có thể đã bị "
                          "xóa). Hãy tải mẫu từ hệ thống và điền lại.")
    wrong_outline = ("Mẫu này thuộc đề cương «{found}», không phải đề cương «{expected}» của "
                     "đợt báo cáo này. Hãy tải mẫu của đợt báo cáo này từ hệ thống.")
    outdated_version = ("Mẫu này thuộc đề cương {outline} phiên bản {found}; phiên bản hiện "
                        "hành là {current}, hãy tải mẫu mới. Có thể chép số liệu từ mẫu cũ "
                        "sang mẫu mới.")
    newer_version = ("Mẫu này thuộc đề cương {outline} phiên bản {found}, mới hơn phiên bản "
                     "{current} của đợt báo cáo này. Hãy tải mẫu của đợt báo cáo này từ hệ "
                     "thống.")
    wrong_round = ("Mẫu này được tạo cho đợt báo cáo «{found}», không phải đợt «{expected}». "
                   "Hãy tải mẫu của đợt báo cáo này từ hệ thống.")
    wrong_unit = ("Mẫu này được tạo cho đơn vị «{found}», không phải đơn vị «{expected}». Hãy "
                  "tải mẫu của đơn vị mình từ hệ thống (có thể chép số liệu sang).")
    bad_checksum = ("Thông tin nhận dạng của mẫu không khớp (mẫu đã bị sửa, hoặc đã cũ so với "
                    "đề cương hiện hành). Hãy tải mẫu mới từ hệ thống và chép số liệu sang.")
    foreign_installation = ("Mẫu này được tạo từ một hệ thống decuong khác, không phải hệ "
                            "thống này, nên không được nhận (số đợt và mã đơn vị trong mẫu là "
                            "của hệ thống kia). Hãy tải mẫu của đợt báo cáo từ hệ thống này và "
                            "chép số liệu sang.")
    unkeyed_template = ("Mẫu này được tạo bởi phiên bản cũ của hệ thống, khi mẫu chưa được "
                        "niêm phong bằng khóa bảo mật, nên không còn được nhận. Hãy tải mẫu "
                        "mới từ hệ thống và chép số liệu sang.")
    # The layout of the main sheet.
    formula_without_result = ("Ô này chứa công thức nhưng tệp không lưu kết quả của công thức "
                              "(thường gặp ở tệp do phần mềm khác tạo hoặc chuyển đổi), nên "
                              "không đọc được số liệu của mục «{ref}». Hãy mở tệp bằng Excel "
                              "hoặc LibreOffice rồi lưu lại để công thức được tính, hoặc gõ "
                              "thẳng giá trị vào ô thay cho công thức, rồi tải lên lại.")
    row_missing = ("Không tìm thấy dòng của mục «{ref}» (có thể dòng đã bị xóa). Số liệu của "
                   "mục này được coi là chưa nhập; nếu cần, hãy tải mẫu mới và chép số liệu "
                   "sang.")
    table_end_missing = ("Không tìm thấy dòng kết thúc của bảng «{ref}» (có thể đã bị xóa); đã "
                         "đọc các dòng đến hết trang tính.")
    merged_inputs = ("Các ô này đang được gộp (merge) nên chỉ đọc được số liệu ở ô {first}; số "
                     "liệu của {refs} được coi là chưa nhập. Hãy bỏ gộp ô (Trang chủ > Gộp và "
                     "căn giữa > Bỏ gộp ô), nhập số liệu cho từng mục rồi tải lên lại.")
    row_ignored = ("Dòng {row} không thuộc mục nào của mẫu (có thể là dòng chèn thêm) nên số "
                   "liệu «{value}» ở dòng này không được đọc. Hãy nhập số liệu vào ô của mục "
                   "tương ứng.")


def problem(code: str, *, sheet: str | None = None, cell: str | None = None,
            **args: Any) -> ExcelProblem:
    """Build the catalogue's problem `code`; a missing placeholder is a programming error."""
    message = ExcelCode[code].text(sheet=sheet, cell=cell, **args)
    return ExcelProblem(code, message, sheet=sheet, cell=cell)


def human_size(size: int) -> str:
    """Bytes as Vietnamese users read them: 1,5 MB, 820 KB."""
    if size >= 1024 * 1024:
        text = f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")
        return f"{text} MB"
    if size >= 1024:
        return f"{round(size / 1024)} KB"
    return f"{size} byte"
