"""How fast can one client guess passwords against a real `decuong serve`?

    python bench/bench_login_throttle.py [--seconds 7]

Builds a database with one coordinator, starts `decuong serve` on loopback, and lets one client
post wrong passwords for `--seconds` as fast as it can (a new attempt as soon as the previous
answer arrives, whether 401 "wrong" or 429 "wait"). Prints how many passwords the server
actually checked, how many attempts it refused unchecked, and the median time of each kind of
answer. Before throttling (issue 12) this client got 30 guesses checked in 7 s.
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import Session, scratch_database, served

import store

PASSWORD = "bench-mat-khau-dung"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=7.0)
    args = parser.parse_args()
    with scratch_database() as db_path:
        db = store.open_db(db_path)
        store.add_account(db, "dau-moi", PASSWORD, "coordinator")
        db.close()
        with served(db_path) as (port, _command):
            attacker = Session(port)
            attacker.request("GET", "/auth/login")
            times: dict[int, list[float]] = {}
            end = time.perf_counter() + args.seconds
            n = 0
            while time.perf_counter() < end:
                started = time.perf_counter()
                status, _ = attacker.request("POST", "/auth/login", {
                    "csrf_token": attacker.token, "username": "dau-moi",
                    "password": f"doan-{n}"})
                times.setdefault(status, []).append((time.perf_counter() - started) * 1000)
                n += 1
    checked, refused = times.get(401, []), times.get(429, [])
    print(f"{args.seconds:g} s of guessing from one client: {n} attempts, "
          f"{len(checked)} passwords checked (401), {len(refused)} refused unchecked (429)")
    for label, values in (("checked (401)", checked), ("refused (429)", refused)):
        if values:
            print(f"  {label}: median {statistics.median(values):.1f} ms")
    other = sorted(set(times) - {401, 429})
    if other:
        print(f"  other answers: {other}")


if __name__ == "__main__":
    main()
