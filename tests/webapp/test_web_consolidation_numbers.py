"""The consolidated page formats its 10,000 cells with a faster copy of `show_number`; it must
write what `show_number` writes, case for case of the shared table of number cases
(tests/data/number_inputs.json, "two_decimals")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webapp.consolidation.views import _fmt

TABLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "number_inputs.json")
                   .read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", TABLE["two_decimals"], ids=lambda c: repr(c["number"]))
def test_the_page_cell_text_is_the_table_text(case):
    assert _fmt(case["number"]) == case["text"]
