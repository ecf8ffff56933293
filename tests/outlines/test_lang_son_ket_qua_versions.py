"""The Lạng Sơn outline's "Kỳ báo cáo" item left in version 2 (the round carries the period);
a round opened with version 1 keeps version 1: it still opens, fills and exports as before."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
from click.testing import CliRunner

import store
from decuong_cli import main

ROOT = Path(__file__).resolve().parents[2]
V1 = ROOT / "tests" / "data" / "lang-son-ngoai-vu-ket-qua-cchc-2025.v1.yaml"
SAMPLE = ROOT / "outlines" / "lang-son-ngoai-vu-ket-qua-cchc-2025.sample.json"
OUTLINE_ID = "lang-son-ngoai-vu-ket-qua-cchc-2025"


def run(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_a_version_1_round_is_untouched_by_version_2(tmp_path):
    path = tmp_path / "ls.db"
    db = store.open_db(path)
    store.upsert_units(db, [{"code": "VP", "name": "Văn phòng Sở"}])
    v1 = store.register_outline(db, V1.read_text(encoding="utf-8"), actor="test")
    assert (v1.version, "ky_bao_cao" in v1) == (1, True)
    old = store.create_round(
        db, outline_id=OUTLINE_ID, outline_version=1, title="Báo cáo 9 tháng năm 2025",
        period_start=None, period_end=None, period_label=None,
        deadline=store.deadline_end_of_day(date(2025, 9, 20)), units=["VP"], created_by="test")
    values = {**json.loads(SAMPLE.read_text(encoding="utf-8")), "ky_bao_cao": "9 tháng"}
    intake = store.submit_values(db, round_id=old, unit_code="VP", raw=values, channel="import",
                                 actor="test", mode="submit")
    assert intake.result.ok, [i.message for i in intake.result.issues]
    db.close()

    planned = json.loads(run("round", "plan", "--db", path, "--outline", OUTLINE_ID,
                             "--year", "2026", "--period", "quy-1", "--unit", "VP",
                             "--deadline-day", "20", "--json").stdout)
    new = planned["rounds"][0]["round"]

    db = store.open_db(path)
    assert store.get_round(db, old)["outline_version"] == 1
    assert store.get_round(db, new)["outline_version"] == 2
    assert "ky_bao_cao" in store.outline_for_round(db, old)
    assert "ky_bao_cao" not in store.outline_for_round(db, new)
    assert store.get_revision(db, old, "VP")["values"]["ky_bao_cao"] == "chin_thang"
    # The version 2 sample fills the new round with nothing about the period.
    fresh = store.submit_values(db, round_id=new, unit_code="VP",
                                raw=json.loads(SAMPLE.read_text(encoding="utf-8")),
                                channel="import", actor="test", mode="submit")
    assert fresh.result.ok, [i.message for i in fresh.result.issues]
    db.close()

    old_book = tmp_path / "cu.xlsx"
    run("export", "--db", path, "--round", old, "--format", "xlsx", "-o", old_book)
    sheet = openpyxl.load_workbook(old_book)["Kỳ báo cáo"]  # the version 1 item, consolidated
    assert "«9 tháng» (số đơn vị)" in [c.value for row in sheet.iter_rows() for c in row]
    new_book = tmp_path / "moi.xlsx"
    run("export", "--db", path, "--round", new, "--format", "xlsx", "-o", new_book)
    book = openpyxl.load_workbook(new_book)
    assert "Kỳ báo cáo" not in book.sheetnames
    overview = {row[0].value: row[1].value for row in book["Tổng quan"].iter_rows(max_row=8)}
    assert overview["Kỳ báo cáo"] == "quý I năm 2026"
    assert overview["Đợt báo cáo"] == "Báo cáo quý I năm 2026"
