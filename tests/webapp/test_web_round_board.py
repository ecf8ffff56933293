"""The coordinator's round board: the units table comes first, the count boxes are links that
filter it on the server (no JavaScript needed), and a round title always leads to one page."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from web_helpers import COORDINATOR, as_user, text

import store

DEADLINE = date(2025, 11, 12)  # end of that day, Vietnam time


def _at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T09:00:00+07:00")


@pytest.fixture
def board(db, demo):
    """Six units, one in each situation: Z1 on time, Z2 late, Z3 nothing, Z4 a draft, Z5
    returned, Z6 accepted (on time)."""
    codes = [f"Z{n}" for n in range(1, 7)]
    store.upsert_units(db, [{"code": c, "name": f"Đơn vị thử {c}"} for c in codes])
    round_id = store.create_round(
        db, outline_id="cam-giang-cchc-2025", outline_version=1, title="Đợt kiểm tra bảng",
        period_start=None, period_end=None, period_label=None,
        deadline=store.deadline_end_of_day(DEADLINE), units=codes, created_by="t")

    def save(code, day, status="submitted"):
        store.save_revision(db, round_id=round_id, unit_code=code, values={}, status=status,
                            channel="web", actor=code.lower(), now=_at(day))

    save("Z1", "2025-11-10")
    save("Z2", "2025-11-14")
    save("Z4", "2025-11-10", "draft")
    save("Z5", "2025-11-11")
    store.set_status(db, round_id, "Z5", "returned", "daumoi", comment="Sửa")
    save("Z6", "2025-11-12")
    store.set_status(db, round_id, "Z6", "accepted", "daumoi")
    return round_id


def _rows(page: str) -> list[str]:
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return re.findall(r'<td data-label="Mã">([^<]+)</td>', body)


def _boxes(page: str) -> dict[str, tuple[int, str, bool]]:
    """label → (count, href, active) of each count box."""
    nav = page[page.index('<ul class="counts filters">'):]
    nav = nav[:nav.index("</ul>")]
    found = {}
    for href, attrs, count, label in re.findall(
            r'<a href="([^"]+)"([^>]*)><span class="n">(\d+)</span> ([^<]+)</a>', nav):
        found[label.strip()] = (int(count), href.replace("&amp;", "&"), "aria-current" in attrs)
    return found


def test_count_boxes_are_filter_links_and_counts_match_the_rows(client, board):
    as_user(client, COORDINATOR)
    page = text(client.get(f"/coordinator/rounds/{board}"))
    boxes = _boxes(page)
    assert {label: count for label, (count, _, _) in boxes.items()} == {
        "phải nộp": 6, "đã nộp": 3, "đúng hạn": 2, "muộn": 1, "chưa nộp": 2,
        "bị trả lại": 1, "đã chấp nhận": 1}
    assert boxes["phải nộp"][2] and not any(a for label, (_, _, a) in boxes.items()
                                            if label != "phải nộp")
    expected_rows = {"phải nộp": ["Z1", "Z2", "Z3", "Z4", "Z5", "Z6"],
                     "đã nộp": ["Z1", "Z2", "Z6"], "đúng hạn": ["Z1", "Z6"], "muộn": ["Z2"],
                     "chưa nộp": ["Z3", "Z4"], "bị trả lại": ["Z5"], "đã chấp nhận": ["Z6"]}
    assert _rows(page) == expected_rows["phải nộp"]
    for label, rows in expected_rows.items():
        href = boxes[label][1]
        assert href.startswith(f"/coordinator/rounds/{board}") and href.endswith("#don-vi")
        filtered = text(client.get(href.split("#")[0]))
        assert _rows(filtered) == rows, label
        active = [name for name, (_, _, on) in _boxes(filtered).items() if on]
        assert active == [label]
        if label != "phải nộp":
            assert f"lọc: {label} ({len(rows)}/6)" in filtered and "Bỏ lọc" in filtered


def test_an_unknown_filter_shows_every_unit(client, board):
    as_user(client, COORDINATOR)
    page = text(client.get(f"/coordinator/rounds/{board}?status=<script>"))
    assert _rows(page) == ["Z1", "Z2", "Z3", "Z4", "Z5", "Z6"]
    assert "<script>" not in page and "Bỏ lọc" not in page


def test_the_units_table_comes_before_the_excel_and_download_cards(client, board):
    as_user(client, COORDINATOR)
    page = text(client.get(f"/coordinator/rounds/{board}"))
    table = page.index('<table class="list units-board cards">')
    assert table < page.index('class="card excel-round"')
    assert table < page.index('class="card consolidation-round"')
    assert page.index('<ul class="counts filters">') < table


def test_each_round_title_links_to_one_page(client, board, db):
    """On every coordinator page, every link whose text is a round's title leads to that
    round's board, and nowhere else."""
    as_user(client, COORDINATOR)
    titles = {r["id"]: r["title"] for r in store.list_rounds(db)}
    pages = ["/coordinator/", f"/coordinator/rounds/{board}",
             f"/coordinator/rounds/{board}/tong-hop",
             f"/rounds/{board}/units/Z1/", f"/rounds/{board}/units/Z1/history"]
    seen = 0
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', text(response)):
            for round_id, title in titles.items():
                if label.strip() == title:
                    seen += 1
                    assert href == f"/coordinator/rounds/{round_id}", (url, title, href)
    assert seen >= 5
