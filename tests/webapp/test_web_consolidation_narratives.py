"""Narratives on demand: the consolidated page shows the first answers of each long-text item
and a link to the item's own page, which lists every answer a page at a time (escaped, in the
consolidation's unit order, the kind filter kept); a unit cannot open it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from large_round import COORDINATOR, KINDS, LargeRound, build_large_round
from web_helpers import as_user, create_test_app, text

import store
from webapp.consolidation import clear_cache

UNITS = 120  # 108 answered, every tenth missing


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LargeRound]:
    path = tmp_path_factory.mktemp("narr") / "large.db"
    return path, build_large_round(path, UNITS)


@pytest.fixture
def world(template: tuple[Path, LargeRound], tmp_path: Path) -> tuple[Any, LargeRound, Path]:
    path = tmp_path / "large.db"
    shutil.copyfile(template[0], path)
    clear_cache()
    app = create_test_app(path, tmp_path)
    return as_user(app.test_client(), COORDINATOR), template[1], path


def _answers(html: str) -> list[str]:
    return re.findall(r'<span class="code">(L\d{4})</span>: <span class="txt">', html)


def test_the_page_previews_each_item_and_links_to_all_its_answers(world: Any) -> None:
    client, big, _path = world
    html = text(client.get(f"/coordinator/rounds/{big.round_id}/tong-hop"))
    answered = [c for c in big.codes if c not in big.missing]
    key = big.text_keys[0]
    block = html[html.index(f"/tong-hop/loi-van/{key}") - 3000:html.index(f"/loi-van/{key}")]
    assert f"{len(answered)} đơn vị trả lời; dưới đây là 5 câu trả lời đầu." in block
    assert f"Xem cả {len(answered)} câu trả lời" in html
    # the sixth answer is not on the page: it is what the link is for
    assert LargeRound.answer(answered[4], key) in html
    assert LargeRound.answer(answered[5], key) not in html


def test_pages_of_answers_follow_on_and_say_where_they_are(world: Any) -> None:
    client, big, _path = world
    key = big.text_keys[1]
    url = f"/coordinator/rounds/{big.round_id}/tong-hop/loi-van/{key}"
    answered = [c for c in big.codes if c not in big.missing]
    first, second, third = (text(client.get(f"{url}?per=50&page={n}")) for n in (1, 2, 3))
    assert _answers(first) == answered[:50]
    assert _answers(second) == answered[50:100]
    assert _answers(third) == answered[100:]
    assert "Trang 2/3" in second and f"câu trả lời 51–100 trong {len(answered)}" in second
    assert LargeRound.answer(answered[50], key) in second
    assert 'rel="next"' in second and 'rel="prev"' in second and 'rel="next"' not in third
    past = client.get(f"{url}?page=9")
    assert past.status_code == 404
    assert "Không có trang 9" in text(past) and "từ 1 đến 3" in text(past)
    wrong = client.get(f"{url}?page=abc")
    assert wrong.status_code == 400 and "Số trang «abc» không hợp lệ" in text(wrong)
    assert client.get(f"/coordinator/rounds/{big.round_id}/tong-hop/loi-van/khong-co"
                      ).status_code == 404


def test_kind_filter_and_escaping(world: Any) -> None:
    client, big, path = world
    key = big.text_keys[2]
    code = big.codes[0]
    db = store.open_db(path)
    try:
        values = dict(store.get_revision(db, big.round_id, code)["values"])
        values[key] = "<script>alert('x')</script> & <b>đậm</b>"
        store.save_revision(db, round_id=big.round_id, unit_code=code, values=values,
                            status="submitted", channel="import", actor="test")
    finally:
        db.close()
    url = f"/coordinator/rounds/{big.round_id}/tong-hop/loi-van/{key}"
    html = text(client.get(f"{url}?kind={KINDS[0]}"))
    expected = [c for n, c in enumerate(big.codes) if n % 2 == 0 and c not in big.missing]
    assert _answers(html)[:3] == expected[:3] and len(_answers(html)) == min(50, len(expected))
    assert f"{len(expected)} đơn vị trả lời (loại «{KINDS[0]}»)" in html
    assert "<script>alert" not in html and "<b>đậm" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;" in html


def test_a_unit_cannot_open_the_answers(world: Any) -> None:
    client, big, path = world
    db = store.open_db(path)
    try:
        store.add_account(db, "don-vi-lon", "mat-khau-dai-du-12", "unit",
                          unit=big.codes[0])
    finally:
        db.close()
    as_user(client, "don-vi-lon")
    response = client.get(
        f"/coordinator/rounds/{big.round_id}/tong-hop/loi-van/{big.text_keys[0]}")
    assert response.status_code == 404
    assert LargeRound.answer(big.codes[0], big.text_keys[0]) not in text(response)
