"""Server-side sessions: a token names a row; logout, password changes and idleness end it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

import store
from store.sessions import ACTIVE, EXPIRED, UNKNOWN, count_sessions

T0 = datetime.fromisoformat("2025-11-10T08:00:00+07:00")
PW = "hoa-sen-tren-nui-cao"
IDLE = timedelta(hours=8)


@pytest.fixture
def db(fresh_db):
    store.add_account(fresh_db, "dau-moi", PW, "coordinator")
    return fresh_db


def last_seen(db) -> str:
    return db.conn.execute("SELECT last_seen FROM sessions").fetchone()[0]


def test_a_token_gives_its_account_and_only_a_hash_is_stored(db):
    token = store.start_session(db, "dau-moi", now=T0)
    state, account = store.session_account(db, token, idle=IDLE, now=T0)
    assert state == ACTIVE and account["username"] == "dau-moi"
    assert account["role"] == "coordinator"
    stored = db.conn.execute("SELECT id FROM sessions").fetchone()[0]
    assert token not in stored and len(stored) == 64
    assert store.session_account(db, token + "x", idle=IDLE, now=T0) == (UNKNOWN, None)
    assert store.session_account(db, None, idle=IDLE, now=T0) == (UNKNOWN, None)


def test_logout_ends_that_session_only(db):
    first = store.start_session(db, "dau-moi", now=T0)
    second = store.start_session(db, "dau-moi", now=T0)
    store.end_session(db, first)
    assert store.session_account(db, first, idle=IDLE, now=T0) == (UNKNOWN, None)
    assert store.session_account(db, second, idle=IDLE, now=T0)[0] == ACTIVE


def test_an_idle_session_expires_and_is_deleted(db):
    token = store.start_session(db, "dau-moi", now=T0)
    assert store.session_account(db, token, idle=IDLE, now=T0 + IDLE)[0] == ACTIVE
    later = T0 + IDLE + IDLE + timedelta(seconds=1)
    assert store.session_account(db, token, idle=IDLE, now=later) == (EXPIRED, None)
    assert count_sessions(db, "dau-moi") == 0


def test_use_keeps_a_session_alive_but_writes_at_most_once_a_minute(db):
    token = store.start_session(db, "dau-moi", now=T0)
    store.session_account(db, token, idle=IDLE, now=T0 + timedelta(seconds=59))
    assert last_seen(db) == "2025-11-10T01:00:00+00:00"  # not rewritten within the minute
    store.session_account(db, token, idle=IDLE, now=T0 + timedelta(hours=7))
    assert last_seen(db) == "2025-11-10T08:00:00+00:00"
    # 7 + 7 hours after login, but only 7 idle: still alive.
    assert store.session_account(db, token, idle=IDLE, now=T0 + timedelta(hours=14))[0] == ACTIVE


def test_a_password_change_ends_the_other_sessions_and_keeps_the_one_making_it(db):
    here = store.start_session(db, "dau-moi", now=T0)
    elsewhere = store.start_session(db, "dau-moi", now=T0)
    ended = store.set_password(db, "dau-moi", "con-song-que-huong", keep_session=here)
    assert ended == 1
    assert store.session_account(db, here, idle=IDLE, now=T0)[0] == ACTIVE
    assert store.session_account(db, elsewhere, idle=IDLE, now=T0) == (UNKNOWN, None)


def test_an_administrators_reset_ends_every_session(db):
    tokens = [store.start_session(db, "dau-moi", now=T0) for _ in range(3)]
    assert store.set_password(db, "dau-moi", "con-song-que-huong") == 3
    assert all(store.session_account(db, t, idle=IDLE, now=T0)[1] is None for t in tokens)
    event = store.list_events(db, action="account.password")[0]
    assert event["detail"]["sessions_ended"] == 3


def test_login_sweeps_sessions_idle_past_the_timeout(db):
    old = store.start_session(db, "dau-moi", now=T0)
    store.start_session(db, "dau-moi", now=T0 + timedelta(days=2))
    assert count_sessions(db, "dau-moi") == 1
    assert store.session_account(db, old, idle=IDLE, now=T0 + timedelta(days=2))[1] is None
