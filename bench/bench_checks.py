"""Benchmark of the checks while typing (POST …/check) on the Cẩm Giang outline (87 fields).

    python bench/bench_checks.py [--calls 2000] [--clients 10] [--rounds 50] [--threads 2]

First the engine alone, in this process: `validate(mode="check")` plus the JSON verdict the
endpoint builds, on the whole filled form with one rule broken (median and p95 of `--calls`).
Then a real `decuong serve` (waitress) on loopback: `--clients` units at once, each posting its
whole form to …/check `--rounds` times without pause (a saturation test, as when every unit
leaves a field at the same moment), and GET /healthz as the baseline of the same run.
Prints p50/p95 in ms. Target: a check's round trip p95 ≤ 150 ms with 10 units at once.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial

import common
from bench_web import build_db

from forms import find_outline, validate
from webapp.checks import verdict
from webapp.formbuilder import raw_values

#: One rule broken (more on time than resolved), so the answer carries an issue on two items.
BROKEN = {"hs_da_giai_quyet": "1.200", "hs_dung_han": "1.250", "hs_tiep_nhan": "2.000"}
TARGET_MS = 150


def engine_alone(calls: int) -> tuple[float, float, int]:
    outline, _path = find_outline("cam-giang-cchc-2025")
    posted = {**common.sample_values(), **BROKEN}
    timings = []
    for n in range(-50, calls):  # 50 warm-up calls
        start = time.perf_counter()
        result = validate(outline, raw_values(outline, posted), mode="check")
        answer = verdict(outline, result, posted)
        if n >= 0:
            timings.append((time.perf_counter() - start) * 1000)
    assert answer["errors"] == 1, answer
    return statistics.median(timings), common.percentile(timings, 95), len(outline.fields())


def client(port: int, round_id: int, username: str, code: str, rounds: int, timings: common.Timings,
           start: Callable[[], object]) -> None:
    session = common.Session(port)
    session.login(username)
    session.request("GET", f"/rounds/{round_id}/units/{code}/edit")  # the page's CSRF token
    form = {**common.sample_values(), **BROKEN, "csrf_token": session.token}
    start()
    mine: dict[str, list[float]] = {"check (POST)": [], "baseline /healthz": []}
    for n in range(-2, rounds):  # two warm-up rounds
        for name, method, path, body in (
                ("check (POST)", "POST", f"/rounds/{round_id}/units/{code}/check", form),
                ("baseline /healthz", "GET", "/healthz", None)):
            status, data, ms = session.timed(method, path, body)
            if n >= 0:
                mine[name].append(ms)
            if status != 200:
                timings.errors.append(f"{name}: HTTP {status}")
            elif name.startswith("check") and json.loads(data)["errors"] != 1:
                timings.errors.append("check: không thấy lỗi của quy tắc")
    timings.merge(mine)


def main() -> int:
    parser = common.served_parser(__doc__, clients=10)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=50, help="checks per client")
    args = parser.parse_args()

    p50, p95, fields = engine_alone(args.calls)
    print(f"Bộ máy kiểm tra ({fields} mục, một quy tắc sai): p50 {p50:.2f} ms, p95 {p95:.2f} ms "
          f"({args.calls} lần)")

    with common.scratch_database() as db_path:
        round_id, _codes, users = build_db(db_path, args.clients, args.clients)
        with common.served(db_path, threads=args.threads) as (port, command):
            timings = common.Timings()
            elapsed = common.concurrently([
                partial(client, port, round_id, username, code, args.rounds, timings)
                for username, code in users.items()])

    print(common.server_line(command))
    total = timings.total()
    print(f"{args.clients} đơn vị đồng thời × {args.rounds} lần kiểm tra, không nghỉ: {total} yêu "
          f"cầu trong {elapsed:.1f} s ({total / elapsed:.0f} yêu cầu/s)")
    got = timings.samples
    ok = common.latency_table([("check (POST)", got["check (POST)"], TARGET_MS),
                        ("baseline /healthz", got["baseline /healthz"], None)],
                       baseline=got["baseline /healthz"])
    common.print_errors(timings.errors)
    return 0 if ok and not timings.errors else 1


if __name__ == "__main__":
    sys.exit(main())
