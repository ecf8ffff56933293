"""Concurrent load on a real `decuong serve` (waitress, 8 threads) on loopback.

50 units log in over HTTP and, for a bounded time (`DECUONG_LOAD_SECONDS`, 20 s by default),
each loops: save a draft, submit, recall, upload a filled Excel template (as a draft) — every
save with a value of its own. Two coordinators meanwhile read the round page and the
consolidated page and download the xlsx export. A save counts as acknowledged when the page the
server redirects to says so with its revision number («lần lưu thứ N»).

Afterwards, on the database: every acknowledged save is there exactly once, under its number,
with the value the client sent; revision numbers are contiguous; nothing else was stored;
every stored value is valid JSON; `PRAGMA integrity_check` is ok. No request got a 5xx and no
page said "database is locked". Throughput and p95 latency per endpoint are printed and written
to test-artifacts/load.json (docs/reliability.md quotes them).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rel_web import (
    LOAD_COORDINATOR,
    LOAD_PASSWORD,
    ROOT,
    HttpSession,
    Server,
    build_units_db,
)
from rel_world import SAMPLE, integrity

import store
from forms import to_json, validate
from forms.excel import Identity, write_template

UNITS = 50
COORDINATORS = 2
SECONDS = float(os.environ.get("DECUONG_LOAD_SECONDS", "20"))
SAVED = re.compile(r"lần lưu thứ (\d+)")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Record:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: list[str] = field(default_factory=list)
    acks: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, text: str) -> None:
        with self.lock:
            self.failures.append(text)


class Client:
    """One logged-in user that times every request and checks every answer."""

    def __init__(self, port: int, record: Record, who: str) -> None:
        self.session = HttpSession(port)
        self.record, self.who = record, who

    def call(self, name: str, method: str, path: str, form: dict[str, Any] | None = None,
             files: dict[str, tuple[str, bytes, str]] | None = None,
             expect: tuple[int, ...] = (200,)) -> tuple[int, str, dict[str, str]]:
        start = time.perf_counter()
        try:
            status, body, headers = self.session.request(method, path, form, files)
        except OSError as exc:
            self.record.fail(f"{self.who} {name}: {exc!r}")
            self.session.reconnect()
            return 0, "", {}
        with self.record.lock:
            self.record.timings[name].append(time.perf_counter() - start)
        if status >= 500 or status not in expect:
            self.record.fail(f"{self.who} {name}: HTTP {status}")
        if "database is locked" in body.lower():
            self.record.fail(f"{self.who} {name}: 'database is locked' shown")
        return status, body, headers

    def follow(self, name: str, headers: dict[str, str]) -> str:
        location = headers.get("location", "")
        path = re.sub(r"^https?://[^/]+", "", location)
        _, body, _ = self.call(name, "GET", path)
        return body


def template_for(db: Any, round_id: int, code: str, raw: dict[str, Any]) -> bytes:
    """The unit's template pre-filled with `raw`, as `decuong template` would write it."""
    import io

    round_row = store.get_round(db, round_id)
    outline = store.outline_for_round(db, round_id)
    result = validate(outline, raw)
    identity = Identity(outline.id, outline.version, round_id=round_id,
                        round_title=round_row["title"], unit_code=code,
                        unit_name=store.get_unit(db, code)["name"])
    buffer = io.BytesIO()
    write_template(outline, buffer, identity=identity, key=store.template_key(db),
                   values=to_json(outline, result.values),
                   period_label=round_row.get("period_label"))
    return buffer.getvalue()


def unit_worker(port: int, db_path: Path, round_id: int, username: str, code: str,
                record: Record, start: threading.Barrier, stop: threading.Event) -> None:
    client = Client(port, record, username)
    client.session.login(username, LOAD_PASSWORD)
    db = store.open_db(db_path)  # read-only use: outline and unit for the templates
    base = f"/rounds/{round_id}/units/{code}"
    value = 12
    client.session.request("GET", base + "/edit")  # the CSRF token of the logged-in session
    start.wait()

    def ack(body: str, words: str, sent: int) -> None:
        found = SAVED.search(body)
        if words in body and found:
            number = int(found.group(1))
            with record.lock:
                if number in record.acks[code]:
                    record.failures.append(f"{code}: revision {number} acknowledged twice")
                record.acks[code][number] = sent
        else:
            record.fail(f"{code}: no acknowledgement «{words}» after the save")

    try:
        while not stop.is_set():
            value += 1
            form = {**SAMPLE, "nv_tong": str(value), "action": "draft",
                    "csrf_token": client.session.token}
            _, _, headers = client.call("save draft (POST)", "POST", base + "/edit", form,
                                        expect=(302,))
            ack(client.follow("fill page (GET)", headers), "Đã lưu nháp", value)

            value += 1
            form = {**form, "nv_tong": str(value), "action": "submit",
                    "csrf_token": client.session.token}
            _, _, headers = client.call("submit (POST)", "POST", base + "/edit", form,
                                        expect=(302,))
            ack(client.follow("report page (GET)", headers), "Đã nộp báo cáo", value)

            _, _, headers = client.call("recall (POST)", "POST", base + "/recall",
                                        {"csrf_token": client.session.token}, expect=(302,))
            if "Đã thu hồi" not in client.follow("fill page (GET)", headers):
                record.fail(f"{code}: recall not confirmed")

            value += 1
            data = template_for(db, round_id, code, {**SAMPLE, "nv_tong": str(value)})
            _, _, headers = client.call(
                "Excel upload (POST)", "POST", base + "/excel/upload",
                {"mode": "draft", "csrf_token": client.session.token},
                files={"file": (f"bao-cao-{code}-{value}.xlsx", data, XLSX)}, expect=(302,))
            ack(client.follow("report page (GET)", headers), "Đã lưu nháp từ tệp", value)
            # the report page has no CSRF form for a draft: fetch the fill page's token
            client.call("fill page (GET)", "GET", base + "/edit")
    finally:
        db.close()
        client.session.close()


def coordinator_worker(port: int, round_id: int, n: int, record: Record,
                       start: threading.Barrier, stop: threading.Event) -> None:
    client = Client(port, record, f"coordinator {n}")
    client.session.login(LOAD_COORDINATOR, LOAD_PASSWORD)
    start.wait()
    pages = [("round page (GET)", f"/coordinator/rounds/{round_id}"),
             ("consolidated page (GET)", f"/coordinator/rounds/{round_id}/tong-hop"),
             ("xlsx export (GET)", f"/coordinator/rounds/{round_id}/tong-hop/tai-ve/xlsx")]
    try:
        while not stop.is_set():
            for name, path in pages:
                _, _, headers = client.call(name, "GET", path)
                if "export" in name and headers.get("content-type", "") != XLSX:
                    record.fail(f"coordinator: export answered {headers.get('content-type')}")
    finally:
        client.session.close()


def guarded(target: Any, record: Record, start: threading.Barrier) -> Any:
    """A worker that reports its exception instead of dying silently (and frees the others
    waiting at the barrier)."""
    def run(*args: Any) -> None:
        try:
            target(*args)
        except Exception as exc:  # reported as a failure of the test
            record.fail(f"{target.__name__}: {exc!r}")
            start.abort()

    return run


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


@pytest.fixture
def server(tmp_path: Path):
    db_path = tmp_path / "decuong.db"
    round_id, users = build_units_db(db_path, UNITS)
    serve = Server(db_path, tmp_path / "instance", threads=8)
    serve.start()
    try:
        yield serve, round_id, users
    finally:
        serve.stop()


def test_fifty_units_and_two_coordinators_at_once(server) -> None:
    serve, round_id, users = server
    record = Record()
    start = threading.Barrier(len(users) + COORDINATORS + 1)
    stop = threading.Event()
    threads = [threading.Thread(target=guarded(unit_worker, record, start),
                                args=(serve.port, serve.db_path, round_id, username, code,
                                      record, start, stop))
               for username, code in users.items()]
    threads += [threading.Thread(target=guarded(coordinator_worker, record, start),
                                 args=(serve.port, round_id, n, record, start, stop))
                for n in range(COORDINATORS)]
    for thread in threads:
        thread.start()
    try:
        start.wait(timeout=120)  # every client logged in (logins hash on purpose: not timed)
    except threading.BrokenBarrierError:
        stop.set()
        pytest.fail(f"clients failed before the load: {record.failures[:5]}")
    began = time.perf_counter()
    time.sleep(SECONDS)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - began
    assert not any(t.is_alive() for t in threads), "a client is stuck"
    serve.stop()

    requests = sum(len(v) for v in record.timings.values())
    acknowledged = sum(len(v) for v in record.acks.values())
    report = {
        "units": UNITS, "coordinators": COORDINATORS, "seconds": round(elapsed, 1),
        "server_threads": serve.threads, "requests": requests,
        "requests_per_s": round(requests / elapsed, 1), "acknowledged_saves": acknowledged,
        "failures": len(record.failures),
        "endpoints": {name: {"n": len(v), "p50_ms": round(percentile(v, 50) * 1000, 1),
                             "p95_ms": round(percentile(v, 95) * 1000, 1)}
                      for name, v in sorted(record.timings.items())},
    }
    print("\n" + json.dumps(report, ensure_ascii=False, indent=1))
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "load.json").write_text(json.dumps(report, ensure_ascii=False, indent=1),
                                         encoding="utf-8")
    assert not record.failures, record.failures[:20]
    assert acknowledged >= UNITS, "every unit saved at least once"

    # Every acknowledged save is stored exactly once, with what the client sent.
    assert integrity(serve.db_path) == "ok"
    conn = sqlite3.connect(str(serve.db_path))
    try:
        rows = conn.execute(
            "SELECT s.unit_code, r.number, r.values_json, s.latest_revision FROM revisions r"
            " JOIN submissions s ON s.id = r.submission_id WHERE s.round_id = ?"
            " ORDER BY s.unit_code, r.number", [round_id]).fetchall()
    finally:
        conn.close()
    stored: dict[str, dict[int, int]] = defaultdict(dict)
    latest: dict[str, int] = {}
    for code, number, values_json, latest_revision in rows:
        values = json.loads(values_json)
        assert number not in stored[code], f"{code}: revision {number} twice"
        stored[code][number] = values["nv_tong"]
        latest[code] = latest_revision
    for code in users.values():
        numbers = sorted(stored[code])
        assert numbers == list(range(1, len(numbers) + 1)), f"{code}: gaps in {numbers}"
        assert stored[code] == record.acks[code], (
            f"{code}: stored {stored[code]} but acknowledged {record.acks[code]}")
        assert latest[code] == numbers[-1]
        last = max(record.acks[code])
        assert stored[code][last] == record.acks[code][last]
