"""`decimals:` on a number item: how its figures are rounded on every channel (issue 15: one
rounding). Without it a computed item keeps 2 decimals and a typed figure stays as typed; with
it the engine, the form and the consolidated figures all use the item's own. Checked like any
other key, at its file:line:column."""

from __future__ import annotations

import textwrap

from forms import load_outline, validate
from forms.errors import Code
from forms.kinds import get_kind
from forms.loader import check_outline
from forms.spreadsheet import import_workbook, workbook_bytes

HEAD = """\
id: vi-du
version: 1
title: Đề cương ví dụ
items:
"""


def outline_with(*lines: str) -> str:
    return HEAD + textwrap.indent("\n".join(lines) + "\n", "  ")


RATES = outline_with(
    '- {type: integer, name: a, number: "1.", label: A}',
    '- {type: integer, name: b, number: "2.", label: B}',
    '- {type: percent, name: mac_dinh, number: "3.", label: Tỷ lệ, calculation: a / b * 100}',
    '- {type: percent, name: mot_so, number: "4.", label: Tỷ lệ 1, calculation: a / b * 100,'
    ' decimals: 1}',
    '- {type: decimal, name: diem, number: "5.", label: Điểm bình quân, calculation: a / b}',
    '- {type: decimal, name: dien_tich, number: "6.", label: Diện tích, decimals: 3}',
)


def test_a_computed_rate_keeps_two_decimals_unless_the_item_says_otherwise():
    outline = load_outline(RATES, filename="ty-le.yaml")
    values = validate(outline, {"a": "13", "b": "12", "dien_tich": "1,23456"}).values
    assert values["mac_dinh"] == 108.33  # 108,3333…: two decimals by default
    assert values["mot_so"] == 108.3     # decimals: 1
    assert values["diem"] == 1.08        # a computed decimal too
    assert values["dien_tich"] == 1.23456  # typed: kept exactly as typed …
    dien_tich = outline.item("dien_tich")
    assert get_kind("decimal").format(values["dien_tich"], dien_tich) == "1,235"  # … shown to 3
    percent = get_kind("percent")
    assert percent.format(values["mot_so"], outline.item("mot_so")) == "108,3 %"
    assert percent.format(values["mac_dinh"], outline.item("mac_dinh")) == "108,33 %"


def test_decimals_out_of_range_or_on_a_text_item_are_refused_where_written():
    text = outline_with(
        '- {type: percent, name: r, number: "1.", label: R, decimals: 9}',
        '- {type: text, name: t, number: "2.", label: T, decimals: 2}',
        '- {type: decimal, name: d, number: "3.", label: D, decimals: 1.5}',
    )
    problems = check_outline(text, filename="sai.yaml")
    found = {(p.code, p.line) for p in problems}
    assert (Code.BAD_DECIMALS, 5) in found
    assert (Code.DECIMALS_NOT_ALLOWED, 6) in found
    assert (Code.BAD_NUMBER, 7) in found
    bad = next(p for p in problems if p.code is Code.BAD_DECIMALS)
    assert "từ 0 đến 6" in bad.message and str(bad).startswith("sai.yaml:5:")


def test_decimals_survive_the_outline_workbook_both_ways():
    outline = load_outline(RATES, filename="ty-le.yaml")
    text, problems = import_workbook(workbook_bytes(outline))
    assert problems == []
    back = load_outline(text, filename="ty-le.yaml")
    assert back.item("mot_so").decimals == 1 and back.item("dien_tich").decimals == 3
    assert back.item("mac_dinh").decimals is None
