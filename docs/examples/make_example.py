"""Build docs/examples/vi-du-de-cuong.xlsx, the example workbook of docs/outline-spreadsheet.md.

    python docs/examples/make_example.py            # write the workbook next to this script
    python docs/examples/make_example.py --markdown # print the sheets as the doc's tables

The workbook is exported from the outline below with `export_workbook`, so it is exactly what
`decuong outlines export` writes and what `decuong outlines import` reads back. The creation
time is fixed so that running the script again gives the same bytes.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from a clone
    sys.path.insert(0, str(ROOT))

from forms.loader import load_outline  # noqa: E402
from forms.spreadsheet import export_workbook  # noqa: E402

HERE = Path(__file__).resolve().parent
TARGET = HERE / "vi-du-de-cuong.xlsx"
CREATED = datetime(2025, 7, 1, 8, 0, 0)

EXAMPLE_YAML = """\
id: vi-du-cchc
version: 1
title: Đề cương báo cáo công tác cải cách hành chính
issuer: UBND xã Ví Dụ
note: (Số liệu báo cáo tính từ 01/07/2025 đến thời điểm báo cáo).
period:
  start: 2025-07-01
  label: 6 tháng cuối năm 2025
deadline: 2025-11-12
choices:
  muc_do:
    - {name: tot, label: Tốt}
    - {name: kha, label: Khá}
    - {name: chua_dat, label: Chưa đạt}
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
          - type: integer
            name: nv_tong
            number: "+"
            label: Tổng số nhiệm vụ trong kế hoạch
            unit: nhiệm vụ
            required: true
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
      - type: integer
        name: hs_tiep_nhan
        number: "-"
        label: Tổng số hồ sơ TTHC tiếp nhận
        unit: hồ sơ
        items:
          - {type: integer, name: hs_dung_han, number: "+",
             label: Số hồ sơ giải quyết đúng hạn, unit: hồ sơ}
      - {type: select_one, name: tu_danh_gia, number: "-", label: Tự đánh giá, choices: muc_do}
      - type: table
        name: sang_kien
        number: "-"
        label: Những sáng kiến và cách làm hay trong CCHC
        max_rows: 50
        columns:
          - {type: text, name: ten, label: Tên sáng kiến, required: true}
          - {type: date, name: ngay, label: Ngày áp dụng}
          - {type: select_one, name: muc_do, label: Mức độ, choices: muc_do}
rules:
  - name: hs_dung_han_le_tiep_nhan
    constraint: hs_dung_han <= hs_tiep_nhan
    message: Số hồ sơ giải quyết đúng hạn không được lớn hơn tổng số hồ sơ tiếp nhận.
"""


def build(target: Path | BytesIO = TARGET) -> None:
    """Write the example workbook (to a file, or to a buffer for the tests)."""
    export_workbook(EXAMPLE_YAML, target, created=CREATED)


def markdown(data: bytes) -> str:
    """The workbook's sheets as markdown tables, only the columns that hold something."""
    book = CalamineWorkbook.from_filelike(BytesIO(data))
    out = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        used = [c for c in range(len(rows[0])) if any(_text(r[c]) for r in rows[1:])]
        out.append(f"**{name}**\n")
        for n, row in enumerate(rows):
            out.append("| " + " | ".join(_text(row[c]) or " " for c in used) + " |")
            if n == 0:
                out.append("|" + "---|" * len(used))
        out.append("")
    return "\n".join(out)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):  # a datetime is a date too
        return value.strftime("%d/%m/%Y")
    return str(value).replace("|", "\\|")


def main() -> None:
    if "--markdown" in sys.argv[1:]:
        buffer = BytesIO()
        build(buffer)
        print(markdown(buffer.getvalue()))
        return
    build()
    print(f"wrote {TARGET.relative_to(ROOT)}")
    load_outline(EXAMPLE_YAML)  # the example is a clean outline


if __name__ == "__main__":
    main()
