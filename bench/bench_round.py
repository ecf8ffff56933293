"""Benchmark of the whole consolidation of a stored round: load the latest revisions from
SQLite and build every summary table, for rounds of the Cẩm Giang outline.

    python bench/bench_round.py [--n 10000] [--repeat 3]

Baseline in the same run: a bare load-and-group-by of the same data (one SQL query, json.loads,
a wide DataFrame, group-by-kind sums and one ratio column). Targets (issue 5): ≤ 1.5 s for
10,000 submissions and ≤ 5 × the bare baseline; with --n 100 --n 1000 --n 10000 --n 100000 it
is the scaling table (time per submission, and load_round split into its load and its tables).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

import pandas as pd
from common import median_seconds, open_round

from aggregate import load_round
from aggregate.gc_pause import gc_paused
from aggregate.source import round_input
from forms import to_json, validate
from store import save_revision, transaction


def build(path: Path, n: int):
    built = open_round(path, [{"code": f"DV{i:06d}", "name": f"Đơn vị {i}",
                               "kind": ("xã", "phòng")[i % 2]} for i in range(n)],
                       title="Thử tải")
    db, outline, round_id = built.db, built.outline, built.round_id
    rng = random.Random(7)
    with transaction(db):
        for code in built.codes:
            received = rng.randint(0, 2000)
            raw = {item.key: rng.randint(0, 50) for item in outline.fields()
                   if item.kind == "integer" and item.formula is None}
            raw.update(hs_tiep_nhan=received, hs_da_giai_quyet=received,
                       hs_dung_han=rng.randint(0, received), hs_qua_han=0,
                       nv_tong=100, nvg_tong=200, dvsn_tong=250, pakn_tiep_nhan=60,
                       vb_kt_can_xu_ly=60, vb_rs_can_xu_ly=60, cbcc_chi_tieu=60,
                       hai_long=rng.uniform(80, 100), dg_ket_qua_tich_cuc="Đạt kết quả tốt.")
            result = validate(outline, raw, mode="draft")
            save_revision(db, round_id=round_id, unit_code=code, status="submitted",
                          values=to_json(outline, result.values), channel="import",
                          actor="bench")
    return db, round_id


def bare(db, round_id: int) -> pd.DataFrame:
    rows = db.execute(
        "SELECT u.kind, r.values_json FROM submissions s JOIN revisions r "
        "ON r.submission_id = s.id AND r.number = s.latest_revision "
        "JOIN units u ON u.code = s.unit_code WHERE s.round_id = ?", [round_id]).fetchall()
    frame = pd.DataFrame([json.loads(v) for _k, v in rows])
    frame["kind"] = [k for k, _v in rows]
    numeric = frame.select_dtypes("number")
    numeric["kind"] = frame["kind"]
    sums = numeric.groupby("kind").sum()
    sums["rate"] = sums["hs_dung_han"] / sums["hs_da_giai_quyet"] * 100
    return sums


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = args.n or [100, 1000, 10000]
    print(f"python bench/bench_round.py {' '.join(f'--n {n}' for n in sizes)} "
          f"--repeat {args.repeat}")
    print(f"{'submissions':>11} {'bare load+groupby':>18} {'load_round+tables':>18} {'ratio':>6}"
          f" {'µs each':>8} {'of which: load':>15} {'tables':>8}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db, round_id = build(Path(tmp) / "round.db", n)
            base = median_seconds(lambda db=db, r=round_id: bare(db, r), args.repeat)
            full = median_seconds(lambda db=db, r=round_id: load_round(db, r), args.repeat)
            # load_round's two halves, as it runs them (collector paused): reading the
            # round from SQLite and decoding its reports, then building every table.
            with gc_paused():
                load = median_seconds(lambda db=db, r=round_id: round_input(db, r), args.repeat)
                loaded = round_input(db, round_id)
                tables = median_seconds(loaded.consolidate, args.repeat)
                del loaded
            print(f"{n:>11} {base:>16.3f} s {full:>16.3f} s {full / base:>5.1f}x"
                  f" {full / n * 1e6:>8.1f} {load:>13.3f} s {tables:>6.3f} s", flush=True)


if __name__ == "__main__":
    main()
