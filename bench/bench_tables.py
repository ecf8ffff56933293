"""What the table functions cost the engine: validating a report whose table has many rows, with
and without the computed column, the row rule and the items over the table.

    python bench/bench_tables.py [--rows 200] [--runs 30]

Both outlines are the shipped PAR INDEX remediation outline (version 2) — once as shipped, once
with its computed column, `row_rules` and column-function items removed (what version 1 asked of
the engine) — validated on the same typed rows in "submit" mode; medians are printed, and the
overhead per row. Target: a full 200-row table stays well under the 100 ms a live check may take.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forms.loader import load_outline  # noqa: E402  (after the path is set)
from forms.validate import validate  # noqa: E402

OUTLINE = ROOT / "outlines" / "lang-son-ngoai-vu-khac-phuc-par-index-2024.yaml"


def plain_outline():
    """The same outline without anything computed over the table."""
    data = yaml.safe_load(OUTLINE.read_text(encoding="utf-8"))
    for section in data["items"]:
        if section.get("name") == "tieu_chi":
            section.pop("row_rules", None)
            section["columns"] = [c for c in section["columns"] if "calculation" not in c]
        section["items"] = [i for i in section.get("items", [])
                            if "tieu_chi" not in str(i.get("calculation", ""))]
        if not section["items"]:
            section.pop("items")
    data["rules"] = [r for r in data["rules"] if "tong_diem_con_thieu" not in r["constraint"]]
    return load_outline(yaml.safe_dump(data, allow_unicode=True))


def median_ms(outline, raw: dict, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        validate(outline, raw)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    rows = [{"ma_tieu_chi": f"{i // 10}.{i % 10}", "ten_tieu_chi": f"Tiêu chí {i}",
             "diem_dat": f"{i % 3},5", "diem_toi_da": "4", "tien_do": "dang_thuc_hien"}
            for i in range(args.rows)]
    raw = {"tong_diem_dat": "91,89", "tong_diem_toi_da": "100", "tieu_chi": rows}
    with_tables = load_outline(OUTLINE)
    plain = plain_outline()
    computed = median_ms(with_tables, raw, args.runs)
    bare = median_ms(plain, raw, args.runs)
    print(f"{args.rows} rows, median of {args.runs}: with table functions {computed:.1f} ms, "
          f"without {bare:.1f} ms, overhead {(computed - bare) / args.rows * 1000:.1f} µs/row")


if __name__ == "__main__":
    main()
