"""What the benchmarks share, so each script holds only its own scenario: the Cẩm Giang round
they build, a real `decuong serve` on a free loopback port, logged-in HTTP sessions, clients
run at once, and the timings, percentiles and tables they print.

Every script puts this folder and the repository on `sys.path` (`sys.path.insert(0, ROOT)`;
Python puts the script's own folder there already) and imports what it needs from here.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from random import Random
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import store  # noqa: E402
from forms import find_outline  # noqa: E402
from forms.model import Outline  # noqa: E402

OUTLINE_ID = "cam-giang-cchc-2025"
OUTLINE = ROOT / "outlines" / f"{OUTLINE_ID}.yaml"
SAMPLE = ROOT / "outlines" / f"{OUTLINE_ID}.sample.json"
PASSWORD = "bench-password"
COORDINATOR = "dau-moi"
FAR_DEADLINE = date(2099, 12, 31)

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


# -- a round to measure -------------------------------------------------------------------------


def sample_values() -> dict[str, Any]:
    """The Cẩm Giang outline's sample report (every rule holds), as a form posts it."""
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def varied_figures(rng: Random) -> dict[str, str]:
    """Figures of the Cẩm Giang report that differ per unit and still pass its rules (received ≥
    resolved ≥ on time; satisfaction rates): laid over the sample, each unit reports its own."""
    received = rng.randint(50, 3000)
    done = rng.randint(received // 2, received)
    on_time = rng.randint(done * 8 // 10, done)
    return {
        "hs_tiep_nhan": str(received), "hs_da_giai_quyet": str(done),
        "hs_dung_han": str(on_time), "hs_qua_han": str(done - on_time),
        "hai_long": f"{rng.uniform(85, 100):.1f}".replace(".", ","),
        "hai_long_dat_dai": f"{rng.uniform(80, 100):.1f}".replace(".", ","),
    }


def numbered_units(n: int) -> list[dict[str, str]]:
    """`n` communes DV0000, DV0001…, as a file-channel benchmark expects them."""
    return [{"code": f"DV{k:04d}", "name": f"Đơn vị số {k}", "kind": "xã"} for k in range(n)]


@dataclass
class OpenRound:
    """A fresh database holding the Cẩm Giang outline, the units and one open round of them."""

    db: Any  # store's Database, left open for the scenario
    outline: Outline
    round_id: int
    codes: list[str]


def open_round(path: Path, units: Sequence[dict[str, Any]], *, title: str,
               period_start: str | None = None, period_label: str | None = None,
               deadline: date = FAR_DEADLINE) -> OpenRound:
    """A new SQLite file at `path` with the Cẩm Giang outline, `units` (store rows: code, name,
    and optionally kind, parent, contact) and one round expecting all of them, due `deadline`
    (far away: every submission is on time unless a scenario says otherwise)."""
    db = store.open_db(path)
    outline, outline_path = find_outline(OUTLINE_ID)
    store.register_outline(db, outline_path.read_text(encoding="utf-8"), actor="bench")
    store.upsert_units(db, list(units), actor="bench")
    codes = [str(unit["code"]) for unit in units]
    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=outline.version, title=title,
        period_start=period_start, period_end=None, period_label=period_label,
        deadline=store.deadline_end_of_day(deadline), units=codes, created_by="bench")
    return OpenRound(db, outline, round_id, codes)


def median_seconds(function: Callable[[], object], repeat: int = 3) -> float:
    """The median wall time of `repeat` calls of `function`, in seconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


# -- a served application and its clients ------------------------------------------------------


class Session:
    """One logged-in browser: a keep-alive connection, its session cookie and CSRF token.

    `every_page_token` reads the token from every HTML answer (needed to post forms other than
    the login); off, only login pages are scanned, which keeps large pages cheap for the client.
    """

    def __init__(self, port: int, *, every_page_token: bool = True, timeout: float = 60) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookie = ""
        self.token = ""
        self.every_page_token = every_page_token

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        if self.every_page_token or path.startswith("/auth/"):
            found = TOKEN.search(data.decode("utf-8", "replace"))
            if found:
                self.token = found.group(1)
        return response.status, data

    def timed(self, method: str, path: str, form: dict | None = None
              ) -> tuple[int, bytes, float]:
        """`request`, and its round trip in milliseconds."""
        start = time.perf_counter()
        status, data = self.request(method, path, form)
        return status, data, (time.perf_counter() - start) * 1000

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.request("GET", "/auth/login")
        status, _ = self.request("POST", "/auth/login", {
            "csrf_token": self.token, "username": username, "password": password})
        assert status == 302, f"login of {username} answered {status}"


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def scratch_database() -> Iterator[Path]:
    """The path of a database in a temporary folder, gone (with whatever was served from it)
    when the block ends."""
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder) / "bench.db"


@contextmanager
def served(db_path: Path, folder: Path | None = None, *, threads: int | None = None,
           probes: int = 300) -> Iterator[tuple[int, list[str]]]:
    """A real `decuong serve` of `db_path` on a free loopback port, answering /healthz, until
    the block ends; yields the port and the command (which the benchmarks print). Its instance
    folder goes in `folder`, by default the database's."""
    folder = db_path.parent if folder is None else folder
    port = free_port()
    command = [sys.executable, "-m", "decuong_cli", "serve", "--db", str(db_path),
               "--host", "127.0.0.1", "--port", str(port),
               *(["--threads", str(threads)] if threads is not None else []),
               "--instance", str(folder / "instance")]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(probes):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        yield port, command
    finally:
        server.terminate()
        server.wait(timeout=10)


def served_parser(doc: str, *, clients: int, clients_help: str | None = None,
                  threads: int = 2, threads_help: str = "waitress worker threads "
                  "(decuong serve's default)", think_ms: float | None = None
                  ) -> argparse.ArgumentParser:
    """The options of a benchmark against a served app: its clients at once (`--clients`), the
    server's worker threads (`--threads`) and, given a default, the clients' mean pause between
    requests (`--think-ms`); the script adds its own."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=clients, help=clients_help)
    parser.add_argument("--threads", type=int, default=threads, help=threads_help)
    if think_ms is not None:
        parser.add_argument("--think-ms", type=float, default=think_ms,
                            help="mean pause between a client's requests (0: saturation)")
    return parser


def server_line(command: list[str]) -> str:
    """The served command as a reader would type it."""
    return f"Máy chủ: {shlex.join(['decuong', *command[3:]])}"


@dataclass
class Timings:
    """Round trips in ms per endpoint, and errors, gathered from every client thread."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def merge(self, mine: dict[str, list[float]]) -> None:
        """A client's own timings, added once it is done (no lock taken per request)."""
        with self.lock:
            for name, values in mine.items():
                self.samples.setdefault(name, []).extend(values)

    def total(self) -> int:
        return sum(len(values) for values in self.samples.values())


def concurrently(clients: Sequence[Callable[[Callable[[], object]], None]]) -> float:
    """Runs each client in its own thread. A client calls the function it is given once its
    set-up is done (logins hash passwords on purpose, slowly): the clock starts when every
    client has, and the seconds until the last one ends are returned."""
    ready = threading.Barrier(len(clients) + 1)
    threads = [threading.Thread(target=client, args=(ready.wait,)) for client in clients]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def latency_table(rows: Sequence[tuple[str, list[float], float | None]], baseline: list[float],
                  width: int = 22) -> bool:
    """Prints n, p50, p95 and max (ms) and p50 over the baseline's for each (endpoint, samples,
    p95 target or None), marking the targets; True when every target is met. Rows without
    samples are left out."""
    base = statistics.median(baseline)
    print(f"{'endpoint':<{width}}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}"
          f"{'p50/baseline':>15}")
    met = True
    for name, values, target in rows:
        if not values:
            continue
        p50, p95 = statistics.median(values), percentile(values, 95)
        mark = ""
        if target is not None:
            met = met and p95 <= target
            mark = f"  ≤ {target:g} ms ✓" if p95 <= target else f"  > {target:g} ms ✗"
        print(f"{name:<{width}}{len(values):>6}{p50:>10.1f}{p95:>10.1f}{max(values):>10.1f}"
              f"{p50 / base:>15.1f}{mark}")
    return met


def print_errors(errors: list[str], limit: int = 10, indent: str = "") -> None:
    """The distinct errors the clients met, at most `limit`."""
    for error in sorted(set(errors))[:limit]:
        print(f"{indent}LỖI:", error)
