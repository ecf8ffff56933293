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

import random
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import common

import store

TARGET_MS = 100
TARGETED = ("fill page (GET)", "submit (POST)", "round page (GET)")


def build_db(path: Path, units: int, clients: int) -> tuple[int, list[str], dict[str, str]]:
    """`units` units each with a submitted report; accounts for the first `clients` units (the
    others never log in, and hashing 200 passwords would only slow the set-up)."""
    rows = [{"code": c, "name": f"Đơn vị thử tải {c}", "contact": f"Cán bộ {c}"}
            for c in (f"U{n:03d}" for n in range(1, units + 1))]
    built = common.open_round(path, rows, title="Đợt thử tải", period_start="2025-07-01")
    db, round_id, codes = built.db, built.round_id, built.codes
    sample = common.sample_values()
    for code in codes:
        intake = store.submit_values(db, round_id=round_id, unit_code=code, raw=sample,
                                     channel="import", actor="bench")
        assert intake.revision is not None, intake.result.errors
    store.add_account(db, common.COORDINATOR, common.PASSWORD, "coordinator")
    users = {}
    for code in codes[:clients]:
        store.add_account(db, code.lower(), common.PASSWORD, "unit", code)
        store.set_status(db, round_id, code, "draft", code.lower())  # recalled: fillable
        users[code.lower()] = code
    db.close()
    return round_id, codes, users


def client(port: int, round_id: int, username: str, code: str, rounds: int, timings: common.Timings,
           think_ms: float, start: Callable[[], object]) -> None:
    unit, coordinator = common.Session(port), common.Session(port)
    unit.login(username)
    coordinator.login(common.COORDINATOR)
    start()  # logins hash passwords on purpose (slow): keep them out of the timings
    sample = common.sample_values()
    base = f"/rounds/{round_id}/units/{code}"
    mine: dict[str, list[float]] = {}

    pause = random.Random(username)

    def timed(name: str, session: common.Session, method: str, path: str, form=None, expect=200):
        if think_ms:
            time.sleep(pause.uniform(0, 2 * think_ms) / 1000)
        status, _, ms = session.timed(method, path, form)
        mine.setdefault(name, []).append(ms)
        if status != expect:
            timings.errors.append(f"{name}: HTTP {status} (attendu {expect})")

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
    timings.merge(mine)


def main() -> int:
    parser = common.served_parser(__doc__, clients=10, think_ms=0)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=20, help="iterations per client")
    args = parser.parse_args()

    with common.scratch_database() as db_path:
        started = time.perf_counter()
        round_id, _codes, users = build_db(db_path, args.units, args.clients)
        print(f"Cơ sở dữ liệu: {args.units} đơn vị đã nộp, dựng trong "
              f"{time.perf_counter() - started:.1f} s")
        with common.served(db_path, threads=args.threads) as (port, command):
            timings = common.Timings()
            elapsed = common.concurrently([
                partial(client, port, round_id, username, code, args.rounds, timings,
                        args.think_ms) for username, code in users.items()])

    print(common.server_line(command))
    total = timings.total()
    print(f"{args.clients} khách đồng thời × {args.rounds} vòng, nghỉ trung bình "
          f"{args.think_ms:g} ms: {total} yêu cầu trong {elapsed:.1f} s "
          f"({total / elapsed:.0f} yêu cầu/s)")
    got = timings.samples
    verdict = common.latency_table(
        [(name, got.get(name, []), TARGET_MS if name in TARGETED else None)
         for name in ("fill page (GET)", "submit (POST)", "round page (GET)", "recall (POST)",
                      "baseline /healthz")],
        baseline=got["baseline /healthz"])
    common.print_errors(timings.errors)
    return 0 if verdict and not timings.errors else 1


if __name__ == "__main__":
    sys.exit(main())
