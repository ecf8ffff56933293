"""Login throttling: a guessing client slows itself down; the account's owner elsewhere never
notices. Times are given explicitly (epoch seconds), so the figures below are exact."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

import store
from store.login_throttle import CLIENT, PAIR, attempt_login, retry_after

PW = "hoa-sen-tren-nui-cao"
ATTACKER, OFFICE = "203.0.113.9", "198.51.100.7"
T = 1_800_000_000.0


@pytest.fixture
def db(fresh_db):
    store.add_account(fresh_db, "dau-moi", PW, "coordinator")
    return fresh_db


def guesses_in(db, seconds: float, client: str = ATTACKER, username: str = "dau-moi",
               step: float = 0.05) -> int:
    """How many wrong passwords `client` gets checked within `seconds`, retrying as fast as
    it likes (every `step` seconds)."""
    checked, now = 0, T
    while now < T + seconds:
        result = attempt_login(db, username, "sai-roi-nhe", client, now=now)
        checked += result.retry_after == 0
        now += step
    return checked


def test_the_first_attempts_are_free_then_each_waits_twice_as_long(db):
    waits = []
    now = T
    for _ in range(PAIR.free + 4):
        result = attempt_login(db, "dau-moi", "sai-roi-nhe", ATTACKER, now=now)
        assert result.account is None and result.retry_after == 0
        waits.append(retry_after(db, ATTACKER, "dau-moi", now=now))
        now += waits[-1]
    assert waits == [0, 0, 0, 1, 2, 4, 8]


def test_thirty_guesses_in_seven_seconds_are_no_longer_possible(db):
    assert guesses_in(db, 7) == 6


def test_the_owner_logs_in_from_another_client_while_an_attacker_hammers(db):
    guesses_in(db, 60)
    assert retry_after(db, ATTACKER, "dau-moi", now=T + 60) > 0
    result = attempt_login(db, "dau-moi", PW, OFFICE, now=T + 60)
    assert result.retry_after == 0 and result.account["username"] == "dau-moi"


def test_the_right_password_while_blocked_is_refused_unchecked(db):
    guesses_in(db, 3)
    result = attempt_login(db, "dau-moi", PW, ATTACKER, now=T + 3)
    assert result.account is None and result.retry_after > 0


def test_spraying_many_usernames_is_slowed_per_client(db):
    now, checked = T, 0
    for n in range(40):
        result = attempt_login(db, f"nguoi-{n}", "sai-roi-nhe", ATTACKER, now=now)
        checked += result.retry_after == 0
        now += 0.1
    assert checked == CLIENT.free + 2  # then 1 s, 2 s … of waiting, 4 s in all here


def test_the_delay_stops_growing_at_the_cap_and_quiet_forgets(db):
    now = T
    for _ in range(30):
        result = attempt_login(db, "dau-moi", "sai-roi-nhe", ATTACKER, now=now)
        now += max(result.retry_after, 1)
    assert 0 < retry_after(db, ATTACKER, "dau-moi", now=now - 1) <= PAIR.cap
    day_later = now + 24 * 3600
    assert attempt_login(db, "dau-moi", PW, ATTACKER, now=day_later).account is not None


def test_a_right_password_clears_the_pair(db):
    now = T
    for _ in range(PAIR.free):
        attempt_login(db, "dau-moi", "sai-roi-nhe", ATTACKER, now=now)
    assert attempt_login(db, "dau-moi", PW, ATTACKER, now=now).account is not None
    for _ in range(PAIR.free):  # a fresh allowance: typos after a login cost nothing at once
        assert attempt_login(db, "dau-moi", "sai", ATTACKER, now=now).retry_after == 0


def test_parallel_guesses_cannot_all_slip_in_before_the_first_failure_is_written(tmp_path):
    path = tmp_path / "song-song.db"
    setup = store.open_db(path)
    store.add_account(setup, "dau-moi", PW, "coordinator")
    setup.close()

    def guess(_: int) -> float:
        conn = store.open_db(path)
        try:
            return attempt_login(conn, "dau-moi", "sai-roi-nhe", ATTACKER, now=T).retry_after
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        waits = list(pool.map(guess, range(30)))
    assert sum(w == 0 for w in waits) == PAIR.free + 1  # the 4th sets the first block
