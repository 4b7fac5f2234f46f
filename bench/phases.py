"""Where a fresh process's time goes when it loads a folder: start, imports, load, tables, exit.

    python bench/phases.py FOLDER [--runs 5]

Each run is a new interpreter that imports cbmg, then polars, loads FOLDER and asks for the
tables, timing each step; the parent times the whole process, so what is left over is the
interpreter's start (before the first timer) and its exit (after the last: freeing the tables
and the kernel taking the memory back). Prints the median of each phase in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import cbmg
t1 = time.perf_counter()
import polars
t2 = time.perf_counter()
corpus = cbmg.load(sys.argv[1])
t3 = time.perf_counter()
frames = corpus.tables()
t4 = time.perf_counter()
print(json.dumps({"import_cbmg": t1 - t0, "import_polars": t2 - t1, "load": t3 - t2,
                  "tables": t4 - t3, "since_start": t4, "end_wall": time.time()}))
"""

PHASES = ["start", "import_cbmg", "import_polars", "load", "tables", "exit", "total"]


def one_run(folder: str) -> dict[str, float]:
    began = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, folder], capture_output=True, text=True, check=True)
    ended = time.time()
    child = json.loads(out.stdout.strip().splitlines()[-1])
    inside = child["import_cbmg"] + child["import_polars"] + child["load"] + child["tables"]
    exit_s = ended - child["end_wall"]
    return {
        "start": (ended - began) - inside - exit_s,
        "import_cbmg": child["import_cbmg"],
        "import_polars": child["import_polars"],
        "load": child["load"],
        "tables": child["tables"],
        "exit": exit_s,
        "total": ended - began,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    one_run(args.folder)  # warms the page cache
    runs = [one_run(args.folder) for _ in range(args.runs)]
    for phase in PHASES:
        values = [r[phase] * 1000 for r in runs]
        print(
            f"{phase:14} median {statistics.median(values):8.1f} ms"
            f"   min {min(values):8.1f}   max {max(values):8.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
