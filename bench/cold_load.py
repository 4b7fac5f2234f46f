"""Times `cbmg.load` with the folder's files out of the page cache, then in it.

    sudo python bench/cold_load.py FOLDER     # root: it drops the page cache

A first load of a corpus reads from disk, and so does any load on a machine that reclaims idle
page cache (this one's kernel pages out memory unused for a minute). The page cache is dropped
after `import cbmg, polars` and a load of the seeds, so only the folder's files are cold.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import polars  # noqa: F401  (imported before the cache is dropped, as a notebook would have it)

import cbmg

SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "seeds")


def drop_page_cache() -> None:
    subprocess.run(["sync"], check=True)
    with open("/proc/sys/vm/drop_caches", "w") as fh:
        fh.write("1\n")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    if not os.access("/proc/sys/vm/drop_caches", os.W_OK):
        print("dropping the page cache needs root (write access to /proc/sys/vm/drop_caches)")
        return 1
    cbmg.load(SEEDS)
    for state in ("cold", "warm"):
        if state == "cold":
            drop_page_cache()
        t = time.perf_counter()
        corpus = cbmg.load(argv[0])
        corpus.tables()
        print(f"{state}: {time.perf_counter() - t:.2f} s, {len(corpus.documents)} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
