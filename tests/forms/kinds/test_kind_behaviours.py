"""What each kind says about itself, so that no other module has to ask for it by name."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from forms.excel.number_formats import BY_KIND
from forms.kinds import KINDS, Tally, get_kind, unit_word
from forms.model import Choice

CHOICES = (Choice("tot", "Tốt"), Choice("kha", "Khá"))


def spec(**attrs: object) -> SimpleNamespace:
    base = {"min": None, "max": None, "choices": (), "unit": None, "decimals": None,
            "formula": None}
    return SimpleNamespace(**{**base, **attrs})


def names_with(attribute: str) -> list[str]:
    return [name for name, kind in KINDS.items() if getattr(kind, attribute)]


def test_kinds_are_listed_in_documentation_order_with_their_vietnamese_titles() -> None:
    assert [(name, kind.title) for name, kind in KINDS.items()] == [
        ("integer", "số nguyên"), ("decimal", "số thập phân"), ("percent", "tỷ lệ %"),
        ("money", "số tiền (đồng)"), ("text", "chữ (một dòng)"), ("long_text", "đoạn văn"),
        ("date", "ngày"), ("select_one", "chọn một"), ("yes_no", "có/không")]


def test_a_percent_carries_its_measure_and_writes_it_itself() -> None:
    assert {name: kind.measure for name, kind in KINDS.items() if kind.measure} == {"percent": "%"}
    assert get_kind("percent").format(95.5) == "95,5 %"
    assert names_with("rate") == ["percent"]


@pytest.mark.parametrize(("kind", "unit", "word"), [
    ("percent", None, "%"),
    ("percent", "điểm %", "điểm %"),  # the item's own unit wins
    ("integer", "hồ sơ", "hồ sơ"),
    ("integer", None, ""),
    ("money", None, ""),
    ("table", None, ""),  # not a value kind: no measure of its own
])
def test_the_unit_word_of_an_item_is_its_unit_else_its_kinds_measure(
        kind: str, unit: str | None, word: str) -> None:
    assert unit_word(SimpleNamespace(kind=kind, unit=unit)) == word


def test_only_long_text_is_multiline_and_texts_are_narratives() -> None:
    assert names_with("multiline") == ["long_text"]
    assert names_with("narrative") == ["text", "long_text"]


def test_whole_kinds_are_counts_and_money() -> None:
    assert names_with("whole") == ["integer", "money"]
    assert get_kind("money").whole and get_kind("money").default_min == 0


def test_a_yes_no_is_counted_by_its_yes_answers() -> None:
    assert get_kind("yes_no").tallies("co_quy_che") == (
        Tally("co_quy_che", "yes", "số đơn vị trả lời «Có»", True),)


def test_a_select_one_is_counted_choice_by_choice_in_the_outlines_order() -> None:
    assert get_kind("select_one").tallies("tu_danh_gia", spec(choices=CHOICES)) == (
        Tally("tu_danh_gia=tot", "choice", "«Tốt» (số đơn vị)", "tot"),
        Tally("tu_danh_gia=kha", "choice", "«Khá» (số đơn vị)", "kha"),
    )


def test_other_kinds_are_not_counted() -> None:
    counted = [name for name, kind in KINDS.items() if kind.tallies("k", spec(choices=CHOICES))]
    assert counted == ["select_one", "yes_no"]


def test_only_a_yes_no_target_is_judged_answer_by_answer() -> None:
    assert names_with("judged_by_answer") == ["yes_no"]


def test_only_select_one_lists_choices() -> None:
    assert names_with("has_choices") == ["select_one"]


def test_excel_number_formats_come_from_the_kinds() -> None:
    assert BY_KIND == {"integer": "#,##0", "decimal": "#,##0.00", "percent": '#,##0.00" %"',
                       "money": "#,##0", "date": "dd/mm/yyyy"}


def test_only_a_percent_cell_is_scaled_from_excels_percent_format() -> None:
    assert names_with("excel_percent") == ["percent"]


def test_answers_are_written_in_excel_as_their_words() -> None:
    assert names_with("excel_as_words") == ["select_one", "yes_no"]


def test_figures_line_up_right_and_words_left() -> None:
    assert {name: kind.align for name, kind in KINDS.items()} == {
        "integer": "right", "decimal": "right", "percent": "right", "money": "right",
        "text": "left", "long_text": "left", "date": None, "select_one": "left",
        "yes_no": "left"}


@pytest.mark.parametrize(("kind", "value", "text", "cell"), [
    ("integer", 1234, "1.234", 1234.0),
    ("decimal", 1234.567, "1.234,57", 1234.567),
    ("percent", 95.5, "95,5", 95.5),
    ("date", "2025-11-12", "12/11/2025", date(2025, 11, 12)),
    ("date", "12/11/2025 (ghi tay)", "12/11/2025 (ghi tay)", "12/11/2025 (ghi tay)"),
    ("select_one", "kha", "Khá", "Khá"),
    ("select_one", "khong_co", "khong_co", "khong_co"),
    ("yes_no", True, "Có", "Có"),
    ("yes_no", False, "Không", "Không"),
    ("text", "Một cửa số", "Một cửa số", "Một cửa số"),
])
def test_a_stored_table_cell_in_the_report_and_in_the_workbook(
        kind: str, value: object, text: str, cell: object) -> None:
    assert get_kind(kind).report_text(value, spec(choices=CHOICES)) == text
    assert get_kind(kind).sheet_value(value, spec(choices=CHOICES)) == cell


def test_number_kinds_tell_the_browser_their_reading_rules() -> None:
    rules = {name: kind.browser_rules() for name, kind in KINDS.items()}
    assert rules["percent"] == {"whole": False, "min": 0, "max": 100,
                                "suffixes": ["%", "％", "phần trăm"], "measure": "%"}
    assert rules["money"] == {"whole": True, "min": 0, "max": None,
                              "suffixes": ["đồng", "dong", "đ", "₫", "vnđ", "vnd"],
                              "measure": None}
    assert rules["integer"] == {"whole": True, "min": 0, "max": None, "suffixes": [],
                                "measure": None}
    assert [name for name, rule in rules.items() if rule is None] == [
        "text", "long_text", "date", "select_one", "yes_no"]
