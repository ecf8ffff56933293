"""percent: `95`, `95%`, `95 %`, `95,5 %`, bounded 0–100 unless the item says otherwise."""

from typing import Any

import pytest

from forms.kinds import Parsed, get_kind
from forms.model import Item

PERCENT = get_kind("percent")


def item(**kw: Any) -> Item:
    return Item(kind="percent", key="ty_le", number="+", label="Tỷ lệ", **kw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("95", 95.0),
        ("95%", 95.0),
        ("95 %", 95.0),
        ("95\u00a0%", 95.0),
        ("95,5 %", 95.5),
        ("95,5%", 95.5),
        ("95,5", 95.5),
        ("95.5", 95.5),
        ("95 phần trăm", 95.0),
        ("0", 0.0),
        ("100", 100.0),
        ("0,955", 0.955),
        (0.955, 0.955),  # numeric cells stay as they are: the workbook reader converts
        (95, 95.0),
    ],
)
def test_reads(raw: object, expected: float) -> None:
    parsed = PERCENT.parse(raw, item())
    assert parsed == Parsed(expected, ())


@pytest.mark.parametrize(
    ("raw", "fragments"),
    [
        ("101", ["101 lớn hơn giá trị tối đa 100.", "từ 0 đến 100"]),
        ("100,5 %", ["100,5 lớn hơn giá trị tối đa 100."]),
        ("-1", ["-1 không được âm"]),
        ("%", ['"%"', "không phải là tỷ lệ phần trăm"]),
        ("abc %", ['"abc %"', "không phải là tỷ lệ phần trăm", "95,5"]),
        ("1,234.5%", ['"1,234.5%"', "không rõ nghĩa"]),
    ],
)
def test_refuses(raw: object, fragments: list[str]) -> None:
    parsed = PERCENT.parse(raw, item())
    assert parsed.value is None
    for fragment in fragments:
        assert fragment in parsed.problems[0]


def test_the_example_message() -> None:
    assert PERCENT.parse("95,5", item(max=90)).problems == (
        "95,5 lớn hơn giá trị tối đa 90. Hãy nhập một số từ 0 đến 90.",)


def test_spec_bounds_override_defaults() -> None:
    assert PERCENT.parse("150", item(max=200)).value == 150.0
    assert PERCENT.parse("-5", item(min=-10)).value == -5.0


@pytest.mark.parametrize(
    ("value", "text"),
    [(95.5, "95,5 %"), (95, "95 %"), (100.0, "100 %"), (0.5, "0,5 %"), (None, ""),
     (100 / 3, "33,33 %"), (99.999, "100 %")],
)
def test_format(value: object, text: str) -> None:
    assert PERCENT.format(value, item()) == text


def test_format_parses_back() -> None:
    for value in (0.0, 12.5, 95.5, 99.99, 100.0):
        assert PERCENT.parse(PERCENT.format(value, item()), item()).value == value


def test_json_round_trip() -> None:
    assert PERCENT.from_json(PERCENT.to_json(95.5)) == 95.5
