"""One rounding and one wording on every channel (issue 15 item 4).

A unit reports 13 on-time dossiers of 12 resolved (a rate of 108,3333…, as in the issue). The
rate must read 108,33 everywhere a person sees it — the form, the report page, the diff, the
Excel template (ROUND in its formula), the consolidated page, the exported report and
spreadsheets — and the targets read in words ("≥ 95 %", "Có"), with the yes/no-total rule
stated next to its verdict. Every expected text is written here by hand.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import docx
import openpyxl
import pytest
from web_helpers import COORDINATOR, UNIT_A, UNIT_B, USER_A, USER_B, as_user, text

import store
from forms.targets import YES_NO_TOTAL_RULE

OUTLINE = """\
id: mot-cach-lam-tron
version: 1
title: Thử một cách làm tròn
items:
  - type: section
    number: I.
    label: Kết quả
    items:
      - {type: integer, name: hs_giai_quyet, number: "1.", label: Số hồ sơ đã giải quyết,
         unit: hồ sơ}
      - {type: integer, name: hs_dung_han, number: "2.", label: Số hồ sơ giải quyết đúng hạn,
         unit: hồ sơ}
      - {type: percent, name: ty_le, number: "3.", label: Tỷ lệ giải quyết đúng hạn,
         calculation: hs_dung_han / hs_giai_quyet * 100, target: ">= 95"}
      - {type: yes_no, name: co_quy_che, number: "4.", label: Đã ban hành Quy chế,
         target: "= true"}
"""


@pytest.fixture
def round_id(demo) -> int:
    db = store.open_db(demo["db_path"])
    try:
        outline = store.register_outline(db, OUTLINE, actor="test")
        return store.create_round(
            db, outline_id=outline.id, outline_version=outline.version, title="Đợt làm tròn",
            period_start="2026-01-01", period_end=None, period_label="Năm 2026",
            deadline=store.deadline_end_of_day(date(2099, 12, 31)),
            units=[UNIT_A, UNIT_B], created_by="test")
    finally:
        db.close()


def edit_url(round_id: int, unit: str = UNIT_A) -> str:
    return f"/rounds/{round_id}/units/{unit}/edit"


def report_url(round_id: int, unit: str = UNIT_A) -> str:
    return f"/rounds/{round_id}/units/{unit}"


def save(client, round_id: int, action: str = "draft", unit: str = UNIT_A, **typed: str):
    response = client.post(edit_url(round_id, unit), data={"action": action, **typed})
    assert response.status_code in (200, 302), response.status_code
    return response


def input_value(page: str, key: str) -> str:
    tag = re.search(rf'<input[^>]*\bid="{key}"[^>]*>', page)
    assert tag, key
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def test_the_rate_reads_108_33_on_the_form_the_report_and_the_diff(client, round_id):
    as_user(client, USER_A)
    save(client, round_id, hs_giai_quyet="12", hs_dung_han="13", co_quy_che="co")
    form = text(client.get(edit_url(round_id)))
    assert input_value(form, "ty_le") == "108,33"
    assert "108,3333" not in form
    assert "chỉ tiêu: ≥ 95 %" in form and "chỉ tiêu: Có" in form
    assert "= true" not in form

    save(client, round_id, hs_giai_quyet="12", hs_dung_han="11", co_quy_che="co")
    report = text(client.get(report_url(round_id) + "/?rev=1"))
    assert "108,33 %" in report and "108,3333" not in report
    diff = text(client.get(report_url(round_id) + "/diff?a=1&b=2"))
    assert "108,33 %" in diff and "91,67 %" in diff  # 11 / 12 = 91,666…
    assert "108,3333" not in diff and "91,6667" not in diff


def test_the_excel_template_rounds_in_its_formula_and_states_targets_in_words(client, round_id):
    as_user(client, USER_A)
    save(client, round_id, hs_giai_quyet="12", hs_dung_han="13")
    response = client.get(f"/rounds/{round_id}/units/{UNIT_A}/excel/mau.xlsx")
    assert response.status_code == 200
    formulas = openpyxl.load_workbook(io.BytesIO(response.data))["Báo cáo"]
    cached = openpyxl.load_workbook(io.BytesIO(response.data), data_only=True)["Báo cáo"]
    row = next(r for r in range(1, formulas.max_row + 1) if formulas.cell(r, 1).value == "ty_le")
    value_cells = [c for c in formulas[row] if isinstance(c.value, str)
                   and c.value.startswith("=")]
    assert len(value_cells) == 1
    formula = value_cells[0].value
    assert re.search(r"ROUND\([A-Z]+\d+/[A-Z]+\d+\*100,2\)", formula), formula
    assert cached[value_cells[0].coordinate].value == 108.33
    notes = [c.value for ws in formulas.parent.worksheets for r in ws.iter_rows() for c in r
             if isinstance(c.value, str) and "Chỉ tiêu:" in c.value]
    assert any("Chỉ tiêu: ≥ 95 %" in n for n in notes), notes
    assert any("Chỉ tiêu: Có" in n for n in notes), notes
    assert not any("true" in n for n in notes), notes


def submit_both(client, round_id: int) -> None:
    as_user(client, USER_A)
    save(client, round_id, "submit", UNIT_A, hs_giai_quyet="12", hs_dung_han="13",
         co_quy_che="co")
    as_user(client, USER_B)
    save(client, round_id, "submit", UNIT_B, hs_giai_quyet="0", hs_dung_han="0",
         co_quy_che="khong")
    as_user(client, COORDINATOR)


def test_the_consolidated_page_shows_the_same_figure_and_the_yes_no_rule(client, round_id):
    submit_both(client, round_id)
    page = text(client.get(f"/coordinator/rounds/{round_id}/tong-hop"))
    # Unit A's row and the total (Σ 13 / Σ 12: unit B resolved none) both read 108,33.
    assert page.count("108,33") >= 2 and "108,3333" not in page
    assert "Tỷ lệ giải quyết đúng hạn: ≥ 95 %" in page
    assert "Đã ban hành Quy chế: Có — tổng: <strong>không đạt</strong>" in page
    assert YES_NO_TOTAL_RULE in page


def test_the_exports_show_the_same_figure_and_state_the_yes_no_rule(client, round_id):
    submit_both(client, round_id)
    base = f"/coordinator/rounds/{round_id}/tong-hop/tai-ve"
    report = docx.Document(io.BytesIO(client.get(f"{base}/docx").data))
    words = "\n".join([p.text for p in report.paragraphs]
                      + [c.text for t in report.tables for r in t.rows for c in r.cells])
    assert "108,33 %" in words and "108,3333" not in words
    assert "Chỉ tiêu ≥ 95 %" in words and "Chỉ tiêu Có" in words
    assert YES_NO_TOTAL_RULE in words

    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/xlsx").data))
    figures = [c.value for ws in book.worksheets for r in ws.iter_rows() for c in r
               if isinstance(c.value, float) and 108 < c.value < 109]
    assert figures and set(figures) == {108.33}, figures
    texts = [c.value for ws in book.worksheets for r in ws.iter_rows() for c in r
             if isinstance(c.value, str)]
    assert any("chỉ tiêu ≥ 95 %" in t for t in texts)
    assert YES_NO_TOTAL_RULE in texts

    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{base}/csv").data))
    fields = [field for name in archive.namelist() if name.endswith(".csv")
              for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
              for field in row]
    assert "108.33" in fields and not any(f.startswith("108.333") for f in fields)
