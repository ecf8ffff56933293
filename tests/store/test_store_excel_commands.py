"""The Excel template of a round prints the round's deadline, not the outline's default.

An outline's `deadline` only seeds a new round; the coordinator may set another. Every sheet
of the template that mentions a deadline must show the round's (issue 15): both the CLI
(`decuong template`) and the web download go through `store.excel_commands.template_bytes`.
Templates are written for real and read back with openpyxl.
"""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
from click.testing import CliRunner

import store
from store.excel_commands import template_bytes, template_command

OUTLINE = """\
id: han-gui-thu
version: 1
title: Báo cáo thử hạn gửi
deadline: 2025-11-11
items:
  - {type: integer, name: so_ho_so, number: "1.", label: Số hồ sơ tiếp nhận, unit: hồ sơ}
"""


def make_round(db, deadline: datetime) -> int:
    outline = store.register_outline(db, OUTLINE, actor="test")
    store.upsert_units(db, [{"code": "A", "name": "Đơn vị A"}])
    return store.create_round(
        db, outline_id=outline.id, outline_version=outline.version, title="Đợt thử",
        period_start="2026-01-01", period_end=None, period_label="Năm 2026",
        deadline=deadline, units=["A"], created_by="test")


def deadline_texts(data: bytes) -> dict[str, list[str]]:
    """Every cell mentioning a deadline, by sheet (hidden sheets included)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    found: dict[str, list[str]] = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "Hạn gửi" in cell.value:
                    found.setdefault(ws.title, []).append(cell.value)
    return found


def test_every_sheet_mentioning_a_deadline_shows_the_rounds(fresh_db):
    round_id = make_round(fresh_db, store.deadline_end_of_day(datetime(2026, 12, 16).date()))
    for unit in ("A", None):
        found = deadline_texts(template_bytes(fresh_db, round_id, unit))
        assert len(found) >= 2, found  # the form sheet and the instructions
        for sheet, texts in found.items():
            for text in texts:
                assert "16/12/2026" in text, (sheet, text)
                assert "11/11/2025" not in text, (sheet, text)


def test_the_day_is_vietnams_even_when_utc_is_still_the_day_before(fresh_db):
    # 00:30 on 16/12 in Vietnam is 17:30 on 15/12 in UTC, the stored form.
    due = datetime.fromisoformat("2026-12-16T00:30:00+07:00")
    round_id = make_round(fresh_db, due)
    texts = [t for ts in deadline_texts(template_bytes(fresh_db, round_id, "A")).values()
             for t in ts]
    assert texts and all("16/12/2026" in t and "15/12/2026" not in t for t in texts), texts


def test_the_template_command_writes_the_rounds_deadline(tmp_path):
    path = tmp_path / "decuong.db"
    db = store.open_db(path)
    try:
        round_id = make_round(db, store.deadline_end_of_day(datetime(2027, 1, 5).date()))
    finally:
        db.close()
    out = tmp_path / "mau.xlsx"
    result = CliRunner().invoke(template_command, ["--db", str(path), "--round", str(round_id),
                                                   "--unit", "A", "-o", str(out)])
    assert result.exit_code == 0, result.output
    texts = [t for ts in deadline_texts(out.read_bytes()).values() for t in ts]
    assert texts and all("05/01/2027" in t for t in texts), texts
