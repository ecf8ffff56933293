"""integer: counts typed the Vietnamese way, or read from spreadsheet cells."""

import unicodedata
from datetime import date
from typing import Any

import pytest

from forms.kinds import Parsed, get_kind
from forms.model import Column, Item

INTEGER = get_kind("integer")


def item(**kw: Any) -> Item:
    return Item(kind="integer", key="x", number="-", label="Số hồ sơ", **kw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234", 1234),
        ("1.234", 1234),
        ("1.234.567", 1234567),
        ("1 234", 1234),
        ("1 234 567", 1234567),
        ("1\u00a0234", 1234),
        ("1\u202f234", 1234),
        ("\u00a0 42 \u202f", 42),
        ("+7", 7),
        ("0", 0),
        ("007", 7),
        ("3.0", 3),
        (3.0, 3),
        (3, 3),
        (1234567.0, 1234567),
        ("12 hồ sơ", 12),
        (unicodedata.normalize("NFD", "12 hồ sơ"), 12),
        ("1.000.000.000.000.000", 10**15),
    ],
)
def test_reads(raw: object, expected: int) -> None:
    parsed = INTEGER.parse(raw, item(unit="hồ sơ"))
    assert parsed == Parsed(expected, ())
    assert type(parsed.value) is int


@pytest.mark.parametrize("raw", [None, "", "   ", "\u00a0", "\u202f\t\n"])
def test_empty_is_no_data(raw: object) -> None:
    assert INTEGER.parse(raw, item()) == Parsed(None, ())


@pytest.mark.parametrize(
    ("raw", "fragments"),
    [
        ("abc", ['"abc"', "không phải là số nguyên", "ví dụ 1.234"]),
        ("3.5", ['"3.5"', "không phải là số nguyên", "3 hoặc 4"]),
        (3.5, ['"3,5"', "không phải là số nguyên", "3 hoặc 4"]),
        ("1,5", ['"1,5"', "không phải là số nguyên", "1 hoặc 2"]),
        ("1,234", ['"1,234"', "không rõ nghĩa", "1234"]),
        ("1,234,567", ['"1,234,567"', "không rõ nghĩa", "1.234.567", "1234567"]),
        ("1.2.3", ['"1.2.3"', "không phải là số nguyên"]),
        ("12abc", ['"12abc"', "không phải là số nguyên"]),
        ("1 2", ['"1 2"', "không phải là số nguyên"]),
        ("1e5", ['"1e5"', "không phải là số nguyên"]),
        (True, ['"TRUE"', "không phải là số nguyên"]),
        (False, ['"FALSE"', "không phải là số nguyên"]),
        (float("nan"), ['"nan"', "không phải là số nguyên"]),
        (float("inf"), ['"inf"', "không phải là số nguyên"]),
        (date(2025, 11, 12), ['"12/11/2025"', "không phải là số nguyên"]),
        ("1.000.000.000.000.001", ['"1.000.000.000.000.001"', "quá lớn", "15 chữ số"]),
        (1e16, ["quá lớn"]),
    ],
)
def test_refuses(raw: object, fragments: list[str]) -> None:
    parsed = INTEGER.parse(raw, item())
    assert parsed.value is None
    assert len(parsed.problems) == 1
    for fragment in fragments:
        assert fragment in parsed.problems[0]


@pytest.mark.parametrize("raw", ["-5", -5, "-1.234", "\u22125"])
def test_negative_is_refused_by_default(raw: object) -> None:
    parsed = INTEGER.parse(raw, item())
    assert parsed.value is None
    assert "không được âm" in parsed.problems[0]


def test_bounds_from_spec() -> None:
    spec = item(min=-10, max=100)
    assert INTEGER.parse("-5", spec).value == -5
    low = INTEGER.parse("-11", spec)
    assert low.value is None
    assert low.problems == ("-11 nhỏ hơn giá trị tối thiểu -10. "
                            "Hãy nhập một số nguyên từ -10 đến 100.",)
    high = INTEGER.parse("1.234", spec)
    assert high.problems == ("1.234 lớn hơn giá trị tối đa 100. "
                             "Hãy nhập một số nguyên từ -10 đến 100.",)


def test_works_with_a_column_and_without_a_spec() -> None:
    column = Column(key="so", kind="integer", label="Số", min=5)
    assert INTEGER.parse("4", column).problems[0].startswith("4 nhỏ hơn giá trị tối thiểu 5.")
    assert INTEGER.parse("1.234") == Parsed(1234, ())


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (7, "7"), (1234, "1.234"), (1234567, "1.234.567"), (-1234, "-1.234"),
     (None, ""), (12.0, "12")],
)
def test_format(value: object, text: str) -> None:
    assert INTEGER.format(value, item()) == text


@pytest.mark.parametrize("value", [0, 1, 1234, 10**15])
def test_json_round_trip(value: int) -> None:
    assert INTEGER.to_json(value) == value
    assert INTEGER.from_json(INTEGER.to_json(value)) == value
    assert INTEGER.from_json(None) is None


def test_a_megabyte_of_digits_is_refused_quickly() -> None:
    parsed = INTEGER.parse("1" * 1_000_000, None)
    assert parsed.value is None
    assert "1.000.000 ký tự" in parsed.problems[0]
