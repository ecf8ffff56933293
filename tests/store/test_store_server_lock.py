"""The database lock: one holder at a time, asked without waiting, and let go by the operating
system when the holder dies however it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.server_lock import DatabaseBusy, DatabaseLock, lock_path

ROOT = Path(__file__).resolve().parents[2]


def test_a_second_holder_is_refused_with_the_first_ones_name(tmp_path: Path) -> None:
    db = tmp_path / "decuong.db"
    with DatabaseLock(db, "máy chủ decuong (tiến trình 1)"):
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as refused:
            DatabaseLock(db, "lệnh phục hồi").acquire()
        assert time.monotonic() - started < 1  # an answer, not a wait
        message = str(refused.value)
        assert "'decuong.db'" in message
        assert "máy chủ decuong (tiến trình 1)" in message
        assert "Hãy dừng tiến trình" in message
    # Released: the next one gets it.
    with DatabaseLock(db, "lệnh phục hồi"):
        pass


def test_two_spellings_of_one_database_share_one_lock(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    db = tmp_path / "a" / "decuong.db"
    other_spelling = tmp_path / "a" / ".." / "a" / "decuong.db"
    assert lock_path(db) == lock_path(other_spelling)
    with DatabaseLock(db, "máy chủ"), pytest.raises(DatabaseBusy):
        DatabaseLock(other_spelling, "lệnh phục hồi").acquire()


def test_the_lock_of_a_killed_holder_is_free(tmp_path: Path) -> None:
    db = tmp_path / "decuong.db"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from store.server_lock import DatabaseLock\n"
         "DatabaseLock(sys.argv[1], 'máy chủ thử').acquire()\n"
         "print('held', flush=True)\n"
         "time.sleep(60)\n", str(db)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == b"held"
        with pytest.raises(DatabaseBusy, match="máy chủ thử"):
            DatabaseLock(db, "lệnh phục hồi").acquire()
        os.kill(holder.pid, signal.SIGKILL)  # no cleanup runs; the lock file stays
        holder.wait(timeout=10)
        assert lock_path(db).exists()
        with DatabaseLock(db, "lệnh phục hồi"):
            pass
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
