"""What the consolidated page shows around its tables: chart titles as real visible text (not
only the SVG's hidden <title>), items nobody answered folded behind one toggle, no inline
styles, and downloads named by Flask's own Content-Disposition."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from test_web_consolidation import UNITS, build_round
from web_helpers import COORDINATOR, as_user, text

import store


@pytest.fixture
def coordinator(client: Any) -> Any:
    return as_user(client, COORDINATOR)


def _outside_svg(html: str) -> str:
    return re.sub(r"<svg\b.*?</svg>", "", html, flags=re.S)


def _captions(html: str) -> list[str]:
    return [unescape(c).strip() for c in
            re.findall(r'<figcaption class="chart-title">(.*?)</figcaption>', html, re.S)]


def test_every_chart_has_its_title_as_visible_text(coordinator: Any, db: Any) -> None:
    round_id = build_round(db)
    html = text(coordinator.get(f"/coordinator/rounds/{round_id}/tong-hop"))
    figures = re.findall(r'<figure class="chart-box[^"]*">(.*?)</figure>', html, re.S)
    assert len(figures) == 2  # completeness + the one targeted rate
    for figure in figures:
        assert "<svg" in figure and "<figcaption" in figure
        assert figure.index("<figcaption") < figure.index("<svg")
    captions = _captions(html)
    assert captions == ["Tình hình nộp báo cáo: 11/13 đơn vị đã nộp",
                        "I. 3. Tỷ lệ đúng hạn theo đơn vị (thấp nhất trước); chỉ tiêu ≥ 90 %"]
    visible = unescape(_outside_svg(html))
    for caption in captions:
        assert caption in visible


def test_unanswered_items_are_listed_once_behind_one_toggle(coordinator: Any,
                                                            db: Any) -> None:
    quiet = [u for u in UNITS if u[0] in ("P02", "P04", "X03")]  # no narrative, no table
    round_id = build_round(db, quiet, title="Đợt chưa ai viết")
    html = text(coordinator.get(f"/coordinator/rounds/{round_id}/tong-hop"))
    toggles = re.findall(r'<details class="card empty-items"[^>]*>(.*?)</details>', html, re.S)
    assert len(toggles) == 1
    toggle = toggles[0]
    assert "2 mục chưa có câu trả lời" in toggle
    items = [unescape(re.sub(r"<[^>]+>", "", li)).strip()
             for li in re.findall(r"<li>(.*?)</li>", toggle, re.S)]
    assert items == ["I. 5. Đánh giá chung — chưa đơn vị nào trả lời",
                     "I. 6. Sáng kiến — chưa có dòng nào"]
    outside = html.replace(toggles[0], "")
    assert "Chưa đơn vị nào trả lời mục này" not in html
    assert "Chưa có dòng nào" not in outside and '<div class="narr">' not in outside
    assert 'href="#chua-tra-loi"' in html  # listed in the table of contents


def test_answered_items_stay_on_the_page_and_the_filter_moves_the_rest(coordinator: Any,
                                                                       db: Any) -> None:
    round_id = build_round(db)
    everyone = text(coordinator.get(f"/coordinator/rounds/{round_id}/tong-hop"))
    assert 'class="card empty-items"' not in everyone  # both items have answers
    assert '<div class="narr">' in everyone and "Trả kết quả qua Zalo" in everyone
    communes = text(coordinator.get(f"/coordinator/rounds/{round_id}/tong-hop?kind=xã"))
    toggle = re.search(r'<details class="card empty-items".*?</details>', communes, re.S)
    assert toggle is not None
    assert "1 mục chưa có câu trả lời" in toggle.group(0)
    assert "6. Sáng kiến" in toggle.group(0) and "loại «xã»" in toggle.group(0)
    assert "Bộ phận một cửa làm việc cả thứ Bảy." in communes  # the answered narrative stays


def test_no_inline_style_or_script_on_the_page(coordinator: Any, db: Any) -> None:
    round_id = build_round(db)
    # Two levels under X06: X01 (level 1) with P01 and P02 below it.
    units = {code: (name, kind) for code, name, kind, _ in UNITS}
    store.upsert_units(db, [{"code": c, "name": units[c][0], "kind": units[c][1], "parent": p}
                            for c, p in (("P01", "X01"), ("P02", "X01"), ("X01", "X06"))],
                       actor="test")
    html = text(coordinator.get(f"/coordinator/rounds/{round_id}/tong-hop"))
    assert 'id="cong-don"' in html  # the roll-up, which used to indent with style=""
    assert 'class="lvl-1"' in html
    tag = r"<[a-zA-Z][^>]*"  # inside a tag (the escaped XSS payloads are text: &lt;img …)
    assert not re.search(tag + r"\sstyle\s*=", html)
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)
    assert not re.search(tag + r"\son[a-z]+\s*=", html)


def test_download_name_comes_from_send_file(coordinator: Any, db: Any) -> None:
    round_id = build_round(db)
    response = coordinator.get(f"/coordinator/rounds/{round_id}/tong-hop/tai-ve/xlsx")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="Tong hop - ot tong hop thu.xlsx"' in disposition  # ASCII, for old clients
    assert ("filename*=UTF-8''T%E1%BB%95ng%20h%E1%BB%A3p%20-%20%C4%90%E1%BB%A3t%20t%E1%BB%95ng"
            "%20h%E1%BB%A3p%20th%E1%BB%AD.xlsx") in disposition
    assert response.headers["Cache-Control"] == "private, no-store"
