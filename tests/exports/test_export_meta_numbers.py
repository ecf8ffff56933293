"""Consolidated figures (tables, documents) are shown with two decimals at most, by
`exports.meta.show_number` — the one formatter (`forms.kinds.numbers.format_number`) after a
rounding — as the shared table of number cases (tests/data/number_inputs.json) says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exports.meta import show_number

TABLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "number_inputs.json")
                   .read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", TABLE["two_decimals"], ids=lambda c: repr(c["number"]))
def test_show_number_writes_the_table_text(case):
    assert show_number(case["number"]) == case["text"]


def test_no_data_is_blank_not_zero():
    assert show_number(None) == "" and show_number(float("nan")) == ""
