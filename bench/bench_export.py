"""Benchmark of `exports.xlsx.write` against a bare xlsxwriter `constant_memory` write.

    python bench/bench_export.py [--n 10000] [--runs 3]

Generates the 150-number outline of `bench_aggregate.py` and N submissions in memory, feeds
`consolidate` directly, then times (a) a bare xlsxwriter constant_memory write of the same
cells (one row per unit, one number per item: units × items) and (b) the full aggregated
workbook, `exports.xlsx.write(consolidation, path)`. Prints the median of the runs, the ratio
(b)/(a) (target ≤ 1.5) and the peak memory of (b), measured as the maximum resident set size
of a fresh subprocess that builds the consolidation and writes once (target ≤ 500 MiB; the
same subprocess without the write is reported too, so the export's own share is visible).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_aggregate import generate, outline_yaml  # noqa: E402

from aggregate import consolidate  # noqa: E402
from aggregate.frame import numeric_items  # noqa: E402
from exports import ExportMeta, xlsx  # noqa: E402
from forms.loader import load_outline  # noqa: E402

META = ExportMeta(round_title="Đo hiệu năng", period="6 tháng cuối năm 2025",
                  deadline=datetime(2025, 11, 12, 16, 59, 59, tzinfo=UTC),
                  generated_at=datetime.now(UTC))


def bare_write(path: Path, rows: list[list[float]]) -> None:
    """The floor: every unit's numbers (units × items, computed rates included), one row each,
    empty cells skipped, nothing else."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    number = workbook.add_format({"num_format": "#,##0"})
    write = sheet.write_number
    for row, values in enumerate(rows):
        for col, value in enumerate(values):
            if value == value:
                write(row, col, value, number)
    workbook.close()


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_child(n: int, write: bool) -> float:
    """Max RSS (MiB) of a subprocess that consolidates n units and (optionally) exports."""
    code = (
        "import sys, resource, tempfile, pathlib;"
        f"sys.argv=['bench_export.py','--child','{n}','{int(write)}'];"
        f"sys.path.insert(0, {str(ROOT / 'bench')!r});"
        "import bench_export; bench_export.child()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["peak_mib"]


def child() -> None:
    n, write = int(sys.argv[2]), sys.argv[3] == "1"
    outline = load_outline(outline_yaml(), filename="bench.yaml")
    units, values = generate(n)
    result = consolidate(outline, units, values)
    if write:
        with tempfile.TemporaryDirectory() as tmp:
            xlsx.write(result, Path(tmp) / "b.xlsx", meta=META)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"peak_mib": round(peak, 1)}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of units")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    outline = load_outline(outline_yaml(), filename="bench.yaml")
    keys = [item.key for item in numeric_items(outline)]
    units, values = generate(args.n)
    result = consolidate(outline, units, values)
    rows = result.frame[keys].to_numpy(dtype=float).tolist()
    cells = int(result.frame[keys].notna().to_numpy().sum())
    print(f"$ python bench/bench_export.py --n {args.n} --runs {args.runs}")
    print(f"{args.n} units ({len(values)} reported) × {len(keys)} numeric "
          f"items: {cells:,} non-empty cells; median of {args.runs}")
    with tempfile.TemporaryDirectory() as tmp:
        bare = timed(lambda: bare_write(Path(tmp) / "a.xlsx", rows), args.runs)
        full = timed(lambda: xlsx.write(result, Path(tmp) / "b.xlsx", meta=META), args.runs)
        size_a = (Path(tmp) / "a.xlsx").stat().st_size / 2**20
        size_b = (Path(tmp) / "b.xlsx").stat().st_size / 2**20
    base_mem = peak_child(args.n, write=False)
    peak = peak_child(args.n, write=True)
    print()
    print("| measure                                   |     value | target |")
    print("|-------------------------------------------|----------:|-------:|")
    print(f"| (a) bare xlsxwriter constant_memory write | {bare:7.2f} s |        |")
    print(f"| (b) exports.xlsx.write (whole workbook)   | {full:7.2f} s |        |")
    print(f"| ratio (b)/(a)                             | {full / bare:9.2f} | ≤ 1.5  |")
    print(f"| file size (a) / (b)                       | {size_a:4.1f}/{size_b:4.1f} MiB |"
          "        |")
    print(f"| peak RSS, consolidate only (subprocess)   | {base_mem:5.0f} MiB |        |")
    print(f"| peak RSS, consolidate + (b) (subprocess)  | {peak:5.0f} MiB | ≤ 500  |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child()
    else:
        main()
