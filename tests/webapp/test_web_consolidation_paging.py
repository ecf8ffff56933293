"""The consolidated page a page of units at a time: every unit on exactly one page, in the
table's order, each page with every kind's subtotal and the round's total; a page past the end
says which pages exist; and the page's weight does not grow with the round beyond its page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from large_round import COORDINATOR, KINDS, LargeRound, build_large_round
from web_helpers import as_user, create_test_app, text

from webapp.consolidation import clear_cache

UNITS = 130


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LargeRound]:
    path = tmp_path_factory.mktemp("paging") / "large.db"
    return path, build_large_round(path, UNITS, texts=False)


def _client(path: Path, tmp_path: Path, name: str = "large.db") -> Any:
    copy = tmp_path / name
    shutil.copyfile(path, copy)
    clear_cache()
    return as_user(create_test_app(copy, tmp_path).test_client(), COORDINATOR)


def _table(html: str) -> str:
    """The first section's summary table."""
    found = re.search(r'<table class="ctable" id="bang-[^"]+" data-sortable>.*?</table>',
                      html, re.S)
    assert found is not None
    return found.group(0)


def _units(table: str) -> list[str]:
    return re.findall(r'<tr class="unit[^"]*"><th scope="row"[^>]*>[^<]*<span class="code">'
                      r"(L\d{4})</span>", table)


def _row(table: str, css: str, name: str = "") -> str:
    found = re.search(rf'<tr class="{css}"><th scope="row">{re.escape(name)}.*?</tr>', table,
                      re.S)
    assert found is not None, (css, name)
    return found.group(0)


def test_every_unit_is_on_exactly_one_page_in_table_order(template: Any,
                                                          tmp_path: Path) -> None:
    path, big = template
    client = _client(path, tmp_path)
    url = f"/coordinator/rounds/{big.round_id}/tong-hop"
    first, second = text(client.get(url)), text(client.get(url + "?page=2"))
    one, two = _units(_table(first)), _units(_table(second))
    assert (len(one), len(two)) == (100, 30)
    assert sorted(one + two) == big.codes  # each unit once, none lost
    # grouped by kind, codes ascending inside a kind: page 2 goes on where page 1 stopped
    kinds = {c: KINDS[n % 2] for n, c in enumerate(big.codes)}
    groups = [kinds[c] for c in one + two]
    assert groups == sorted(groups, key=groups.index)
    for kind in KINDS:
        mine = [c for c in one + two if kinds[c] == kind]
        assert mine == sorted(mine)
    assert "Trang 1/2" in first and "Trang 2/2" in second
    assert f"đơn vị 101–130 trong {UNITS}" in second
    assert 'rel="next"' in first and 'rel="prev"' in second and 'rel="next"' not in second
    # Every page keeps each kind's subtotal and the round's total, the same on both pages.
    for page in (first, second):
        for kind in KINDS:
            assert f"{len(big.codes) // 2} đơn vị" in _row(_table(page), "subtotal",
                                                           f"Cộng {kind}")
    assert _row(_table(first), "total") == _row(_table(second), "total")


def test_kind_filter_and_page_size_are_kept_across_pages(template: Any,
                                                         tmp_path: Path) -> None:
    path, big = template
    client = _client(path, tmp_path)
    url = f"/coordinator/rounds/{big.round_id}/tong-hop?kind={KINDS[1]}&per=25"
    first = text(client.get(url))
    ours = [c for n, c in enumerate(big.codes) if n % 2 == 1]
    assert _units(_table(first)) == ours[:25]
    assert f"Trang 1/{-(-len(ours) // 25)}" in first
    following = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert following is not None
    nxt = following.group(1).replace("&amp;", "&")
    assert "per=25" in nxt and "page=2" in nxt and "kind=" in nxt
    assert _units(_table(text(client.get(nxt)))) == ours[25:50]


def test_a_page_past_the_end_says_which_pages_exist(template: Any, tmp_path: Path) -> None:
    path, big = template
    client = _client(path, tmp_path)
    url = f"/coordinator/rounds/{big.round_id}/tong-hop"
    past = client.get(url + "?page=3")
    assert past.status_code == 404
    assert f"Không có trang 3: danh sách có {UNITS} đơn vị" in text(past)
    assert "Hãy chọn trang từ 1 đến 2" in text(past)
    zero = client.get(url + "?page=0")
    assert zero.status_code == 400 and "Số trang «0» không hợp lệ" in text(zero)
    section = client.get(f"{url}/phan/I?page=2")
    assert section.status_code == 200 and len(_units(_table(text(section)))) == 30


def test_page_weight_does_not_grow_with_the_round(tmp_path: Path) -> None:
    """Three times the units, the same page size: what grows is counted in words (numbers
    in the filter, the subtotals), not in rows."""
    sizes = {}
    for units in (120, 360):
        path = tmp_path / f"r{units}.db"
        big = build_large_round(path, units, texts=False)
        clear_cache()
        client = as_user(create_test_app(path, tmp_path).test_client(), COORDINATOR)
        response = client.get(f"/coordinator/rounds/{big.round_id}/tong-hop?per=25&page=2")
        assert response.status_code == 200
        sizes[units] = len(response.data)
    assert abs(sizes[360] - sizes[120]) < 0.03 * sizes[120], sizes
