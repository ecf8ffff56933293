"""The whole sentence each number kind refuses a text with, and the prompt of its Excel cell.

The kinds now fill their refusals in from their own words (`what`, `noun`, `example`), so a
word moved from one kind to another would change a sentence a user reads while every
"contains" check still passed: each sentence is written out here in full.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from forms.kinds import get_kind


def spec() -> SimpleNamespace:
    return SimpleNamespace(min=None, max=None, choices=(), unit=None, decimals=None,
                           formula=None)


@pytest.mark.parametrize(("kind", "typed", "sentence"), [
    ("integer", "abc",
     '"abc" không phải là số nguyên. Hãy nhập một số nguyên, ví dụ 1.234.'),
    ("integer", "2,5",
     '"2,5" không phải là số nguyên. Hãy nhập một số nguyên, ví dụ 2 hoặc 3.'),
    ("integer", 2.5,
     '"2,5" không phải là số nguyên. Hãy nhập một số nguyên, ví dụ 2 hoặc 3.'),
    ("money", "abc",
     '"abc" không phải là số tiền. Hãy nhập số tiền bằng đồng, ví dụ 1.250.000.'),
    ("money", "1,5",
     '"1,5" có phần lẻ dưới một đồng. Hãy nhập số tiền tròn đồng, ví dụ 1 hoặc 2.'),
    ("decimal", "abc",
     '"abc" không phải là số. Hãy nhập một số, ví dụ 8,5 hoặc 1.234,5 (dấu chấm ngăn cách '
     'hàng nghìn, dấu phẩy trước phần thập phân).'),
    ("percent", "abc",
     '"abc" không phải là tỷ lệ phần trăm. Hãy nhập một số từ 0 đến 100, ví dụ 95 hoặc 95,5.'),
])
def test_a_refused_text_is_told_in_the_kinds_own_sentence(
        kind: str, typed: object, sentence: str) -> None:
    parsed = get_kind(kind).parse(typed, spec())
    assert parsed.value is None
    assert list(parsed.problems) == [sentence]


@pytest.mark.parametrize(("kind", "title", "prompt", "refusal"), [
    ("integer", "Nhập số nguyên", "Nhập một số nguyên từ 0 trở lên, ví dụ 1234.",
     "Ô này chỉ nhận một số nguyên từ 0 trở lên."),
    ("money", "Nhập số tiền (đồng)", "Nhập số tiền từ 0 trở lên, ví dụ 1250000.",
     "Ô này chỉ nhận số tiền từ 0 trở lên."),
    ("decimal", "Nhập số", "Nhập một số, ví dụ 8,5.", "Ô này chỉ nhận một số."),
    ("percent", "Nhập tỷ lệ (%)", "Nhập một số từ 0 đến 100, ví dụ 95,5.",
     "Ô này chỉ nhận một số từ 0 đến 100."),
])
def test_an_excel_cell_asks_for_the_kinds_figure_in_its_own_words(
        kind: str, title: str, prompt: str, refusal: str) -> None:
    options = get_kind(kind).excel_validation(spec())
    assert (options["input_title"], options["input_message"], options["error_message"]) == (
        title, prompt, refusal)
    assert options["validate"] == ("integer" if kind in ("integer", "money") else "decimal")
