"""Memory of streaming: `cbmg.scan` and `cbmg.write_parquet` (what `cbmg --out` runs), each in a
fresh process, against `cbmg.load` of the same folder.

    python bench/stream.py FOLDER [--batch-size 2000] [--skip-load]

For a corpus larger than memory, make one out of the archive with hard links (no disk used):
    for i in 0 1 2 3 4 5 6 7 8 9; do cp -al /tmp/archive /tmp/arch10/$i; done
Prints seconds, MB/s and peak RSS per mode.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from compare import corpus_size  # bench/ is on sys.path when run as a script

MODES = {
    "load": "c = cbmg.load(folder); rows = sum(df.height for df in c.tables().values())",
    "scan": (
        "rows = 0\n"
        "for c in cbmg.scan(folder, batch_size=bs):\n"
        "    rows += sum(df.height for df in c.tables().values())"
    ),
    "write_parquet": "rows = sum(cbmg.write_parquet(folder, out, batch_size=bs))",
}

CHILD = r"""
import json, resource, sys, time
import cbmg
folder, out, bs = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = time.perf_counter()
{body}
print(json.dumps({{"s": time.perf_counter() - t, "rows": rows,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Peak memory of load, scan and write_parquet.")
    p.add_argument("folder", type=Path)
    p.add_argument("--batch-size", type=int, default=2000)
    p.add_argument("--skip-load", action="store_true", help="leave out cbmg.load (corpus > memory)")
    args = p.parse_args(argv)
    n, size = corpus_size(args.folder)
    print(f"{n} files, {size / 1e6:.0f} MB in {args.folder}, batch size {args.batch_size}")
    print(f"{'mode':<15}{'seconds':>9}{'MB/s':>9}{'peak RSS MB':>13}")
    for mode, body in MODES.items():
        if mode == "load" and args.skip_load:
            continue
        with tempfile.TemporaryDirectory() as out:
            cmd = [sys.executable, "-c", CHILD.format(body=body), str(args.folder), out, str(args.batch_size)]
            r = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
        print(f"{mode:<15}{r['s']:>9.2f}{size / 1e6 / r['s']:>9.1f}{r['rss_mb']:>13.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
