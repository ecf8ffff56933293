"""A target (chỉ tiêu) in words, one wording for every channel (forms.targets.target_words).

"Chỉ tiêu: = true" was what a reader saw for a yes/no target; a number target lost its "%".
Expected texts are written by hand."""

from __future__ import annotations

import pytest

from forms import load_outline
from forms.targets import target_words

OUTLINE = load_outline("""\
id: chi-tieu
version: 1
title: Chỉ tiêu bằng lời
items:
  - {type: yes_no, name: co, number: "1.", label: Có quy chế, target: "= true"}
  - {type: yes_no, name: khong, number: "2.", label: Không vi phạm, target: "= false"}
  - {type: yes_no, name: khac_khong, number: "3.", label: Khác không, target: "!= false"}
  - {type: percent, name: ty_le, number: "4.", label: Tỷ lệ, target: ">= 95"}
  - {type: percent, name: du, number: "5.", label: Đủ, target: "= 100"}
  - {type: integer, name: tre, number: "6.", label: Số hồ sơ trễ, target: "<= 10"}
  - {type: decimal, name: diem, number: "7.", label: Điểm, target: "> 1234.5"}
  - {type: percent, name: cong, number: "8.", label: Cộng, target: ">= 90 + 5"}
  - {type: integer, name: xong, number: "9.", label: Đã xong, target: "<= tre"}
  - {type: integer, name: khong_co, number: "10.", label: Không có chỉ tiêu}
""", filename="chi-tieu.yaml")


@pytest.mark.parametrize(("key", "words"), [
    ("co", "Có"),
    ("khong", "Không"),
    ("khac_khong", "Có"),
    ("ty_le", "≥ 95 %"),
    ("du", "= 100 %"),
    ("tre", "≤ 10"),
    ("diem", "> 1.234,5"),
    ("cong", "≥ 95 %"),           # a constant expression is evaluated, not printed
    ("khong_co", ""),
])
def test_a_target_reads_in_words(key, words):
    assert target_words(OUTLINE.item(key), OUTLINE) == words


def test_a_target_against_another_item_names_it_by_its_label():
    assert target_words(OUTLINE.item("xong"), OUTLINE) == "≤ «Số hồ sơ trễ»"
    assert target_words(OUTLINE.item("xong")) == "≤ tre"  # no outline at hand: its key


def test_a_constant_target_is_read_once_by_the_engine():
    assert OUTLINE.item("cong").target.constant() == 95
    assert OUTLINE.item("co").target.constant() is True
    assert OUTLINE.item("xong").target.constant() is None
