"""Benchmark of the Excel upload path: bare calamine read vs read + extract + validate.

    python bench/bench_excel.py [--files 1000] [--repeat 5] [--outline PATH]

Prints a table of medians. Targets: read+extract+validate of one file ≤ 10 ms; 1,000 files
≤ 3 × calamine's bare read of the same files. Storing a submission is the lead's part: pass a
`store` callable to `run_batch` (the hook) to include it.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import python_calamine as calamine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forms.excel import (  # noqa: E402
    Identity,
    TemplateKey,
    Upload,
    read_upload,
    read_workbook,
    write_template,
)
from forms.excel.reader import extract  # noqa: E402
from forms.loader import load_outline  # noqa: E402
from forms.model import Outline  # noqa: E402
from forms.validate import validate  # noqa: E402

CAM_GIANG = ROOT / "outlines" / "cam-giang-cchc-2025.yaml"


def generated_outline(fields: int = 200) -> Outline:
    """An outline of `fields` items in the Cẩm Giang mix (counts, rates, money, narratives)."""
    lines = ["id: bench-200", "version: 1", "title: Đề cương thử tải", "items:"]
    kinds = ["integer", "integer", "percent", "money", "long_text", "decimal", "text"]
    per_section = 20
    for s in range(fields // per_section):
        lines += ["  - type: section", f"    number: {s + 1}.",
                  f"    label: Phần {s + 1} của đề cương", "    items:"]
        for i in range(per_section):
            kind = kinds[i % len(kinds)]
            lines.append(f"      - {{type: {kind}, name: m_{s}_{i}, number: '-', "
                         f"label: Mục {i + 1} của phần {s + 1}, unit: hồ sơ}}")
    lines += ["      - type: table", "        name: bang", "        number: '-'",
              "        label: Bảng sáng kiến", "        columns:",
              "          - {type: text, name: ten, label: Tên}",
              "          - {type: integer, name: so, label: Số}"]
    return load_outline("\n".join(lines) + "\n", filename="bench-200.yaml")


def filled(outline: Outline, seed: int) -> bytes:
    """A template pre-filled as a unit would send it (numbers, rates, narratives, a table)."""
    values: dict = {}
    for n, item in enumerate(outline.fields()):
        if item.formula is not None:
            continue
        values[item.key] = {
            "integer": seed + n, "money": (seed + n) * 1_000_000, "percent": 95.5,
            "decimal": 8.5, "date": "2025-11-12", "yes_no": True,
            "table": [{c.key: None for c in item.columns} for _ in range(3)],
        }.get(item.kind, f"Nội dung báo cáo của mục {item.ref}, đơn vị {seed}. " * 4)
        if item.kind == "table":
            for row in values[item.key]:
                for c in item.columns:
                    row[c.key] = 3 if c.kind in ("integer", "decimal", "money") else "Sáng kiến"
        if item.kind == "select_one" and item.choices:
            values[item.key] = item.choices[0].name
    buffer = io.BytesIO()
    write_template(outline, buffer, values=values, key=KEY,
                   identity=Identity(outline.id, outline.version, 1, "Đợt thử", f"DV{seed}",
                                     f"Đơn vị {seed}"))
    return buffer.getvalue()


#: The installation the benchmark plays (templates are sealed and checked with it).
KEY = TemplateKey("bench", bytes(32))


def bare_read(data: bytes) -> None:
    """What calamine alone costs: open the file and read every cell of every sheet."""
    book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def ours(outline: Outline) -> Callable[[bytes], Upload]:
    return lambda data: read_upload(data, outline, key=KEY, round_id=1)


def run_batch(files: list[bytes], outline: Outline,
              store: Callable[[Upload], None] | None = None) -> None:
    """The upload path over many files; `store` is the hook for persisting each submission."""
    for data in files:
        upload = read_upload(data, outline, key=KEY, round_id=1)
        if store is not None:
            store(upload)


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--single", type=int, default=300, help="runs for the one-file medians")
    parser.add_argument("--outline", type=Path, default=None)
    args = parser.parse_args()

    outlines = []
    if args.outline:
        outlines.append((args.outline.stem, load_outline(args.outline)))
    elif CAM_GIANG.exists():
        outlines.append(("cam-giang", load_outline(CAM_GIANG)))
    outlines.append(("generated-200", generated_outline(200)))

    print(f"python bench/bench_excel.py --files {args.files} --repeat {args.repeat}")
    header = (f"{'outline':<14} {'fields':>6} {'KB':>5} {'calamine':>9} {'read':>7} "
              f"{'+extract':>9} {'+validate':>10} {'batch cal.':>11} {'batch ours':>11} "
              f"{'ratio':>6}")
    print(header)
    print("-" * len(header))
    for name, outline in outlines:
        one = filled(outline, 0)
        book = read_workbook(one)
        raw = extract(outline, book).raw
        cal = median_ms(lambda one=one: bare_read(one), args.single)
        read = median_ms(lambda one=one: read_workbook(one), args.single)
        rx = median_ms(lambda one=one, outline=outline: extract(outline, read_workbook(one)),
                       args.single)
        full = median_ms(lambda one=one, outline=outline: ours(outline)(one), args.single)
        val = median_ms(lambda raw=raw, outline=outline: validate(outline, raw), args.single)
        files = [filled(outline, seed) for seed in range(min(args.files, 50))]
        files = [files[i % len(files)] for i in range(args.files)]  # distinct-enough bytes
        batch_cal = median_ms(lambda files=files: [bare_read(f) for f in files], args.repeat)
        batch = median_ms(lambda files=files, outline=outline: run_batch(files, outline),
                          args.repeat)
        print(f"{name:<14} {len(outline.fields()):>6} {len(one) / 1024:>5.0f} {cal:>7.2f}ms "
              f"{read:>5.2f}ms {rx:>7.2f}ms {full:>8.2f}ms {batch_cal:>9.0f}ms "
              f"{batch:>9.0f}ms {batch / batch_cal:>5.1f}x")
        print(f"{'':<14} (validate alone: {val:.2f} ms; read+extract without validate: "
              f"{rx:.2f} ms = {rx / cal:.1f}x calamine)")
    print("read = safety checks + calamine open; +extract = identity and values by key; "
          "+validate = read_upload (identity check, extract, validate, locate).")


if __name__ == "__main__":
    main()
