"""How figures read in every document: Vietnamese separators, two decimals, empty for no data.

The expected texts are written by hand, not produced by the code under test.
"""

from __future__ import annotations

import math

import pytest

from exports.meta import show_number


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
])
def test_numbers_read_the_vietnamese_way_with_two_decimals(value, shown) -> None:
    assert show_number(value) == shown


@pytest.mark.parametrize("value", [None, math.nan])
def test_no_data_is_shown_as_nothing_not_zero(value) -> None:
    assert show_number(value) == ""


def test_yes_no_reads_as_words() -> None:
    assert (show_number(True), show_number(False)) == ("Có", "Không")


def test_decimals_can_be_asked_for() -> None:
    assert show_number(108.33333, decimals=1) == "108,3"
