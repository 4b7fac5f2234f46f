"""Time two builds of cbmg against each other, runs interleaved, each in a fresh process.

    python bench/ab.py --python /tmp/venv_base/bin/python --python .venv/bin/python FOLDER [--runs 15]

Each `--python` is an interpreter with a build of cbmg installed (the one before a change and
the one after). Runs alternate between them, so a machine that slows down for a while slows both
alike; on this machine single runs of the same build differ by up to a fifth, more than most
changes are worth, which is what one-off before/after runs cannot show. Per build it prints the
first `cbmg.load(FOLDER)` in a fresh process (rules and automata built), a second, warm load in
the same process, and peak RSS: median, minimum and interquartile range, then each build's
median as a ratio of the first's. Row counts per table must agree, or it says so.

To install the build before a change beside the current one:

    git worktree add /tmp/base HEAD~1
    python -m venv /tmp/venv_base && /tmp/venv_base/bin/pip install /tmp/base
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
import cbmg
t0 = time.perf_counter()
corpus = cbmg.load(sys.argv[1])
t1 = time.perf_counter()
cbmg.load(sys.argv[1])
t2 = time.perf_counter()
peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before polars' import
print(json.dumps({
    "first_ms": (t1 - t0) * 1e3,
    "warm_ms": (t2 - t1) * 1e3,
    "peak_rss_mb": peak_rss_mb,
    "rows": {name: frame.height for name, frame in corpus.tables().items()},
}))
"""


def run_once(python: str, folder: str, cwd: str) -> dict:
    # Run outside the repository so that `import cbmg` finds the interpreter's installed build,
    # not the source tree's package.
    out = subprocess.run([python, "-c", CHILD, folder], capture_output=True, text=True, check=True, cwd=cwd)
    return json.loads(out.stdout)


def summary(values: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return statistics.median(values), min(values), q[2] - q[0]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="A/B timing of two cbmg builds, runs interleaved.")
    p.add_argument("--python", action="append", required=True, help="interpreter with a cbmg build")
    p.add_argument("folder")
    p.add_argument("--runs", type=int, default=15)
    args = p.parse_args(argv)
    folder = str(Path(args.folder).resolve())
    if len(args.python) < 2:
        p.error("give --python at least twice: the build before a change and the one after")

    with tempfile.TemporaryDirectory() as cwd:
        for python in args.python:  # warm the page cache and each build's first import
            run_once(python, folder, cwd)
        runs: dict[str, list[dict]] = {python: [] for python in args.python}
        for _ in range(args.runs):
            for python in args.python:
                runs[python].append(run_once(python, folder, cwd))

    first_rows = runs[args.python[0]][0]["rows"]
    medians: dict[str, dict[str, float]] = {}
    for python, results in runs.items():
        print(python)
        medians[python] = {}
        for key, unit in (("first_ms", "ms"), ("warm_ms", "ms"), ("peak_rss_mb", "MB")):
            med, low, iqr = summary([r[key] for r in results])
            medians[python][key] = med
            print(f"  {key:12} median {med:8.1f} {unit}   min {low:8.1f}   IQR {iqr:7.1f}")
        if any(r["rows"] != first_rows for r in results):
            print("  ROWS DIFFER from the first build's:", results[0]["rows"])
    base = medians[args.python[0]]
    for python in args.python[1:]:
        ratios = ", ".join(f"{key} {medians[python][key] / base[key]:.2f}x" for key in base)
        print(f"{python} / {args.python[0]}: {ratios}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
