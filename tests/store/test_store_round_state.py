"""store.round_state: the digest the consolidated pages and the round board cache under. It
must change with everything a consolidation depends on besides the values (a new revision, a
review move, an edited unit, the round's own row), whichever connection wrote it, and stay the
same when nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

import store


def test_the_state_follows_every_change(fresh_db, make_round, tmp_path: Path) -> None:
    round_id = make_round(("A", "B"))
    db = fresh_db
    states = [store.round_state(db, round_id)]
    assert store.round_state(db, round_id) == states[0]  # nothing changed

    def changed() -> None:
        states.append(store.round_state(db, round_id))
        assert states[-1] not in states[:-1], f"change {len(states) - 1} not seen"

    store.save_revision(db, round_id=round_id, unit_code="A", values={"x": 1},
                        status="submitted", channel="web", actor="a")
    changed()
    store.save_revision(db, round_id=round_id, unit_code="A", values={"x": 2},
                        status="submitted", channel="web", actor="a")
    changed()
    store.set_status(db, round_id, "A", "accepted", "dau-moi")
    changed()
    store.upsert_units(db, [{"code": "B", "name": "Đơn vị B đổi tên"}])
    changed()
    store.upsert_units(db, [{"code": "B", "name": "Đơn vị B đổi tên", "kind": "xã"}])
    changed()
    # another connection writes: this connection's memo must not hide it
    other = store.open_db(tmp_path / "decuong.db")
    try:
        store.save_revision(other, round_id=round_id, unit_code="B", values={"x": 3},
                            status="submitted", channel="web", actor="b")
    finally:
        other.close()
    changed()
    assert store.round_state(db, round_id) == states[-1]


def test_an_unknown_round(fresh_db) -> None:
    with pytest.raises(store.RoundNotFound):
        store.round_state(fresh_db, 99)
