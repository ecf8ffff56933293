"""The round board of a large round: units a page at a time with the status filter kept, a
search by code or name that works without Vietnamese accents, count boxes that still count
the whole round, and a clear answer for a page that does not exist."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from large_round import COORDINATOR, LargeRound, build_large_round
from web_helpers import as_user, create_test_app, text

UNITS = 130  # every tenth missing: 13 missing, 117 submitted


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LargeRound]:
    path = tmp_path_factory.mktemp("board") / "large.db"
    return path, build_large_round(path, UNITS, texts=False)


@pytest.fixture
def world(template: Any, tmp_path: Path) -> tuple[Any, LargeRound]:
    path = tmp_path / "large.db"
    shutil.copyfile(template[0], path)
    return as_user(create_test_app(path, tmp_path).test_client(), COORDINATOR), template[1]


def _rows(page: str) -> list[str]:
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return re.findall(r'<td data-label="Mã">([^<]+)</td>', body)


def _count(page: str, label: str) -> int:
    found = re.search(rf'<span class="n">(\d+)</span> {label}</a>', page)
    assert found is not None, label
    return int(found.group(1))


def test_pages_follow_on_and_boxes_count_the_whole_round(world: Any) -> None:
    client, big = world
    url = f"/coordinator/rounds/{big.round_id}"
    pages = [text(client.get(f"{url}?per=50&page={n}")) for n in (1, 2, 3)]
    assert [len(_rows(p)) for p in pages] == [50, 50, 30]
    assert [c for p in pages for c in _rows(p)] == big.codes
    assert "Trang 2/3" in pages[1] and f"đơn vị 51–100 trong {UNITS}" in pages[1]
    for page in pages:
        assert _count(page, "phải nộp") == UNITS and _count(page, "chưa nộp") == 13
    default = text(client.get(url))
    assert _rows(default) == big.codes[:100] and "Trang 1/2" in default


def test_status_filter_is_kept_while_paging(world: Any) -> None:
    client, big = world
    url = f"/coordinator/rounds/{big.round_id}?status=submitted&per=25"
    first = text(client.get(url))
    submitted = [c for c in big.codes if c not in big.missing]
    assert _rows(first) == submitted[:25]
    link = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert link is not None
    following = link.group(1).replace("&amp;", "&")
    assert "status=submitted" in following and "per=25" in following
    assert _rows(text(client.get(following))) == submitted[25:50]
    assert f"lọc: đã nộp ({len(submitted)}/{UNITS})" in first


def test_search_by_code_or_name_with_or_without_accents(world: Any) -> None:
    client, big = world
    url = f"/coordinator/rounds/{big.round_id}"
    assert _rows(text(client.get(f"{url}?q=L0012"))) == ["L0012"]
    assert _rows(text(client.get(f"{url}?q=đơn vị lớn l0012"))) == ["L0012"]
    assert _rows(text(client.get(f"{url}?q=don vi lon L0012"))) == ["L0012"]
    tens = text(client.get(f"{url}?q=L001"))
    assert _rows(tens) == [f"L001{n}" for n in range(10)]
    assert "tìm «L001» (10/130)" in tens
    # search and status together: L0010 and L0020… are the missing ones
    assert _rows(text(client.get(f"{url}?q=L001&status=missing"))) == ["L0010"]
    nothing = text(client.get(f"{url}?q=<b>Z"))
    assert "Không có đơn vị nào có mã hoặc tên chứa «&lt;b&gt;Z»" in nothing
    assert "<b>Z" not in nothing


def test_a_page_that_does_not_exist(world: Any) -> None:
    client, big = world
    url = f"/coordinator/rounds/{big.round_id}"
    past = client.get(f"{url}?page=5")
    assert past.status_code == 404
    assert f"danh sách có {UNITS} đơn vị, chia thành 2 trang" in text(past)
    assert client.get(f"{url}?page=-1").status_code == 400


def test_board_weight_does_not_grow_with_the_round(tmp_path: Path) -> None:
    """Three times the units, the same page: rows are paged and a round this large gets a
    code field instead of a list of every unit for the Excel template. (The reminder list, one
    line per unit that has not submitted, is the one part that grows, by design: here every
    unit has submitted.)"""
    sizes = {}
    for units in (320, 960):
        path = tmp_path / f"r{units}.db"
        big = build_large_round(path, units, every_missing=10**6, texts=False)
        client = as_user(create_test_app(path, tmp_path).test_client(), COORDINATOR)
        response = client.get(f"/coordinator/rounds/{big.round_id}?per=25&page=2")
        assert response.status_code == 200
        assert len(_rows(text(response))) == 25
        sizes[units] = len(response.data)
    assert abs(sizes[960] - sizes[320]) < 0.02 * sizes[320], sizes
