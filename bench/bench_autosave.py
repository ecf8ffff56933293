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

import json
import random
import re
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import common

import store
from forms import to_json, validate
from webapp.autosave import fields_from_raw, raw_from_stored

TARGET_MS = 150


def build_db(path: Path, clients: int) -> tuple[int, dict[str, str], list[list[str]]]:
    """A round expecting `clients` units, each with an account; the form fields of the sample
    report, as the fill page posts them."""
    rows = [{"code": c, "name": f"Đơn vị thử tải {c}"}
            for c in (f"U{n:03d}" for n in range(1, clients + 1))]
    built = common.open_round(path, rows, title="Đợt thử tự lưu", period_start="2025-07-01")
    users = {}
    for code in built.codes:
        store.add_account(built.db, code.lower(), common.PASSWORD, "unit", code)
        users[code.lower()] = code
    built.db.close()
    outline = built.outline
    values = to_json(outline, validate(outline, common.sample_values(), mode="draft").values)
    fields = [[name, value] for name, value in
              fields_from_raw(outline, raw_from_stored(outline, values)).items(multi=True)]
    return built.round_id, users, fields


def post_json(session: common.Session, path: str, body: dict) -> tuple[int, dict]:
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
    base = re.search(r'name="base_revision" value="(\d+)"', html)
    version = re.search(r'name="draft_version" value="(\d+)"', html)
    assert base and version, "the fill page carries no version token"
    return [int(base.group(1)), int(version.group(1))]


def client(port: int, round_id: int, username: str, code: str, saves: int,
           fields: list[list[str]], timings: common.Timings, think_ms: float,
           start: Callable[[], object]) -> None:
    session = common.Session(port)
    session.login(username)
    status, page = session.request("GET", f"/rounds/{round_id}/units/{code}/edit")
    assert status == 200, f"fill page of {code}: HTTP {status}"
    token = page_token(page.decode("utf-8"))
    path = f"/rounds/{round_id}/units/{code}/autosave"
    pause = random.Random(username)
    mine: dict[str, list[float]] = {"autosave (POST)": [], "baseline /healthz": []}
    start()  # logins hash passwords on purpose (slow): keep them out of the timings
    for n in range(saves):
        if think_ms:
            time.sleep(pause.uniform(0, 2 * think_ms) / 1000)
        typed = [[k, str(10 + n) if k == "nv_tong" else v] for k, v in fields]
        began = time.perf_counter()
        status, answer = post_json(session, path, {"fields": typed, "token": token})
        mine["autosave (POST)"].append((time.perf_counter() - began) * 1000)
        if status != 200 or answer.get("state") != "saved":
            timings.errors.append(f"autosave: HTTP {status} {answer.get('state')}")
        else:
            token = answer["token"]
        mine["baseline /healthz"].append(session.timed("GET", "/healthz")[2])
    timings.merge(mine)


def main() -> int:
    parser = common.served_parser(__doc__, clients=50, clients_help="units autosaving at once",
                                  think_ms=1500)
    parser.add_argument("--saves", type=int, default=20, help="autosaves per unit")
    args = parser.parse_args()

    with common.scratch_database() as db_path:
        started = time.perf_counter()
        round_id, users, fields = build_db(db_path, args.clients)
        print(f"Cơ sở dữ liệu: {args.clients} đơn vị, biểu mẫu {len(fields)} ô, dựng trong "
              f"{time.perf_counter() - started:.1f} s")
        with common.served(db_path, threads=args.threads) as (port, command):
            timings = common.Timings()
            elapsed = common.concurrently([
                partial(client, port, round_id, username, code, args.saves, fields, timings,
                        args.think_ms) for username, code in users.items()])
        db = store.open_db(db_path)
        revisions = db.conn.execute("SELECT count(*) FROM revisions").fetchone()[0]
        drafts = db.conn.execute("SELECT count(*), max(version) FROM working_drafts").fetchone()
        db.close()

    print(common.server_line(command))
    got = timings.samples
    saves = len(got.get("autosave (POST)", []))
    print(f"{args.clients} đơn vị đồng thời × {args.saves} lần tự lưu, nghỉ trung bình "
          f"{args.think_ms:g} ms: {saves} lần tự lưu trong {elapsed:.1f} s "
          f"({saves / elapsed:.1f} lần/s)")
    print(f"Lưu trữ: {revisions} lần lưu trong lịch sử, {drafts[0]} bản nháp dở "
          f"(phiên bản lớn nhất {drafts[1]})")
    met = common.latency_table([("autosave (POST)", got["autosave (POST)"], TARGET_MS),
                         ("baseline /healthz", got["baseline /healthz"], None)],
                        baseline=got["baseline /healthz"], width=20)
    ok = met and not timings.errors and revisions == 0 and drafts[0] == args.clients
    p95 = common.percentile(got["autosave (POST)"], 95)
    print(f"autosave p95 {p95:.1f} ms {'≤' if p95 <= TARGET_MS else '>'} {TARGET_MS} ms "
          f"{'✓' if ok else '✗'}")
    common.print_errors(timings.errors)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
