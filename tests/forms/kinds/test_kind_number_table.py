"""The shared table of number cases (tests/data/number_inputs.json), on the server's side.

The same table drives tests/webapp/test_web_checks_browser.py against static/numbers.js in
Chromium, so the fill page's live figures accept exactly what the engine accepts ("1,234" is
refused for a count in both) and show a computed figure rounded as the engine shows it.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from forms.kinds import get_kind
from forms.kinds.numbers import format_number, round_computed

TABLE = json.loads((Path(__file__).resolve().parents[2] / "data" / "number_inputs.json")
                   .read_text(encoding="utf-8"))


def spec(case: dict[str, Any]) -> SimpleNamespace:
    return SimpleNamespace(min=case.get("min"), max=case.get("max"), unit=case.get("unit"),
                           choices=())


def case_id(case: dict[str, Any]) -> str:
    return f"{case.get('kind', '')}:{case.get('input', case.get('number'))!r}"


@pytest.mark.parametrize("case", TABLE["inputs"], ids=case_id)
def test_a_typed_number_is_read_or_refused_as_the_table_says(case):
    parsed = get_kind(case["kind"]).parse(case["input"], spec(case))
    if case.get("refused"):
        assert parsed.value is None and parsed.problems, parsed
    else:
        assert parsed.problems == ()
        assert parsed.value == case["value"]
        if case["value"] is not None:
            assert type(parsed.value) is (int if case["kind"] in ("integer", "money") else float)


@pytest.mark.parametrize("case", TABLE["format_number"], ids=case_id)
def test_format_number_writes_the_table_text(case):
    assert format_number(case["number"]) == case["text"]


@pytest.mark.parametrize("case", TABLE["two_decimals"], ids=case_id)
def test_format_number_to_two_decimals_writes_the_table_text(case):
    assert format_number(case["number"], 2) == case["text"]


@pytest.mark.parametrize("case", TABLE["computed"], ids=case_id)
def test_a_computed_figure_is_shown_as_the_table_says(case):
    computed = SimpleNamespace(formula="a / b * 100", decimals=case.get("decimals"))
    kind = get_kind(case["kind"])
    assert kind.format(round_computed(case["number"], computed), computed) == case["text"]


def test_the_table_covers_every_number_kind_and_both_outcomes():
    kinds = {c["kind"] for c in TABLE["inputs"]}
    assert kinds == {"integer", "decimal", "percent", "money"}
    for kind in kinds:
        cases = [c for c in TABLE["inputs"] if c["kind"] == kind]
        assert any(c.get("refused") for c in cases) and any(c.get("value") for c in cases)
