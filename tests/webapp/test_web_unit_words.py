"""The word a figure is read with on the report pages, now that the template asks the kind
(`value_kind(item).measure`, `.multiline`) instead of its name: a count carries its item's
unit, a percent carries its "%" once — even when the outline also gives it a `unit:` — and a
long text is shown as a block."""

from __future__ import annotations

import re

import pytest
from web_helpers import FAR_DEADLINE, UNIT_A, USER_A, as_user, text

import store

OUTLINE = """\
id: chu-don-vi
version: 1
title: Thử chữ đơn vị
items:
  - {type: integer, name: ho_so, number: "1.", label: Hồ sơ tiếp nhận, unit: hồ sơ}
  - {type: percent, name: dung_han, number: "2.", label: Tỷ lệ đúng hạn, unit: hồ sơ}
  - {type: percent, name: hai_long, number: "3.", label: Mức độ hài lòng}
  - {type: long_text, name: danh_gia, number: "4.", label: Đánh giá chung}
"""
POSTED = {"ho_so": "1.234", "dung_han": "95,5", "hai_long": "90", "danh_gia": "Tốt.\nĐạt."}


@pytest.fixture
def round_id(db, demo) -> int:
    outline = store.register_outline(db, OUTLINE, actor="test")
    return store.create_round(
        db, outline_id=outline.id, outline_version=outline.version, title="Đợt chữ đơn vị",
        period_start="2025-07-01", period_end=None, period_label="6 tháng cuối năm",
        deadline=store.deadline_end_of_day(FAR_DEADLINE), units=demo["units"],
        created_by="test")


def _rows(page: str, pattern: str) -> list[str]:
    return [" ".join(m.group().split()) for m in re.finditer(pattern, page, re.S)]


def test_the_fill_form_puts_one_word_after_each_figure(client, round_id: int) -> None:
    as_user(client, USER_A)
    url = f"/rounds/{round_id}/units/{UNIT_A}/edit"
    client.post(url, data={"action": "draft", **POSTED})
    rows = _rows(text(client.get(url)), r'<div class="input-row">.*?</div>')
    words = [re.findall(r'<span class="unitword">([^<]*)</span>', row) for row in rows]
    assert words == [["hồ sơ"], ["%"], ["%"], []]


def test_the_report_shows_a_percent_with_its_sign_once_and_a_long_text_as_a_block(
        client, round_id: int) -> None:
    as_user(client, USER_A)
    client.post(f"/rounds/{round_id}/units/{UNIT_A}/edit", data={"action": "submit", **POSTED})
    page = text(client.get(f"/rounds/{round_id}/units/{UNIT_A}/"))
    values = _rows(page, r'<div class="value[^"]*">.*?</div>')
    assert values[:3] == [
        '<div class="value">1.234 <span class="unitword">hồ sơ</span></div>',
        '<div class="value">95,5 %</div>',
        '<div class="value">90 %</div>',
    ]
    assert values[3].startswith('<div class="value long">Tốt.')
