"""Benchmark of `aggregate.consolidate` against a bare pandas baseline.

    python bench/bench_aggregate.py [--n 10000] [--runs 3]

Generates an outline of 150 numeric items (10 sections × 12 counts, a rate formula with a
target, a typed-in percent and a money item) and N submissions, then times (a) the baseline:
the wide frame from the value dicts plus `groupby(kind).sum()` with one ratio column, and
(b) `consolidate(...)`. Prints the median of the runs and the ratio (b)/(a).
Without --n it runs 100, 1,000, 10,000 and 100,000 units.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aggregate import UnitInfo, consolidate
from forms.loader import load_outline

SECTIONS = 10
COUNTS = 12


def outline_yaml() -> str:
    lines = ["id: bench-150", "version: 1", "title: Đề cương đo hiệu năng", "items:"]
    for s in range(SECTIONS):
        lines += ["  - type: section", f"    number: {s + 1}.", f"    label: Phần {s + 1}",
                  "    items:"]
        for c in range(COUNTS):
            lines.append(f"      - {{type: integer, name: s{s}_c{c}, number: '-', "
                         f"label: Chỉ số {c}, unit: hồ sơ}}")
        lines += [
            f"      - {{type: percent, name: s{s}_rate, number: '-', label: Tỷ lệ, "
            f"calculation: s{s}_c1 / s{s}_c0 * 100, target: '>= 95'}}",
            f"      - {{type: percent, name: s{s}_pct, number: '-', label: Mức độ hài lòng}}",
            f"      - {{type: money, name: s{s}_money, number: '-', label: Kinh phí, "
            f"unit: đồng}}",
        ]
    return "\n".join(lines) + "\n"


def generate(n: int, seed: int = 7) -> tuple[list[UnitInfo], dict[str, dict]]:
    rng = random.Random(seed)
    units: list[UnitInfo] = []
    values: dict[str, dict] = {}
    n_parents = max(1, n // 20)
    for i in range(n):
        code = f"U{i:06d}"
        is_parent = i < n_parents
        kind = "xã" if is_parent else "phòng"
        parent = None if is_parent else f"U{rng.randrange(n_parents):06d}"
        reported = rng.random() < 0.9
        units.append(UnitInfo(code, f"Đơn vị {i}", kind, parent,
                              "submitted" if reported else "missing"))
        if not reported:
            continue
        record: dict = {}
        for s in range(SECTIONS):
            for c in range(COUNTS):
                if rng.random() > 0.05:
                    record[f"s{s}_c{c}"] = rng.randint(0, 500)
            record[f"s{s}_pct"] = None if rng.random() < 0.1 else rng.uniform(60, 100)
            record[f"s{s}_money"] = rng.randint(0, 10**9)
        values[code] = record
    return units, values


def baseline(units: list[UnitInfo], values: dict[str, dict], keys: list[str]) -> pd.DataFrame:
    records = [values.get(u.code, {}) for u in units]
    frame = pd.DataFrame.from_records(records, columns=keys).astype(float)
    frame["kind"] = [u.kind for u in units]
    sums = frame.groupby("kind", sort=False).sum(min_count=1)
    sums["ratio"] = sums["s0_c1"] / sums["s0_c0"] * 100
    return sums


def timed(function, runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds; CPU time is the steadier figure on a shared
    machine, where other processes stretch wall-clock time."""
    walls, cpus = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return statistics.median(walls), statistics.median(cpus)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append",
                        help="number of units (repeatable); default 100 1000 10000 100000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    outline = load_outline(outline_yaml(), filename="bench-150.yaml")
    keys = [item.key for item in outline.fields()]
    assert len(keys) == 150
    print(f"{'units':>8} {'baseline s':>11} {'consolidate s':>14} {'ratio':>6} "
          f"{'µs/unit':>8} {'cpu: base s':>12} {'consolidate s':>14} {'ratio':>6}")
    for n in args.n or [100, 1000, 10_000, 100_000]:
        units, values = generate(n)
        base = timed(lambda units=units, values=values: baseline(units, values, keys), args.runs)
        full = timed(lambda units=units, values=values: consolidate(outline, units, values),
                     args.runs)
        (base, base_cpu), (full, full_cpu) = base, full
        print(f"{n:>8} {base:>11.3f} {full:>14.3f} {full / base:>6.2f} {full / n * 1e6:>8.1f} "
              f"{base_cpu:>12.3f} {full_cpu:>14.3f} {full_cpu / base_cpu:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
