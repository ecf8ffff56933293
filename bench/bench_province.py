"""Benchmark of a province's round (issue 16): the consolidated page and the round board of
4,000 units of the Cẩm Giang outline with every narrative filled, against 200 units in the
same run.

    python bench/bench_province.py [--sizes 200 4000] [--clients 10] [--requests 20]
                                   [--exports]

For each size the round is built straight through the store (`bench/province_round.py`: one
transaction, 96 % submitted, 45 narratives of ~400 characters per unit, one snapshot), then:

- consolidation: `aggregate.load_round` in this process, median of 3;
- a real `decuong serve` (waitress, its default 2 threads) on loopback: the first page after
  start, then `--clients` logged-in clients × `--requests` requests of the consolidated page's
  views (pages of units, kind filters, sections, one narrative item's pages), each client
  starting at another view so part of the requests ask for a view nobody has seen yet — their
  p95 is printed apart; the same for the round board (pages, status filters, searches);
- the server's resident memory (VmRSS, and its peak VmHWM) idle, then after 20 more distinct
  views (the accepted-only basis and the snapshot among them: each its own consolidation);
- the page just after a new revision (one client; the round is consolidated again).

`--exports` then runs bench/bench_docx_province.py and bench/bench_xlsx_province.py when they
exist. Targets at 4,000 units: page and board ≤ 1 MB, p95 ≤ 300 ms with 10 clients, server
≤ 600 MB after 20 distinct views.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote

import common
from province_round import Built, build_round

import store
from aggregate import load_round
from store.snapshots import create_snapshot

KINDS = ("UBND xã", "Phòng, đơn vị trực thuộc")


def server_pid(port: int) -> int:
    """The `decuong serve` process listening on `port` (found by its command line)."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in args and str(port).encode() in args:
            return int(proc.name)
    raise RuntimeError(f"no server on port {port}")


def memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of `pid` in MiB."""
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def page_views(built: Built, text_keys: list[str]) -> list[str]:
    base = f"/coordinator/rounds/{built.round_id}/tong-hop"
    pages = -(-len(built.codes) // 100)
    views = [base] + [f"{base}?page={n}" for n in range(2, pages + 1)]
    for kind in KINDS:
        views.append(f"{base}?kind={quote(kind)}")
        views.append(f"{base}?kind={quote(kind)}&per=50&page=2")
    views += [f"{base}/phan/{part}" for part in ("I", "II", "III")]
    views += [f"{base}/loi-van/{key}?page={n}" for key in text_keys[:3] for n in (1, 2)]
    return views


def board_views(built: Built) -> list[str]:
    base = f"/coordinator/rounds/{built.round_id}"
    pages = -(-len(built.codes) // 100)
    views = [base] + [f"{base}?page={n}" for n in range(2, pages + 1)]
    views += [f"{base}?status={s}" for s in ("submitted", "late", "missing", "on_time")]
    views += [f"{base}?status=submitted&page=2", f"{base}?q=X012", f"{base}?q=phong%20thu%20s07"]
    return views


@dataclass
class Load:
    """What `--clients` clients saw: every time (ms), those of first requests of a view, the
    size of each view's answer, errors."""

    times: list[float] = field(default_factory=list)
    unseen: list[float] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def line(self, name: str, target: float | None) -> str:
        p95 = common.percentile(self.times, 95)
        largest = max(self.sizes.values())
        mark = "" if target is None else " ✓" if self.ok(target) else " ✗"
        return (f"  {name:<18} {len(self.times):>4} req  p50 {statistics.median(self.times):7.1f}"
                f"  p95 {p95:7.1f}  unseen p95 {common.percentile(self.unseen or [0.0], 95):7.1f} "
                f"({len(self.unseen)})  largest {largest / 1024:6.0f} KiB{mark}")

    def ok(self, target: float) -> bool:
        return (common.percentile(self.times, 95) <= target and max(self.sizes.values()) <= 2**20
                and not self.errors)


def run_clients(port: int, views: list[str], clients: int, requests: int) -> Load:
    """`clients` sessions, each making `requests` requests over `views` from its own offset;
    a request is "unseen" when it is the first of its view in the whole run."""
    seen: set[str] = set()
    lock = threading.Lock()
    load = Load()

    def client(n: int, start: Callable[[], object]) -> None:
        session = common.Session(port, every_page_token=False)
        session.login(common.COORDINATOR)  # slow on purpose: kept out of the timings
        start()
        for k in range(requests):
            view = views[(n * len(views) // clients + k) % len(views)]
            with lock:
                first = view not in seen
                seen.add(view)
            status, body, elapsed = session.timed("GET", view)
            with lock:
                load.times.append(elapsed)
                if first:
                    load.unseen.append(elapsed)
                load.sizes[view] = len(body)
                if status != 200:
                    load.errors.append(f"{view}: HTTP {status}")

    common.concurrently([partial(client, n) for n in range(clients)])
    return load


@dataclass
class Measure:
    size: int
    submitted: int
    build: float
    db_mb: float
    consolidation: float = 0.0
    command: list[str] = field(default_factory=list)
    idle: tuple[float, float] = (0.0, 0.0)
    cold: float = 0.0
    page: Load = field(default_factory=Load)
    board: Load = field(default_factory=Load)
    after_views: tuple[float, float] = (0.0, 0.0)
    extra_views: int = 0
    misses: list[float] = field(default_factory=list)
    after_revisions: tuple[float, float] = (0.0, 0.0)


def measure(size: int, args: argparse.Namespace, folder: Path) -> Measure:
    db_path = folder / f"province-{size}.db"
    started = time.perf_counter()
    built = build_round(db_path, size)
    db = store.open_db(db_path)
    snapshot = create_snapshot(db, built.round_id, actor="bench")
    text_keys = [i.key for i in store.outline_for_round(db, built.round_id).fields()
                 if i.kind == "long_text" and i.key]
    build_s = time.perf_counter() - started
    out = Measure(size, built.submitted, build_s, db_path.stat().st_size / 2**20)
    out.consolidation = common.median_seconds(lambda: load_round(db, built.round_id))
    with common.served(db_path, folder) as (port, command):
        out.command = command
        pid = server_pid(port)
        first = common.Session(port, every_page_token=False)
        first.login(common.COORDINATOR)
        out.idle = memory(pid)
        page = f"/coordinator/rounds/{built.round_id}/tong-hop"
        status, _, out.cold = first.timed("GET", page)
        assert status == 200, status
        out.page = run_clients(port, page_views(built, text_keys), args.clients,
                               args.requests)
        out.board = run_clients(port, board_views(built), args.clients, args.requests)
        # 20 more distinct views, each its first request (those past the last page of a
        # small round answer 404 and are not counted); then the server's memory.
        board = f"/coordinator/rounds/{built.round_id}"
        candidates = [
            f"{page}?basis=accepted", f"{page}?basis=snapshot-{snapshot}",
            f"{page}?basis=accepted&page=2", f"{page}?basis=snapshot-{snapshot}&page=2",
            *(f"{page}/loi-van/{key}?per=100" for key in text_keys[3:10]),
            *(f"{page}?per=25&page={n}" for n in range(3, 40, 3)),
            f"{board}?per=500", f"{board}?status=returned", f"{board}?q=S01",
            f"{board}?per=25&page=3"]
        first.conn.close()  # idle through the load: waitress closed it after 30 s
        counted = 0
        for view in candidates:
            status, _ = first.request("GET", view)
            assert status in (200, 404), (view, status)
            counted += status == 200
            if counted == 20:
                break
        out.extra_views = counted
        out.after_views = memory(pid)
        # A new revision: the consolidation is rebuilt for the next page.
        misses = []
        for n in range(3):
            code = built.codes[2 + 2 * n]
            revision = store.get_revision(db, built.round_id, code)
            assert revision is not None
            store.save_revision(db, round_id=built.round_id, unit_code=code,
                                values=revision["values"], status="submitted",
                                channel="import", actor="bench")
            misses.append(first.timed("GET", page)[2])
        out.misses = misses
        out.after_revisions = memory(pid)
    db.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 4000])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests", type=int, default=20, help="requests per client")
    parser.add_argument("--exports", action="store_true",
                        help="then run the docx and xlsx province benchmarks if present")
    args = parser.parse_args()
    print(f"Lệnh: {shlex.join(['python', 'bench/bench_province.py', *sys.argv[1:]])}")
    verdict = True
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            r = measure(size, args, Path(tmp))
            big = size >= 4000
            print(f"\n{size} đơn vị ({r.submitted} đã nộp): dựng {r.build:.1f} s, "
                  f"{r.db_mb:.0f} MiB; tổng hợp (load_round) {r.consolidation:.2f} s")
            if size == args.sizes[0]:
                print(f"  {common.server_line(r.command)}")
            print(f"  trang tổng hợp đầu tiên sau khi khởi động: {r.cold:.0f} ms")
            print(r.page.line("consolidated page", 300 if big else None))
            print(r.board.line("round board", 300 if big else None))
            fits = max(r.after_views[1], r.after_revisions[1]) <= 600
            print(f"  RSS máy chủ: nghỉ {r.idle[0]:.0f} MiB; sau {r.extra_views} trang mới "
                  f"{r.after_views[0]:.0f} MiB (đỉnh {r.after_views[1]:.0f}); sau 3 lần nộp "
                  f"mới {r.after_revisions[0]:.0f} MiB (đỉnh {r.after_revisions[1]:.0f})"
                  + ((" ✓" if fits else " ✗") if big else ""))
            print("  trang ngay sau một lần nộp mới: "
                  + ", ".join(f"{m:.0f}" for m in r.misses) + " ms")
            for error in sorted(set(r.page.errors + r.board.errors))[:5]:
                print("  LỖI:", error)
                verdict = False
            if big:
                verdict &= r.page.ok(300) and r.board.ok(300) and fits
    if args.exports:
        for name in ("bench_docx_province.py", "bench_xlsx_province.py"):
            script = common.ROOT / "bench" / name
            if script.exists():
                print(f"\n$ python bench/{name}")
                subprocess.run([sys.executable, str(script)], cwd=common.ROOT, check=False)
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
