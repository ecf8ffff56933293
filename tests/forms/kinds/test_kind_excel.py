"""excel_validation: dicts xlsxwriter accepts, within Excel's prompt limits."""

import warnings
from datetime import date
from typing import Any

import pytest
import xlsxwriter

from forms.kinds import KINDS, get_kind
from forms.model import Choice, Item


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def item(kind: str, **kw: Any) -> Item:
    return Item(kind=kind, key="x", number="-", label="Mục", **kw)


def accepted(options: dict[str, Any], tmp_path: Any) -> bool:
    workbook = xlsxwriter.Workbook(str(tmp_path / "v.xlsx"))
    sheet = workbook.add_worksheet()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = sheet.data_validation(0, 0, 10, 0, options)
    workbook.close()
    return result == 0


CHOICES = (Choice("tot", "Tốt"), Choice("kha", "Khá"), Choice("chua_dat", "Chưa đạt"))


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_is_accepted_by_xlsxwriter(name: str, tmp_path: Any) -> None:
    options = get_kind(name).excel_validation(item(name, choices=CHOICES, unit="hồ sơ"))
    assert options is not None
    assert options["error_type"] == "stop"
    assert utf16(options["input_title"]) <= 32
    assert utf16(options["error_title"]) <= 32
    assert utf16(options["input_message"]) <= 255
    assert utf16(options["error_message"]) <= 255
    assert accepted(options, tmp_path)


@pytest.mark.parametrize(
    ("name", "spec", "expected"),
    [
        ("integer", {}, {"validate": "integer", "criteria": ">=", "value": 0}),
        ("integer", {"min": 1.0, "max": 10.0},
         {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 10}),
        ("money", {}, {"validate": "integer", "criteria": ">=", "value": 0}),
        ("percent", {}, {"validate": "decimal", "criteria": "between", "minimum": 0,
                         "maximum": 100}),
        ("decimal", {"max": 10.0}, {"validate": "decimal", "criteria": "<=", "value": 10}),
        ("decimal", {"min": 0.5, "max": 10.0},
         {"validate": "decimal", "criteria": "between", "minimum": 0.5, "maximum": 10}),
        ("yes_no", {}, {"validate": "list", "source": ["Có", "Không"]}),
        ("text", {}, {"validate": "length", "criteria": "<=", "value": 2000}),
        ("long_text", {}, {"validate": "length", "criteria": "<=", "value": 32000}),
        ("date", {}, {"validate": "date", "criteria": "between", "minimum": date(1900, 1, 1)}),
        ("select_one", {"choices": CHOICES}, {"validate": "list",
                                              "source": ["Tốt", "Khá", "Chưa đạt"]}),
    ],
)
def test_options(name: str, spec: dict[str, Any], expected: dict[str, Any]) -> None:
    options = get_kind(name).excel_validation(item(name, **spec))
    assert options is not None
    assert expected.items() <= options.items()


def test_messages_are_vietnamese_and_mention_bounds() -> None:
    options = get_kind("integer").excel_validation(item("integer", unit="hồ sơ", max=500.0))
    assert options is not None
    assert "từ 0 đến 500" in options["input_message"]
    assert "Đơn vị: hồ sơ." in options["input_message"]
    assert "từ 0 đến 500" in options["error_message"]


def test_select_one_without_choices() -> None:
    assert get_kind("select_one").excel_validation(item("select_one")) is None


def test_long_choice_list_needs_a_range(tmp_path: Any) -> None:
    choices = tuple(Choice(f"c{i}", f"Lựa chọn số {i} khá dài") for i in range(20))
    options = get_kind("select_one").excel_validation(item("select_one", choices=choices))
    assert options is not None
    assert options["source"] is None
    assert options["needs_range"] is True
    assert utf16(options["input_message"]) <= 255
    options = {k: v for k, v in options.items() if k != "needs_range"}
    options["source"] = "=_lists!$A$1:$A$20"
    assert accepted(options, tmp_path)


def test_label_with_comma_needs_a_range() -> None:
    choices = (Choice("a", "Tốt, đúng hạn"), Choice("b", "Chậm"))
    options = get_kind("select_one").excel_validation(item("select_one", choices=choices))
    assert options is not None
    assert options["needs_range"] is True


def test_date_bounds() -> None:
    class Spec:
        min, max, choices, unit = date(2025, 7, 1), date(2025, 12, 31), (), None

    options = get_kind("date").excel_validation(Spec())
    assert options is not None
    assert options["minimum"] == date(2025, 7, 1)
    assert options["maximum"] == date(2025, 12, 31)
    assert "từ 01/07/2025 đến 31/12/2025" in options["error_message"]
