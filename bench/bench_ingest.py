"""Benchmark of the whole Excel intake: parse, validate and store filled Cẩm Giang templates.

    python bench/bench_ingest.py [--files 1000] [--repeat 3]

Baseline in the same run: python-calamine merely reading every cell of the same files.
Targets (issue 4): one file parsed, validated and stored ≤ 10 ms (median); 1,000 files ≤ 5 s
and ≤ 3 × the bare calamine read.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import python_calamine as calamine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forms.excel import Identity, write_template  # noqa: E402
from store import (  # noqa: E402
    create_round,
    deadline_end_of_day,
    open_db,
    register_outline,
    upsert_units,
)
from store.uploads import ingest_upload  # noqa: E402

OUTLINE = ROOT / "outlines" / "cam-giang-cchc-2025.yaml"


def sample(seed: int) -> dict:
    """Plausible answers that pass every rule, varied per unit."""
    received = 1000 + seed
    return {
        "nv_tong": 12, "nv_hoan_thanh": 9, "nv_dang_thuc_hien": 3,
        "hs_tiep_nhan": received, "hs_da_giai_quyet": received - 10,
        "hs_dung_han": received - 20, "hs_qua_han": 5, "hs_ty_le_truc_tuyen": 80.5,
        "pakn_tiep_nhan": 6, "pakn_da_giai_quyet": 5, "dvsn_tong": 3, "dvsn_nhom_3": 1,
        "dvsn_nhom_4": 2, "hai_long": 96.5, "hai_long_dat_dai": 91,
        "ngan_sach_thu": 12_500_000_000 + seed, "cd_nguon_luc": f"Đơn vị {seed}: 01 công chức.",
        "dg_ket_qua_tich_cuc": "Hoàn thành đúng hạn các nhiệm vụ được giao. " * 5,
    }


def setup(folder: Path, files: int):
    db = open_db(folder / "bench.db")
    text = OUTLINE.read_text(encoding="utf-8")
    outline = register_outline(db, text)
    codes = [f"DV{n:04d}" for n in range(files)]
    upsert_units(db, [{"code": c, "name": f"Đơn vị số {n}", "kind": "xã"}
                      for n, c in enumerate(codes)])
    from datetime import date
    round_id = create_round(db, outline_id=outline.id, outline_version=outline.version,
                            title="Đợt thử tải", period_start=None, period_end=None,
                            period_label=None, deadline=deadline_end_of_day(date(2099, 1, 1)),
                            units=codes, created_by="bench")
    blobs = []
    for n, code in enumerate(codes):
        buffer = io.BytesIO()
        identity = Identity(outline.id, outline.version, round_id, "Đợt thử tải", code,
                            f"Đơn vị số {n}").sealed(outline)
        write_template(outline, buffer, identity=identity, values=sample(n))
        blobs.append((code, buffer.getvalue()))
    return db, round_id, blobs


def bare_read(data: bytes) -> None:
    book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"python bench/bench_ingest.py --files {args.files} --repeat {args.repeat}")
    bare_runs, ingest_runs, single = [], [], []
    for run in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            db, _round_id, blobs = setup(Path(tmp), args.files)
            start = time.perf_counter()
            for _code, data in blobs:
                bare_read(data)
            bare_runs.append(time.perf_counter() - start)
            start = time.perf_counter()
            for n, (_code, data) in enumerate(blobs):
                t0 = time.perf_counter()
                outcome = ingest_upload(db, data, f"{n}.xlsx", actor="bench")
                single.append(time.perf_counter() - t0)
                if outcome.status != "accepted":
                    raise SystemExit(f"file {n} not accepted: {outcome.errors[:2]}")
            ingest_runs.append(time.perf_counter() - start)
            print(f"  run {run + 1}: calamine {bare_runs[-1]:.2f} s, "
                  f"ingest {ingest_runs[-1]:.2f} s")
    bare, ingest = statistics.median(bare_runs), statistics.median(ingest_runs)
    print(f"{'files':>6} {'calamine read':>14} {'parse+validate+store':>21} {'ratio':>6} "
          f"{'median one file':>16}")
    print(f"{args.files:>6} {bare:>12.2f} s {ingest:>19.2f} s {ingest / bare:>5.1f}x "
          f"{statistics.median(single) * 1000:>13.1f} ms")


if __name__ == "__main__":
    main()
