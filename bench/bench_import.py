"""Throughput of `decuong import` with many units in one file, against baselines in the same run.

    python bench/bench_import.py [--units 2000] [--repeat 3]

A database with one open round of the Cẩm Giang outline expecting `--units` units, and a JSON
Lines file with every unit's values (the outline's sample, varied per unit, all valid). Timed:

- `decuong import --db … --round R FILE.jsonl --json` in a fresh process on a fresh copy of the
  database, start-up included (the figure a user sees);
- the same file as a long CSV `unit,item,value`;
- floor: the validation engine alone (`forms.validate` of every unit, in this process, nothing
  stored) — what the import cannot be faster than;
- before: one `decuong import --unit U FILE.json` process per unit (for 10 units), as 4,000
  units had to be imported before.

Each row gives units per second of wall time and units per CPU-second (the process and its
workers): on this shared machine the wall figure falls with the other sessions' load, the CPU
figure much less, and it is what one idle core would give.
Target (issue 16): ≥ 500 units/s for the whole JSONL import.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import OUTLINE, ROOT, numbered_units, open_round, sample_values

from forms import load_outline, validate
from store import open_db

SAMPLE = sample_values()
BEFORE_UNITS = 10


def values(n: int) -> dict:
    """The sample answers with a unit's own figures and text (every rule still holds)."""
    return {**SAMPLE, "nv_tong": str(12 + n % 7), "nv_hoan_thanh": str(9 + n % 7),
            "cd_nguon_luc": f"Đơn vị số {n}: bố trí 01 công chức phụ trách CCHC."}


def make_db(path: Path, units: int) -> tuple[int, list[str]]:
    built = open_round(path, numbered_units(units), title="Đợt thử nhập")
    built.db.conn.close()
    return built.round_id, built.codes


def write_files(folder: Path, codes: list[str]) -> tuple[Path, Path]:
    jsonl = folder / "bao-cao.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for n, code in enumerate(codes):
            out.write(json.dumps({"unit": code, "values": values(n)}, ensure_ascii=False) + "\n")
    long_csv = folder / "bao-cao.csv"
    with long_csv.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["unit", "item", "value"])
        for n, code in enumerate(codes):
            for key, value in values(n).items():
                if isinstance(value, list):
                    for row, cells in enumerate(value, start=1):
                        for column, cell in cells.items():
                            writer.writerow([code, f"{key}.{row}.{column}", cell])
                else:
                    writer.writerow([code, key, value])
    return jsonl, long_csv


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli(*args: object) -> tuple[float, float]:
    """Wall and CPU seconds of one `decuong` run (its worker processes included)."""
    start, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run([sys.executable, "-m", "decuong_cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True)
    elapsed, cpu = time.perf_counter() - start, children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"decuong {' '.join(map(str, args))[:80]}… failed:\n"
                         f"{done.stdout[-1500:]}{done.stderr[-1500:]}")
    return elapsed, cpu


def imported(db_path: Path, round_id: int, expected: int) -> None:
    db = open_db(db_path)
    count = db.conn.execute("SELECT COUNT(*) FROM submissions WHERE round_id = ? AND "
                            "status = 'submitted'", [round_id]).fetchone()[0]
    db.conn.close()
    if count != expected:
        raise SystemExit(f"{count} units stored, {expected} expected")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    outline = load_outline(OUTLINE)
    rows: dict[str, list[float]] = {"floor": [], "jsonl": [], "csv": [], "before": []}
    cpu_rows: dict[str, list[float]] = {key: [] for key in rows}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        round_id, codes = make_db(folder / "mau.db", args.units)
        jsonl, long_csv = write_files(folder, codes)
        one = folder / "mot-don-vi.json"
        for _ in range(args.repeat):
            start, cpu = time.perf_counter(), time.process_time()
            for n in range(args.units):
                if not validate(outline, values(n), mode="submit").ok:
                    raise SystemExit(f"sample {n} is not valid")
            rows["floor"].append(args.units / (time.perf_counter() - start))
            cpu_rows["floor"].append(args.units / (time.process_time() - cpu))
            for name, path in (("jsonl", jsonl), ("csv", long_csv)):
                db_path = folder / f"{name}.db"
                shutil.copy(folder / "mau.db", db_path)
                elapsed, cpu = cli("import", "--db", db_path, "--round", round_id, path,
                                   "--json")
                imported(db_path, round_id, args.units)
                rows[name].append(args.units / elapsed)
                cpu_rows[name].append(args.units / cpu)
            db_path = folder / "before.db"
            shutil.copy(folder / "mau.db", db_path)
            wall = cpu = 0.0
            for n, code in enumerate(codes[:BEFORE_UNITS]):
                one.write_text(json.dumps(values(n), ensure_ascii=False), encoding="utf-8")
                took = cli("import", "--db", db_path, "--round", round_id, "--unit", code, one)
                wall, cpu = wall + took[0], cpu + took[1]
            rows["before"].append(BEFORE_UNITS / wall)
            cpu_rows["before"].append(BEFORE_UNITS / cpu)
    labels = {
        "floor": "validation engine alone (in process)",
        "jsonl": f"decuong import FILE.jsonl ({args.units} units)",
        "csv": f"decuong import long FILE.csv ({args.units} units)",
        "before": f"one decuong import per unit ({BEFORE_UNITS} units)",
    }
    print(f"python bench/bench_import.py --units {args.units} --repeat {args.repeat}")
    print(f"{'':<46} {'units/s (median)':>17} {'best':>8} {'units/CPU-s':>12}")
    for key, label in labels.items():
        print(f"{label:<46} {statistics.median(rows[key]):>17.1f} {max(rows[key]):>8.1f} "
              f"{statistics.median(cpu_rows[key]):>12.1f}")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    met = statistics.median(rows["jsonl"]) >= 500
    print(f"target ≥ 500 units/s for the JSONL import: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
