"""The web server killed with SIGKILL in the middle of work, restarted on the same database,
three times over.

8 units keep saving drafts, submitting and recalling through a real `decuong serve` while the
test kills it (no handler runs, requests are cut mid-flight). After each kill, with the server
down: `PRAGMA integrity_check` is ok; no partial submission (every submission's latest
revision exists, numbers have no gaps, every revision has its save event); no revision number
twice; every acknowledged save is present under its number with the value sent. A save whose
answer was lost in the kill may or may not be there — never half of it. The restarted server
accepts the same sessions (the signing key is kept in the instance folder) and the work goes
on.
"""

from __future__ import annotations

import http.client
import json
import re
import sqlite3
import threading
import time
from collections import defaultdict
from pathlib import Path

from rel_web import (
    LOAD_COORDINATOR,
    LOAD_PASSWORD,
    HttpSession,
    Server,
    build_units_db,
)
from rel_world import SAMPLE, consistency_problems, integrity

UNITS = 8
CYCLES = 3
WORK_SECONDS = 1.5
SAVED = re.compile(r"lần lưu thứ (\d+)")


def _worker(session: HttpSession, base: str, code: str, acks: dict[str, dict[int, int]],
            counter: dict[str, int], lock: threading.Lock, stop: threading.Event,
            problems: list[str]) -> None:
    """Save/submit/recall until the server dies (a connection error) or `stop`."""
    try:
        while not stop.is_set():
            for action in ("draft", "submit"):
                counter[code] += 1
                sent = counter[code]
                status, _, headers = session.request("POST", base + "/edit", {
                    **SAMPLE, "nv_tong": str(sent), "action": action,
                    "csrf_token": session.token})
                if status >= 500:
                    problems.append(f"{code}: HTTP {status}")
                if status != 302:
                    return
                path = re.sub(r"^https?://[^/]+", "", headers.get("location", ""))
                _, body, _ = session.request("GET", path)
                found = SAVED.search(body)
                if found and ("Đã lưu nháp" in body or "Đã nộp báo cáo" in body):
                    with lock:
                        acks[code][int(found.group(1))] = sent
            status, _, _ = session.request("POST", base + "/recall",
                                           {"csrf_token": session.token})
            session.request("GET", base + "/edit")  # a page with the form (and its token)
    except (OSError, IndexError, http.client.HTTPException):  # the server was killed
        return


def _check_database(path: Path, round_id: int, acks: dict[str, dict[int, int]]) -> int:
    assert integrity(path) == "ok"
    assert consistency_problems(path) == []
    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute(
            "SELECT s.unit_code, r.number, r.values_json, r.status FROM revisions r"
            " JOIN submissions s ON s.id = r.submission_id WHERE s.round_id = ?",
            [round_id]).fetchall()
        statuses = conn.execute("SELECT unit_code, status, latest_revision FROM submissions"
                                " WHERE round_id = ?", [round_id]).fetchall()
    finally:
        conn.close()
    stored: dict[str, dict[int, int]] = defaultdict(dict)
    for code, number, values_json, _status in rows:
        assert number not in stored[code], f"{code}: revision {number} twice"
        stored[code][number] = json.loads(values_json)["nv_tong"]
    for code, numbers in acks.items():
        for number, sent in numbers.items():
            assert stored[code].get(number) == sent, (
                f"{code}: acknowledged revision {number} ({sent}) is {stored[code].get(number)}")
    for code, status, latest in statuses:
        assert status in ("draft", "submitted"), (code, status)
        assert latest == max(stored[code]), code
    return len(rows)


def test_server_killed_mid_work_three_times(tmp_path: Path) -> None:
    db_path = tmp_path / "decuong.db"
    round_id, users = build_units_db(db_path, UNITS)
    serve = Server(db_path, tmp_path / "instance", threads=8)
    serve.start()
    sessions = {}
    try:
        for username, code in users.items():
            session = HttpSession(serve.port, timeout=10)
            session.login(username, LOAD_PASSWORD)
            session.request("GET", f"/rounds/{round_id}/units/{code}/edit")
            sessions[code] = session
        # The session cookie as waitress sends it.
        cookie = next(c for c in sessions["U01"].set_cookies if c.startswith("session="))
        flags = {part.strip().lower() for part in cookie.split(";")}
        assert "httponly" in flags and "samesite=lax" in flags, cookie

        acks: dict[str, dict[int, int]] = defaultdict(dict)
        counter: dict[str, int] = defaultdict(lambda: 12)
        lock = threading.Lock()
        problems: list[str] = []
        revisions = []
        for _cycle in range(CYCLES):
            stop = threading.Event()
            threads = [threading.Thread(target=_worker, args=(
                session, f"/rounds/{round_id}/units/{code}", code, acks, counter, lock, stop,
                problems)) for code, session in sessions.items()]
            for thread in threads:
                thread.start()
            time.sleep(WORK_SECONDS)
            serve.kill()  # SIGKILL, requests in flight
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
            assert not any(t.is_alive() for t in threads)
            revisions.append(_check_database(db_path, round_id, acks))
            serve.start()
            for code, session in sessions.items():  # same sessions, new connections
                session.reconnect()
                status, body, _ = session.request("GET", f"/rounds/{round_id}/units/{code}/edit")
                if status == 302:  # killed between submit and recall: recall first
                    session.request("GET", f"/rounds/{round_id}/units/{code}/")
                    session.request("POST", f"/rounds/{round_id}/units/{code}/recall",
                                    {"csrf_token": session.token})
                    status, body, _ = session.request(
                        "GET", f"/rounds/{round_id}/units/{code}/edit")
                assert status == 200 and "csrf_token" in body, (code, status)
        assert not problems, problems
        acknowledged = sum(len(v) for v in acks.values())
        assert acknowledged >= UNITS * CYCLES, acknowledged
        assert revisions == sorted(revisions) and revisions[-1] >= acknowledged
        # The coordinator still sees every unit after the last restart.
        coordinator = HttpSession(serve.port)
        coordinator.login(LOAD_COORDINATOR, LOAD_PASSWORD)
        status, body, _ = coordinator.request("GET", f"/coordinator/rounds/{round_id}")
        assert status == 200 and all(code in body for code in users.values())
        print(f"\n{CYCLES} kills: {acknowledged} acknowledged saves, {revisions[-1]} revisions "
              "stored, nothing lost, nothing partial")
    finally:
        for session in sessions.values():
            session.close()
        serve.stop()
