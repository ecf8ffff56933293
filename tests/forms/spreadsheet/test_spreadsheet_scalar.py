"""Each cell becomes exactly one YAML line that reads back as the cell's value.

The problem locations depend on it: line N of the YAML is the cell recorded for line N.
"""

from __future__ import annotations

from datetime import date

import yaml
from hypothesis import given
from hypothesis import strategies as st

from forms.spreadsheet.importer import scalar

CELL_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@given(CELL_TEXT)
def test_any_text_is_one_line_and_reads_back(value: str):
    line = f"k: {scalar(value)}"
    assert len(line.splitlines()) == 1
    assert yaml.safe_load(line) == {"k": value}


@given(st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                 st.booleans(), st.dates(min_value=date(1900, 1, 1))))
def test_numbers_dates_and_booleans_keep_their_type(value):
    assert yaml.safe_load(f"k: {scalar(value)}") == {"k": value}


def test_a_list_of_names_is_a_flow_list():
    assert scalar(["a", "b_2"]) == "[a, b_2]"
