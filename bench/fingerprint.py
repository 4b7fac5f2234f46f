"""A digest of every table cbmg builds for a folder, to show that a change left output unchanged.

    python bench/fingerprint.py FOLDER [--out FILE]

Prints one line per table (rows and a hash of its sorted contents); with --out, also writes the
tables as Parquet under FILE's folder for a closer diff. Compare two builds' lines with `diff`.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import cbmg


def digest(df) -> str:
    h = hashlib.sha256()
    for row in df.sort(df.columns).iter_rows():
        h.update(repr(row).encode())
    return h.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder", type=Path)
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    corpus = cbmg.load(args.folder)
    for name, df in corpus.tables().items():
        print(f"{name:<14}{df.height:>8} {digest(df)}")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            df.write_parquet(args.out / f"{name}.parquet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
