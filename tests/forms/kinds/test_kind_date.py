"""date: day first, four-digit years, real calendar dates."""

from datetime import date, datetime

import pytest

from forms.kinds import Parsed, get_kind
from forms.model import Item

DATE = get_kind("date")
SPEC = Item(kind="date", key="ngay", number="-", label="Ngày ban hành")


class Bounded:
    """A spec with date bounds (Item's min/max are typed float)."""

    def __init__(self, lo: date | None, hi: date | None) -> None:
        self.min, self.max, self.choices, self.unit = lo, hi, (), None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12/11/2025", date(2025, 11, 12)),
        ("1/7/2025", date(2025, 7, 1)),
        ("01/07/2025", date(2025, 7, 1)),
        ("12-11-2025", date(2025, 11, 12)),
        ("12.11.2025", date(2025, 11, 12)),
        ("2025-11-12", date(2025, 11, 12)),
        ("2025/11/12", date(2025, 11, 12)),
        ("2025-11-12 00:00:00", date(2025, 11, 12)),
        ("\u00a012/11/2025 ", date(2025, 11, 12)),
        ("29/02/2024", date(2024, 2, 29)),
        (date(2025, 11, 12), date(2025, 11, 12)),
        (datetime(2025, 11, 12, 17, 45), date(2025, 11, 12)),
    ],
)
def test_reads(raw: object, expected: date) -> None:
    parsed = DATE.parse(raw, SPEC)
    assert parsed == Parsed(expected, ())
    assert type(parsed.value) is date


@pytest.mark.parametrize(
    ("raw", "fragments"),
    [
        ("31/02/2025", ['"31/02/2025"', "không phải là ngày có thật", "chỉ có 28 ngày"]),
        ("29/02/2025", ['"29/02/2025"', "chỉ có 28 ngày"]),
        ("31/04/2025", ['"31/04/2025"', "chỉ có 30 ngày"]),
        ("11/25/2025", ['"11/25/2025"', "không có tháng 25", "ngày viết trước"]),
        ("0/1/2025", ['"0/1/2025"', "không có ngày 0"]),
        ("12/11/25", ['"12/11/25"', "4 chữ số", "12/11/2025"]),
        ("12/11/202", ['"12/11/202"', "4 chữ số"]),
        ("12/11-2025", ['"12/11-2025"', "không phải là ngày", "ngày/tháng/năm"]),
        ("hôm qua", ['"hôm qua"', "không phải là ngày", "12/11/2025"]),
        ("1/1/1899", ['"1/1/1899"', "1900"]),
        (45973, ['"45973"', "không phải là ngày"]),
        (45973.0, ['"45973"', "không phải là ngày"]),
        (True, ['"TRUE"', "không phải là ngày"]),
    ],
)
def test_refuses(raw: object, fragments: list[str]) -> None:
    parsed = DATE.parse(raw, SPEC)
    assert parsed.value is None
    for fragment in fragments:
        assert fragment in parsed.problems[0]


def test_bounds_when_dates() -> None:
    spec = Bounded(date(2025, 7, 1), date(2025, 12, 31))
    assert DATE.parse("01/07/2025", spec).value == date(2025, 7, 1)
    assert DATE.parse("30/06/2025", spec).problems == (
        "30/06/2025 sớm hơn ngày sớm nhất được phép 01/07/2025. "
        "Hãy nhập một ngày từ 01/07/2025 đến 31/12/2025.",)
    assert DATE.parse("2026-01-01", spec).problems[0].startswith(
        "01/01/2026 muộn hơn ngày muộn nhất được phép 31/12/2025.")
    assert DATE.parse("01/01/2000", Bounded(None, None)).value == date(2000, 1, 1)


def test_numeric_bounds_are_ignored() -> None:
    assert DATE.parse("01/01/2000", Item(kind="date", key="d", number="-", label="d", min=5.0)
                      ).value == date(2000, 1, 1)


@pytest.mark.parametrize(
    ("value", "text"),
    [(date(2025, 11, 12), "12/11/2025"), (date(2025, 7, 1), "01/07/2025"),
     (datetime(2025, 7, 1, 9), "01/07/2025"), ("2025-07-01", "01/07/2025"), (None, "")],
)
def test_format(value: object, text: str) -> None:
    assert DATE.format(value, SPEC) == text


def test_json() -> None:
    value = date(2025, 11, 12)
    assert DATE.to_json(value) == "2025-11-12"
    assert DATE.from_json("2025-11-12") == value
    assert DATE.from_json(DATE.to_json(value)) == value
    assert DATE.from_json(None) is None
