"""Time `cbmg.load` end to end (files to polars tables), each run in a fresh process.

    python bench/time_load.py FOLDER [FOLDER ...] [--repeat 5]

Prints, per folder: files, MB, `import cbmg`, the median first `load` in a fresh process (which
pays for compiling the rules once) right after the import, the same a moment after the import
(`--pause-ms`, 200 by default: a notebook's next cell, by which time the rules that `import cbmg`
starts building in the background are built), the first access to its tables as DataFrames (which imports
polars), the median second `load` in the same process (steady state), MB/s and docs/s of each,
rows per table and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import cbmg
t1 = time.perf_counter()
time.sleep(float(sys.argv[2]) / 1000)
t_load = time.perf_counter()
corpus = cbmg.load(sys.argv[1])
t2 = time.perf_counter()
corpus.tables()
t_frames = time.perf_counter() - t2
t_warm = time.perf_counter()
cbmg.load(sys.argv[1])
t3 = time.perf_counter()
docs = corpus.documents
print(json.dumps({
    "import_s": t1 - t0,
    "load_s": t2 - t_load,
    "warm_s": t3 - t_warm,
    "frames_s": t_frames,
    "docs": docs.height,
    "bytes": int(docs["text"].str.len_bytes().sum() or 0),
    "rows": {name: df.height for name, df in corpus.tables().items()},
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def run_once(folder: str, pause_ms: float = 0) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, folder, str(pause_ms)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Time cbmg.load in fresh processes.")
    p.add_argument("folders", nargs="+")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument(
        "--pause-ms", type=float, default=200, help="pause between import and the paused first load"
    )
    args = p.parse_args(argv)
    for folder in args.folders:
        run_once(folder)  # warm the page cache
        runs = [run_once(folder) for _ in range(args.repeat)]
        paused = statistics.median(run_once(folder, args.pause_ms)["load_s"] for _ in range(args.repeat))
        load = statistics.median(r["load_s"] for r in runs)
        warm = statistics.median(r["warm_s"] for r in runs)
        imp = statistics.median(r["import_s"] for r in runs)
        frames = statistics.median(r["frames_s"] for r in runs)
        r = runs[0]
        mb = r["bytes"] / 1e6
        print(
            f"{folder}: {r['docs']} docs, {mb:.2f} MB; first load {load * 1000:.1f} ms "
            f"({mb / load:.1f} MB/s, {r['docs'] / load:.0f} docs/s) right after the import, "
            f"{paused * 1000:.1f} ms {args.pause_ms:.0f} ms after it; first tables as DataFrames "
            f"{frames * 1000:.1f} ms (imports polars); warm load {warm * 1000:.1f} ms "
            f"({mb / warm:.1f} MB/s, {r['docs'] / warm:.0f} docs/s); import cbmg {imp * 1000:.0f} ms; "
            f"peak RSS {max(x['peak_rss_mb'] for x in runs):.0f} MB; rows {r['rows']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
