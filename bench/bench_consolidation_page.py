"""Benchmark of the coordinator's consolidated page under a real waitress server on loopback.

    python bench/bench_consolidation_page.py [--units 200] [--clients 10] [--requests 30]
                                             [--threads 10] [--misses 8]

Builds a round of the Cẩm Giang outline for `--units` units of two kinds (varied figures, a
few empty cells, some late, some missing, one returned) through store functions, starts
`decuong serve` in a subprocess, logs in as the coordinator and runs `--clients` concurrent
clients (threads, keep-alive http.client connections), each making `--requests` requests of the
consolidated page interleaved with `/healthz` (the baseline, same run, same load).

Then the cost of a cache miss: `--misses` times, one unit submits a new revision (through the
store, as an upload would) and one client opens the page alone — the fingerprint changes, so
the consolidation is rebuilt and every table re-rendered.

Target: p95 ≤ 200 ms for the page under 10 concurrent clients.
"""

from __future__ import annotations

import random
import shlex
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import common

import store

KINDS = ("Phòng chuyên môn", "UBND xã")
LATE = datetime(2100, 1, 5, 9, 0, tzinfo=UTC)  # after the round's deadline
TARGET_MS = 200


def varied(sample: dict[str, str], rng: random.Random) -> dict[str, str]:
    """The sample report with different figures that still pass the outline's rules."""
    values = {**sample, **common.varied_figures(rng),
              "cd_nguon_luc": f"Bố trí {rng.randint(1, 4)} công chức phụ trách CCHC."}
    if rng.random() < 0.1:
        values["hs_ty_le_truc_tuyen"] = ""  # an empty cell: no data, not zero
    return values


def build_db(path: Path, units: int) -> tuple[int, list[str]]:
    rows = [{"code": c, "name": f"Đơn vị thử tải {c}", "kind": KINDS[n % 2],
             "contact": f"Cán bộ {c}"}
            for n, c in enumerate(f"U{n:03d}" for n in range(1, units + 1))]
    built = common.open_round(path, rows, title="Đợt thử tải tổng hợp",
                              period_start="2025-07-01", period_label="6 tháng cuối năm 2025")
    db, round_id, codes = built.db, built.round_id, built.codes
    sample = common.sample_values()
    rng = random.Random(7)
    for n, code in enumerate(codes):
        if n % 25 == 24:
            continue  # missing
        intake = store.submit_values(db, round_id=round_id, unit_code=code,
                                     raw=varied(sample, rng), channel="import", actor="bench",
                                     now=LATE if n % 10 == 3 else None, outline=built.outline)
        assert intake.revision is not None, intake.result.errors
    store.set_status(db, round_id, codes[0], "returned", "bench", comment="Sửa số liệu.")
    store.add_account(db, common.COORDINATOR, common.PASSWORD, "coordinator")
    db.close()
    return round_id, codes


def run_clients(port: int, page: str, clients: int, requests: int
                ) -> tuple[common.Timings, float, int]:
    timings = common.Timings()
    size = [0]

    def client(start: Callable[[], object]) -> None:
        session = common.Session(port, every_page_token=False)
        session.login(common.COORDINATOR)  # hashing is slow on purpose: kept out of timings
        mine: dict[str, list[float]] = {"page": [], "healthz": []}
        start()
        for _ in range(requests):
            for name, path in (("page", page), ("healthz", "/healthz")):
                status, body, ms = session.timed("GET", path)
                mine[name].append(ms)
                if status != 200:
                    timings.errors.append(f"{name}: HTTP {status}")
                if name == "page":
                    size[0] = len(body)
        timings.merge(mine)

    elapsed = common.concurrently([client] * clients)
    return timings, elapsed, size[0]


def main() -> int:
    parser = common.served_parser(__doc__, clients=10, threads=10,
                                  threads_help="waitress worker threads")
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--requests", type=int, default=30, help="page requests per client")
    parser.add_argument("--misses", type=int, default=8, help="cache-miss samples")
    args = parser.parse_args()

    with common.scratch_database() as db_path:
        started = time.perf_counter()
        round_id, codes = build_db(db_path, args.units)
        print(f"Cơ sở dữ liệu: đợt {args.units} đơn vị (Cẩm Giang), dựng trong "
              f"{time.perf_counter() - started:.1f} s")
        page = f"/coordinator/rounds/{round_id}/tong-hop"
        with common.served(db_path, threads=args.threads) as (port, command):
            first = common.Session(port, every_page_token=False)
            first.login(common.COORDINATOR)
            status, _, cold = first.timed("GET", page)
            assert status == 200, status
            timings, elapsed, size = run_clients(port, page, args.clients, args.requests)
            # Cache misses: a unit re-submits, then the page is rebuilt for one client.
            misses: list[float] = []
            db = store.open_db(db_path)
            sample = common.sample_values()
            rng = random.Random(11)
            for n in range(args.misses):
                code = codes[2 + 2 * n]
                store.set_status(db, round_id, code, "draft", "bench")
                store.submit_values(db, round_id=round_id, unit_code=code,
                                    raw=varied(sample, rng), channel="import", actor="bench")
                status, _, ms = first.timed("GET", page)
                misses.append(ms)
                if status != 200:
                    timings.errors.append(f"miss: HTTP {status}")
            db.close()

    print(common.server_line(command))
    print(f"Lệnh: {shlex.join(['python', 'bench/bench_consolidation_page.py', *sys.argv[1:]])}")
    total = timings.total()
    print(f"{args.clients} khách đồng thời × {args.requests} lượt (trang + /healthz): {total} yêu "
          f"cầu trong {elapsed:.1f} s ({total / elapsed:.0f} yêu cầu/s); trang {size / 1024:.0f} "
          "KiB")
    got = timings.samples
    verdict = common.latency_table([("consolidated page (GET)", got["page"], TARGET_MS),
                             ("baseline /healthz", got["healthz"], None),
                             ("page after a new revision (1 client)", misses, None),
                             ("first page after start (1 client)", [cold], None)],
                            baseline=got["healthz"], width=36)
    common.print_errors(timings.errors)
    return 0 if verdict and not timings.errors else 1


if __name__ == "__main__":
    sys.exit(main())
