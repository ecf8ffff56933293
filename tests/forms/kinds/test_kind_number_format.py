"""How a figure reads for a reader, on every channel: Vietnamese separators, rounded when
asked (two decimals for the consolidated figures and rates), empty for no data.

`format_number` is the one formatter (pages, documents, spreadsheets' text, messages); the
browser's copy is tested on the same table (tests/data/number_inputs.json). The expected texts
are written by hand, not produced by the code under test.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from forms.kinds.numbers import format_number


@pytest.mark.parametrize(("value", "shown"), [
    (1234.5, "1.234,5"),
    (108.33333, "108,33"),          # a rate: two decimals, not four
    (104.347826086957, "104,35"),
    (-1234567.891, "-1.234.567,89"),
    (100, "100"),
    (100.0, "100"),                 # no ",0" on a whole number
    (0.1 + 0.2, "0,3"),
    (12.3456, "12,35"),
    (1e15, "1.000.000.000.000.000"),
    (0, "0"),
    (Decimal("2.675"), "2,68"),     # an exact Decimal half: to the even digit
])
def test_numbers_read_the_vietnamese_way_with_two_decimals(value, shown) -> None:
    assert format_number(value, 2) == shown


@pytest.mark.parametrize("value", [None, math.nan, math.inf])
def test_no_data_is_shown_as_nothing_not_zero(value) -> None:
    assert format_number(value) == "" and format_number(value, 2) == ""


def test_yes_no_reads_as_words() -> None:
    assert (format_number(True), format_number(False)) == ("Có", "Không")


def test_decimals_can_be_asked_for() -> None:
    assert format_number(108.33333, 1) == "108,3"
    assert format_number(108.5, 0) == "108" and format_number(109.5, 0) == "110"


def test_without_decimals_a_figure_is_written_exactly_as_stored() -> None:
    assert format_number(1234.5678) == "1.234,5678"
