"""A repeating table's answers (yes/no, a choice) read as words in the consolidated report,
workbook and csv — "Có", "Tốt" — never as the stored token or a Python boolean ("True",
"tot"); its dates read dd/mm/yyyy where they are text."""

from __future__ import annotations

from datetime import date, datetime

import docx
import openpyxl
import pytest

import exports.csv
import exports.docx
import exports.xlsx
import store
from aggregate.source import round_input
from exports.commands import meta_for

OUTLINE = """
id: thu-bang-tra-loi
version: 1
title: Thử bảng có câu trả lời
choices:
  muc_do: [{name: tot, label: Tốt}, {name: chua_tot, label: Chưa tốt}]
items:
  - type: table
    name: mo_hinh
    number: "1."
    label: Các mô hình một cửa
    columns:
      - {type: text, name: ten, label: Tên mô hình}
      - {type: yes_no, name: dien_tu, label: Có tiếp nhận điện tử}
      - {type: select_one, name: danh_gia, label: Đánh giá, choices: muc_do}
      - {type: date, name: ngay, label: Ngày áp dụng}
"""

ROWS = {
    "XA01": [{"ten": "Một cửa liên thông xã Một", "dien_tu": "có", "danh_gia": "Tốt",
              "ngay": "12/11/2025"}],
    "XA02": [{"ten": "Một cửa xã Hai", "dien_tu": "không", "danh_gia": "Chưa tốt",
              "ngay": "01/07/2025"}],
}
NOW = datetime.fromisoformat("2025-11-10T09:00:00+07:00")


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory):
    db = store.open_db(tmp_path_factory.mktemp("answers") / "decuong.db")
    outline = store.register_outline(db, OUTLINE, actor="test")
    store.upsert_units(db, [{"code": code, "name": f"UBND xã {code}", "kind": "xã"}
                            for code in ROWS])
    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=outline.version, title="Đợt thử",
        period_start=date(2025, 7, 1), period_end=date(2025, 12, 31), period_label=None,
        deadline=store.deadline_end_of_day(date(2025, 11, 12)), units=list(ROWS),
        created_by="test")
    for code, rows in ROWS.items():
        intake = store.submit_values(db, round_id=round_id, unit_code=code,
                                     raw={"mo_hinh": rows}, channel="web", actor=code,
                                     mode="submit", now=NOW)
        assert intake.stored, intake.result.issues
    source = round_input(db, round_id)
    db.close()
    return source.consolidate(), meta_for(source, now=NOW)


def test_the_report_prints_each_answer_in_words(consolidated, tmp_path):
    result, meta = consolidated
    out = tmp_path / "bao-cao.docx"
    exports.docx.write(result, out, meta=meta)
    table = next(t for t in docx.Document(out).tables
                 if any("Một cửa xã Hai" in cell.text for cell in t._cells))
    rows = {row.cells[1].text: [c.text for c in row.cells[2:]] for row in table.rows[1:]}
    assert rows["Một cửa liên thông xã Một"] == ["Có", "Tốt", "12/11/2025"]
    assert rows["Một cửa xã Hai"] == ["Không", "Chưa tốt", "01/07/2025"]


def test_the_workbook_writes_each_answer_in_words(consolidated, tmp_path):
    result, meta = consolidated
    out = tmp_path / "tong-hop.xlsx"
    exports.xlsx.write(result, out, meta=meta)
    book = openpyxl.load_workbook(out, read_only=True)
    cells = [value for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for value in row]
    assert "Có" in cells and "Không" in cells and "Tốt" in cells and "Chưa tốt" in cells
    assert not any(value is True or value is False for value in cells)
    assert "tot" not in cells and "chua_tot" not in cells


def test_the_csv_writes_each_answer_in_words(consolidated):
    result, meta = consolidated
    frame = exports.csv.tables(result, meta)["bang-mo-hinh"]
    rows = [list(row) for row in exports.csv._rows(frame)]
    assert rows[0][-3:] == ["Có tiếp nhận điện tử", "Đánh giá", "Ngày áp dụng"]
    assert sorted(row[-3:] for row in rows[1:]) == [["Có", "Tốt", "12/11/2025"],
                                                     ["Không", "Chưa tốt", "01/07/2025"]]
