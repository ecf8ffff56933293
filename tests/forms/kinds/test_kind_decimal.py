"""decimal: `8,5`, `1.234,5` and the readings that are refused as ambiguous."""

from typing import Any

import pytest

from forms.kinds import Parsed, get_kind
from forms.model import Item

DECIMAL = get_kind("decimal")


def item(**kw: Any) -> Item:
    return Item(kind="decimal", key="diem", number="-", label="Điểm", **kw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("8,5", 8.5),
        ("1.234,5", 1234.5),
        ("1.234.567,25", 1234567.25),
        ("1.234", 1234.0),
        ("1.234.567", 1234567.0),
        ("8.5", 8.5),
        ("95.25", 95.25),
        ("0.125", 0.125),
        ("1234.5", 1234.5),
        ("1234.567", 1234.567),
        ("0,1", 0.1),
        (",5", 0.5),
        ("-1,5", -1.5),
        ("\u22121,5", -1.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),
        (" 12 ", 12.0),
        ("1,234", 1.234),  # a decimal comma in Vietnamese
        (8.5, 8.5),
        (3, 3.0),
    ],
)
def test_reads(raw: object, expected: float) -> None:
    parsed = DECIMAL.parse(raw, item())
    assert parsed == Parsed(expected, ())
    assert type(parsed.value) is float


def test_decimal_comma_is_exact() -> None:
    assert DECIMAL.parse("0,1", item()).value == float("0.1")
    assert DECIMAL.parse("0,3", item()).value == 0.3


@pytest.mark.parametrize(
    ("raw", "fragments"),
    [
        ("1,234.5", ['"1,234.5"', "không rõ nghĩa", "1.234,5"]),
        ("1,234,567", ['"1,234,567"', "không rõ nghĩa", "1.234.567"]),
        ("1,234,567.89", ['"1,234,567.89"', "không rõ nghĩa", "1.234.567,89"]),
        ("1.2.3", ['"1.2.3"', "không phải là số", "8,5"]),
        ("1,2,3", ['"1,2,3"', "không phải là số"]),
        ("1.23,4", ['"1.23,4"', "không phải là số"]),
        ("8,", ['"8,"', "không phải là số"]),
        ("abc", ['"abc"', "không phải là số"]),
        ("--5", ['"--5"', "không phải là số"]),
        ("5%", ['"5%"', "không phải là số"]),
        (float("nan"), ['"nan"', "không phải là số"]),
        (float("-inf"), ['"-inf"', "không phải là số"]),
        (True, ['"TRUE"', "không phải là số"]),
        ("2e16", ['"2e16"', "không phải là số"]),
        (2e16, ["quá lớn", "15 chữ số"]),
    ],
)
def test_refuses(raw: object, fragments: list[str]) -> None:
    parsed = DECIMAL.parse(raw, item())
    assert parsed.value is None
    for fragment in fragments:
        assert fragment in parsed.problems[0]


def test_no_default_bounds() -> None:
    assert DECIMAL.parse("-1.234,5", item()).value == -1234.5


def test_bounds() -> None:
    spec = item(min=0, max=10)
    assert DECIMAL.parse("10", spec).value == 10.0
    assert DECIMAL.parse("10,5", spec).problems == (
        "10,5 lớn hơn giá trị tối đa 10. Hãy nhập một số từ 0 đến 10.",)
    assert "không được âm" in DECIMAL.parse("-0,5", spec).problems[0]
    assert DECIMAL.parse("0,5", item(min=1.5)).problems == (
        "0,5 nhỏ hơn giá trị tối thiểu 1,5. Hãy nhập một số từ 1,5 trở lên.",)
    assert DECIMAL.parse("11", item(max=10)).problems == (
        "11 lớn hơn giá trị tối đa 10. Hãy nhập một số không lớn hơn 10.",)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234.5, "1.234,5"),
        (8.5, "8,5"),
        (1234.0, "1.234"),
        (0.1, "0,1"),
        (0.125, "0,125"),
        (-1234567.25, "-1.234.567,25"),
        (1e-7, "0,0000001"),
        (1e15, "1.000.000.000.000.000"),
        (-0.0, "0"),
        (None, ""),
    ],
)
def test_format(value: object, text: str) -> None:
    assert DECIMAL.format(value, item()) == text


@pytest.mark.parametrize("value", [0.0, 0.1, 8.5, 1234.5, -3.25, 1e15])
def test_json_round_trip(value: float) -> None:
    assert DECIMAL.from_json(DECIMAL.to_json(value)) == value
