"""Benchmark of the official .docx reports for a province's round: the consolidated report of
a 4,000-unit round of the Cẩm Giang outline with every narrative filled, and one unit's own
report, with a 200-unit round as the baseline in the same run.

    python bench/bench_docx_province.py [--units 4000] [--baseline 200] [--unit-reports 20]

Each round is stored for real in a temporary SQLite file (100 communes, 20 departments, the
rest their rooms, each with a parent; 96 % submitted; every number varied, every long and
short text answered with about 300 characters, every repeating table with two rows). The
consolidated report runs in a fresh subprocess — read the round, consolidate, write the .docx —
which reports its seconds and its peak resident memory (ru_maxrss); the same subprocess
without the write is reported too, so the document's own share is visible. Unit reports are
timed the way the web page makes them (read the round, unit, latest revision, details; write).
Targets (issue 16): consolidated ≤ 60 s and ≤ 500 MB at 4,000 units; a unit report ≤ 1 s.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUTLINE = ROOT / "outlines" / "cam-giang-cchc-2025.yaml"
SAMPLE = ROOT / "outlines" / "cam-giang-cchc-2025.sample.json"
WORDS = ("triển khai", "kế hoạch", "cải cách hành chính", "đúng tiến độ", "người dân",
         "thủ tục", "số hóa", "một cửa", "kiểm tra", "tuyên truyền", "hiệu quả", "cán bộ")


def narrative(rng: random.Random, chars: int = 300) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < chars:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize() + "."


def build(path: Path, n: int) -> int:
    """Store an n-unit round with every narrative filled; return its id."""
    from forms import to_json, validate
    from store import (
        create_round,
        deadline_end_of_day,
        open_db,
        register_outline,
        save_revision,
        set_round_document,
        transaction,
        upsert_units,
    )

    db = open_db(path)
    outline = register_outline(db, OUTLINE.read_text(encoding="utf-8"), actor="bench")
    rng = random.Random(16)
    units = [{"code": "SNV", "name": "Sở Nội vụ", "kind": "sở"}]
    communes = [f"XA{i:03d}" for i in range(1, 101)]
    departments = [f"SO{i:02d}" for i in range(1, 21)]
    units += [{"code": c, "name": f"UBND xã số {i}", "kind": "xã", "parent": "SNV"}
              for i, c in enumerate(communes, 1)]
    units += [{"code": c, "name": f"Sở số {i}", "kind": "sở", "parent": "SNV"}
              for i, c in enumerate(departments, 1)]
    parents = communes + departments
    i = 0
    while len(units) < n:
        i += 1
        parent = parents[i % len(parents)]
        units.append({"code": f"P{i:05d}", "name": f"Phòng số {i} của {parent}",
                      "kind": "phòng", "parent": parent})
    units = units[:n]
    upsert_units(db, units)
    codes = [u["code"] for u in units]
    round_id = create_round(db, outline_id=outline.id, outline_version=outline.version,
                            title="Báo cáo CCHC năm 2026 của tỉnh", period_start=None,
                            period_end=None, period_label="Năm 2026",
                            deadline=deadline_end_of_day(date(2099, 1, 1)), units=codes,
                            created_by="bench")
    set_round_document(db, round_id, {
        "doc_issuer": "Sở Nội vụ", "doc_issuer_parent": "UBND tỉnh", "doc_place": "Hải Dương",
        "doc_number_symbol": "/BC-SNV", "doc_recipients": "UBND tỉnh;\nLưu: VT.",
        "doc_signer_title": "Giám đốc", "doc_signer_name": "Nguyễn Văn A"}, actor="bench")
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    texts = [item.key for item in outline.fields() if item.kind in ("long_text", "text")]
    tables = [item for item in outline.fields() if item.kind == "table"]
    with transaction(db):
        for code in codes:
            if rng.random() < 0.04:
                continue  # not reported
            raw = dict(sample)
            for key, value in sample.items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    raw[key] = type(value)(value * rng.uniform(0.5, 1.5))
            raw.update({key: narrative(rng) for key in texts})
            for item in tables:
                raw[item.key] = [{c.key: (narrative(rng, 60) if c.kind in ("text", "long_text")
                                          else sample.get(item.key, [{}])[0].get(c.key)
                                          if sample.get(item.key) else None)
                                  for c in item.columns} for _ in range(2)]
            result = validate(outline, raw, mode="draft")
            save_revision(db, round_id=round_id, unit_code=code, status="submitted",
                          values=to_json(outline, result.values), channel="import",
                          actor="bench")
    db.close()
    return round_id


def child(db_path: str, round_id: int, out: str, write: bool) -> None:
    """Consolidate (and write) in this fresh process; print seconds and peak RSS as JSON."""
    from aggregate.source import round_input
    from exports import FORMATS
    from exports.commands import meta_for
    from store import open_db

    start = time.perf_counter()
    source = round_input(open_db(db_path), round_id)
    result = source.consolidate()
    if write:
        FORMATS["docx"](result, Path(out), meta=meta_for(source))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak}))


def consolidated(db: Path, round_id: int, out: Path, write: bool) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", str(db), str(round_id),
                           str(out), "1" if write else "0"], check=True, capture_output=True,
                          text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def unit_reports(db_path: Path, round_id: int, count: int) -> list[float]:
    """Seconds of each of `count` unit reports made as the web route makes them."""
    import store
    from exports.docx import write_unit_report

    db = store.open_db(db_path)
    codes = [u["unit"] for u in store.round_status(db, round_id)["units"]
             if u["revision"]][:count]
    times = []
    for code in codes:
        start = time.perf_counter()
        round_row = store.get_round(db, round_id)
        unit = store.round_units(db, round_id, code, round_checked=True)[0]
        outline = store.outline_for_round(db, round_id)
        revision = store.get_revision(db, round_id, code, None)
        buffer = io.BytesIO()
        write_unit_report(outline, unit, revision, buffer, round_row=round_row,
                          document=store.round_document(db, round_id),
                          generated_at=datetime.now(UTC))
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=4000)
    parser.add_argument("--baseline", type=int, default=200)
    parser.add_argument("--unit-reports", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-docx-") as tmp:
        rows = []
        for n in (args.baseline, args.units):
            db = Path(tmp) / f"round-{n}.db"
            start = time.perf_counter()
            round_id = build(db, n)
            built = time.perf_counter() - start
            out = Path(tmp) / f"tong-hop-{n}.docx"
            bare = consolidated(db, round_id, out, write=False)
            full = consolidated(db, round_id, out, write=True)
            reports = unit_reports(db, round_id, args.unit_reports)
            rows.append((n, built, bare, full, out.stat().st_size, reports))
        print(f"{'units':>6} {'build s':>8} {'consolidate s':>14} {'+ docx s':>9} "
              f"{'docx peak MiB':>14} {'bare peak MiB':>14} {'docx MB':>8} "
              f"{'unit report s (median / max)':>30}")
        for n, built, bare, full, size, reports in rows:
            print(f"{n:>6} {built:>8.1f} {bare['seconds']:>14.2f} {full['seconds']:>9.2f} "
                  f"{full['peak_mib']:>14.0f} {bare['peak_mib']:>14.0f} {size / 1e6:>8.1f} "
                  f"{statistics.median(reports):>14.3f} / {max(reports):.3f}")
        (n0, _, _, base, _, _), (n1, _, _, big, _, _) = rows
        print(f"docx time ratio {n1}/{n0} units: {big['seconds'] / base['seconds']:.1f}× for "
              f"{n1 / n0:.0f}× the units; targets: ≤ 60 s, ≤ 500 MB, unit report ≤ 1 s")


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1")
    else:
        main()
