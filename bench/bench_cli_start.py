"""How long `decuong --help` takes to start, against a bare interpreter in the same run.

    python bench/bench_cli_start.py [--runs 15]

Each run starts a fresh interpreter: `python -c pass` (the floor), `python -m decuong_cli
--help` (commands loaded when used: the list comes from decuong_cli.COMMANDS) and, for
comparison, the same help after importing every command's module first, as the CLI did before
(pandas, Flask and python-docx loaded up front). The three are interleaved so a busy machine
slows them alike; medians are printed with their ratio to the floor.
Target (issue 16): `decuong --help` ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

EAGER = ("import decuong_cli as d\n"
         "for name in d.COMMANDS:\n"
         "    d.load(name)\n"
         "d.main(['--help'])\n")
CASES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "decuong --help": [sys.executable, "-m", "decuong_cli", "--help"],
    "every module first (before)": [sys.executable, "-c", EAGER],
}


def once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for command in CASES.values():
        once(command)  # warm the file cache
    for _ in range(args.runs):
        for name, command in CASES.items():
            times[name].append(once(command))
    floor = statistics.median(times["python -c pass"])
    print(f"{'command':<30} {'median':>8} {'min':>8} {'× python -c pass':>18}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<30} {median * 1000:>6.0f} ms {min(values) * 1000:>5.0f} ms "
              f"{median / floor:>17.1f}×")
    print(f"target: decuong --help ≤ 500 ms: "
          f"{'met' if statistics.median(times['decuong --help']) <= 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
