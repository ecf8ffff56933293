"""Benchmark of the consolidated xlsx of a province's round: 4,000 units of the Cẩm Giang
outline with every narrative filled, against 200 units in the same run.

    python bench/bench_xlsx_province.py [--sizes 200 4000] [--runs 1]

For each size N a fresh subprocess generates the round in memory (about 1 unit in 20 a xã or
sở, the rest phòng under them; 96 % submitted, the others not; every number of the outline
typed, every one of its 45 narratives filled with 200–600 characters of Vietnamese text, one
narrative of 40,000 characters that the workbook must cut with a visible note), consolidates
it with `aggregate.consolidate`, then writes `exports.xlsx.write` to a temporary file. It
reports the seconds of the write (wall and CPU: on a shared machine the wall time includes
waiting for a core), the file size, and the subprocess's peak resident memory
(Linux VmHWM), with and without the write, so the export's own share shows. Targets (issue
16): linear in N, ≤ 60 s and ≤ 500 MB at 4,000 units.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUTLINE = ROOT / "outlines" / "cam-giang-cchc-2025.yaml"
SAMPLE = ROOT / "outlines" / "cam-giang-cchc-2025.sample.json"
PHRASES = (
    "Đơn vị đã ban hành kế hoạch cải cách hành chính và tổ chức triển khai đúng tiến độ. ",
    "Bộ phận một cửa tiếp nhận và trả kết quả đúng hạn, không để tồn đọng hồ sơ. ",
    "Công tác tuyên truyền được thực hiện qua hệ thống loa truyền thanh và mạng xã hội. ",
    "Còn khó khăn về hạ tầng công nghệ thông tin, đường truyền chưa ổn định. ",
    "Đề nghị cấp trên bố trí kinh phí số hóa hồ sơ và tập huấn cho công chức. ",
)
LONG_NARRATIVE = 40_000
DEADLINE = datetime(2025, 12, 20, 16, 59, 59, tzinfo=UTC)


def generate(n: int, seed: int = 16):
    """(outline, units, stored values) of an n-unit Cẩm Giang round."""
    from aggregate import UnitInfo
    from forms.kinds import CATEGORY
    from forms.loader import load_outline
    from forms.validate import to_json, validate

    rng = random.Random(seed)
    outline = load_outline(OUTLINE)
    typed = validate(outline, json.loads(SAMPLE.read_text(encoding="utf-8")))
    assert typed.ok, typed.errors
    sample = to_json(outline, typed.values)
    fields = list(outline.fields())
    units = []
    values: dict[str, dict] = {}
    n_parents = max(1, n // 20)
    text = "".join(PHRASES) * 8
    for i in range(n):
        code = f"DV{i:05d}"
        parent = None if i < n_parents else f"DV{rng.randrange(n_parents):05d}"
        kind = ("xã" if i % 5 else "sở") if parent is None else "phòng"
        submitted = rng.random() < 0.96
        units.append(UnitInfo(code=code, name=f"{'UBND xã' if kind == 'xã' else kind.title()} "
                                              f"số {i + 1} tỉnh Thử", kind=kind, parent=parent,
                              status="submitted" if submitted else "missing",
                              submitted_at=DEADLINE - timedelta(hours=rng.randint(-48, 400))
                              if submitted else None))
        if not submitted:
            continue
        row = dict(sample)
        for item in fields:
            if item.is_computed or item.key is None:
                continue
            if item.kind == "long_text":
                start = rng.randrange(len(text) // 2)
                row[item.key] = f"{code}: " + text[start:start + rng.randint(200, 600)]
            elif CATEGORY.get(item.kind) == "number":
                row[item.key] = (round(rng.uniform(50, 100), 1) if item.kind == "percent"
                                 else rng.randint(0, 500))
        values[code] = row
    first = next(code for code in values)
    long_key = next(item.key for item in fields if item.kind == "long_text")
    values[first][long_key] = (text * (LONG_NARRATIVE // len(text) + 1))[:LONG_NARRATIVE]
    return outline, units, values


def peak_mib() -> float:
    """This process's peak resident set, MiB (VmHWM: a fork + exec child would otherwise
    inherit its parent's ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(n: int, write: bool) -> None:
    """Generate, consolidate and (optionally) export; print one JSON line of figures."""
    from aggregate import consolidate
    from exports import ExportMeta, xlsx

    outline, units, values = generate(n)
    started = time.perf_counter()
    result = consolidate(outline, units, values)
    consolidated = time.perf_counter() - started
    figures = {"units": n, "reported": len(values), "consolidate_s": round(consolidated, 2)}
    if write:
        meta = ExportMeta(round_title="Báo cáo CCHC năm 2025 (đo hiệu năng)", period="Năm 2025",
                          deadline=DEADLINE, generated_at=datetime.now(UTC))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "tinh.xlsx"
            started, cpu = time.perf_counter(), time.process_time()
            xlsx.write(result, path, meta=meta)
            figures["write_s"] = round(time.perf_counter() - started, 2)
            figures["write_cpu_s"] = round(time.process_time() - cpu, 2)
            figures["size_mib"] = round(path.stat().st_size / 2**20, 1)
    figures["peak_mib"] = round(peak_mib(), 1)
    print(json.dumps(figures))


def run_child(n: int, write: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(n), str(int(write))],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 4000])
    parser.add_argument("--runs", type=int, default=1, help="writes per size (median)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(int(args.child[0]), args.child[1] == "1")
        return
    print(f"$ python bench/bench_xlsx_province.py --sizes {' '.join(map(str, args.sizes))} "
          f"--runs {args.runs}")
    rows = []
    for n in args.sizes:
        writes = [run_child(n, write=True) for _ in range(args.runs)]
        bare = run_child(n, write=False)
        rows.append((n, writes, bare))
    base_n, base_writes, _ = rows[0]
    print()
    base_cpu = statistics.median(w["write_cpu_s"] for w in base_writes)
    print("| units (reported) | xlsx write, wall | CPU | × baseline CPU (units ×) | file |"
          " peak RSS with write | without write |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for n, writes, bare in rows:
        seconds = statistics.median(w["write_s"] for w in writes)
        cpu = statistics.median(w["write_cpu_s"] for w in writes)
        peak = max(w["peak_mib"] for w in writes)
        print(f"| {n:,} ({writes[0]['reported']:,}) | {seconds:.2f} s | {cpu:.2f} s | "
              f"{cpu / base_cpu:.1f} ({n / base_n:.0f}) | {writes[0]['size_mib']:.1f} MiB | "
              f"{peak:.0f} MiB | {bare['peak_mib']:.0f} MiB |")
    print(f"\nload average while running: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"(wall time counts waiting for a shared core; CPU time does not)")
    print()
    print("targets at 4,000 units: ≤ 60 s, ≤ 500 MB, cost linear in the number of units")


if __name__ == "__main__":
    main()
