"""store.bulk_values.import_units: the reports and revisions of a bulk import are the same
whether units are validated here or in worker processes, and the batches commit as they go."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import forms.pool
import store
from forms.value_files import UnitValues
from store.bulk_values import SMALL, import_units

OUTLINE = """\
id: nhap-song-song
version: 1
title: Đề cương thử nhập song song
items:
  - {type: integer, name: nhan, number: "1.", label: Số tiếp nhận, required: true}
  - {type: integer, name: xong, number: "2.", label: Số đã giải quyết}
  - {type: percent, name: ty_le, number: "3.", label: Tỷ lệ, calculation: xong / nhan * 100}
rules:
  - {name: xong_le_nhan, constraint: xong <= nhan, message: Đã giải quyết vượt tiếp nhận.}
"""


def world(path: Path, codes: list[str]) -> tuple[store.Database, int]:
    db = store.open_db(path)
    store.register_outline(db, OUTLINE, actor="test")
    store.upsert_units(db, [{"code": c, "name": f"Đơn vị {c}"} for c in codes])
    round_id = store.create_round(
        db, outline_id="nhap-song-song", outline_version=1, title="Đợt", period_start=None,
        period_end=None, period_label=None, deadline=store.deadline_end_of_day(date(2099, 1, 1)),
        units=codes, created_by="test")
    return db, round_id


def units(codes: list[str]) -> list[UnitValues]:
    """Every third unit breaks the rule, every fifth types a word for a number."""
    out = []
    for n, code in enumerate(codes):
        raw = {"nhan": str(10 + n), "xong": str(5 + n)}
        if n % 3 == 0:
            raw["xong"] = str(20 + n)
        if n % 5 == 0:
            raw["nhan"] = "mười"
        out.append(UnitValues(code, n + 1, raw, dict.fromkeys(raw, n + 1)))
    return out


def test_worker_processes_give_the_same_reports_and_revisions_as_validating_here(
        tmp_path, monkeypatch):
    started = []
    real = forms.pool.lifeline_pool
    monkeypatch.setattr(forms.pool, "lifeline_pool",
                        lambda *a, **k: started.append(a[0]) or real(*a, **k))
    codes = [f"DV{n:03d}" for n in range(SMALL + 20)]
    here_db, round_id = world(tmp_path / "here.db", codes)
    pool_db, _ = world(tmp_path / "pool.db", codes)
    here = [r.as_dict() for r in import_units(here_db, round_id, units(codes), actor="t",
                                              workers=1)]
    there = [r.as_dict() for r in import_units(pool_db, round_id, units(codes), actor="t",
                                               workers=2, batch=25)]
    assert started == [2]  # the pool did validate (two workers)
    assert there == here
    statuses = [r["status"] for r in here]
    assert statuses.count("rejected") == len([n for n in range(len(codes))
                                              if n % 3 == 0 or n % 5 == 0])
    for code in codes:
        a = store.get_revision(here_db, round_id, code)
        b = store.get_revision(pool_db, round_id, code)
        assert (a is None) == (b is None)
        if a is not None:
            assert a["values"] == b["values"]
    stored = store.get_revision(pool_db, round_id, "DV001")["values"]
    assert (stored["nhan"], stored["xong"], stored["ty_le"]) == (11, 6, 54.55)  # 6/11, 2 decimals


def test_a_batch_is_committed_before_its_reports_are_given(tmp_path):
    codes = [f"DV{n}" for n in range(6)]
    db, round_id = world(tmp_path / "d.db", codes)
    reports = import_units(db, round_id, [u for n, u in enumerate(units(codes)) if n % 3
                                          and n % 5], actor="t", batch=2, workers=1)
    first = next(reports)
    assert first.status == "stored"
    other = store.open_db(tmp_path / "d.db")  # another connection sees the committed batch
    assert store.get_revision(other, round_id, first.unit) is not None
    list(reports)
