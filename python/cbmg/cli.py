"""`python -m cbmg PATH` / `cbmg PATH`: print or write the tables of a set of releases."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from cbmg.corpus import TABLES, load, scan, write_parquet

FORMATS = ("parquet", "csv", "json")

T = TypeVar("T")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cbmg",
        description="Extract tables (documents, financials, trials, ...) from press releases.",
    )
    p.add_argument("paths", nargs="+", help="files or folders of .txt/.md releases")
    p.add_argument("--table", choices=TABLES, action="append", help="only this table (repeatable)")
    p.add_argument("--out", type=Path, help="write the tables to this folder instead of printing")
    p.add_argument("--format", choices=FORMATS, default="parquet", help="file format for --out")
    p.add_argument("--lexicon", type=Path, help="CSV of extra lexicon terms")
    p.add_argument("--rows", type=int, default=20, help="rows to print per table (default 20)")
    p.add_argument(
        "--batch-size",
        type=int,
        default=2000,
        help="with --out: files extracted and written per batch (default 2000); memory follows it",
    )
    return p


def _printable(name: str, df):  # noqa: ANN001, ANN202 - polars is imported lazily
    # The full text and evidence make tables unreadable in a terminal; files keep them.
    drop = [c for c in ("text", "evidence") if c in df.columns]
    return df.drop(drop) if drop else df


_END = object()


def _prefetched(items: Iterable[T]) -> Iterator[T]:
    """Yields ``items``, producing the next one on a thread while the caller uses this one.

    The engine releases the GIL while it extracts a batch, so writing one batch with polars and
    extracting the next overlap. Only one item is asked for at a time: at most one is in use and
    one in the making, so memory stays at two batches. An exception from ``items`` is raised
    here, in order. A caller that stops early waits for the item in the making, then the thread
    ends.
    """
    it = iter(items)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cbmg-prefetch") as pool:
        making = pool.submit(next, it, _END)
        while (item := making.result()) is not _END:
            making = pool.submit(next, it, _END)
            yield item


def _write_streaming(args: argparse.Namespace, names: list[str]) -> tuple[int, int]:
    """Writes every table a batch at a time, so memory does not grow with the corpus."""
    args.out.mkdir(parents=True, exist_ok=True)
    if args.format == "parquet":
        return write_parquet(
            args.paths, args.out, tables=names, batch_size=args.batch_size, lexicon=args.lexicon
        )
    ext = "ndjson" if args.format == "json" else "csv"
    files = {name: open(args.out / f"{name}.{ext}", "wb") for name in names}  # noqa: SIM115
    documents = skipped = 0
    try:
        batches = scan(args.paths, batch_size=args.batch_size, lexicon=args.lexicon)
        for i, batch in enumerate(_prefetched(batches)):
            documents += batch.n_rows("documents")
            skipped += batch.n_rows("skipped")
            for name, fh in files.items():
                if args.format == "csv":
                    batch[name].write_csv(fh, include_header=i == 0)
                else:
                    batch[name].write_ndjson(fh)
    finally:
        for fh in files.values():
            fh.close()
    return documents, skipped


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    names = args.table or list(TABLES)
    if args.batch_size < 1:
        print("cbmg: error: --batch-size must be at least 1", file=sys.stderr)
        return 2
    if args.out is not None:
        try:
            documents, skipped = _write_streaming(args, names)
        except (OSError, ValueError) as err:
            print(f"cbmg: error: {err}", file=sys.stderr)
            return 2
        print(
            f"wrote {', '.join(names)} ({args.format}) for {documents} documents"
            f" ({skipped} skipped) to {args.out}",
            file=sys.stderr,
        )
        return 0
    try:
        corpus = load(args.paths, lexicon=args.lexicon)
    except (OSError, ValueError) as err:
        print(f"cbmg: error: {err}", file=sys.stderr)
        return 2
    import polars as pl

    with pl.Config(tbl_rows=args.rows, tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=200):
        for name in names:
            df = corpus[name]
            print(f"== {name} ({df.height} rows)")
            print(_printable(name, df))
            print()
    return 0
