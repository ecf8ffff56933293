"""Benchmark of the whole Excel intake: parse, validate and store filled Cẩm Giang templates.

    python bench/bench_ingest.py [--files 1000] [--repeat 3]

Both paths run `store.bulk_ingest.ingest_many`, as `decuong ingest` does: with its default
workers (files read in worker processes, stored here in file order), and with workers=1 (every
step in this process: the cost per core). Baseline in the same run: python-calamine merely
reading every cell of the same files in this process.
Targets (issue 4): one file parsed, validated and stored ≤ 10 ms (median); 1,000 files ≤ 5 s
and ≤ 3 × the bare calamine read.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import python_calamine as calamine
from common import numbered_units, open_round

from forms.excel import Identity, TemplateKey, write_template
from forms.excel.parallel import start_method
from store import open_db, template_key
from store.bulk_ingest import default_workers, ingest_many

TITLE = "Đợt thử tải"


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


def make_db(path: Path, files: int):
    """A database with one open round expecting `files` units (the same ids every time)."""
    built = open_round(path, numbered_units(files), title=TITLE)
    return built.db, built.outline, built.round_id, built.codes


def templates(outline, round_id: int, codes: list[str], key: TemplateKey
              ) -> list[tuple[str, bytes]]:
    """Each unit's template, filled: (file name, bytes)."""
    blobs = []
    for n, code in enumerate(codes):
        buffer = io.BytesIO()
        identity = Identity(outline.id, outline.version, round_id, TITLE, code,
                            f"Đơn vị số {n}")
        write_template(outline, buffer, identity=identity, key=key, values=sample(n))
        blobs.append((f"{code}.xlsx", buffer.getvalue()))
    return blobs


def bare_read(data: bytes) -> None:
    book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def ingest(db, files: list[tuple[str, bytes]], workers: int | None) -> tuple[float, list[float]]:
    """Seconds for the whole batch, and the time between consecutive outcomes."""
    gaps = []
    start = last = time.perf_counter()
    for n, outcome in enumerate(ingest_many(db, files, actor="bench", workers=workers)):
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
        if outcome.status != "accepted":
            raise SystemExit(f"file {n} not accepted: {outcome.errors[:2]}")
    return time.perf_counter() - start, gaps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    workers = default_workers()
    print(f"python bench/bench_ingest.py --files {args.files} --repeat {args.repeat}")
    print(f"{os.cpu_count()} cores; bulk ingest with workers={workers} "
          f"({start_method() or 'in-process'})")
    bare_runs, bulk_runs, single_runs, single_files = [], [], [], []
    for run in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            bulk_db, outline, round_id, codes = make_db(Path(tmp) / "bulk.db", args.files)
            # A copy, not a second database: the files are sealed with this installation's key.
            bulk_db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copyfile(Path(tmp) / "bulk.db", Path(tmp) / "single.db")
            single_db = open_db(Path(tmp) / "single.db")
            files = templates(outline, round_id, codes, template_key(bulk_db))
            start = time.perf_counter()
            for _name, data in files:
                bare_read(data)
            bare_runs.append(time.perf_counter() - start)
            bulk_runs.append(ingest(bulk_db, files, None)[0])
            elapsed, gaps = ingest(single_db, files, 1)
            single_runs.append(elapsed)
            single_files += gaps
            bulk_db.close()
            single_db.close()
        print(f"  run {run + 1}: calamine {bare_runs[-1]:.2f} s, "
              f"bulk {bulk_runs[-1]:.2f} s ({bulk_runs[-1] / bare_runs[-1]:.1f}x), "
              f"single-process {single_runs[-1]:.2f} s "
              f"({single_runs[-1] / bare_runs[-1]:.1f}x)")
    bare = statistics.median(bare_runs)
    bulk, single = statistics.median(bulk_runs), statistics.median(single_runs)
    bulk_label = f"bulk ingest (workers={workers})"
    print(f"{'files':>6} {'calamine read':>14} {bulk_label:>28} {'ratio':>6} "
          f"{'single-process ingest':>22} {'ratio':>6} {'median one file':>16}")
    print(f"{args.files:>6} {bare:>12.2f} s {bulk:>26.2f} s {bulk / bare:>5.1f}x "
          f"{single:>20.2f} s {single / bare:>5.1f}x "
          f"{statistics.median(single_files) * 1000:>13.1f} ms")


if __name__ == "__main__":
    main()
