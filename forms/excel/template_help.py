"""The template's «Hướng dẫn» sheet: how to fill and send it, in the words of its users."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsxwriter.worksheet import Worksheet

from forms.excel.layout import MAIN_SHEET
from forms.excel.template_style import PASSWORD, PROTECTION, row_height

if TYPE_CHECKING:
    from forms.excel.template import TemplateWriter


def write_help(w: TemplateWriter, ws: Worksheet) -> None:
    """The «Hướng dẫn» sheet: how to fill, send and not break the template, with the round's
    deadline."""
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 100)
    ident, outline = w.identity, w.outline
    title = w.fmt(bold=True, font_size=14)
    text = w.fmt()
    ws.write_string(0, 0, "HƯỚNG DẪN ĐIỀN MẪU BÁO CÁO", title)
    made_for = f"Mẫu này dùng cho đề cương «{outline.title}» (phiên bản {outline.version})"
    if ident.round_title:
        made_for += f", đợt báo cáo «{ident.round_title}»"
    if ident.unit_name:
        made_for += f", đơn vị «{ident.unit_name}»"
    made_for += "."
    lines = [
        made_for,
        f"1. Chỉ nhập vào các ô nền vàng nhạt ở trang «{MAIN_SHEET}». Các ô nền xám là ô tự "
        "động tính (ví dụ tỷ lệ), không cần nhập. Số thứ tự, nội dung và các ô khác đã được "
        "khóa để tránh sửa nhầm.",
        "2. Cách ghi số: số nguyên ghi 1234 hoặc 1.234 (dấu chấm ngăn cách hàng nghìn); số "
        "thập phân dùng dấu phẩy, ví dụ 8,5; số tiền ghi bằng đồng, ví dụ 1.250.000.",
        "3. Tỷ lệ phần trăm ghi số từ 0 đến 100, ví dụ 95 hoặc 95,5 (gõ 95 % cũng được).",
        "4. Ngày ghi theo dạng ngày/tháng/năm, ví dụ 12/11/2025.",
        "5. Ô có mũi tên thả xuống (ví dụ Có/Không, mức độ): bấm mũi tên để chọn.",
        "6. Ô để trống nghĩa là chưa có số liệu, không phải số 0. Nếu số liệu bằng 0, hãy "
        "ghi 0.",
        "7. Phần nội dung (ô lớn): gõ hoặc dán trực tiếp vào ô; muốn xuống dòng trong ô, "
        "bấm Alt+Enter.",
        "8. Bảng (ví dụ danh sách sáng kiến): mỗi dòng một mục. Cần thêm dòng thì chọn một "
        "dòng trong bảng, bấm chuột phải, chọn Chèn (Insert); dòng trống được bỏ qua.",
        "9. Không đổi tên, xóa hoặc thêm trang tính; không xóa dòng hay cột của mẫu. Có thể "
        "điền bằng Excel, LibreOffice hoặc WPS và lưu ở định dạng .xlsx; không đặt mật "
        "khẩu cho tệp.",
        "10. Gửi báo cáo: đăng nhập hệ thống, mở đợt báo cáo, chọn «Tải lên tệp Excel» và "
        "chọn tệp này. Hệ thống kiểm tra ngay; nếu có lỗi, hệ thống trả lại chính tệp của "
        "bạn với các ô cần sửa được tô đỏ và có ghi chú giải thích.",
        "11. Mẫu chỉ dùng cho đơn vị và đợt báo cáo ghi ở đầu trang «Báo cáo»; đơn vị khác "
        "cần tải mẫu của mình. Khi đề cương có phiên bản mới, hãy tải mẫu mới.",
    ]
    if w.deadline:
        lines.append(f"Hạn gửi báo cáo: {w.deadline:%d/%m/%Y}.")
    for index, line in enumerate(lines, start=2):
        ws.write_string(index, 0, line, text)
        ws.set_row(index, row_height(line, 95, 16))
    ws.set_paper(9)
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.protect(PASSWORD, PROTECTION)
