"""`decuong year`: a reporting year's series on the command line, the same numbers as the web
page. Expected values worked out by hand: the rate's total is the rate of each period's sums."""

from __future__ import annotations

import json

import openpyxl
import pytest

import store
from forms.periods import plan_year

OUTLINE = """\
id: chuoi-nam-cli
version: 1
title: Báo cáo thử chuỗi năm
items:
  - {type: integer, name: xong, number: "1.", label: Hồ sơ đúng hạn, unit: hồ sơ}
  - {type: integer, name: tong, number: "2.", label: Hồ sơ đã giải quyết, unit: hồ sơ}
  - {type: percent, name: ty_le, number: "3.", label: Tỷ lệ đúng hạn,
     calculation: xong / tong * 100}
"""
# quý I: VP 1/4 (25 %), KT 3/4 (75 %) → 4/8 = 50 %;  quý II: VP 1/10 (10 %), KT 9/10 → 10/20
# = 50 %; quý III: only VP, 2/5 → 40 %. Means of the rates would be 50, 50, 40: equal here, so
# quý IV makes them differ: VP 1/1 (100 %), KT 1/9 (11,1 %) → 2/10 = 20 % (mean: 55,6 %).
REPORTS = {"quy-1": {"VP": (1, 4), "KT": (3, 4)}, "quy-2": {"VP": (1, 10), "KT": (9, 10)},
           "quy-3": {"VP": (2, 5)}, "quy-4": {"VP": (1, 1), "KT": (1, 9)}}


@pytest.fixture
def year(demo):
    path, _ = demo
    db = store.open_db(path)
    store.register_outline(db, OUTLINE, actor="test")
    result = store.plan_rounds(db, outline_id="chuoi-nam-cli", outline_version=1,
                               planned=plan_year(list(REPORTS), 2027, deadline_day=20),
                               units=["VP", "KT"], actor="test")
    rounds = {plan.period.kind: round_id for round_id, plan in result.created}
    for kind, reports in REPORTS.items():
        for unit, (done, total) in reports.items():
            store.submit_values(db, round_id=rounds[kind], unit_code=unit,
                                raw={"xong": done, "tong": total}, channel="import",
                                actor="test", mode="submit")
    db.close()
    return path, rounds


def test_json_gives_each_series_in_total_and_per_unit(run, year):
    path, rounds = year
    result = run("year", "--db", path, "--outline", "chuoi-nam-cli", "--year", "2027", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(p["period"], p["round"]) for p in data["periods"]] == [
        (kind, rounds[kind]) for kind in ("quy-1", "quy-2", "quy-3", "quy-4")]
    items = {item["key"]: item for item in data["items"]}
    assert items["ty_le"]["total"] == pytest.approx([50.0, 50.0, 40.0, 20.0])
    assert items["tong"]["total"] == [8, 20, 5, 10]
    assert items["ty_le"]["units"]["KT"][2] is None
    assert items["ty_le"]["units"]["KT"][3] == 11.11  # 1 / 9 × 100, rounded once


def test_text_and_xlsx(run, year, tmp_path):
    path, _ = year
    text = run("year", "--db", path, "--outline", "chuoi-nam-cli", "--year", "2027").output
    assert "3. Tỷ lệ đúng hạn" in text and "50 % → 50 % → 40 % → 20 %" in text
    out = tmp_path / "nam.xlsx"
    run("year", "--db", path, "--outline", "chuoi-nam-cli", "--year", "2027", "-o", out)
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(out).active.iter_rows()]
    total = next(r for r in rows if r[0] and r[0].startswith("3.") and r[2] == "Tổng cộng")
    assert total[4:8] == pytest.approx([50.0, 50.0, 40.0, 20.0])


def test_a_year_without_periodic_rounds_is_explained(run, demo):
    path, _ = demo
    result = run("year", "--db", path, "--outline", "chuoi-nam-cli", "--year", "2027")
    assert result.exit_code != 0
    assert "chưa có đợt báo cáo định kỳ nào của năm 2027" in result.output
