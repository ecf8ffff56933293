"""text and long_text: NFC, trimmed, Unix line ends, no control characters, length limits."""

import unicodedata
from datetime import date, datetime

import pytest

from forms.kinds import Parsed, get_kind
from forms.model import Item

TEXT = get_kind("text")
LONG_TEXT = get_kind("long_text")
SPEC = Item(kind="text", key="dau_moi", number="-", label="Công chức đầu mối")


@pytest.mark.parametrize("kind", [TEXT, LONG_TEXT])
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Văn A", "Nguyễn Văn A"),
        ("  Nguyễn Văn A \u00a0", "Nguyễn Văn A"),
        (unicodedata.normalize("NFD", "Nguyễn Văn A"), "Nguyễn Văn A"),
        ("\ufeffKế hoạch", "Kế hoạch"),
        ("dòng 1\r\ndòng 2", "dòng 1\ndòng 2"),
        ("dòng 1\rdòng 2", "dòng 1\ndòng 2"),
        ("cột\tcột", "cột\tcột"),
        ("\n  đoạn một\n\nđoạn hai  \n", "đoạn một\n\nđoạn hai"),
        (12, "12"),
        (12.0, "12"),
        (12.5, "12,5"),
        (84912345678.0, "84912345678"),
        (True, "Có"),
        (date(2025, 11, 12), "12/11/2025"),
        (datetime(2025, 11, 12, 8, 30), "12/11/2025"),
    ],
)
def test_reads(kind: object, raw: object, expected: str) -> None:
    parsed = kind.parse(raw, SPEC)  # type: ignore[attr-defined]
    assert parsed == Parsed(expected, ())
    assert unicodedata.is_normalized("NFC", parsed.value)


@pytest.mark.parametrize("kind", [TEXT, LONG_TEXT])
@pytest.mark.parametrize("raw", [None, "", " \u00a0\u202f\n\t "])
def test_empty(kind: object, raw: object) -> None:
    assert kind.parse(raw, SPEC) == Parsed(None, ())  # type: ignore[attr-defined]


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x0b", "\x1b", "\x7f", "\x85"])
def test_control_characters_refused(bad: str) -> None:
    parsed = TEXT.parse(f"Kế{bad}hoạch", SPEC)
    assert parsed.value is None
    message = parsed.problems[0]
    assert "ký tự điều khiển" in message
    assert f"U+{ord(bad):04X}" in message
    assert '"Kế�hoạch"' in message


def test_nan_is_refused() -> None:
    assert TEXT.parse(float("nan"), SPEC).value is None


def test_text_limit() -> None:
    assert TEXT.parse("a" * 2000, SPEC).value == "a" * 2000
    parsed = TEXT.parse("a" * 2001, SPEC)
    assert parsed.value is None
    assert "2.001 ký tự" in parsed.problems[0]
    assert "giới hạn 2.000 ký tự" in parsed.problems[0]
    assert parsed.problems[0].startswith('"aaaa')


def test_long_text_limit() -> None:
    assert LONG_TEXT.parse("đ" * 32000, SPEC).value == "đ" * 32000
    parsed = LONG_TEXT.parse("đ" * 32001, SPEC)
    assert parsed.value is None
    assert "giới hạn 32.000 ký tự" in parsed.problems[0]


def test_format_and_json() -> None:
    assert TEXT.format("Kế hoạch", SPEC) == "Kế hoạch"
    assert TEXT.format(None, SPEC) == ""
    assert LONG_TEXT.from_json(LONG_TEXT.to_json("a\nb")) == "a\nb"


def test_quote_shows_line_breaks_as_spaces() -> None:
    parsed = TEXT.parse("dòng 1\ndòng 2\x00", SPEC)
    assert parsed.problems[0].startswith('"dòng 1 dòng 2�"')
