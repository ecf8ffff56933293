"""Benchmark of autosave: many units typing at once against a real waitress server.

    python bench/bench_autosave.py [--clients 50] [--saves 20] [--think-ms 1500] [--threads 2]

Builds a database with one round of the Cẩm Giang outline expecting `--clients` units (each
with an account), starts `decuong serve` in a subprocess and runs one thread per unit. Each
unit loads its fill page once (CSRF token and version token), then repeats what
`static/fill-autosave.js` does while a person types: change one figure, POST the whole form
(87 items, as JSON with the X-CSRFToken header) to `…/autosave` with its version token, and
keep the token it gets back. Between saves it pauses a random 0–2 × `--think-ms` (the page
saves about 1.5 s after typing stops); `--think-ms 0` never pauses (saturation). Every unit
also requests `/healthz` after each save: the baseline of the same run.

Prints p50/p95 of the autosave round trip and of the baseline, and checks what the storage
promises: every save answered 200, no revision written (autosave never floods the history),
one working-draft row per unit. Target: autosave p95 ≤ 150 ms with 50 units at once.
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
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from http_session import Session, percentile, served  # noqa: E402

import store  # noqa: E402
from forms import find_outline  # noqa: E402

SAMPLE = ROOT / "outlines" / "cam-giang-cchc-2025.sample.json"
PASSWORD = "bench-password"
TARGET_MS = 150


def build_db(path: Path, clients: int) -> tuple[int, dict[str, str], list[list[str]]]:
    """A round expecting `clients` units, each with an account; the form fields of the sample
    report, as the fill page posts them."""
    from webapp.autosave import fields_from_raw, raw_from_stored

    db = store.open_db(path)
    outline, outline_path = find_outline("cam-giang-cchc-2025")
    store.register_outline(db, outline_path.read_text(encoding="utf-8"), actor="bench")
    codes = [f"U{n:03d}" for n in range(1, clients + 1)]
    store.upsert_units(db, [{"code": c, "name": f"Đơn vị thử tải {c}"} for c in codes])
    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=outline.version, title="Đợt thử tự lưu",
        period_start="2025-07-01", period_end=None, period_label=None,
        deadline=store.deadline_end_of_day(date(2099, 12, 31)), units=codes, created_by="bench")
    users = {}
    for code in codes:
        store.add_account(db, code.lower(), PASSWORD, "unit", code)
        users[code.lower()] = code
    db.close()
    from forms import to_json, validate

    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    values = to_json(outline, validate(outline, sample, mode="draft").values)
    fields = [[name, value] for name, value in
              fields_from_raw(outline, raw_from_stored(outline, values)).items(multi=True)]
    return round_id, users, fields


def post_json(session: Session, path: str, body: dict) -> tuple[int, dict]:
    """A fetch() from the page: JSON body, CSRF token in the header, JSON answer."""
    headers = {"Cookie": session.cookie, "Content-Type": "application/json",
               "Accept": "application/json", "X-CSRFToken": session.token}
    session.conn.request("POST", path, body=json.dumps(body), headers=headers)
    response = session.conn.getresponse()
    data = response.read()
    try:
        return response.status, json.loads(data)
    except ValueError:
        return response.status, {"state": "not-json"}


def page_token(html: str) -> list[int]:
    import re

    base = re.search(r'name="base_revision" value="(\d+)"', html)
    version = re.search(r'name="draft_version" value="(\d+)"', html)
    assert base and version, "the fill page carries no version token"
    return [int(base.group(1)), int(version.group(1))]


def client(port: int, round_id: int, username: str, code: str, saves: int,
           fields: list[list[str]], timings: dict[str, list[float]], lock: threading.Lock,
           errors: list[str], ready: threading.Barrier, think_ms: float) -> None:
    session = Session(port)
    session.login(username, PASSWORD)
    status, page = session.request("GET", f"/rounds/{round_id}/units/{code}/edit")
    assert status == 200, f"fill page of {code}: HTTP {status}"
    token = page_token(page.decode("utf-8"))
    path = f"/rounds/{round_id}/units/{code}/autosave"
    pause = random.Random(username)
    mine: dict[str, list[float]] = {"autosave (POST)": [], "baseline /healthz": []}
    ready.wait()  # logins hash passwords on purpose (slow): keep them out of the timings
    for n in range(saves):
        if think_ms:
            time.sleep(pause.uniform(0, 2 * think_ms) / 1000)
        typed = [[k, str(10 + n) if k == "nv_tong" else v] for k, v in fields]
        start = time.perf_counter()
        status, answer = post_json(session, path, {"fields": typed, "token": token})
        mine["autosave (POST)"].append((time.perf_counter() - start) * 1000)
        if status != 200 or answer.get("state") != "saved":
            errors.append(f"autosave: HTTP {status} {answer.get('state')}")
        else:
            token = answer["token"]
        start = time.perf_counter()
        status, _ = session.request("GET", "/healthz")
        mine["baseline /healthz"].append((time.perf_counter() - start) * 1000)
    with lock:
        for name, values in mine.items():
            timings.setdefault(name, []).extend(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="units autosaving at once")
    parser.add_argument("--saves", type=int, default=20, help="autosaves per unit")
    parser.add_argument("--think-ms", type=float, default=1500,
                        help="mean pause between a unit's saves (0: saturation)")
    parser.add_argument("--threads", type=int, default=2,
                        help="waitress worker threads (decuong serve's default)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        started = time.perf_counter()
        round_id, users, fields = build_db(db_path, args.clients)
        print(f"Cơ sở dữ liệu: {args.clients} đơn vị, biểu mẫu {len(fields)} ô, dựng trong "
              f"{time.perf_counter() - started:.1f} s")
        with served(db_path, Path(folder), threads=args.threads) as (port, command):
            timings: dict[str, list[float]] = {}
            errors: list[str] = []
            lock = threading.Lock()
            ready = threading.Barrier(len(users) + 1)
            threads = [threading.Thread(target=client, args=(
                port, round_id, username, code, args.saves, fields, timings, lock, errors,
                ready, args.think_ms)) for username, code in users.items()]
            for thread in threads:
                thread.start()
            ready.wait()
            started = time.perf_counter()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        db = store.open_db(db_path)
        revisions = db.conn.execute("SELECT count(*) FROM revisions").fetchone()[0]
        drafts = db.conn.execute("SELECT count(*), max(version) FROM working_drafts").fetchone()
        db.close()

    print(f"Máy chủ: {shlex.join(['decuong', *command[3:]])}")
    saves = len(timings.get("autosave (POST)", []))
    print(f"{args.clients} đơn vị đồng thời × {args.saves} lần tự lưu, nghỉ trung bình "
          f"{args.think_ms:g} ms: {saves} lần tự lưu trong {elapsed:.1f} s "
          f"({saves / elapsed:.1f} lần/s)")
    print(f"Lưu trữ: {revisions} lần lưu trong lịch sử, {drafts[0]} bản nháp dở "
          f"(phiên bản lớn nhất {drafts[1]})")
    print(f"{'endpoint':<20}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name in ("autosave (POST)", "baseline /healthz"):
        values = timings[name]
        print(f"{name:<20}{len(values):>6}{statistics.median(values):>10.1f}"
              f"{percentile(values, 95):>10.1f}{max(values):>10.1f}")
    p95 = percentile(timings["autosave (POST)"], 95)
    ok = p95 <= TARGET_MS and not errors and revisions == 0 and drafts[0] == args.clients
    print(f"autosave p95 {p95:.1f} ms {'≤' if p95 <= TARGET_MS else '>'} {TARGET_MS} ms "
          f"{'✓' if ok else '✗'}")
    for error in sorted(set(errors))[:10]:
        print("LỖI:", error)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
