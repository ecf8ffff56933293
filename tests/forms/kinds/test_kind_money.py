"""money: whole đồng, with or without the currency word."""

import unicodedata
from typing import Any

import pytest

from forms.kinds import Parsed, get_kind
from forms.model import Item

MONEY = get_kind("money")


def item(**kw: Any) -> Item:
    return Item(kind="money", key="thu", number="-", label="Tổng thu", **kw)


@pytest.mark.parametrize(
    "raw",
    [
        "1.250.000",
        "1250000",
        "1 250 000",
        "1\u00a0250\u00a0000",
        "1.250.000 đ",
        "1.250.000đ",
        "1.250.000 Đ",
        "1.250.000 đồng",
        "1.250.000 Đồng",
        unicodedata.normalize("NFD", "1.250.000 đồng"),
        "1.250.000 dong",
        "1.250.000 VND",
        "1.250.000 VNĐ",
        "1.250.000 vnđ",
        "1.250.000vnd",
        "1.250.000 ₫",
        1250000,
        1250000.0,
    ],
)
def test_reads(raw: object) -> None:
    parsed = MONEY.parse(raw, item(unit="đồng"))
    assert parsed == Parsed(1250000, ())
    assert type(parsed.value) is int


@pytest.mark.parametrize(
    ("raw", "fragments"),
    [
        ("1.250.000,5", ['"1.250.000,5"', "phần lẻ dưới một đồng", "1.250.000 hoặc 1.250.001"]),
        (1250000.5, ["phần lẻ dưới một đồng"]),
        ("1,250,000", ['"1,250,000"', "không rõ nghĩa", "1.250.000", "1250000"]),
        ("1,250", ['"1,250"', "không rõ nghĩa", "1250"]),
        ("một triệu", ['"một triệu"', "không phải là số tiền", "1.250.000"]),
        ("đ", ['"đ"', "không phải là số tiền"]),
        ("-1.000 đ", ["-1.000 không được âm"]),
    ],
)
def test_refuses(raw: object, fragments: list[str]) -> None:
    parsed = MONEY.parse(raw, item())
    assert parsed.value is None
    for fragment in fragments:
        assert fragment in parsed.problems[0]


@pytest.mark.parametrize(
    ("value", "text"), [(1250000, "1.250.000"), (0, "0"), (999, "999"), (None, "")]
)
def test_format_has_no_unit_word(value: object, text: str) -> None:
    assert MONEY.format(value, item(unit="đồng")) == text


def test_json_round_trip() -> None:
    assert MONEY.from_json(MONEY.to_json(1250000)) == 1250000
    assert type(MONEY.from_json(1250000)) is int
