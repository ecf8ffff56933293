"""Crashes and a full disk: a bulk ingest killed with SIGKILL half-way, then run again; a
database that runs out of space. Nothing acknowledged is lost, nothing is half-written, and a
rerun stores every file exactly once.

The full disk is simulated with `PRAGMA max_page_count` on the writing connection: SQLite
answers SQLITE_FULL ("database or disk is full") exactly as it does when the filesystem is
full, through the same code path, without needing a small filesystem (or root) in CI.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rel_world import (
    SAMPLE,
    consistency_problems,
    fill,
    integrity,
    make_world,
    stored_values,
    template,
)

import store
from store.db import DiskFull
from store.intake import submit_values
from store.submissions import sha256_hex
from store.uploads import ingest_upload

ROOT = Path(__file__).resolve().parents[2]
FILES = 60


def _count(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute("SELECT COUNT(*) FROM revisions").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def _ingest(db: Path, folder: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "decuong_cli", "ingest", "--db", str(db), str(folder), *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture
def batch(tmp_path):
    """60 units, each with its filled template in one folder."""
    units = tuple(f"DV{n:02d}" for n in range(FILES))
    world = make_world(tmp_path / "decuong.db", units=units)
    folder = tmp_path / "nop"
    folder.mkdir()
    db = store.open_db(world.path)
    hashes = {}
    for n, unit in enumerate(units):
        values = stored_values(db, {**SAMPLE, "nv_tong": str(12 + n)})
        data = template(db, world.v1, unit, values)
        (folder / f"{unit}.xlsx").write_bytes(data)
        hashes[f"{unit}.xlsx"] = sha256_hex(data)
    db.close()
    return world, folder, hashes


def test_bulk_ingest_killed_midway_then_rerun_stores_every_file_once(batch) -> None:
    world, folder, hashes = batch
    process = _ingest(world.path, folder)
    deadline = time.monotonic() + 60
    # Kill once a third of the files are stored: well into the batch, far from its end.
    while (_count(world.path) < FILES // 3 and process.poll() is None
           and time.monotonic() < deadline):
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert process.returncode == -signal.SIGKILL, "the ingest ended before it could be killed"
    at_kill = _count(world.path)
    print(f"killed after {at_kill} of {FILES} files were stored")
    assert FILES // 3 <= at_kill < FILES

    assert integrity(world.path) == "ok"
    assert consistency_problems(world.path) == []

    rerun = _ingest(world.path, folder, "--json")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err.decode()[-2000:]
    outcomes = {Path(o["file"]).name: o["status"] for o in json.loads(out)}
    assert set(outcomes) == set(hashes)
    assert sorted(set(outcomes.values())) <= ["accepted", "duplicate"]
    duplicates = sum(status == "duplicate" for status in outcomes.values())
    # Files stored before the kill are recognised (at least those counted; one more may have
    # committed between the count and the kill).
    assert at_kill <= duplicates <= at_kill + 1

    conn = sqlite3.connect(str(world.path))
    per_hash = dict(conn.execute(
        "SELECT file_sha256, COUNT(*) FROM revisions GROUP BY file_sha256").fetchall())
    conn.close()
    assert per_hash == dict.fromkeys(hashes.values(), 1)
    assert integrity(world.path) == "ok"
    assert consistency_problems(world.path) == []


def _live_in_group(group: int) -> list[int]:
    """Processes of a process group that are still running (zombies are dead, only unreaped)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, _parent, pgrp = stat[stat.rindex(")") + 2:].split()[:3]
        if int(pgrp) == group and state != "Z":
            found.append(int(entry.name))
    return found


# A thread started first makes the ingest multi-threaded, like a web server: it then starts its
# workers from a fork server instead of forking itself.
_THREADED = ("import threading, time; threading.Thread(target=time.sleep, args=(600,), "
             "daemon=True).start(); ")


@pytest.mark.parametrize("prelude", ["", _THREADED], ids=["fork", "forkserver"])
def test_killed_bulk_ingest_leaves_no_worker_behind(batch, prelude) -> None:
    world, folder, _hashes = batch
    process = subprocess.Popen(
        [sys.executable, "-c", prelude + "import sys; from decuong_cli import main; "
         "sys.argv[0] = 'decuong'; main()",
         "ingest", "--db", str(world.path), str(folder), "--workers", "2"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while process.poll() is None and time.monotonic() < deadline:
        workers = [pid for pid in _live_in_group(process.pid) if pid != process.pid]
        if len(workers) >= 2 and _count(world.path) >= 3:
            break
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)  # the parent only: its workers must notice by themselves
    process.wait(10)
    assert process.returncode == -signal.SIGKILL, "the ingest ended before it could be killed"
    assert len(workers) >= 2, "no worker processes were seen"
    gone_by = time.monotonic() + 5
    while _live_in_group(process.pid) and time.monotonic() < gone_by:
        time.sleep(0.05)
    assert _live_in_group(process.pid) == []
    assert integrity(world.path) == "ok"
    assert consistency_problems(world.path) == []


def test_disk_full_is_a_clear_error_and_nothing_is_half_written(tmp_path) -> None:
    world = make_world(tmp_path / "decuong.db")
    db = store.open_db(world.path)
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count = {pages + 40}")  # ~160 KB of room
    acknowledged = 0
    text = "Nội dung báo cáo chi tiết. " * 600  # ~16 KB per revision
    with pytest.raises(DiskFull) as caught:
        for n in range(1000):
            unit = ("VP", "KT", "VHXH", "TTPVHCC")[n % 4]
            submit_values(db, round_id=world.v1, unit_code=unit,
                          raw={**SAMPLE, "cd_nguon_luc": f"{n}. {text}"}, channel="web",
                          actor=unit.lower())
            acknowledged += 1
    message = str(caught.value)
    assert message.startswith("Ổ đĩa đầy") and "không có dữ liệu nào bị ghi dở" in message
    assert acknowledged > 0
    print(f"disk full after {acknowledged} acknowledged saves")
    # The Excel channel says the same to the uploader, and stores nothing.
    data = fill(template(db, world.v1, "VP"), {**SAMPLE, "nv_tong": "30"})
    outcome = ingest_upload(db, data, "vp.xlsx", actor="vp")
    assert outcome.status == "rejected" and outcome.first_error.startswith("Ổ đĩa đầy")
    db.close()

    assert integrity(world.path) == "ok"
    assert consistency_problems(world.path) == []
    conn = sqlite3.connect(str(world.path))
    assert conn.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == acknowledged
    assert conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 0
    conn.close()
    # Space is back (a new connection has no cap): the same upload goes through.
    db = store.open_db(world.path)
    assert ingest_upload(db, data, "vp.xlsx", actor="vp").status == "accepted"
    db.close()
    assert consistency_problems(world.path) == []
