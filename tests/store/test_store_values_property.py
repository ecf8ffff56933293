"""Property: any values dict the engine can produce comes back from the store unchanged."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["Cẩm Giang", "Phòng Văn hóa - Xã hội", "Tỷ lệ đúng hạn ≥ 95 %"])
    | st.dates()
)
table_rows = st.lists(st.dictionaries(st.text(min_size=1, max_size=8), scalars, max_size=5),
                      max_size=4)
values_dicts = st.dictionaries(st.text(min_size=1, max_size=20), scalars | table_rows,
                               max_size=15)


def same(a, b) -> bool:
    """Equal, with equal types all the way down (1 vs 1.0 vs True would not do)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=values_dicts)
def test_values_round_trip_through_the_store(fresh_db, make_round, values):
    if not store.list_rounds(fresh_db):
        make_round(units=["A"])
    round_id = store.list_rounds(fresh_db)[0]["id"]
    saved = store.save_revision(fresh_db, round_id=round_id, unit_code="A", values=values,
                                status="draft", channel="import", actor="h")
    loaded = store.get_revision(fresh_db, round_id, "A", saved["number"])
    assert same(loaded["values"], values)
    assert same(store.get_revision(fresh_db, round_id, "A")["values"], values)
