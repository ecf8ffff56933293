"""A year at a glance in the browser: an outline's periodic rounds of a year lined up as series,
with a chart per item and the series as an xlsx download.

The data is small and generated here; the expected numbers are worked out by hand: the rate's
total is the rate of each period's sums, which differs from the mean of the units' rates."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from web_helpers import COORDINATOR, UNIT_A, UNIT_B, USER_A, as_user, text

import store
from forms.periods import plan_year

OUTLINE = """\
id: chuoi-nam-web
version: 1
title: Báo cáo thử chuỗi năm
items:
  - {type: integer, name: xong, number: "1.", label: Hồ sơ giải quyết đúng hạn, unit: hồ sơ}
  - {type: integer, name: tong, number: "2.", label: Hồ sơ đã giải quyết, unit: hồ sơ}
  - {type: percent, name: ty_le, number: "3.", label: Tỷ lệ đúng hạn,
     calculation: xong / tong * 100}
"""

# quý I:   A 1/2 (50 %), B 9/10 (90 %)    → 10/12 = 83,33 % (mean of the rates: 70 %)
# 6 tháng: A 3/4 (75 %), B has not sent   → 3/4   = 75 %
# năm:     A 2/8 (25 %), B 10/12 (83,33 %) → 12/20 = 60 % (mean of the rates: 54,17 %)
REPORTS = {
    "quy-1": {UNIT_A: (1, 2), UNIT_B: (9, 10)},
    "6-thang": {UNIT_A: (3, 4)},
    "nam": {UNIT_A: (2, 8), UNIT_B: (10, 12)},
}


@pytest.fixture
def year(db):
    outline = store.register_outline(db, OUTLINE, actor="test")
    result = store.plan_rounds(db, outline_id=outline.id, outline_version=1,
                               planned=plan_year(list(REPORTS), 2026, deadline_day=20),
                               units=[UNIT_A, UNIT_B], actor=COORDINATOR)
    rounds = {plan.period.kind: round_id for round_id, plan in result.created}
    for kind, reports in REPORTS.items():
        for unit, (done, total) in reports.items():
            intake = store.submit_values(db, round_id=rounds[kind], unit_code=unit,
                                         raw={"xong": done, "tong": total}, channel="import",
                                         actor="test", mode="submit")
            assert intake.result.ok
    return rounds


def _card(page: str, ref: str) -> str:
    start = page.index(f"{ref} ")
    return page[start:page.index("</section>", start)]


def _rows(card: str) -> dict[str, list[str]]:
    rows = {}
    for name, cells in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', card):
        rows[name] = re.findall(r'<td class="num">([^<]*)</td>', cells)
    return rows


def test_the_year_page_shows_each_series_with_rates_of_sums(client, year):
    as_user(client, COORDINATOR)
    response = client.get("/coordinator/years/chuoi-nam-web/2026")
    page = text(response)
    assert response.status_code == 200
    assert "style=" not in page and "<script>" not in page
    assert [m for m in re.findall(r'<th scope="col" class="num">([^<]+)</th>', page)][:3] == [
        "Quý I", "6 tháng", "Năm"]
    assert _rows(_card(page, "3."))["Tổng cộng"] == ["83,33 %", "75 %", "60 %"]
    assert _rows(_card(page, "1."))["Tổng cộng"] == ["10", "3", "12"]
    assert _rows(_card(page, "2."))["Tổng cộng"] == ["12", "4", "20"]
    chart = _card(page, "3.")
    assert '<svg class="chart column-chart"' in chart
    assert ">83,33 %</text>" in chart and ">60 %</text>" in chart
    for round_id in year.values():
        assert f'href="/coordinator/rounds/{round_id}"' in page


def test_a_chosen_unit_or_every_unit_is_shown_beside_the_total(client, year):
    as_user(client, COORDINATOR)
    one = _rows(_card(text(client.get(
        f"/coordinator/years/chuoi-nam-web/2026?unit={UNIT_B}")), "3."))
    assert list(one) == ["Tổng cộng", "Phòng Kinh tế"]
    assert one["Phòng Kinh tế"] == ["90 %", "—", "83,33 %"]
    every = _rows(_card(text(client.get("/coordinator/years/chuoi-nam-web/2026?unit=*")),
                        "3."))
    assert every["Phòng Văn hóa - Xã hội"] == ["50 %", "75 %", "25 %"]
    assert len(every) == 3


def test_the_xlsx_has_one_sheet_with_every_series(client, year):
    as_user(client, COORDINATOR)
    response = client.get("/coordinator/years/chuoi-nam-web/2026/chuoi-so-lieu.xlsx")
    assert response.status_code == 200
    assert "chuoi-so-lieu-chuoi-nam-web-2026.xlsx" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Chuỗi số liệu năm"]
    sheet = book.active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if r[0] == "Mục")
    assert header[4:7] == [f"Quý I (đợt số {year['quy-1']})",
                           f"6 tháng (đợt số {year['6-thang']})",
                           f"Năm (đợt số {year['nam']})"]
    table = {(r[0].split(" (")[0], r[2]): r[4:7] for r in rows[rows.index(header) + 1:]}
    rate = table[("3. Tỷ lệ đúng hạn", "Tổng cộng")]
    assert rate == [83.33, 75, 60]  # 10 / 12 × 100, rounded once to 2 decimals
    assert table[("1. Hồ sơ giải quyết đúng hạn", "Tổng cộng")] == [10, 3, 12]
    assert table[("3. Tỷ lệ đúng hạn", "Phòng Kinh tế")][1] is None  # not sent: empty
    assert table[("2. Hồ sơ đã giải quyết", "Phòng Văn hóa - Xã hội")] == [2, 4, 8]


def test_the_year_is_linked_from_the_round_board_and_the_rounds_list(client, year):
    as_user(client, COORDINATOR)
    board = text(client.get(f"/coordinator/rounds/{year['quy-1']}"))
    assert 'href="/coordinator/years/chuoi-nam-web/2026"' in board
    consolidated = text(client.get(f"/coordinator/rounds/{year['nam']}/tong-hop"))
    assert '/coordinator/years/chuoi-nam-web/2026">Chuỗi số liệu năm 2026</a>' in consolidated
    listing = text(client.get("/coordinator/"))
    links = listing[listing.index('id="year-links"'):]
    assert 'href="/coordinator/years/chuoi-nam-web/2026">Năm 2026 — chuoi-nam-web</a>' in links
    assert "(3 đợt)" in links
    outlines = text(client.get("/coordinator/outlines/"))
    row = outlines[outlines.index('data-outline="chuoi-nam-web"'):]
    row = row[:row.index("</tr>")]
    assert 'href="/coordinator/years/chuoi-nam-web/2026">Chuỗi số liệu năm 2026</a>' in row
    assert 'href="/coordinator/plan?outline=chuoi-nam-web:1"' in row


def test_a_year_without_rounds_and_a_unit_get_404(client, year):
    as_user(client, COORDINATOR)
    assert client.get("/coordinator/years/chuoi-nam-web/2025").status_code == 404
    assert client.get("/coordinator/years/khong-co/2026").status_code == 404
    as_user(client, USER_A)
    assert client.get("/coordinator/years/chuoi-nam-web/2026").status_code == 404
    assert client.get("/coordinator/years/chuoi-nam-web/2026/chuoi-so-lieu.xlsx"
                      ).status_code == 404


def test_a_new_report_shows_at_once_in_the_year(client, year, db):
    as_user(client, COORDINATOR)
    url = "/coordinator/years/chuoi-nam-web/2026"
    assert _rows(_card(text(client.get(url)), "3."))["Tổng cộng"][1] == "75 %"
    intake = store.submit_values(db, round_id=year["6-thang"], unit_code=UNIT_B,
                                 raw={"xong": 1, "tong": 4}, channel="import", actor="test",
                                 mode="submit")
    assert intake.result.ok
    # 6 tháng is now 3/4 and 1/4: 4/8 = 50 % (the mean of the two rates would also be 50 %,
    # but quý I and năm are unchanged and still rates of sums).
    assert _rows(_card(text(client.get(url)), "3."))["Tổng cộng"] == ["83,33 %", "50 %", "60 %"]
