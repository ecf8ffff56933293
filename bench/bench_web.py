"""Benchmark of the web channel under a real waitress server on loopback.

    python bench/bench_web.py [--units 200] [--clients 10] [--rounds 20] [--threads 2]
                              [--think-ms 0]

Builds a database with 200 units, each holding a submission of the Cẩm Giang outline, starts
`decuong serve` in a subprocess, and runs `--clients` concurrent clients (threads with
http.client and logged-in sessions, CSRF on). Each client repeats: the fill page (GET), the
submit POST (full validation and a new revision), a recall (to make the next round possible;
timed but not a target), the coordinator's round page (GET) and a trivial route (baseline).
Prints p50/p95 per endpoint in ms and each one's ratio to the baseline. Target: p95 ≤ 100 ms
for the fill page, the submit POST and the round page.

With `--think-ms 0` (the default) the clients never pause: a saturation test in which every
request queues behind the other clients' (latency ≈ clients × service time on one Python
process). `--think-ms N` pauses a random 0–2N ms between requests, like people reading a page.
"""

from __future__ import annotations

import argparse
import json
import random
import shlex
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from http_session import Session, percentile, served  # noqa: E402

import store  # noqa: E402
from forms import find_outline  # noqa: E402

SAMPLE = ROOT / "outlines" / "cam-giang-cchc-2025.sample.json"
PASSWORD = "bench-password"


def build_db(path: Path, units: int, clients: int) -> tuple[int, list[str], dict[str, str]]:
    """`units` units each with a submitted report; accounts for the first `clients` units (the
    others never log in, and hashing 200 passwords would only slow the set-up)."""
    db = store.open_db(path)
    outline, outline_path = find_outline("cam-giang-cchc-2025")
    store.register_outline(db, outline_path.read_text(encoding="utf-8"), actor="bench")
    codes = [f"U{n:03d}" for n in range(1, units + 1)]
    store.upsert_units(db, [{"code": c, "name": f"Đơn vị thử tải {c}", "contact": f"Cán bộ {c}"}
                            for c in codes])
    from datetime import date

    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=outline.version, title="Đợt thử tải",
        period_start="2025-07-01", period_end=None, period_label=None,
        deadline=store.deadline_end_of_day(date(2099, 12, 31)), units=codes, created_by="bench")
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for code in codes:
        intake = store.submit_values(db, round_id=round_id, unit_code=code, raw=sample,
                                     channel="import", actor="bench")
        assert intake.revision is not None, intake.result.errors
    store.add_account(db, "dau-moi", PASSWORD, "coordinator")
    users = {}
    for code in codes[:clients]:
        store.add_account(db, code.lower(), PASSWORD, "unit", code)
        store.set_status(db, round_id, code, "draft", code.lower())  # recalled: fillable
        users[code.lower()] = code
    db.close()
    return round_id, codes, users


def client(port: int, round_id: int, username: str, code: str, rounds: int,
           timings: dict[str, list[float]], lock: threading.Lock, errors: list[str],
           ready: threading.Barrier, think_ms: float) -> None:
    unit, coordinator = Session(port), Session(port)
    unit.login(username, PASSWORD)
    coordinator.login("dau-moi", PASSWORD)
    ready.wait()  # logins hash passwords on purpose (slow): keep them out of the timings
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    base = f"/rounds/{round_id}/units/{code}"
    mine: dict[str, list[float]] = {}

    pause = random.Random(username)

    def timed(name: str, session: Session, method: str, path: str, form=None, expect=200):
        if think_ms:
            time.sleep(pause.uniform(0, 2 * think_ms) / 1000)
        start = time.perf_counter()
        status, _ = session.request(method, path, form)
        mine.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        if status != expect:
            errors.append(f"{name}: HTTP {status} (attendu {expect})")

    for n in range(-1, rounds):  # round -1 warms up (templates compiled, caches filled)
        if n == 0:
            mine.clear()
        timed("fill page (GET)", unit, "GET", base + "/edit")
        form = {**sample, "nv_tong": str(12 + abs(n) % 3), "action": "submit",
                "csrf_token": unit.token}
        timed("submit (POST)", unit, "POST", base + "/edit", form, expect=302)
        timed("recall (POST)", unit, "POST", base + "/recall", {"csrf_token": unit.token},
              expect=302)
        timed("round page (GET)", coordinator, "GET", f"/coordinator/rounds/{round_id}")
        timed("baseline /healthz", unit, "GET", "/healthz")
    with lock:
        for name, values in mine.items():
            timings.setdefault(name, []).extend(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=20, help="iterations per client")
    parser.add_argument("--threads", type=int, default=2,
                        help="waitress worker threads (decuong serve's default)")
    parser.add_argument("--think-ms", type=float, default=0,
                        help="mean pause between a client's requests (0: saturation)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        started = time.perf_counter()
        round_id, _codes, users = build_db(db_path, args.units, args.clients)
        print(f"Cơ sở dữ liệu: {args.units} đơn vị đã nộp, dựng trong "
              f"{time.perf_counter() - started:.1f} s")
        with served(db_path, Path(folder), threads=args.threads) as (port, command):
            timings: dict[str, list[float]] = {}
            errors: list[str] = []
            lock = threading.Lock()
            ready = threading.Barrier(len(users) + 1)
            threads = [threading.Thread(target=client, args=(port, round_id, username, code,
                                                             args.rounds, timings, lock, errors,
                                                             ready, args.think_ms))
                       for username, code in users.items()]
            for thread in threads:
                thread.start()
            ready.wait()
            started = time.perf_counter()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started

    print(f"Máy chủ: {shlex.join(['decuong', *command[3:]])}")
    total = sum(len(v) for v in timings.values())
    print(f"{args.clients} khách đồng thời × {args.rounds} vòng, nghỉ trung bình "
          f"{args.think_ms:g} ms: {total} yêu cầu trong {elapsed:.1f} s "
          f"({total / elapsed:.0f} yêu cầu/s)")
    baseline = statistics.median(timings["baseline /healthz"])
    print(f"{'endpoint':<22}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p50/baseline':>15}")
    verdict = True
    for name in ("fill page (GET)", "submit (POST)", "round page (GET)", "recall (POST)",
                 "baseline /healthz"):
        values = timings.get(name, [])
        p50, p95 = statistics.median(values), percentile(values, 95)
        target = name in ("fill page (GET)", "submit (POST)", "round page (GET)")
        mark = ("  ≤ 100 ms ✓" if p95 <= 100 else "  > 100 ms ✗") if target else ""
        verdict = verdict and (p95 <= 100 or not target)
        print(f"{name:<22}{len(values):>6}{p50:>10.1f}{p95:>10.1f}{p50 / baseline:>15.1f}{mark}")
    for error in sorted(set(errors))[:10]:
        print("LỖI:", error)
    return 0 if verdict and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
