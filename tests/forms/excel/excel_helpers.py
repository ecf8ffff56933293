"""Helpers of the Excel channel tests: the test outline, template bytes, zip surgery and a
user-like filler. A module of its own (not conftest) so test modules can import it by a name
no other test directory uses."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import openpyxl

from forms.excel import Identity, TemplateKey, write_template
from forms.excel.layout import MAIN_SHEET
from forms.model import Outline

ROOT = Path(__file__).resolve().parents[3]
CAM_GIANG = ROOT / "outlines" / "cam-giang-cchc-2025.yaml"
OUTLINE_YAML = """\
id: thu-nghiem-excel
version: 2
title: Đề cương báo cáo công tác cải cách hành chính
issuer: UBND xã Thử Nghiệm
note: (Số liệu báo cáo tính từ 01/07/2025 đến thời điểm báo cáo).
period: {start: 2025-07-01, label: 6 tháng cuối năm 2025}
deadline: 2025-11-11
choices:
  muc_do:
    - {name: tot, label: Tốt}
    - {name: kha, label: Khá}
    - {name: chua_dat, label: Chưa đạt}
  xa:
    - {name: x01, label: "Xã Cẩm Giang, huyện Cẩm Giàng"}
    - {name: x02, label: "Xã Tân Trường, huyện Cẩm Giàng"}
items:
  - type: section
    number: I.
    label: CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH
    items:
      - type: long_text
        name: ke_hoach
        number: "-"
        label: Việc xây dựng, ban hành kế hoạch cải cách hành chính.
        hint: Nêu số, ngày của kế hoạch.
      - type: section
        number: "-"
        label: Mức độ hoàn thành nhiệm vụ CCHC
        items:
          - {type: integer, name: nv_tong, number: "+", label: Tổng số nhiệm vụ trong kế hoạch,
             unit: nhiệm vụ, required: true}
          - {type: integer, name: nv_xong, number: "+", label: Số nhiệm vụ đã hoàn thành,
             unit: nhiệm vụ}
          - type: percent
            name: nv_ty_le
            number: "+"
            label: Tỷ lệ hoàn thành
            calculation: nv_xong / nv_tong * 100
            target: ">= 100"
  - type: section
    number: II.
    label: KẾT QUẢ
    items:
      - {type: integer, name: hs_tiep_nhan, number: "-", label: Tổng số hồ sơ TTHC tiếp nhận,
         unit: hồ sơ}
      - {type: percent, name: hai_long, number: "-", label: Mức độ hài lòng, target: ">= 95"}
      - {type: money, name: thu_ngan_sach, number: "-", label: Tổng thu ngân sách, unit: đồng}
      - {type: decimal, name: diem, number: "-", label: Điểm tự đánh giá, min: 0, max: 10}
      - {type: date, name: ngay_ban_hanh, number: "-", label: Ngày ban hành kế hoạch}
      - {type: yes_no, name: co_quy_che, number: "-", label: Đã ban hành Quy chế tiếp công dân}
      - {type: select_one, name: tu_danh_gia, number: "-", label: Tự đánh giá, choices: muc_do}
      - {type: select_one, name: xa_mau, number: "-", label: Xã làm mẫu, choices: xa}
      - {type: text, name: dau_moi, number: "-", label: Công chức đầu mối}
      - type: table
        name: sang_kien
        number: "-"
        label: Những sáng kiến và cách làm hay trong CCHC
        max_rows: 50
        columns:
          - {type: text, name: ten, label: Tên sáng kiến, required: true}
          - {type: date, name: ngay, label: Ngày áp dụng}
          - {type: select_one, name: muc_do, label: Mức độ, choices: muc_do}
          - {type: integer, name: so_don_vi, label: Số đơn vị áp dụng, unit: đơn vị}
rules:
  - name: nv_xong_le_tong
    constraint: nv_xong <= nv_tong
    message: Số nhiệm vụ đã hoàn thành không được lớn hơn tổng số nhiệm vụ trong kế hoạch.
"""


#: The installation the forms-level tests play: its templates are sealed with this key.
KEY = TemplateKey("cai-dat-thu-nghiem", bytes(range(32)))


def template_bytes(outline: Outline, identity: Identity, *, key: TemplateKey = KEY,
                   **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_template(outline, buffer, identity=identity, key=key, **kwargs)
    return buffer.getvalue()


def rezip(data: bytes, replace: dict[str, bytes | None] | None = None,
          add: dict[str, bytes] | None = None) -> bytes:
    """A copy of the xlsx `data` with some parts replaced (None: removed) or added."""
    import zipfile

    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])
                continue
            dst.writestr(info.filename, src.read(info.filename))
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def without_sheet(data: bytes, sheet: str = MAIN_SHEET) -> bytes:
    """The workbook with one sheet deleted, as a user would in Excel (the main one by
    default)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    del book[sheet]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def key_rows(ws) -> dict[str, int]:
    """Marker in hidden column A → 1-based row, as openpyxl sees the sheet."""
    return {str(row[0].value): row[0].row for row in ws.iter_rows(min_col=1, max_col=1)
            if row[0].value}


# What a user types, the same strings in the web form and in the workbook.
TYPED = {
    "ke_hoach": unicodedata.normalize("NFD", "Đã ban hành Kế hoạch số 12/KH-UBND.\nĐạt yêu cầu."),
    "nv_tong": "1.234",
    "nv_xong": " 1.200 ",
    "hs_tiep_nhan": "1 234",
    "hai_long": "95 %",
    "thu_ngan_sach": "1.250.000 đ",
    "diem": "8,5",
    "ngay_ban_hanh": "12/11/2025",
    "co_quy_che": "có",
    "tu_danh_gia": unicodedata.normalize("NFD", "Khá"),
    "xa_mau": "Xã Tân Trường, huyện Cẩm Giàng",
    "dau_moi": unicodedata.normalize("NFD", "  Nguyễn Thị Hường "),
}
TABLE = [
    {"ten": unicodedata.normalize("NFD", "Một cửa liên thông"), "ngay": "01/03/2025",
     "muc_do": "Tốt", "so_don_vi": "12"},
    {"ten": "Số hóa hồ sơ", "ngay": "15/04/2025", "muc_do": "kha", "so_don_vi": "3"},
]


def fill(data: bytes, typed: dict, table: list[dict], *, insert_above: str | None = None,
         native: dict | None = None, insert_in_table: bool = False) -> bytes:
    """Fill the template with openpyxl, as a user in Excel would: text typed in cells, some
    cells with native numbers and dates, optionally a row inserted above an item."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[MAIN_SHEET]
    if insert_above:
        ws.insert_rows(key_rows(ws)[insert_above])
    rows = key_rows(ws)
    for key, value in typed.items():
        ws.cell(rows[key], 4).value = value
    for key, value in (native or {}).items():
        ws.cell(rows[key], 4).value = value
    first = rows["sang_kien:header"] + 1
    for index, values in enumerate(table):
        row = first + index * 2  # leave a blank row between: blank rows are no rows
        for offset, name in enumerate(("ten", "ngay", "muc_do", "so_don_vi")):
            ws.cell(row, 3 + offset).value = values.get(name)
    if insert_in_table:
        ws.insert_rows(first + 1)
        ws.cell(first + 1, 3).value = "Dòng chèn thêm"
        ws.cell(first + 1, 6).value = 2
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
