"""The consolidated pages' cache: one consolidation per round state, the entry of an older
state dropped as soon as the round changes, and everything it holds bounded in bytes whatever
views are asked for — checked with the cache's own accounting and the process's resident
memory, on a generated round whose every long-text item is answered."""

from __future__ import annotations

import ctypes
import gc
from pathlib import Path
from typing import Any

import pytest
from large_round import COORDINATOR, KINDS, LargeRound, build_large_round, resubmit
from web_helpers import as_user, create_test_app, text

import store
from store.snapshots import create_snapshot
from webapp.consolidation import cache

UNITS = 240


@pytest.fixture(scope="module")
def large_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LargeRound]:
    path = tmp_path_factory.mktemp("large") / "large.db"
    return path, build_large_round(path, UNITS)


@pytest.fixture
def large(large_template: tuple[Path, LargeRound], tmp_path: Path
          ) -> tuple[Path, LargeRound]:
    import shutil

    path = tmp_path / "large.db"
    shutil.copyfile(large_template[0], path)
    cache.clear_cache()
    return path, large_template[1]


def _client(path: Path, tmp_path: Path, **config: Any) -> Any:
    return as_user(create_test_app(path, tmp_path, **config).test_client(), COORDINATOR)


def _entries(path: Path, round_id: int) -> list[tuple[Any, ...]]:
    return [e for e in cache.stats()["entries"] if e[0][:2] == (str(path), round_id)]


def _rss_mib() -> float:
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def test_a_new_revision_drops_the_entry_of_the_old_state(large: Any, tmp_path: Path) -> None:
    path, big = large
    client = _client(path, tmp_path)
    url = f"/coordinator/rounds/{big.round_id}/tong-hop"
    assert client.get(url).status_code == 200
    assert client.get(url + "?basis=accepted").status_code == 200
    before = _entries(path, big.round_id)
    assert sorted(e[0][2] for e in before) == ["accepted", "submitted"]
    assert len({e[1] for e in before}) == 1  # one round state

    resubmit(path, big, big.codes[0], 2)
    html = text(client.get(url))
    after = _entries(path, big.round_id)
    # The new state's entry only: the accepted view of the old state went with it.
    assert [e[0][2] for e in after] == ["submitted"]
    assert after[0][1] != before[0][1]
    assert LargeRound.answer(big.codes[0], big.text_keys[0], 2) in html


def test_many_views_and_revisions_stay_within_the_byte_limit(large: Any,
                                                            tmp_path: Path) -> None:
    """32 distinct views over four revisions, two bases, three snapshots and both kinds, with a
    14 MB limit:
    the cache's accounting never passes the limit (one entry may, alone), the live entries are
    those of the newest state, and the process's resident memory grows by no more than the
    limit and a margin (each entry counts ~6 MB of tables, narratives and pages here; the old
    8-entry cache kept every revision's until pushed out, whatever their size)."""
    path, big = large
    db = store.open_db(path)
    try:  # frozen copies: each one more consolidation the cache could be asked to keep
        snapshots = [create_snapshot(db, big.round_id, actor=COORDINATOR) for _ in range(3)]
    finally:
        db.close()
    limit_mb = 14
    client = _client(path, tmp_path, CONSOLIDATION_CACHE_MB=limit_mb)
    base = f"/coordinator/rounds/{big.round_id}/tong-hop"
    views = ["", "?basis=accepted", f"?kind={KINDS[0]}", f"?kind={KINDS[1]}",
             f"/loi-van/{big.text_keys[0]}", *(f"?basis=snapshot-{s}" for s in snapshots)]
    assert client.get(base).status_code == 200
    start = _rss_mib()
    for revision in range(2, 6):
        resubmit(path, big, big.codes[2 * revision], revision)
        for view in views:
            url = base + view
            response = client.get(url)
            assert response.status_code == 200, url
            with client.application.app_context():
                stats = cache.stats()
            assert stats["limit"] == limit_mb * 1024 * 1024
            assert stats["bytes"] <= stats["limit"] or len(stats["entries"]) == 1
        states = {e[1] for e in _entries(path, big.round_id)
                  if e[0][2] in ("submitted", "accepted")}
        assert len(states) <= 1, "entries of an older round state are still cached"
    grown = _rss_mib() - start
    one = max(e[2] for e in cache.stats()["entries"]) / 2**20
    assert 1 < one < limit_mb  # the test's premise: several entries could fit, not all
    # Resident memory follows the accounting (which counts pandas' deep sizes, shared strings
    # each time, so it errs high): unbounded, these views kept 5 entries and 12.6 MiB.
    assert grown < limit_mb + 8, f"resident memory grew by {grown:.0f} MiB"
