"""Benchmark of a year at a glance: four periodic rounds (quý I, 6 tháng, 9 tháng, năm) of the
Cẩm Giang outline, each with N units, lined up as series and written as the year's xlsx.

    python bench/bench_year_series.py [--units 4000]

Each round is consolidated with `aggregate.consolidate` (its own time is printed apart, as the
page builds it per round anyway); then `aggregate.year_series` lines the four up and
`exports.year_xlsx.write_year` writes every unit's series to a temporary file. Every number of
the outline is typed, scaled per unit and period so the series differ.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "outlines" / "cam-giang-cchc-2025.sample.json"
PERIODS = (("quy-1", "Quý I"), ("6-thang", "6 tháng"), ("9-thang", "9 tháng"), ("nam", "Năm"))


def main() -> None:
    from aggregate import SeriesPeriod, UnitInfo, consolidate, year_series
    from exports.year_xlsx import write_year
    from forms import find_outline, to_json, validate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=4000)
    args = parser.parse_args()
    outline, _ = find_outline("cam-giang-cchc-2025")
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    numbers = {k: v for k, v in sample.items() if isinstance(v, int) and not isinstance(v, bool)}
    units = [UnitInfo(f"X{i:04d}", f"Đơn vị {i}", kind="xã", status="submitted")
             for i in range(args.units)]
    rng = random.Random(9)
    rounds = []
    built = 0.0
    for number, (kind, label) in enumerate(PERIODS, start=1):
        values = {}
        for unit in units:
            raw = {**sample, **{k: v * number + rng.randint(0, 3) for k, v in numbers.items()}}
            result = validate(outline, raw, mode="draft")
            values[unit.code] = to_json(outline, result.values)
        start = time.perf_counter()
        rounds.append((SeriesPeriod(kind, label, number), consolidate(outline, units, values)))
        built += time.perf_counter() - start
    start = time.perf_counter()
    series = year_series(rounds)
    lined = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chuoi.xlsx"
        start = time.perf_counter()
        write_year(series, path, title="Chuỗi số liệu năm 2026")
        written = time.perf_counter() - start
        size = path.stat().st_size
    print(json.dumps({"units": args.units, "items": len(series.items),
                      "consolidate_4_rounds_s": round(built, 2),
                      "year_series_s": round(lined, 3), "xlsx_s": round(written, 2),
                      "xlsx_mb": round(size / 1e6, 2)}))


if __name__ == "__main__":
    main()
