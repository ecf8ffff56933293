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

import argparse
import json
import random
import shlex
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from http_session import Session, percentile, served  # noqa: E402

import store  # noqa: E402
from forms import find_outline  # noqa: E402

SAMPLE = ROOT / "outlines" / "cam-giang-cchc-2025.sample.json"
PASSWORD = "bench-password"
KINDS = ("Phòng chuyên môn", "UBND xã")
LATE = datetime(2100, 1, 5, 9, 0, tzinfo=UTC)  # after the round's deadline


def varied(sample: dict[str, str], rng: random.Random) -> dict[str, str]:
    """The sample report with different figures that still pass the outline's rules."""
    values = dict(sample)
    received = rng.randint(50, 3000)
    done = rng.randint(received // 2, received)
    on_time = rng.randint(done * 8 // 10, done)
    values.update({
        "hs_tiep_nhan": str(received), "hs_da_giai_quyet": str(done),
        "hs_dung_han": str(on_time), "hs_qua_han": str(done - on_time),
        "hai_long": f"{rng.uniform(85, 100):.1f}".replace(".", ","),
        "hai_long_dat_dai": f"{rng.uniform(80, 100):.1f}".replace(".", ","),
        "cd_nguon_luc": f"Bố trí {rng.randint(1, 4)} công chức phụ trách CCHC.",
    })
    if rng.random() < 0.1:
        values["hs_ty_le_truc_tuyen"] = ""  # an empty cell: no data, not zero
    return values


def build_db(path: Path, units: int) -> tuple[int, list[str]]:
    db = store.open_db(path)
    outline, outline_path = find_outline("cam-giang-cchc-2025")
    store.register_outline(db, outline_path.read_text(encoding="utf-8"), actor="bench")
    codes = [f"U{n:03d}" for n in range(1, units + 1)]
    store.upsert_units(db, [{"code": c, "name": f"Đơn vị thử tải {c}",
                             "kind": KINDS[n % 2], "contact": f"Cán bộ {c}"}
                            for n, c in enumerate(codes)])
    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=outline.version,
        title="Đợt thử tải tổng hợp", period_start="2025-07-01", period_end=None,
        period_label="6 tháng cuối năm 2025",
        deadline=store.deadline_end_of_day(date(2099, 12, 31)), units=codes, created_by="bench")
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    rng = random.Random(7)
    for n, code in enumerate(codes):
        if n % 25 == 24:
            continue  # missing
        intake = store.submit_values(db, round_id=round_id, unit_code=code,
                                     raw=varied(sample, rng), channel="import", actor="bench",
                                     now=LATE if n % 10 == 3 else None, outline=outline)
        assert intake.revision is not None, intake.result.errors
    store.set_status(db, round_id, codes[0], "returned", "bench", comment="Sửa số liệu.")
    store.add_account(db, "dau-moi", PASSWORD, "coordinator")
    db.close()
    return round_id, codes


def run_clients(port: int, page: str, clients: int, requests: int
                ) -> tuple[dict[str, list[float]], list[str], float, int]:
    sessions = []
    for _ in range(clients):
        session = Session(port, every_page_token=False)
        # password hashing is slow on purpose: kept out of the timings
        session.login("dau-moi", PASSWORD)
        sessions.append(session)
    timings: dict[str, list[float]] = {"page": [], "healthz": []}
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    size = [0]

    def client(session: Session) -> None:
        mine: dict[str, list[float]] = {"page": [], "healthz": []}
        ready.wait()
        for _ in range(requests):
            for name, path in (("page", page), ("healthz", "/healthz")):
                start = time.perf_counter()
                status, body = session.request("GET", path)
                mine[name].append((time.perf_counter() - start) * 1000)
                if status != 200:
                    errors.append(f"{name}: HTTP {status}")
                if name == "page":
                    size[0] = len(body)
        with lock:
            for name, values in mine.items():
                timings[name].extend(values)

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return timings, errors, time.perf_counter() - started, size[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests", type=int, default=30, help="page requests per client")
    parser.add_argument("--threads", type=int, default=10, help="waitress worker threads")
    parser.add_argument("--misses", type=int, default=8, help="cache-miss samples")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        started = time.perf_counter()
        round_id, codes = build_db(db_path, args.units)
        print(f"Cơ sở dữ liệu: đợt {args.units} đơn vị (Cẩm Giang), dựng trong "
              f"{time.perf_counter() - started:.1f} s")
        page = f"/coordinator/rounds/{round_id}/tong-hop"
        with served(db_path, Path(folder), threads=args.threads) as (port, command):
            first = Session(port, every_page_token=False)
            first.login("dau-moi", PASSWORD)
            start = time.perf_counter()
            status, _ = first.request("GET", page)
            cold = (time.perf_counter() - start) * 1000
            assert status == 200, status
            timings, errors, elapsed, size = run_clients(port, page, args.clients,
                                                         args.requests)
            # Cache misses: a unit re-submits, then the page is rebuilt for one client.
            misses: list[float] = []
            db = store.open_db(db_path)
            sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
            rng = random.Random(11)
            for n in range(args.misses):
                code = codes[2 + 2 * n]
                store.set_status(db, round_id, code, "draft", "bench")
                store.submit_values(db, round_id=round_id, unit_code=code,
                                    raw=varied(sample, rng), channel="import", actor="bench")
                start = time.perf_counter()
                status, _ = first.request("GET", page)
                misses.append((time.perf_counter() - start) * 1000)
                if status != 200:
                    errors.append(f"miss: HTTP {status}")
            db.close()

    print(f"Máy chủ: {shlex.join(['decuong', *command[3:]])}")
    print(f"Lệnh: {shlex.join(['python', 'bench/bench_consolidation_page.py', *sys.argv[1:]])}")
    total = sum(len(v) for v in timings.values())
    print(f"{args.clients} khách đồng thời × {args.requests} lượt (trang + /healthz): {total} yêu "
          f"cầu trong {elapsed:.1f} s ({total / elapsed:.0f} yêu cầu/s); trang {size / 1024:.0f} "
          "KiB")
    baseline = statistics.median(timings["healthz"])
    print(f"{'endpoint':<36}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p50/baseline':>15}")
    verdict = True
    rows = [("consolidated page (GET)", timings["page"]),
            ("baseline /healthz", timings["healthz"]),
            ("page after a new revision (1 client)", misses),
            ("first page after start (1 client)", [cold])]
    for name, values in rows:
        if not values:
            continue
        p50, p95 = statistics.median(values), percentile(values, 95)
        mark = ""
        if name.startswith("consolidated"):
            mark = "  ≤ 200 ms ✓" if p95 <= 200 else "  > 200 ms ✗"
            verdict = p95 <= 200
        print(f"{name:<36}{len(values):>6}{p50:>10.1f}{p95:>10.1f}{p50 / baseline:>15.1f}{mark}")
    for error in sorted(set(errors))[:10]:
        print("LỖI:", error)
    return 0 if verdict and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
