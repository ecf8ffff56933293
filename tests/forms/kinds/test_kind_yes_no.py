"""yes_no: có/không in every common spelling."""

import unicodedata

import pytest

from forms.kinds import Parsed, get_kind
from forms.model import Item

YES_NO = get_kind("yes_no")
SPEC = Item(kind="yes_no", key="co_quy_che", number="-", label="Đã ban hành quy chế")

YES = ["có", "Có", "CÓ", "co", "Co", "x", "X", "1", "true", "TRUE", "yes", "Yes", "đ", "Đ",
       "đúng", "Đúng", "đã", "Có.", " có ", "có\u00a0"]
NO = ["không", "Không", "KHÔNG", "khong", "ko", "0", "false", "FALSE", "no", "No", "sai", "Sai",
      "chưa"]


@pytest.mark.parametrize("raw", YES + [unicodedata.normalize("NFD", w) for w in YES])
def test_yes(raw: str) -> None:
    assert YES_NO.parse(raw, SPEC) == Parsed(True, ())


@pytest.mark.parametrize("raw", NO + [unicodedata.normalize("NFD", w) for w in NO])
def test_no(raw: str) -> None:
    assert YES_NO.parse(raw, SPEC) == Parsed(False, ())


@pytest.mark.parametrize(
    ("raw", "expected"), [(True, True), (False, False), (1, True), (0, False), (1.0, True),
                          (0.0, False)],
)
def test_spreadsheet_values(raw: object, expected: bool) -> None:
    assert YES_NO.parse(raw, SPEC) == Parsed(expected, ())


@pytest.mark.parametrize("raw", ["có lẽ", "2", 2, -1, 0.5, float("nan"), "xx", "yes no"])
def test_refuses(raw: object) -> None:
    parsed = YES_NO.parse(raw, SPEC)
    assert parsed.value is None
    assert '"Có" hoặc "Không"' in parsed.problems[0]
    assert parsed.problems[0].startswith('"')


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_empty_is_not_no(raw: object) -> None:
    assert YES_NO.parse(raw, SPEC) == Parsed(None, ())


def test_format_and_json() -> None:
    assert YES_NO.format(True, SPEC) == "Có"
    assert YES_NO.format(False, SPEC) == "Không"
    assert YES_NO.format(None, SPEC) == ""
    for value in (True, False):
        assert YES_NO.from_json(YES_NO.to_json(value)) is value
