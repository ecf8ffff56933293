"""select_one: a choice by its label or its name, stored as the name."""

import unicodedata

import pytest

from forms.kinds import Parsed, get_kind
from forms.model import Choice, Column, Item

SELECT = get_kind("select_one")
CHOICES = (Choice("tot", "Tốt"), Choice("kha", "Khá"), Choice("chua_dat", "Chưa đạt"))
SPEC = Item(kind="select_one", key="muc_do", number="-", label="Tự đánh giá", choices=CHOICES)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tốt", "tot"),
        ("tốt", "tot"),
        ("TỐT", "tot"),
        ("tot", "tot"),
        ("Chưa đạt", "chua_dat"),
        ("  chưa   ĐẠT ", "chua_dat"),
        ("chua_dat", "chua_dat"),
        ("\u00a0Khá\u202f", "kha"),
        (unicodedata.normalize("NFD", "Chưa đạt"), "chua_dat"),
        ("Chua dat", "chua_dat"),  # typed without diacritics, one choice fits
        ("kha", "kha"),
    ],
)
def test_reads(raw: object, expected: str) -> None:
    assert SELECT.parse(raw, SPEC) == Parsed(expected, ())


def test_numbers_from_a_spreadsheet_match_labels() -> None:
    column = Column(key="c", kind="select_one", label="Nhóm",
                    choices=(Choice("n1", "1"), Choice("n2", "2")))
    assert SELECT.parse(2, column) == Parsed("n2", ())
    assert SELECT.parse(2.0, column) == Parsed("n2", ())


def test_ambiguous_bare_spelling_is_refused() -> None:
    spec = Column(key="c", kind="select_one", label="c",
                  choices=(Choice("a", "Đà"), Choice("b", "Da")))
    assert SELECT.parse("Đà", spec).value == "a"
    assert SELECT.parse("DA", spec).value == "b"
    assert SELECT.parse("dà", spec).value is None


@pytest.mark.parametrize("raw", ["Trung bình", "Tốt lắm", 1, True])
def test_refuses(raw: object) -> None:
    parsed = SELECT.parse(raw, SPEC)
    assert parsed.value is None
    message = parsed.problems[0]
    assert message.startswith('"')
    assert "không có trong danh sách" in message
    assert "Tốt, Khá, Chưa đạt" in message


def test_quotes_the_input() -> None:
    assert SELECT.parse("Trung bình", SPEC).problems[0].startswith('"Trung bình" ')


def test_no_choices() -> None:
    spec = Column(key="c", kind="select_one", label="c")
    assert SELECT.parse("Tốt", spec).value is None


def test_format_and_json() -> None:
    assert SELECT.format("chua_dat", SPEC) == "Chưa đạt"
    assert SELECT.format("mat_tich", SPEC) == "mat_tich"
    assert SELECT.format(None, SPEC) == ""
    assert SELECT.from_json(SELECT.to_json("tot")) == "tot"
