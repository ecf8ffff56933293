"""Benchmark of `exports.xlsx.write` against a bare xlsxwriter `constant_memory` write.

    python bench/bench_export.py [--n 10000] [--runs 3]

Generates the 150-number outline of `bench_aggregate.py` and N submissions in memory, feeds
`consolidate` directly, then times, interleaved:

(a) a bare xlsxwriter constant_memory write of the same cells: every number, text and date the
    export writes, captured from one untimed export, replayed sheet by sheet at the same
    positions with `write_number` / `write_string` / `write_datetime` and nothing else (no
    formats, merges, conditional formats, charts, filters, print setup);
(b) the full aggregated workbook, `exports.xlsx.write(consolidation, path)`;
(c) for reference, the floor below (a): only the units' numbers (units × items) on one sheet.

Prints the medians, the ratio (b)/(a) (target ≤ 1.5), (b)/(c), and the peak memory of (b),
measured as the maximum resident set size of a fresh subprocess that builds the consolidation
and writes once (target ≤ 500 MiB; the same subprocess without the write is reported too, so the
export's own share is visible).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import xlsxwriter
from bench_aggregate import generate, outline_yaml
from common import ROOT, median_seconds
from xlsxwriter.worksheet import Worksheet

from aggregate import consolidate
from aggregate.frame import numeric_items
from exports import ExportMeta, xlsx
from forms.loader import load_outline

META = ExportMeta(round_title="Đo hiệu năng", period="6 tháng cuối năm 2025",
                  deadline=datetime(2025, 11, 12, 16, 59, 59, tzinfo=UTC),
                  generated_at=datetime.now(UTC))


Cell = tuple[int, int, object, str]


def captured_cells(result, path: Path) -> dict[str, list[Cell]]:
    """Sheet → (row, col, value, method) of every value `exports.xlsx.write` writes, in order.

    The export runs once with the worksheet's write methods wrapped to note their arguments;
    blanks and the empty strings of merged ranges carry no value and are left out."""
    cells: dict[str, list[Cell]] = {}
    methods = ("write_number", "write_string", "write_datetime")
    originals = {name: getattr(Worksheet, name) for name in methods}

    def noting(name):
        original = originals[name]

        def write(self, row, col, value, *rest):
            if value != "":
                cells.setdefault(self.name, []).append((row, col, value, name))
            return original(self, row, col, value, *rest)
        return write

    try:
        for name in methods:
            setattr(Worksheet, name, noting(name))
        xlsx.write(result, path, meta=META)
    finally:
        for name, original in originals.items():
            setattr(Worksheet, name, original)
    return cells


def same_cells_write(path: Path, cells: dict[str, list[Cell]]) -> None:
    """(a): the export's cells, bare."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True,
                                               "strings_to_formulas": False,
                                               "strings_to_numbers": False,
                                               "strings_to_urls": False})
    for name, written in cells.items():
        sheet = workbook.add_worksheet(name)
        calls = {"write_number": sheet.write_number, "write_string": sheet.write_string,
                 "write_datetime": sheet.write_datetime}
        for row, col, value, method in written:
            calls[method](row, col, value)
    workbook.close()


def bare_write(path: Path, rows: list[list[float]]) -> None:
    """(c), the floor: every unit's numbers (units × items, computed rates included), one row
    each, empty cells skipped, nothing else."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    number = workbook.add_format({"num_format": "#,##0"})
    write = sheet.write_number
    for row, values in enumerate(rows):
        for col, value in enumerate(values):
            if value == value:
                write(row, col, value, number)
    workbook.close()


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
    print(json.dumps({"peak_mib": round(peak_mib(), 1)}))


def peak_mib() -> float:
    """This process's peak resident set, MiB. Linux's VmHWM, not ru_maxrss: a process started
    by fork + exec inherits its parent's ru_maxrss, so the child would report the parent's
    peak whenever that is the larger."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


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
        cells = captured_cells(result, Path(tmp) / "capture.xlsx")
        n_cells = sum(len(written) for written in cells.values())
        runs: dict[str, list[float]] = {"a": [], "b": [], "c": []}
        a, b, c = (Path(tmp) / f"{name}.xlsx" for name in "abc")
        for _ in range(args.runs):  # interleaved, so a busy moment hits all three alike
            runs["a"].append(median_seconds(lambda: same_cells_write(a, cells), 1))
            runs["b"].append(median_seconds(lambda: xlsx.write(result, b, meta=META), 1))
            runs["c"].append(median_seconds(lambda: bare_write(c, rows), 1))
        same, full, floor = (statistics.median(runs[k]) for k in "abc")
        size_a, size_b, size_c = ((Path(tmp) / f"{k}.xlsx").stat().st_size / 2**20
                                  for k in "abc")
    base_mem = peak_child(args.n, write=False)
    peak = peak_child(args.n, write=True)
    print(f"the export writes {n_cells:,} values on {len(cells)} sheets")
    print()
    print("| measure                                              |     value | target |")
    print("|------------------------------------------------------|----------:|-------:|")
    print(f"| (a) bare constant_memory write of the same cells     | {same:7.2f} s |        |")
    print(f"| (b) exports.xlsx.write (whole workbook)              | {full:7.2f} s |        |")
    print(f"| (c) bare write of the units' numbers only, one sheet | {floor:7.2f} s |        |")
    print(f"| ratio (b)/(a)                                        | {full / same:9.2f} | ≤ 1.5  |")
    print(f"| ratio (b)/(c)                                        | {full / floor:9.2f} |"
          "        |")
    print(f"| file size (a) / (b) / (c), MiB                       | "
          f"{size_a:.1f}/{size_b:.1f}/{size_c:.1f} |        |")
    print(f"| peak RSS, consolidate only (subprocess)              | {base_mem:5.0f} MiB |"
          "        |")
    print(f"| peak RSS, consolidate + (b) (subprocess)             | {peak:5.0f} MiB |"
          " ≤ 500  |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child()
    else:
        main()
