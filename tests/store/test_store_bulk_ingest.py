"""Bulk ingest: files read in worker processes, stored here in file order, give exactly what
reading them one by one in this process gives — outcomes, stored rows and their order."""

from __future__ import annotations

import io
import multiprocessing
import zipfile
from dataclasses import replace

import pytest
from bulk_world import (
    NOW,
    OUTSIDER,
    copy_world,
    dump,
    make_world,
    template,
    type_into,
    values,
    without_sheet,
)

import store
from store.batch_lookups import BatchLookups
from store.bulk_ingest import SMALL_BATCH, ingest_many
from store.rounds import RoundNotFound
from store.uploads import ingest_upload


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return make_world(tmp_path_factory.mktemp("bulk") / "decuong.db")


@pytest.fixture(scope="module")
def mixed(world) -> list[tuple[str, bytes | str]]:
    """Good files, a second report of a unit, every kind of refusal, a duplicate."""
    db = store.open_db(world.path)
    try:
        open_round, closed = world.open_round, world.closed_round
        good = {unit: template(db, open_round, unit, values(db, n))
                for n, unit in enumerate(("DV00", "DV01", "DV02", "DV04"))}
        return [
            ("dv00.xlsx", good["DV00"]),
            ("dv01.xlsx", good["DV01"]),
            ("scan.xlsx", b"%PDF-1.4 scanned report"),
            ("dv02.xlsx", good["DV02"]),
            ("dv00-sua.xlsx", template(db, open_round, "DV00", values(db, 5))),
            ("ngoai.xlsx", template(db, open_round, OUTSIDER, values(db, 6))),
            ("dong.xlsx", template(db, closed, "DV03", values(db, 7))),
            ("dv01-lai.xlsx", good["DV01"]),
            ("dv03.xlsx", type_into(template(db, open_round, "DV03"),
                                    {"nv_tong": "mười", "nv_hoan_thanh": "9"})),
            ("mat.xlsx", "Không đọc được tệp: Permission denied."),
            ("dv05.xlsx", without_sheet(template(db, open_round, "DV05"))),
            ("dv04.xlsx", good["DV04"]),
        ]
    finally:
        db.close()


EXPECTED = ["accepted", "accepted", "rejected", "accepted", "accepted", "rejected", "rejected",
            "duplicate", "rejected", "rejected", "rejected", "accepted"]


def _run(world, files, *, workers, **kwargs):
    """Ingest `files`; return the outcomes and how many worker processes were running."""
    db = store.open_db(world.path)
    try:
        outcomes, seen = [], 0
        for outcome in ingest_many(db, files, actor="daumoi", now=NOW, workers=workers,
                                   **kwargs):
            seen = max(seen, len(multiprocessing.active_children()))
            outcomes.append(outcome)
        return outcomes, seen
    finally:
        db.close()


def _comparable(outcome):
    if outcome.annotated is None:
        return outcome
    with zipfile.ZipFile(io.BytesIO(outcome.annotated)) as book:
        parts = {name: book.read(name) for name in book.namelist()
                 if name != "docProps/core.xml"}  # created / modified: the time of writing
    return replace(outcome, annotated=None), parts


def test_workers_give_the_same_outcomes_and_rows_as_one_process(world, mixed, tmp_path):
    alone = copy_world(world, tmp_path / "alone.db")
    pooled = copy_world(world, tmp_path / "pooled.db")
    one, one_workers = _run(alone, mixed, workers=1, mark_errors=True)
    two, two_workers = _run(pooled, mixed, workers=2, mark_errors=True)
    assert (one_workers, two_workers) == (0, 2)

    assert [o.status for o in one] == EXPECTED
    # Every field: errors, warnings, revisions, and the annotated workbooks part by part (their
    # bytes also hold the time they were written, which may differ by a second).
    assert [_comparable(o) for o in two] == [_comparable(o) for o in one]
    assert dump(pooled.path) == dump(alone.path)

    by_name = {o.file_name: o for o in two}
    assert by_name["dv00-sua.xlsx"].revision["number"] == 2
    assert "PDF" in by_name["scan.xlsx"].first_error
    assert "không thuộc đợt" in by_name["ngoai.xlsx"].first_error
    assert "đã đóng" in by_name["dong.xlsx"].first_error
    assert by_name["dv03.xlsx"].first_error.startswith("Báo cáo!D")
    assert by_name["dv03.xlsx"].annotated
    assert by_name["mat.xlsx"].errors == ("Không đọc được tệp: Permission denied.",)
    assert "Báo cáo" in by_name["dv05.xlsx"].first_error


def test_revisions_are_stored_in_file_order(world, tmp_path):
    target = copy_world(world, tmp_path / "order.db")
    db = store.open_db(target.path)
    reports = [values(db, n) for n in range(12)]
    files = [(f"{n}.xlsx", template(db, target.open_round, "DV07", v))
             for n, v in enumerate(reports)]
    outcomes = list(ingest_many(db, files, actor="daumoi", workers=2))
    assert [o.revision["number"] for o in outcomes] == list(range(1, 13))
    stored = [store.get_revision(db, target.open_round, "DV07", n)["values"]
              for n in range(1, 13)]
    assert stored == reports
    db.close()


def test_a_round_closed_mid_batch_refuses_the_files_after(world, mixed, tmp_path):
    target = copy_world(world, tmp_path / "closing.db")
    db = store.open_db(target.path)
    files = [(f"{n}.xlsx", template(db, target.open_round, f"DV0{n % 10}", values(db, n)))
             for n in range(12)]
    statuses = []
    for outcome in ingest_many(db, files, actor="daumoi", workers=2):
        statuses.append(outcome.status)
        if len(statuses) == 4:  # another coordinator closes the round meanwhile
            other = store.open_db(target.path)
            store.set_round_status(other, target.open_round, "closed", actor="khac")
            other.close()
        if len(statuses) > 4:
            assert "đã đóng" in outcome.first_error
    assert statuses == ["accepted"] * 4 + ["rejected"] * 8
    assert len(dump(target.path)["revisions"]) == 4
    db.close()


def test_stopping_early_stores_only_the_files_asked_for(world, mixed, tmp_path):
    target = copy_world(world, tmp_path / "stop.db")
    db = store.open_db(target.path)
    outcomes = ingest_many(db, mixed, actor="daumoi", workers=2)
    first = [next(outcomes) for _ in range(4)]
    assert [o.status for o in first] == EXPECTED[:4]
    outcomes.close()
    assert multiprocessing.active_children() == []
    assert len(dump(target.path)["revisions"]) == 3
    db.close()


def test_a_dry_run_with_workers_stores_nothing_and_says_the_same(world, mixed, tmp_path):
    target = copy_world(world, tmp_path / "dry.db")
    before = dump(target.path)
    one, _ = _run(target, mixed, workers=1, dry_run=True)
    two, two_workers = _run(target, mixed, workers=2, dry_run=True)
    assert two_workers == 2
    assert [_comparable(o) for o in two] == [_comparable(o) for o in one]
    # A dry run says what the real run would (a closed round, a unit not expected, the same
    # file twice in the batch), with "valid" for what would be accepted, and keeps nothing.
    assert [o.status for o in one] == [
        "valid" if status == "accepted" else status for status in EXPECTED]
    assert all(o.revision is None for o in one)
    assert dump(target.path) == before


def test_a_dry_run_of_one_file_is_judged_by_the_store_too(world, mixed, tmp_path):
    target = copy_world(world, tmp_path / "dry-one.db")
    db = store.open_db(target.path)
    try:
        files = dict(mixed)
        before = dump(target.path)
        closed = ingest_upload(db, files["dong.xlsx"], "dong.xlsx", actor="t", dry_run=True)
        outsider = ingest_upload(db, files["ngoai.xlsx"], "ngoai.xlsx", actor="t", dry_run=True)
        good = ingest_upload(db, files["dv00.xlsx"], "dv00.xlsx", actor="t", dry_run=True)
        assert (closed.status, outsider.status, good.status) == ("rejected", "rejected", "valid")
        real = ingest_upload(db, files["dv00.xlsx"], "dv00.xlsx", actor="t")
        assert closed.errors and outsider.errors and closed.errors != outsider.errors
        assert dump(target.path) != before and real.status == "accepted"
        again = ingest_upload(db, files["dv00.xlsx"], "dv00.xlsx", actor="t", dry_run=True)
        assert again.status == "duplicate"
    finally:
        db.close()


def test_a_small_batch_is_read_in_this_process(world, mixed, tmp_path):
    target = copy_world(world, tmp_path / "small.db")
    outcomes, workers = _run(target, mixed[:SMALL_BATCH - 1], workers=4)
    assert workers == 0
    assert [o.status for o in outcomes] == EXPECTED[:SMALL_BATCH - 1]


def test_batch_lookups_keep_no_failure(world, tmp_path):
    target = copy_world(world, tmp_path / "lookups.db")
    db = store.open_db(target.path)
    lookups = BatchLookups(db)
    upcoming = target.closed_round + 1
    with pytest.raises(RoundNotFound):
        lookups.round(upcoming)
    outline = store.get_outline(db, "cam-giang-cchc-2025")
    created = store.create_round(db, outline_id=outline.id, outline_version=outline.version,
                                 title="Đợt mới", period_start=None, period_end=None,
                                 period_label=None, deadline=NOW, units=["DV00"],
                                 created_by="daumoi")
    assert created == upcoming
    assert lookups.round(created)["title"] == "Đợt mới"
    assert lookups.outline(created) is lookups.outline(created)
    db.close()
