"""latest_values stays one query plus one json.loads per unit (guards against N+1 queries)."""

from __future__ import annotations

import time

import store


def test_latest_values_for_many_units_is_fast(fresh_db, make_round):
    units = [f"U{i:04d}" for i in range(1000)]
    round_id = make_round(units=units)
    values = {f"item_{k:03d}": (k * 1.5 if k % 3 else f"Nội dung {k}") for k in range(150)}
    with store.transaction(fresh_db):
        for code in units:
            store.save_revision(fresh_db, round_id=round_id, unit_code=code, values=values,
                                status="submitted", channel="web", actor=code)
    queries: list[str] = []
    fresh_db.conn.set_trace_callback(queries.append)
    started = time.perf_counter()
    rows = store.latest_values(fresh_db, round_id)
    elapsed = time.perf_counter() - started
    fresh_db.conn.set_trace_callback(None)
    assert len(rows) == 1000 and rows[0]["values"] == values
    assert len(queries) == 1
    assert elapsed < 2.0  # ~0.07 s here; generous for slow CI machines
