"""The same file uploaded four times at once is stored once.

Four threads, each with its own connection to one SQLite file (as four web requests would have),
wait at a barrier and then upload the same bytes for the same unit. The duplicate check runs in
the transaction that stores the revision, so whichever gets the write lock first stores the file
and the three others see it: one "accepted", three "duplicate", one revision. With the check
outside the transaction this test stores the file two to four times within a few rounds.
"""

from __future__ import annotations

import sys
import threading
from collections import Counter

import pytest
from bulk_world import SAMPLE, make_world, template, type_into

import store
from store.submissions import sha256_hex
from store.uploads import ACCEPTED, DUPLICATE, ingest_upload

UPLOADERS = 4
ROUNDS = 10  # each with a new file; the old code stored a duplicate in the first round or two
UNIT = "DV01"


@pytest.fixture
def fast_switching():
    """Let threads interleave at the finest grain, so a race that can happen does."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


def upload_at_once(path, round_id: int, data: bytes) -> list[str]:
    barrier = threading.Barrier(UPLOADERS)
    statuses: list[str] = []
    errors: list[BaseException] = []

    def upload() -> None:
        db = store.open_db(path)
        try:
            barrier.wait()
            outcome = ingest_upload(db, data, "bao-cao.xlsx", actor="dv01",
                                    round_id=round_id, unit_code=UNIT)
            statuses.append(outcome.status)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=upload) for _ in range(UPLOADERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return statuses


def test_four_simultaneous_uploads_of_one_file_store_it_once(tmp_path, fast_switching) -> None:
    world = make_world(tmp_path / "decuong.db")
    db = store.open_db(world.path)
    blank = template(db, world.open_round, UNIT)
    files = [type_into(blank, {**SAMPLE, "nv_tong": str(20 + n)}) for n in range(ROUNDS)]
    for data in files:
        statuses = upload_at_once(world.path, world.open_round, data)
        assert Counter(statuses) == {ACCEPTED: 1, DUPLICATE: UPLOADERS - 1}, statuses
    revisions = store.list_revisions(db, world.open_round, UNIT)
    assert len(revisions) == ROUNDS
    stored = Counter(r["file_sha256"] for r in revisions)
    assert set(stored) == {sha256_hex(data) for data in files}
    assert set(stored.values()) == {1}
    db.close()
